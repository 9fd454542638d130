"""Every query of likes and comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import User
from src.core.database import new_id, utcnow
from src.interactions.models import Comment, Like
from src.users.models import UserProfile


# --------------------------------------------------------------------------------------
# likes
# --------------------------------------------------------------------------------------
async def insert_like(session: AsyncSession, user_id: str, trip_id: str) -> Like | None:
    """Like the trip unless already liked (one atomic statement, safe under concurrency);
    the new like, or None when it existed."""
    like = Like(id=new_id(), user_id=user_id, trip_id=trip_id, created_at=utcnow())
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Like)
        .values(id=like.id, user_id=user_id, trip_id=trip_id, created_at=like.created_at)
        .on_conflict_do_nothing(index_elements=["user_id", "trip_id"])
    )
    result = await session.execute(statement)
    return like if result.rowcount == 1 else None  # type: ignore[attr-defined]


async def delete_like(session: AsyncSession, user_id: str, trip_id: str) -> bool:
    """True only for the statement that actually removed the like."""
    result = await session.execute(
        delete(Like).where(Like.user_id == user_id, Like.trip_id == trip_id)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def count_likes(session: AsyncSession, trip_id: str) -> int:
    result = await session.scalar(select(func.count(Like.id)).where(Like.trip_id == trip_id))
    return int(result or 0)


async def list_likes(
    session: AsyncSession, trip_id: str, offset: int, limit: int
) -> list[tuple[datetime, str, str | None]]:
    """(created_at, username, profile photo) of the trip's likes, newest first."""
    result = await session.execute(
        select(Like.created_at, User.username, UserProfile.profile_photo_url)
        .join(User, User.id == Like.user_id)
        .outerjoin(UserProfile, UserProfile.user_id == Like.user_id)
        .where(Like.trip_id == trip_id)
        .order_by(Like.created_at.desc(), Like.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in result.all()]


# --------------------------------------------------------------------------------------
# comments
# --------------------------------------------------------------------------------------
async def add_comment(session: AsyncSession, user_id: str, trip_id: str, content: str) -> Comment:
    comment = Comment(user_id=user_id, trip_id=trip_id, content=content, is_edited=False)
    session.add(comment)
    await session.flush()
    return comment


async def get_comment(session: AsyncSession, comment_id: str) -> Comment | None:
    return await session.get(Comment, comment_id)


async def count_comments(session: AsyncSession, trip_id: str) -> int:
    result = await session.scalar(select(func.count(Comment.id)).where(Comment.trip_id == trip_id))
    return int(result or 0)


async def list_comments(
    session: AsyncSession, trip_id: str, offset: int, limit: int
) -> list[tuple[Comment, str, str | None, str | None]]:
    """(comment, username, full name, profile photo) of the trip's comments, oldest first."""
    result = await session.execute(
        select(Comment, User.username, UserProfile.full_name, UserProfile.profile_photo_url)
        .join(User, User.id == Comment.user_id)
        .outerjoin(UserProfile, UserProfile.user_id == Comment.user_id)
        .where(Comment.trip_id == trip_id)
        .order_by(Comment.created_at.asc(), Comment.id.asc())
        .offset(offset)
        .limit(limit)
    )
    rows: list[Any] = list(result.all())
    return [(row[0], row[1], row[2], row[3]) for row in rows]


async def delete_comment(session: AsyncSession, comment: Comment) -> None:
    await session.delete(comment)
    await session.flush()
