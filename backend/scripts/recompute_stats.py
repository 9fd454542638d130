"""Recompute every rider's stats, achievements and follow counters from the source rows and
report any drift.

    python scripts/recompute_stats.py            # report and repair
    python scripts/recompute_stats.py --check    # report only; exit 1 if anything drifted
"""

from __future__ import annotations

import argparse
import sys

from _common import run
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import Settings
from src.social import service as social_service
from src.stats import repository as stats_repository
from src.stats import service as stats_service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="report only, change nothing")
    args = parser.parse_args()

    async def work(session: AsyncSession, settings: Settings) -> int:
        drifted = 0
        user_ids = await stats_repository.all_user_ids(session)
        for user_id in user_ids:
            lines: list[str] = []
            for name, stored, true in await social_service.counter_drift(
                session, user_id, repair=not args.check
            ):
                lines.append(f"  {name}: stored {stored}, actual {true}")
            for drift in await stats_service.check(session, user_id):
                lines.append(f"  {drift.field}: stored {drift.stored}, actual {drift.expected}")
            if not args.check:
                await stats_service.refresh(session, user_id)
            if lines:
                drifted += 1
                print(f"user {user_id}:")
                print("\n".join(lines))
        verb = "found" if args.check else "repaired"
        print(f"{len(user_ids)} users checked, {drifted} with drift {verb}")
        return drifted

    drifted = run(work)
    if args.check and drifted:
        sys.exit(1)


if __name__ == "__main__":
    main()
