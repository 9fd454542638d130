"""Trip photos: upload through the shared image pipeline, delete and reorder.

* The file is identified by its content (JPEG, PNG or WebP), never by its name or declared
  type; EXIF (GPS included) is dropped; a web image (longest side 1200) and a thumbnail
  (longest side 400) are stored as JPEG.
* At most :data:`MAX_PHOTOS_PER_TRIP` per trip, checked under the trip's row lock so two
  concurrent uploads cannot exceed it.  Orders stay 0..n-1.
* Files written by a request that fails are removed; files of deleted photos are removed
  once the request commits.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import User
from src.core import metrics
from src.core.errors import NotFound, ValidationFailed
from src.core.images import InvalidImage, TripImages, process_trip_photo
from src.core.storage import (
    Storage,
    delete_after_commit,
    new_key,
    save_for_request,
)
from src.photos import repository
from src.photos.models import TripPhoto
from src.trips import service as trips_service
from src.trips.models import Trip

MAX_PHOTOS_PER_TRIP = 6
MAX_PHOTO_MB = 10
MAX_PHOTO_BYTES = MAX_PHOTO_MB * 1024 * 1024
FIELD = "photo"


async def trip_for_upload(session: AsyncSession, user: User, trip_id: str) -> Trip:
    """The trip a photo is being added to: 404 / 403, and 400 when it is already full."""
    trip = await trips_service.get_owned_trip(session, trip_id, user, "photo_upload")
    await _check_room(session, trip.trip_id)
    return trip


async def _check_room(session: AsyncSession, trip_id: str) -> None:
    if await repository.count(session, trip_id) >= MAX_PHOTOS_PER_TRIP:
        raise ValidationFailed("trip_photo_limit", field=FIELD, limit=MAX_PHOTOS_PER_TRIP)


async def _process(data: bytes) -> TripImages:
    try:
        return await process_trip_photo(data, field=FIELD)
    except InvalidImage as exc:
        if exc.message_key == "image_format":
            raise ValidationFailed("trip_photo_format", field=FIELD) from None
        raise


async def add_photo(session: AsyncSession, storage: Storage, trip: Trip, data: bytes) -> TripPhoto:
    """Store a new photo at the end of the trip's gallery (see :func:`trip_for_upload`)."""
    images = await _process(data)  # CPU work in a thread, before any lock is taken
    await trips_service.lock_for_change(session, trip)
    await _check_room(session, trip.trip_id)
    web_key = new_key("trip_photos", images.web.extension, trip.trip_id)
    thumb_key = new_key("trip_photos", images.thumbnail.extension, trip.trip_id)
    await save_for_request(storage, session, web_key, images.web.data, images.web.content_type)
    await save_for_request(
        storage, session, thumb_key, images.thumbnail.data, images.thumbnail.content_type
    )
    photo = TripPhoto(
        trip_id=trip.trip_id,
        photo_url=storage.url(web_key),
        thumb_url=storage.url(thumb_key),
        order=await repository.next_order(session, trip.trip_id),
        file_size=len(images.web.data),
        width=images.web.width,
        height=images.web.height,
    )
    session.add(photo)
    await session.flush()
    await trips_service.after_published_change(session, trip)
    metrics.count_after_commit(session, metrics.PHOTOS_UPLOADED)
    return photo


async def delete_photo(
    session: AsyncSession, storage: Storage, user: User, trip_id: str, photo_id: str
) -> None:
    """Remove a photo; the later ones move up (orders stay 0..n-1)."""
    trip = await trips_service.get_owned_trip(session, trip_id, user, "photo_delete")
    await trips_service.lock_for_change(session, trip)
    photo = await repository.get(session, photo_id)
    if photo is None:
        raise NotFound("trip_photo_not_found")
    if photo.trip_id != trip.trip_id:
        raise NotFound("trip_photo_not_in_trip")
    delete_after_commit(storage, session, storage.key_for(photo.photo_url))
    delete_after_commit(storage, session, storage.key_for(photo.thumb_url))
    await session.delete(photo)
    await session.flush()
    await repository.set_order(
        session, trip.trip_id, await repository.ids_in_order(session, trip.trip_id)
    )
    await trips_service.after_published_change(session, trip)


async def reorder_photos(
    session: AsyncSession, user: User, trip_id: str, photo_order: list[str]
) -> None:
    """Put the trip's photos in this order; the list must be exactly the trip's photos."""
    trip = await trips_service.get_owned_trip(session, trip_id, user, "photo_reorder")
    await trips_service.lock_for_change(session, trip)
    current = await repository.ids_in_order(session, trip.trip_id)
    if len(photo_order) != len(current) or len(set(photo_order)) != len(current):
        raise ValidationFailed(
            "trip_photo_order_count",
            field="photo_order",
            expected=len(current),
            given=len(photo_order),
        )
    if set(photo_order) != set(current):
        raise ValidationFailed("trip_photo_order_ids", field="photo_order")
    await repository.set_order(session, trip.trip_id, photo_order)
