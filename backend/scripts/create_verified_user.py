"""Create verified accounts.  Without arguments: the demo riders testuser and maria_garcia.

    python scripts/create_verified_user.py --username ana --email ana@example.com \
        --password 'Secret123!' [--role admin]
"""

from __future__ import annotations

import argparse

from _common import run
from seed import DEMO_USERS
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.service import ensure_account
from src.config import Settings
from src.core.security import PasswordHasher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--username")
    parser.add_argument("--email")
    parser.add_argument("--password")
    parser.add_argument("--role", choices=("user", "admin"), default="user")
    parser.add_argument("--force", action="store_true", help="reset an existing account")
    args = parser.parse_args()
    if any((args.username, args.email, args.password)) and not all(
        (args.username, args.email, args.password)
    ):
        parser.error("--username, --email and --password go together")
    accounts = [(args.username, args.email, args.password)] if args.username else list(DEMO_USERS)

    async def work(session: AsyncSession, settings: Settings) -> None:
        hasher = PasswordHasher(settings.BCRYPT_ROUNDS)
        for username, email, password in accounts:
            user, created = await ensure_account(
                session,
                hasher,
                username=username,
                email=email,
                password=password,
                role=args.role,
                force=args.force,
            )
            state = "created" if created else ("updated" if args.force else "already present")
            print(f"user {user.username}: {state}")

    run(work)


if __name__ == "__main__":
    main()
