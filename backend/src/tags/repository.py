"""Every query of the tags domain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, case, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.core.database import new_id, utcnow
from src.tags.models import Tag, TripTag


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


async def insert_missing(session: AsyncSession, tags: Iterable[tuple[str, str]]) -> None:
    """Create the (name, normalized) tags that do not exist yet.

    ``INSERT ... ON CONFLICT (normalized) DO NOTHING`` makes this atomic: when two requests
    create the same new tag at once, one inserts it and the other waits for that insert and
    then skips it.  ``normalized`` is the table's only unique key (``name`` is unique in
    effect), which keeps PostgreSQL's speculative insertion free of cross-index deadlocks,
    and rows go in one order for every request, so inserts of several tags cannot deadlock.
    """
    now = utcnow()
    rows = [
        {
            "tag_id": new_id(),
            "name": name,
            "normalized": normalized,
            "usage_count": 0,
            "created_at": now,
        }
        for name, normalized in sorted(tags, key=lambda tag: tag[1])
    ]
    if not rows:
        return
    dialect_insert = pg_insert if _dialect(session) == "postgresql" else sqlite_insert
    await session.execute(
        dialect_insert(Tag).values(rows).on_conflict_do_nothing(index_elements=["normalized"])
    )


async def by_normalized(session: AsyncSession, normalized: Iterable[str]) -> dict[str, Tag]:
    values = list(normalized)
    if not values:
        return {}
    result = await session.execute(select(Tag).where(Tag.normalized.in_(values)))
    return {tag.normalized: tag for tag in result.scalars()}


async def tag_ids_of_trip(session: AsyncSession, trip_id: str) -> set[str]:
    result = await session.execute(select(TripTag.tag_id).where(TripTag.trip_id == trip_id))
    return set(result.scalars())


async def link(session: AsyncSession, trip_id: str, tag_ids: Iterable[str]) -> None:
    now = utcnow()
    rows = [{"trip_id": trip_id, "tag_id": tag_id, "created_at": now} for tag_id in tag_ids]
    if rows:
        await session.execute(insert(TripTag).values(rows))


async def unlink(session: AsyncSession, trip_id: str, tag_ids: Iterable[str]) -> None:
    ids = list(tag_ids)
    if ids:
        await session.execute(
            delete(TripTag).where(TripTag.trip_id == trip_id, TripTag.tag_id.in_(ids))
        )


async def usage_of_trips(session: AsyncSession, trips: Select[Any]) -> dict[str, int]:
    """How many of the given trips carry each tag (``trips``: a select of trip ids)."""
    result = await session.execute(
        select(TripTag.tag_id, func.count())
        .where(TripTag.trip_id.in_(trips))
        .group_by(TripTag.tag_id)
    )
    return {row[0]: int(row[1]) for row in result.all()}


async def adjust_usage(session: AsyncSession, deltas: dict[str, int]) -> None:
    """Add each delta to its tag's ``usage_count`` atomically.

    The rows are locked in id order first (PostgreSQL), so concurrent requests touching the
    same tags cannot deadlock; the update itself is a single statement.  The lock is
    ``FOR NO KEY UPDATE`` (what the update itself takes): it does not conflict with the
    ``KEY SHARE`` locks that inserting ``trip_tags`` rows takes on the tags through the
    foreign key, so two requests linking the same tags cannot deadlock either.
    """
    changes = {tag_id: delta for tag_id, delta in deltas.items() if delta}
    if not changes:
        return
    ids = sorted(changes)
    if _dialect(session) == "postgresql":
        await session.execute(
            select(Tag.tag_id)
            .where(Tag.tag_id.in_(ids))
            .order_by(Tag.tag_id)
            .with_for_update(key_share=True)
        )
    await session.execute(
        update(Tag)
        .where(Tag.tag_id.in_(ids))
        .values(usage_count=Tag.usage_count + case(changes, value=Tag.tag_id, else_=0))
        .execution_options(synchronize_session=False)
    )


async def list_in_use(session: AsyncSession, limit: int, offset: int) -> list[Tag]:
    """Tags carried by at least one trip: most used first, then by name (then id)."""
    result = await session.execute(
        select(Tag)
        .where(Tag.usage_count > 0)
        .order_by(Tag.usage_count.desc(), Tag.name, Tag.tag_id)
        .offset(offset)
        .limit(limit)
    )
    return list(result.scalars())


def trips_tagged(normalized: str) -> Select[Any]:
    """A select of the ids of the trips carrying the tag."""
    return (
        select(TripTag.trip_id)
        .join(Tag, Tag.tag_id == TripTag.tag_id)
        .where(Tag.normalized == normalized)
    )
