"""Load the reference data and the demo riders.  Idempotent: run it as often as you like.

python scripts/seed.py            # achievements, cycling types, demo users and their trips
python scripts/seed.py --no-users # reference data only (staging / production)
"""

from __future__ import annotations

import argparse

from _common import run
from _demo_trips import seed_demo_trips
from sqlalchemy.ext.asyncio import AsyncSession

from src.achievements.service import ensure_definitions
from src.auth.service import ensure_account
from src.config import Settings
from src.core.security import PasswordHasher
from src.cycling.service import ensure_default_types

DEMO_USERS = (
    ("testuser", "test@example.com", "TestPass123!"),
    ("maria_garcia", "maria@example.com", "SecurePass456!"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-users", action="store_true", help="skip the demo users")
    args = parser.parse_args()

    async def work(session: AsyncSession, settings: Settings) -> None:
        added = await ensure_definitions(session)
        print(f"achievements: {added} added")
        added = await ensure_default_types(session)
        print(f"cycling types: {added} added")
        if args.no_users:
            return
        hasher = PasswordHasher(settings.BCRYPT_ROUNDS)
        for username, email, password in DEMO_USERS:
            user, created = await ensure_account(
                session, hasher, username=username, email=email, password=password
            )
            print(f"user {username}: {'created' if created else 'already present'}")
            trips = await seed_demo_trips(session, user)
            outcome = "already present" if trips is None else f"{trips} added"
            print(f"trips of {username}: {outcome}")

    run(work)


if __name__ == "__main__":
    main()
