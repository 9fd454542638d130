"""Create (or with --force, reset) an administrator account.  Idempotent.

    python scripts/create_admin.py --username admin --email admin@contravento.com \
        --password 'AdminPass123!'
"""

from __future__ import annotations

import argparse
import getpass

from _common import run
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.service import ensure_account
from src.config import Settings
from src.core.security import PasswordHasher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--email", default="admin@contravento.com")
    parser.add_argument("--password", help="prompted for when omitted")
    parser.add_argument("--force", action="store_true", help="reset an existing account")
    args = parser.parse_args()
    password = args.password or getpass.getpass("Password: ")

    async def work(session: AsyncSession, settings: Settings) -> None:
        hasher = PasswordHasher(settings.BCRYPT_ROUNDS)
        user, created = await ensure_account(
            session,
            hasher,
            username=args.username,
            email=args.email,
            password=password,
            role="admin",
            force=args.force,
        )
        if created:
            print(f"admin {user.username} created")
        elif args.force:
            print(f"admin {user.username} updated")
        else:
            print(f"user {user.username} already exists (use --force to reset it)")

    run(work)


if __name__ == "__main__":
    main()
