"""HTTP routes of trip photos (contract §2.7)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, UploadFile, status

from src.auth.dependencies import CurrentUser
from src.core.dependencies import AppServices, DbSession
from src.core.errors import ValidationFailed
from src.core.i18n import translate
from src.core.responses import ERROR_RESPONSES, Envelope
from src.core.uploads import read_limited
from src.photos import service
from src.photos.schemas import MessageData, PhotoReorderRequest, TripPhotoResponse
from src.trips.dependencies import TripIdPath

router = APIRouter(tags=["trip photos"], responses=ERROR_RESPONSES)

PhotoIdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post(
    "/trips/{trip_id}/photos",
    status_code=status.HTTP_201_CREATED,
    response_model=Envelope[TripPhotoResponse],
    summary="Add a photo (JPEG, PNG or WebP, at most 10 MB, 6 per trip)",
)
async def upload_photo(
    trip_id: TripIdPath,
    photo: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 10 MB")],
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    trip = await service.trip_for_upload(session, user, trip_id)
    try:
        data = await read_limited(photo, service.MAX_PHOTO_BYTES, field=service.FIELD)
    except ValidationFailed:
        raise ValidationFailed(
            "trip_photo_too_large", field=service.FIELD, mb=service.MAX_PHOTO_MB
        ) from None
    created = await service.add_photo(session, services.storage, trip, data)
    return Envelope[TripPhotoResponse](data=TripPhotoResponse.of(created))


@router.put(
    "/trips/{trip_id}/photos/reorder",
    response_model=Envelope[MessageData],
    summary="Reorder a trip's photos",
)
async def reorder_photos(
    trip_id: TripIdPath, body: PhotoReorderRequest, user: CurrentUser, session: DbSession
) -> Any:
    await service.reorder_photos(session, user, trip_id, body.photo_order)
    return Envelope[MessageData](data=MessageData(message=translate("trip_photos_reordered")))


@router.delete(
    "/trips/{trip_id}/photos/{photo_id}",
    response_model=Envelope[MessageData],
    summary="Delete a photo (the later ones move up)",
)
async def delete_photo(
    trip_id: TripIdPath,
    photo_id: PhotoIdPath,
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    await service.delete_photo(session, services.storage, user, trip_id, photo_id)
    return Envelope[MessageData](data=MessageData(message=translate("trip_photo_deleted")))
