"""Every query of the social domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import User
from src.core.database import new_id, utcnow
from src.social.models import Follow
from src.users.models import UserProfile


def followed_ids(follower_id: str) -> Select[Any]:
    return select(Follow.following_id).where(Follow.follower_id == follower_id)


async def get_follow(session: AsyncSession, follower_id: str, following_id: str) -> Follow | None:
    result = await session.execute(
        select(Follow).where(Follow.follower_id == follower_id, Follow.following_id == following_id)
    )
    return result.scalar_one_or_none()


async def insert_follow(session: AsyncSession, follower_id: str, following_id: str) -> bool:
    """Insert the relationship unless it exists; True when this call created it."""
    values = {"follower_id": follower_id, "following_id": following_id}
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Follow)
        .values(id=new_id(), created_at=utcnow(), **values)
        .on_conflict_do_nothing(index_elements=["follower_id", "following_id"])
    )
    result = await session.execute(statement)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def delete_follow(session: AsyncSession, follower_id: str, following_id: str) -> bool:
    result = await session.execute(
        delete(Follow).where(Follow.follower_id == follower_id, Follow.following_id == following_id)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def adjust_counters(
    session: AsyncSession, follower_id: str, following_id: str, delta: int
) -> None:
    """Change both denormalised counters; rows are updated in id order (no deadlocks)."""
    changes = {follower_id: "following_count", following_id: "followers_count"}
    for user_id in sorted(changes):
        column = getattr(UserProfile, changes[user_id])
        await session.execute(
            update(UserProfile)
            .where(UserProfile.user_id == user_id)
            .values({column: column + delta})
        )


async def counters(session: AsyncSession, user_id: str) -> tuple[int, int]:
    row = (
        await session.execute(
            select(UserProfile.followers_count, UserProfile.following_count).where(
                UserProfile.user_id == user_id
            )
        )
    ).one_or_none()
    return (int(row[0]), int(row[1])) if row else (0, 0)


async def count_followers(session: AsyncSession, user_id: str) -> int:
    return int(
        await session.scalar(select(func.count(Follow.id)).where(Follow.following_id == user_id))
        or 0
    )


async def count_following(session: AsyncSession, user_id: str) -> int:
    return int(
        await session.scalar(select(func.count(Follow.id)).where(Follow.follower_id == user_id))
        or 0
    )


async def list_people(
    session: AsyncSession, user_id: str, direction: str, offset: int, limit: int
) -> list[tuple[User, UserProfile | None, datetime]]:
    """Followers (direction='followers') or followed users, newest relationship first."""
    if direction == "followers":
        other, mine = Follow.follower_id, Follow.following_id
    else:
        other, mine = Follow.following_id, Follow.follower_id
    statement = (
        select(User, UserProfile, Follow.created_at)
        .join(Follow, other == User.id)
        .outerjoin(UserProfile, UserProfile.user_id == User.id)
        .where(mine == user_id)
        .order_by(Follow.created_at.desc(), Follow.id.desc())
        .offset(offset)
        .limit(limit)
    )
    rows = (await session.execute(statement)).all()
    return [(row[0], row[1], row[2]) for row in rows]


async def reset_counters_for_deleted_user(session: AsyncSession, user_id: str) -> None:
    """Before a user is deleted: everyone they followed loses a follower, and everyone who
    followed them follows one fewer rider."""
    await session.execute(
        update(UserProfile)
        .where(UserProfile.user_id.in_(followed_ids(user_id)))
        .values(followers_count=UserProfile.followers_count - 1)
    )
    await session.execute(
        update(UserProfile)
        .where(
            UserProfile.user_id.in_(
                select(Follow.follower_id).where(Follow.following_id == user_id)
            )
        )
        .values(following_count=UserProfile.following_count - 1)
    )


async def set_counters(session: AsyncSession, user_id: str, followers: int, following: int) -> None:
    await session.execute(
        update(UserProfile)
        .where(UserProfile.user_id == user_id)
        .values(followers_count=followers, following_count=following)
    )
