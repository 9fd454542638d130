"""Every query of the GPX domain: tracks, their points and statistics, the processing jobs
(claimed with conditional updates, so two workers never take the same job) and privacy
zones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from src.core.database import new_id
from src.gpx.models import GPXFile, PrivacyZone, RouteStatistics, TrackPoint


# --------------------------------------------------------------------------------------
# tracks
# --------------------------------------------------------------------------------------
async def get(session: AsyncSession, gpx_file_id: str) -> GPXFile | None:
    return await session.get(GPXFile, gpx_file_id, populate_existing=True)


async def for_trip(session: AsyncSession, trip_id: str) -> GPXFile | None:
    result = await session.execute(
        select(GPXFile).where(GPXFile.trip_id == trip_id).execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def points(session: AsyncSession, gpx_file_id: str) -> list[TrackPoint]:
    result = await session.execute(
        select(TrackPoint)
        .where(TrackPoint.gpx_file_id == gpx_file_id)
        .order_by(TrackPoint.sequence)
    )
    return list(result.scalars())


async def statistics(session: AsyncSession, gpx_file_id: str) -> RouteStatistics | None:
    result = await session.execute(
        select(RouteStatistics).where(RouteStatistics.gpx_file_id == gpx_file_id)
    )
    return result.scalar_one_or_none()


async def add_points(session: AsyncSession, gpx_file_id: str, rows: list[dict[str, Any]]) -> None:
    """Insert the simplified track in batched statements (no ORM objects)."""
    if not rows:
        return
    for row in rows:
        row["point_id"] = new_id()
        row["gpx_file_id"] = gpx_file_id
    await session.execute(insert(TrackPoint), rows)


async def delete_track(session: AsyncSession, gpx_file_id: str) -> None:
    """Remove a track with its points and statistics (also removed by ON DELETE CASCADE;
    explicit here so SQLite without foreign keys and the ORM identity map agree)."""
    await session.execute(delete(TrackPoint).where(TrackPoint.gpx_file_id == gpx_file_id))
    await session.execute(delete(RouteStatistics).where(RouteStatistics.gpx_file_id == gpx_file_id))
    await session.execute(
        delete(GPXFile)
        .where(GPXFile.gpx_file_id == gpx_file_id)
        .execution_options(synchronize_session=False)
    )


async def file_keys(session: AsyncSession, trip_ids: Select[Any]) -> list[str]:
    result = await session.execute(select(GPXFile.file_key).where(GPXFile.trip_id.in_(trip_ids)))
    return list(result.scalars())


async def track_ends(session: AsyncSession, trip_ids: Select[Any]) -> list[tuple[float, float]]:
    """Start and end points of the processed tracks of these trips."""
    result = await session.execute(
        select(GPXFile.start_lat, GPXFile.start_lon, GPXFile.end_lat, GPXFile.end_lon)
        .where(
            GPXFile.trip_id.in_(trip_ids),
            GPXFile.processing_status == "completed",
            GPXFile.start_lat.is_not(None),
        )
        .order_by(GPXFile.trip_id)
    )
    ends: list[tuple[float, float]] = []
    for start_lat, start_lon, end_lat, end_lon in result.all():
        for lat, lon in ((start_lat, start_lon), (end_lat, end_lon)):
            if lat is not None and lon is not None:
                ends.append((float(lat), float(lon)))
    return ends


# --------------------------------------------------------------------------------------
# jobs
# --------------------------------------------------------------------------------------
def _claimable(now: datetime) -> ColumnElement[bool]:
    return (GPXFile.processing_status == "pending") & or_(
        GPXFile.lease_expires_at.is_(None), GPXFile.lease_expires_at <= now
    )


def _stale(now: datetime) -> ColumnElement[bool]:
    return (GPXFile.processing_status == "processing") & or_(
        GPXFile.lease_expires_at.is_(None), GPXFile.lease_expires_at < now
    )


async def claimable_ids(session: AsyncSession, now: datetime, limit: int) -> list[str]:
    result = await session.execute(
        select(GPXFile.gpx_file_id)
        .where(_claimable(now))
        .order_by(GPXFile.uploaded_at, GPXFile.gpx_file_id)
        .limit(limit)
    )
    return list(result.scalars())


async def claim(
    session: AsyncSession, gpx_file_id: str, now: datetime, lease: timedelta
) -> tuple[int, str] | None:
    """Take a pending job (its attempt number and file key), or None if someone else did."""
    result = await session.execute(
        update(GPXFile)
        .where(GPXFile.gpx_file_id == gpx_file_id, _claimable(now))
        .values(
            processing_status="processing",
            attempts=GPXFile.attempts + 1,
            lease_expires_at=now + lease,
        )
        .returning(GPXFile.attempts, GPXFile.file_key)
        .execution_options(synchronize_session=False)
    )
    row = result.first()
    return None if row is None else (int(row[0]), str(row[1]))


def holds(gpx_file_id: str, attempt: int) -> ColumnElement[bool]:
    """The job is still the one a worker claimed (not deleted, re-claimed or recovered)."""
    return (
        (GPXFile.gpx_file_id == gpx_file_id)
        & (GPXFile.processing_status == "processing")
        & (GPXFile.attempts == attempt)
    )


async def finish_job(
    session: AsyncSession, gpx_file_id: str, attempt: int, values: dict[str, Any]
) -> bool:
    """Update a claimed job if the claim still holds; True when it did."""
    result = await session.execute(
        update(GPXFile)
        .where(holds(gpx_file_id, attempt))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def recover_stale(
    session: AsyncSession, now: datetime, max_attempts: int, failed_message: str
) -> tuple[int, int]:
    """Jobs whose worker vanished (lease expired): failed after ``max_attempts`` claims,
    otherwise queued again.  Returns (requeued, failed)."""
    failed = await session.execute(
        update(GPXFile)
        .where(_stale(now), GPXFile.attempts >= max_attempts)
        .values(
            processing_status="failed",
            error_message=failed_message,
            lease_expires_at=None,
            processed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    requeued = await session.execute(
        update(GPXFile)
        .where(_stale(now))
        .values(processing_status="pending", lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(requeued.rowcount or 0), int(failed.rowcount or 0)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------
# privacy zones
# --------------------------------------------------------------------------------------
async def zones_of(session: AsyncSession, user_id: str) -> list[PrivacyZone]:
    result = await session.execute(
        select(PrivacyZone)
        .where(PrivacyZone.user_id == user_id)
        .order_by(PrivacyZone.position, PrivacyZone.zone_id)
    )
    return list(result.scalars())


async def replace_zones(
    session: AsyncSession, user_id: str, zones: Sequence[dict[str, Any]]
) -> None:
    await session.execute(delete(PrivacyZone).where(PrivacyZone.user_id == user_id))
    for position, values in enumerate(zones):
        session.add(PrivacyZone(user_id=user_id, position=position, **values))
    await session.flush()
