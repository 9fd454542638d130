"""Stats: recomputed from the source rows, never nudged by deltas.

``refresh`` locks the rider's stats row, asks the trips domain for the totals of the rider's
published trips, derives the countries from the trips' coordinates (offline), stores the
result and re-syncs achievements.  Because every writer recomputes under the row lock, the
stored numbers always equal what the source rows say, whatever order requests commit in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from src.achievements import service as achievements_service
from src.achievements.service import Progress
from src.core.database import utcnow
from src.core.geo import countries_for, country_name
from src.stats import repository
from src.stats.models import UserStats
from src.stats.schemas import Country, StatsResponse
from src.stats.totals import TripTotals
from src.users import repository as users_repository


@dataclass(frozen=True)
class Snapshot:
    """The stats a rider should have according to the source rows."""

    total_trips: int
    total_kilometers: float
    countries_visited: list[str]
    total_photos: int
    last_trip_date: object
    followers: int


async def _trip_totals(session: AsyncSession, user_id: str) -> TripTotals:
    # Imported here: the trips domain itself calls refresh() after its writes.
    from src.trips.service import totals_for_user

    return await totals_for_user(session, user_id)


async def _followers(session: AsyncSession, user_id: str) -> int:
    profile = await users_repository.get_profile(session, user_id)
    return profile.followers_count if profile else 0


async def compute(session: AsyncSession, user_id: str) -> Snapshot:
    totals = await _trip_totals(session, user_id)
    return Snapshot(
        total_trips=totals.trips,
        total_kilometers=round(totals.kilometers, 2),
        countries_visited=await countries_for(totals.coordinates),
        total_photos=totals.photos,
        last_trip_date=totals.last_trip_date,
        followers=await _followers(session, user_id),
    )


def _progress(stats: UserStats, followers: int) -> Progress:
    return Progress(
        trips=stats.total_trips,
        kilometers=stats.total_kilometers,
        countries=len(stats.countries_visited or []),
        photos=stats.total_photos,
        followers=followers,
    )


async def refresh(session: AsyncSession, user_id: str) -> UserStats:
    """Recompute the rider's stats and achievements from the source rows."""
    stats = await repository.get_locked(session, user_id)
    snapshot = await compute(session, user_id)
    stats.total_trips = snapshot.total_trips
    stats.total_kilometers = snapshot.total_kilometers
    stats.countries_visited = snapshot.countries_visited
    stats.total_photos = snapshot.total_photos
    stats.last_trip_date = snapshot.last_trip_date  # type: ignore[assignment]
    stats.achievements_count = await achievements_service.sync(
        session, user_id, _progress(stats, snapshot.followers)
    )
    stats.updated_at = utcnow()
    await session.flush()
    return stats


async def refresh_achievements(session: AsyncSession, user_id: str) -> None:
    """Re-sync achievements after a follower change (stats themselves are unchanged)."""
    stats = await repository.get_locked(session, user_id)
    stats.achievements_count = await achievements_service.sync(
        session, user_id, _progress(stats, await _followers(session, user_id))
    )
    stats.updated_at = utcnow()
    await session.flush()


async def for_read(session: AsyncSession, user_id: str) -> UserStats:
    """The stored stats, or unsaved zeros (reads never write: they may run on a replica)."""
    stats = await repository.get(session, user_id)
    if stats is None:
        stats = UserStats(
            user_id=user_id,
            total_trips=0,
            total_kilometers=0.0,
            countries_visited=[],
            total_photos=0,
            achievements_count=0,
            last_trip_date=None,
            updated_at=utcnow(),
        )
    return stats


def to_response(stats: UserStats) -> StatsResponse:
    return StatsResponse(
        total_trips=stats.total_trips,
        total_kilometers=round(stats.total_kilometers, 2),
        countries_visited=[
            Country(code=code, name=country_name(code)) for code in stats.countries_visited or []
        ],
        total_photos=stats.total_photos,
        achievements_count=stats.achievements_count,
        last_trip_date=stats.last_trip_date,
        updated_at=stats.updated_at,
    )


@dataclass(frozen=True)
class Drift:
    user_id: str
    field: str
    stored: object
    expected: object


async def check(session: AsyncSession, user_id: str) -> list[Drift]:
    """Differences between the stored stats/achievements and what the source rows say."""
    stored = await repository.get(session, user_id)
    snapshot = await compute(session, user_id)
    current: dict[str, object] = {
        "total_trips": stored.total_trips if stored else 0,
        "total_kilometers": round(stored.total_kilometers, 2) if stored else 0.0,
        "countries_visited": sorted(stored.countries_visited or []) if stored else [],
        "total_photos": stored.total_photos if stored else 0,
        "last_trip_date": stored.last_trip_date if stored else None,
    }
    expected: dict[str, object] = {
        "total_trips": snapshot.total_trips,
        "total_kilometers": snapshot.total_kilometers,
        "countries_visited": snapshot.countries_visited,
        "total_photos": snapshot.total_photos,
        "last_trip_date": snapshot.last_trip_date,
    }
    drifts = [
        Drift(user_id, name, current[name], value)
        for name, value in expected.items()
        if current[name] != value
    ]
    progress = Progress(
        trips=snapshot.total_trips,
        kilometers=snapshot.total_kilometers,
        countries=len(snapshot.countries_visited),
        photos=snapshot.total_photos,
        followers=snapshot.followers,
    )
    should_hold = await achievements_service.expected_codes(session, progress)
    holds = await achievements_service.awarded_codes(session, user_id)
    if should_hold != holds:
        drifts.append(Drift(user_id, "achievements", sorted(holds), sorted(should_hold)))
    stored_count = stored.achievements_count if stored else 0
    if stored_count != len(should_hold):
        drifts.append(Drift(user_id, "achievements_count", stored_count, len(should_hold)))
    return drifts
