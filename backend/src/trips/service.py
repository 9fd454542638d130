"""The travel diary's rules: trips, their places and tags, publishing, listings and feeds.
Knows no HTTP.

* Trips are created as drafts; only their author can change, publish or delete them.
* Publishing checks the contract's rules once more and happens exactly once (an atomic
  draft -> published update); the stats domain then recomputes the rider's stats and
  achievements from the source rows.  Editing or deleting a published trip, and adding or
  removing photos of one, recompute them too, so they are always true.
* Writers of one trip take its row lock first (:func:`lock_for_change`), so concurrent
  changes of the same trip (tags, photos, publish) serialise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth import service as auth_service
from src.auth.models import User
from src.core import metrics
from src.core.cache import Cache
from src.core.database import utcnow
from src.core.errors import Forbidden, NotFound, ValidationFailed
from src.core.storage import Storage, delete_after_commit
from src.gpx import files as gpx_files
from src.pois import files as poi_files
from src.stats import service as stats_service
from src.stats.totals import TripTotals
from src.tags import service as tags_service
from src.trips import repository
from src.trips.models import Trip
from src.trips.repository import Page, TripRow
from src.trips.schemas import LocationInput, TripCreate, TripUpdate

#: Publishing needs a description at least this long (after stripping; markup counts).
MIN_PUBLISH_DESCRIPTION = 50

OwnerAction = Literal["edit", "delete", "publish", "photo_upload", "photo_delete", "photo_reorder"]
_FORBIDDEN_KEYS: dict[OwnerAction, str] = {
    "edit": "trip_edit_forbidden",
    "delete": "trip_delete_forbidden",
    "publish": "trip_publish_forbidden",
    "photo_upload": "trip_photo_upload_forbidden",
    "photo_delete": "trip_photo_delete_forbidden",
    "photo_reorder": "trip_photo_reorder_forbidden",
}


# --------------------------------------------------------------------------------------
# access
# --------------------------------------------------------------------------------------
async def get_owned_trip(
    session: AsyncSession, trip_id: str, user: User, action: OwnerAction
) -> Trip:
    """The trip, if ``user`` is its author: 404 when it does not exist, else 403."""
    trip = await repository.get(session, trip_id)
    if trip is None:
        raise NotFound("trip_not_found")
    if trip.user_id != user.id:
        raise Forbidden(_FORBIDDEN_KEYS[action])
    return trip


async def lock_for_change(session: AsyncSession, trip: Trip) -> None:
    """Serialise with other writers of this trip, then re-read it (it may have changed).

    404 when it was deleted since it was read (a concurrent ``DELETE``): the trip's row is
    gone, so there is nothing to lock or re-read.
    """
    await repository.lock(session, trip.trip_id)
    if await session.get(Trip, trip.trip_id, populate_existing=True) is None:
        raise NotFound("trip_not_found")


async def get_trip(session: AsyncSession, trip_id: str, viewer: User | None) -> TripRow:
    """A trip for its detail view: 404 when missing, 403 when ``viewer`` may not see it."""
    found = await repository.get_row(session, trip_id, viewer)
    if found is None:
        raise NotFound("trip_not_found")
    row, visible = found
    if not visible:
        raise Forbidden(_hidden_because(row.trip, row.author.trip_visibility, viewer))
    return row


async def get_visible_trip(session: AsyncSession, trip_id: str, viewer: User | None) -> Trip:
    """The trip alone, with exactly the answers of :func:`get_trip`: 404 when missing,
    403 (same message) when ``viewer`` may not see it.  For likes, comments and POIs."""
    found = await repository.get_visibility(session, trip_id, viewer)
    if found is None:
        raise NotFound("trip_not_found")
    trip, trip_visibility, visible = found
    if not visible:
        raise Forbidden(_hidden_because(trip, trip_visibility, viewer))
    return trip


def _hidden_because(trip: Trip, trip_visibility: str, viewer: User | None) -> str:
    """The message for a trip :func:`repository.visible_to` hid (the decision is made there)."""
    if trip.status == "draft":
        return "trip_draft_forbidden"
    if not trip.is_private and trip_visibility == "followers":
        return "trip_login_required" if viewer is None else "trip_followers_only"
    return "trip_private"


async def after_published_change(session: AsyncSession, trip: Trip) -> None:
    """Recompute the author's stats and achievements when a published trip changed."""
    if trip.is_published:
        await stats_service.refresh(session, trip.user_id)


# --------------------------------------------------------------------------------------
# create, update, publish, delete
# --------------------------------------------------------------------------------------
def _places(locations: list[LocationInput]) -> list[tuple[str, float | None, float | None]]:
    return [(place.name, place.latitude, place.longitude) for place in locations]


async def create_trip(session: AsyncSession, author: User, data: TripCreate) -> TripRow:
    """A new draft (``is_private`` false) with its places and tags."""
    trip = Trip(
        user_id=author.id,
        title=data.title,
        description=data.description,
        status="draft",
        start_date=data.start_date,
        end_date=data.end_date,
        distance_km=data.distance_km,
        difficulty=data.difficulty,
        is_private=False,
    )
    session.add(trip)
    await session.flush()
    if data.locations:
        await repository.replace_locations(session, trip.trip_id, _places(data.locations))
    if data.tags:
        await tags_service.set_trip_tags(session, trip.trip_id, tags_service.unique_tags(data.tags))
    return await get_trip(session, trip.trip_id, author)


def _check_publishable(trip: Trip) -> None:
    if not trip.title or not trip.title.strip():
        raise ValidationFailed("publish_title_required", field="title")
    if len((trip.description or "").strip()) < MIN_PUBLISH_DESCRIPTION:
        raise ValidationFailed(
            "publish_description_short", field="description", min_length=MIN_PUBLISH_DESCRIPTION
        )
    if trip.start_date is None:
        raise ValidationFailed("publish_start_date_required", field="start_date")


async def update_trip(session: AsyncSession, user: User, trip_id: str, data: TripUpdate) -> TripRow:
    """Apply the fields that were given; ``tags``/``locations`` replace the lists.

    A published trip must still meet the publishing rules afterwards.
    """
    trip = await get_owned_trip(session, trip_id, user, "edit")
    await lock_for_change(session, trip)
    changes = data.model_dump(exclude_none=True, exclude={"locations", "tags", "client_updated_at"})
    for name, value in changes.items():
        setattr(trip, name, value)
    if trip.end_date is not None and trip.end_date < trip.start_date:
        raise ValidationFailed("end_date_before_start", field="end_date")
    if trip.is_published:
        _check_publishable(trip)
    if data.locations is not None:
        await repository.replace_locations(session, trip.trip_id, _places(data.locations))
    if data.tags is not None:
        await tags_service.set_trip_tags(session, trip.trip_id, tags_service.unique_tags(data.tags))
    trip.updated_at = utcnow()
    await session.flush()
    await after_published_change(session, trip)
    return await get_trip(session, trip.trip_id, user)


@dataclass(frozen=True)
class Published:
    trip_id: str
    published_at: datetime


async def publish_trip(session: AsyncSession, user: User, trip_id: str) -> Published:
    """Publish a draft once; publishing a published trip changes nothing (idempotent)."""
    trip = await get_owned_trip(session, trip_id, user, "publish")
    await lock_for_change(session, trip)
    _check_publishable(trip)
    now = utcnow()
    if await repository.mark_published(session, trip.trip_id, now):
        await session.refresh(trip)
        await stats_service.refresh(session, user.id)
        metrics.count_after_commit(session, metrics.TRIPS_PUBLISHED)
    return Published(trip_id=trip.trip_id, published_at=trip.published_at or now)


async def delete_trip(session: AsyncSession, storage: Storage, user: User, trip_id: str) -> None:
    """Delete a trip with everything it owns; its photo files go once the request commits."""
    trip = await get_owned_trip(session, trip_id, user, "delete")
    await lock_for_change(session, trip)
    was_published = trip.is_published
    await _delete(session, storage, repository.id_is(trip.trip_id))
    session.expunge(trip)
    if was_published:
        await stats_service.refresh(session, user.id)


async def _delete(session: AsyncSession, storage: Storage, trip_ids: Select[Any]) -> None:
    for url in await repository.photo_urls(session, trip_ids):
        delete_after_commit(storage, session, storage.key_for(url))
    for key in await poi_files.photo_keys_of_trips(session, storage, trip_ids):
        delete_after_commit(storage, session, key)
    for key in await gpx_files.file_keys(session, trip_ids):
        delete_after_commit(storage, session, key)
    await tags_service.release_trips(session, trip_ids)
    await repository.delete_trips(session, trip_ids)


async def delete_all_for_user(session: AsyncSession, storage: Storage, user_id: str) -> None:
    """Account deletion: remove every trip of the rider, keeping tag usage counts true and
    deleting their photo files after the commit."""
    await _delete(session, storage, repository.ids_of_user(user_id))


# --------------------------------------------------------------------------------------
# listings
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UserTripsFilter:
    tag: str | None = None
    status: str | None = None
    #: ``public`` / ``private`` (``is_private``)
    visibility: str | None = None
    sort_by: str = "date-desc"


async def list_user_trips(
    session: AsyncSession,
    username: str,
    viewer: User | None,
    filters: UserTripsFilter,
    limit: int,
    offset: int,
) -> Page:
    owner = await auth_service.get_user_by_username(session, username)
    if owner is None or not owner.is_active:
        raise NotFound("trips_user_not_found", code="USER_NOT_FOUND", username=username)
    return await repository.list_for_user(
        session,
        owner.id,
        viewer,
        status=filters.status,
        is_private=None if filters.visibility is None else filters.visibility == "private",
        tagged=tags_service.trips_tagged(filters.tag) if filters.tag else None,
        sort=filters.sort_by,
        limit=limit,
        offset=offset,
    )


async def discoverable_total(session: AsyncSession, cache: Cache) -> int:
    """How many trips anyone may discover: one count of the whole table, cached (every
    committed write invalidates it, see :mod:`src.core.cache`)."""

    async def produce() -> bytes:
        return str(await repository.count_discoverable(session)).encode()

    return int(await cache.get_or_set(("discoverable-trips",), produce))


async def public_feed(
    session: AsyncSession, viewer: User | None, page: int, limit: int, cache: Cache
) -> Page:
    total = await discoverable_total(session, cache)
    return await repository.list_public(session, viewer, limit, (page - 1) * limit, total)


async def personal_feed(
    session: AsyncSession, viewer: User, page: int, limit: int, cache: Cache
) -> Page:
    total = await discoverable_total(session, cache)
    return await repository.list_feed(session, viewer, limit, (page - 1) * limit, total)


async def user_has_trips(session: AsyncSession, user_id: str) -> bool:
    return await repository.user_has_trips(session, user_id)


# --------------------------------------------------------------------------------------
# for the stats domain
# --------------------------------------------------------------------------------------
async def totals_for_user(session: AsyncSession, user_id: str) -> TripTotals:
    """Aggregates over the rider's published trips (see :class:`TripTotals`); the start and
    end points of their GPX tracks count as visited places too."""
    totals = await repository.totals(session, user_id)
    ends = await gpx_files.track_ends(session, repository.published_ids_of_user(user_id))
    return replace(totals, coordinates=totals.coordinates + tuple(ends))
