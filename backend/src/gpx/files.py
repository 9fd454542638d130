"""What the trips domain needs from GPX tracks (their files, their start and end points).

Kept apart from :mod:`src.gpx.service`, which builds on the trips domain, so that the trips
service can import it without a cycle.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from src.gpx import repository


async def file_keys(session: AsyncSession, trip_ids: Select[Any]) -> list[str]:
    """Storage keys of these trips' GPX files (deleted with the trips, after the commit)."""
    return await repository.file_keys(session, trip_ids)


async def track_ends(session: AsyncSession, trip_ids: Select[Any]) -> list[tuple[float, float]]:
    """Start and end points of these trips' processed tracks (they count for the countries
    in the rider's stats)."""
    return await repository.track_ends(session, trip_ids)
