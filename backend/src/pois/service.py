"""Points of interest along a trip: the rules.  Knows no HTTP.

* Only the trip's author manages its POIs (any trip status); at most
  :data:`MAX_POIS_PER_TRIP` per trip, checked under the trip's row lock so concurrent
  creations cannot exceed it.  Every write takes that lock (writers of one trip serialise).
* Reading respects the trip's visibility exactly as ``GET /trips/{id}`` does: a missing trip
  is 404, a trip the viewer may not see is 403 with the trip detail's message.  POIs inside
  the author's privacy zones are hidden from everyone else (as their GPX track points are).
* Errors use the original's string-detail codes (``HTTP_<status>``), except the photo upload,
  which answers with the regular codes (``NOT_FOUND``, ``FORBIDDEN``, ``VALIDATION_ERROR``).
* Photos go through the shared image pipeline (identified by content, EXIF dropped,
  re-encoded as JPEG); a replaced or deleted photo's file is removed after the commit, and
  only files this POI owns are ever removed (see :mod:`src.pois.files`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import User
from src.core.errors import Forbidden, HTTPError, NotFound, ValidationFailed
from src.core.images import process_plain_photo
from src.core.storage import URL_PREFIX, Storage, delete_after_commit, save_for_request
from src.gpx import service as gpx_service
from src.interactions.service import visible_trip
from src.pois import files, repository
from src.pois.models import PointOfInterest
from src.pois.schemas import POICreate, POIUpdate
from src.trips import service as trips_service
from src.trips.models import Trip

MAX_POIS_PER_TRIP = 6
MAX_PHOTO_MB = 5
MAX_PHOTO_BYTES = MAX_PHOTO_MB * 1024 * 1024
FIELD = "photo"


# --------------------------------------------------------------------------------------
# access
# --------------------------------------------------------------------------------------
async def _owned_trip(session: AsyncSession, trip_id: str, user: User) -> Trip:
    """The trip, if ``user`` is its author: 400 "Viaje no encontrado" when missing (as the
    original), 403 otherwise."""
    try:
        trip = await trips_service.get_owned_trip(session, trip_id, user, "edit")
        await trips_service.lock_for_change(session, trip)  # NotFound: deleted meanwhile
    except NotFound:
        raise HTTPError(400, "trip_not_found") from None
    except Forbidden:
        raise HTTPError(403, "poi_forbidden") from None
    return trip


async def _owned_poi(
    session: AsyncSession, poi_id: str, user: User, *, plain_errors: bool = False
) -> tuple[PointOfInterest, Trip]:
    """The POI and its trip, if ``user`` is the trip's author (the trip is then locked)."""
    poi = await repository.get(session, poi_id)
    if poi is None:
        raise NotFound("poi_not_found") if plain_errors else HTTPError(404, "poi_not_found")
    try:
        trip = await trips_service.get_owned_trip(session, poi.trip_id, user, "edit")
    except Forbidden:
        error = Forbidden("poi_forbidden") if plain_errors else HTTPError(403, "poi_forbidden")
        raise error from None
    await trips_service.lock_for_change(session, trip)
    # re-read under the lock: a concurrent request may have deleted it meanwhile
    if await session.get(PointOfInterest, poi_id, populate_existing=True) is None:
        raise NotFound("poi_not_found") if plain_errors else HTTPError(404, "poi_not_found")
    return poi, trip


def _photo_url(storage: Storage, url: str | None) -> str | None:
    """A client-given photo URL as a ``/storage/`` URL (``/storage/`` prepended when
    missing, as the original); anything that is not a storage path is refused."""
    if url is None:
        return None
    key = storage.key_for(url) or storage.key_for(URL_PREFIX + url.lstrip("/"))
    if key is None:
        raise ValidationFailed("poi_photo_url_invalid", field="photo_url")
    return storage.url(key)


# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------
async def _outside_zones(
    session: AsyncSession, trip: Trip, viewer: User | None, pois: list[PointOfInterest]
) -> list[PointOfInterest]:
    """What ``viewer`` may see of these POIs: all of them for the trip's author; for anyone
    else, those outside the author's privacy zones (the GPX domain decides)."""
    return await gpx_service.points_outside_zones(
        session, trip.user_id, pois, viewer_id=viewer.id if viewer else None
    )


async def list_pois(
    session: AsyncSession, trip_id: str, viewer: User | None, poi_type: str | None
) -> list[PointOfInterest]:
    trip = await visible_trip(session, trip_id, viewer)
    pois = await repository.list_for_trip(session, trip.trip_id, poi_type)
    return await _outside_zones(session, trip, viewer, pois)


async def get_poi(session: AsyncSession, poi_id: str, viewer: User | None) -> PointOfInterest:
    """404 also for a POI inside its author's privacy zone (for anyone but the author)."""
    poi = await repository.get(session, poi_id)
    if poi is None:
        raise HTTPError(404, "poi_not_found")
    trip = await visible_trip(session, poi.trip_id, viewer)
    if not await _outside_zones(session, trip, viewer, [poi]):
        raise HTTPError(404, "poi_not_found")
    return poi


# --------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------
async def create_poi(
    session: AsyncSession, storage: Storage, user: User, trip_id: str, data: POICreate
) -> PointOfInterest:
    trip = await _owned_trip(session, trip_id, user)
    if await repository.count(session, trip.trip_id) >= MAX_POIS_PER_TRIP:
        raise HTTPError(400, "poi_limit", limit=MAX_POIS_PER_TRIP)
    values = data.model_dump()
    values["photo_url"] = _photo_url(storage, data.photo_url)
    poi = PointOfInterest(trip_id=trip.trip_id, **values)
    session.add(poi)
    await session.flush()
    return poi


async def update_poi(
    session: AsyncSession, storage: Storage, user: User, poi_id: str, data: POIUpdate
) -> PointOfInterest:
    """Apply the fields that were sent; a replaced uploaded photo is deleted after commit."""
    poi, _ = await _owned_poi(session, poi_id, user)
    changes: dict[str, Any] = data.changes()
    if "photo_url" in changes:
        changes["photo_url"] = _photo_url(storage, data.photo_url)
        if changes["photo_url"] != poi.photo_url:
            delete_after_commit(
                storage, session, files.owned_key(storage, poi.poi_id, poi.photo_url)
            )
    for name, value in changes.items():
        setattr(poi, name, value)
    await session.flush()
    return poi


async def delete_poi(session: AsyncSession, storage: Storage, user: User, poi_id: str) -> None:
    poi, _ = await _owned_poi(session, poi_id, user)
    delete_after_commit(storage, session, files.owned_key(storage, poi.poi_id, poi.photo_url))
    await session.delete(poi)
    await session.flush()


async def poi_for_photo(session: AsyncSession, user: User, poi_id: str) -> PointOfInterest:
    """Checked before the upload is read: 404 ``NOT_FOUND`` / 403 ``FORBIDDEN``."""
    poi = await repository.get(session, poi_id)
    if poi is None:
        raise NotFound("poi_not_found")
    try:
        await trips_service.get_owned_trip(session, poi.trip_id, user, "edit")
    except Forbidden:
        raise Forbidden("poi_forbidden") from None
    return poi


async def set_photo(
    session: AsyncSession, storage: Storage, user: User, poi_id: str, data: bytes
) -> PointOfInterest:
    """Store the photo (re-encoded JPEG, EXIF dropped) and point the POI at it; the previous
    uploaded photo is deleted after the commit."""
    image = await process_plain_photo(data, field=FIELD)  # in a thread, before any lock
    poi, _ = await _owned_poi(session, poi_id, user, plain_errors=True)
    key = files.new_photo_key(poi.poi_id)
    await save_for_request(storage, session, key, image.data, image.content_type)
    delete_after_commit(storage, session, files.owned_key(storage, poi.poi_id, poi.photo_url))
    poi.photo_url = storage.url(key)
    await session.flush()
    return poi


async def reorder_pois(
    session: AsyncSession, user: User, trip_id: str, poi_ids: list[str]
) -> list[PointOfInterest]:
    """Put the trip's POIs in this order (sequences 0..n-1); the list must be exactly the
    trip's POIs."""
    trip = await _owned_trip(session, trip_id, user)
    if len(set(poi_ids)) != len(poi_ids):
        raise HTTPError(400, "poi_reorder_duplicates")
    current = set(await repository.ids_of_trip(session, trip.trip_id))
    given = set(poi_ids)
    if given != current:
        raise HTTPError(
            400,
            "poi_reorder_mismatch",
            missing=_as_set(current - given),
            extra=_as_set(given - current),
        )
    await repository.set_sequences(session, trip.trip_id, poi_ids)
    return await repository.list_for_trip(session, trip.trip_id)


def _as_set(ids: set[str]) -> str:
    return "{" + ", ".join(sorted(ids)) + "}"
