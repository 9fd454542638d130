"""Photo objects as they appear on the wire (contract §2.7, §2.17, §8).

The original used two names for the same things (``id`` / ``photo_id`` and ``thumbnail_url``
/ ``thumb_url``) depending on the route; every photo payload here carries both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from src.photos.models import TripPhoto


class PhotoRef(BaseModel):
    id: str
    photo_id: str
    photo_url: str
    thumbnail_url: str
    thumb_url: str

    @classmethod
    def of(cls, photo: TripPhoto) -> PhotoRef:
        return cls(**_names(photo))


class CaptionedPhoto(PhotoRef):
    caption: str | None

    @classmethod
    def of(cls, photo: TripPhoto) -> CaptionedPhoto:
        return cls(**_names(photo), caption=photo.caption)


class TripPhotoResponse(CaptionedPhoto):
    trip_id: str
    order: int
    width: int
    height: int
    file_size: int
    uploaded_at: datetime

    @classmethod
    def of(cls, photo: TripPhoto) -> TripPhotoResponse:
        return cls(
            **_names(photo),
            caption=photo.caption,
            trip_id=photo.trip_id,
            order=photo.order,
            width=photo.width,
            height=photo.height,
            file_size=photo.file_size,
            uploaded_at=photo.uploaded_at,
        )


class PhotoReorderRequest(BaseModel):
    #: every photo id of the trip, in the new order
    photo_order: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(max_length=50)


class MessageData(BaseModel):
    message: str


def _names(photo: TripPhoto) -> dict[str, str]:
    return {
        "id": photo.photo_id,
        "photo_id": photo.photo_id,
        "photo_url": photo.photo_url,
        "thumbnail_url": photo.thumb_url,
        "thumb_url": photo.thumb_url,
    }
