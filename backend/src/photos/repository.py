"""Every query of the trip photos domain."""

from __future__ import annotations

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from src.photos.models import TripPhoto


async def count(session: AsyncSession, trip_id: str) -> int:
    result = await session.scalar(
        select(func.count(TripPhoto.photo_id)).where(TripPhoto.trip_id == trip_id)
    )
    return int(result or 0)


async def next_order(session: AsyncSession, trip_id: str) -> int:
    result = await session.scalar(
        select(func.max(TripPhoto.order)).where(TripPhoto.trip_id == trip_id)
    )
    return 0 if result is None else int(result) + 1


async def get(session: AsyncSession, photo_id: str) -> TripPhoto | None:
    return await session.get(TripPhoto, photo_id)


async def ids_in_order(session: AsyncSession, trip_id: str) -> list[str]:
    result = await session.execute(
        select(TripPhoto.photo_id)
        .where(TripPhoto.trip_id == trip_id)
        .order_by(TripPhoto.order, TripPhoto.photo_id)
    )
    return list(result.scalars())


async def set_order(session: AsyncSession, trip_id: str, photo_ids: list[str]) -> None:
    """Number the trip's photos 0..n-1 in the given order (one statement)."""
    if not photo_ids:
        return
    positions = {photo_id: position for position, photo_id in enumerate(photo_ids)}
    await session.execute(
        update(TripPhoto)
        .where(TripPhoto.trip_id == trip_id, TripPhoto.photo_id.in_(photo_ids))
        .values(order=case(positions, value=TripPhoto.photo_id, else_=TripPhoto.order))
        .execution_options(synchronize_session=False)
    )
