"""Every query of the auth domain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import AuthToken, User


async def get_user(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def get_by_username(session: AsyncSession, username: str) -> User | None:
    result = await session.execute(select(User).where(User.username == username))
    return result.scalar_one_or_none()


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email.lower()))
    return result.scalar_one_or_none()


async def get_by_login(session: AsyncSession, identifier: str) -> User | None:
    """A username (exact case) or an email (case-insensitive)."""
    if "@" in identifier:
        return await get_by_email(session, identifier)
    return await get_by_username(session, identifier)


async def username_exists(session: AsyncSession, username: str) -> bool:
    result = await session.execute(select(User.id).where(User.username == username))
    return result.first() is not None


async def email_exists(session: AsyncSession, email: str) -> bool:
    result = await session.execute(select(User.id).where(User.email == email.lower()))
    return result.first() is not None


async def record_failed_login(
    session: AsyncSession, user_id: str, max_attempts: int, lock_until: datetime
) -> tuple[int, datetime | None]:
    """Atomically count a failure and lock at the limit; return (attempts, locked_until)."""
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(failed_login_attempts=User.failed_login_attempts + 1)
    )
    await session.execute(
        update(User)
        .where(User.id == user_id, User.failed_login_attempts >= max_attempts)
        .values(locked_until=lock_until)
    )
    row = (
        await session.execute(
            select(User.failed_login_attempts, User.locked_until).where(User.id == user_id)
        )
    ).one()
    return int(row[0]), row[1]


async def find_token(session: AsyncSession, token_hash: str, token_type: str) -> AuthToken | None:
    result = await session.execute(
        select(AuthToken).where(
            AuthToken.token_hash == token_hash, AuthToken.token_type == token_type
        )
    )
    return result.scalar_one_or_none()


async def consume_token(session: AsyncSession, token_id: str, now: datetime) -> bool:
    """Mark a token used if nobody did it first (atomic); True when this call won."""
    result = await session.execute(
        update(AuthToken)
        .where(
            AuthToken.id == token_id, AuthToken.used_at.is_(None), AuthToken.revoked_at.is_(None)
        )
        .values(used_at=now)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def revoke_family(session: AsyncSession, family_id: str, now: datetime) -> None:
    await session.execute(
        update(AuthToken)
        .where(AuthToken.family_id == family_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def revoke_user_tokens(
    session: AsyncSession,
    user_id: str,
    token_type: str,
    now: datetime,
    keep_family: str | None = None,
) -> None:
    statement = update(AuthToken).where(
        AuthToken.user_id == user_id,
        AuthToken.token_type == token_type,
        AuthToken.used_at.is_(None),
        AuthToken.revoked_at.is_(None),
    )
    if keep_family is not None:
        statement = statement.where(
            (AuthToken.family_id != keep_family) | AuthToken.family_id.is_(None)
        )
    await session.execute(statement.values(revoked_at=now))


async def delete_user(session: AsyncSession, user_id: str) -> None:
    """Delete the row; the database cascades to everything the user owns."""
    await session.execute(delete(User).where(User.id == user_id))


async def count_recent_tokens(
    session: AsyncSession, user_id: str, token_type: str, since: datetime
) -> int:
    result = await session.execute(
        select(func.count(AuthToken.id)).where(
            AuthToken.user_id == user_id,
            AuthToken.token_type == token_type,
            AuthToken.created_at >= since,
        )
    )
    return int(result.scalar_one())
