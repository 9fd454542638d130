"""Every query of the stats domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.core.database import new_id, utcnow
from src.stats.models import UserStats


async def get(session: AsyncSession, user_id: str) -> UserStats | None:
    result = await session.execute(select(UserStats).where(UserStats.user_id == user_id))
    return result.scalar_one_or_none()


async def get_locked(session: AsyncSession, user_id: str) -> UserStats:
    """The rider's stats row, created if missing and locked until the transaction ends
    (PostgreSQL ``FOR UPDATE``; SQLite serialises writers anyway)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    await session.execute(
        insert(UserStats)
        .values(
            id=new_id(),
            user_id=user_id,
            total_trips=0,
            total_kilometers=0.0,
            countries_visited=[],
            total_photos=0,
            achievements_count=0,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    result = await session.execute(
        select(UserStats)
        .where(UserStats.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result.scalar_one()


async def all_user_ids(session: AsyncSession) -> list[str]:
    from src.auth.models import User

    return list((await session.execute(select(User.id).order_by(User.username))).scalars())
