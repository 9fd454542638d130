"""Every query of points of interest."""

from __future__ import annotations

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from src.pois.models import PointOfInterest


async def count(session: AsyncSession, trip_id: str) -> int:
    result = await session.scalar(
        select(func.count(PointOfInterest.poi_id)).where(PointOfInterest.trip_id == trip_id)
    )
    return int(result or 0)


async def get(session: AsyncSession, poi_id: str) -> PointOfInterest | None:
    return await session.get(PointOfInterest, poi_id)


async def list_for_trip(
    session: AsyncSession, trip_id: str, poi_type: str | None = None
) -> list[PointOfInterest]:
    """The trip's POIs by ``sequence`` (ties: oldest first)."""
    statement = select(PointOfInterest).where(PointOfInterest.trip_id == trip_id)
    if poi_type is not None:
        statement = statement.where(PointOfInterest.poi_type == poi_type)
    statement = statement.order_by(
        PointOfInterest.sequence, PointOfInterest.created_at, PointOfInterest.poi_id
    ).execution_options(populate_existing=True)
    return list((await session.execute(statement)).scalars())


async def ids_of_trip(session: AsyncSession, trip_id: str) -> list[str]:
    result = await session.execute(
        select(PointOfInterest.poi_id).where(PointOfInterest.trip_id == trip_id)
    )
    return list(result.scalars())


async def set_sequences(session: AsyncSession, trip_id: str, poi_ids: list[str]) -> None:
    """Number the trip's POIs 0..n-1 in the given order (one statement)."""
    positions = {poi_id: position for position, poi_id in enumerate(poi_ids)}
    await session.execute(
        update(PointOfInterest)
        .where(PointOfInterest.trip_id == trip_id, PointOfInterest.poi_id.in_(poi_ids))
        .values(
            sequence=case(positions, value=PointOfInterest.poi_id, else_=PointOfInterest.sequence)
        )
        .execution_options(synchronize_session=False)
    )
