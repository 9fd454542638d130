"""Request and response models of points of interest (contract §2.16, §2.17, §4.12).

POI text is plain text: any markup is removed (:func:`~src.core.sanitize.plain_text`), the
way trip titles and place names are treated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from src.core.sanitize import plain_text

PoiType = Literal[
    "viewpoint", "town", "water", "accommodation", "restaurant", "mountain_pass", "other"
]


def _name(value: str) -> str:
    cleaned = plain_text(value)
    if not cleaned:
        raise PydanticCustomError("poi_name_blank", "name is blank")
    return cleaned


def _description(value: str) -> str | None:
    return plain_text(value) or None


def _six_decimals(value: float) -> float:
    return round(value, 6)


Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_name)]
Description = Annotated[str, Field(max_length=500), AfterValidator(_description)]
Latitude = Annotated[
    float, Field(ge=-90, le=90, allow_inf_nan=False), AfterValidator(_six_decimals)
]
Longitude = Annotated[
    float, Field(ge=-180, le=180, allow_inf_nan=False), AfterValidator(_six_decimals)
]
DistanceFromStart = Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]
PhotoUrl = Annotated[str, Field(min_length=1, max_length=500)]
Sequence = Annotated[int, Field(ge=0, le=1_000_000)]


class POICreate(BaseModel):
    name: Name
    description: Description | None = None
    poi_type: PoiType
    latitude: Latitude
    longitude: Longitude
    distance_from_start_km: DistanceFromStart | None = None
    #: a ``/storage/...`` path (``/storage/`` is prepended when missing); usually set by
    #: uploading a photo instead
    photo_url: PhotoUrl | None = None
    sequence: Sequence


class POIUpdate(BaseModel):
    """Only the fields sent are applied; an explicit ``null`` clears the optional ones
    (``description``, ``distance_from_start_km``, ``photo_url``)."""

    name: Name | None = None
    description: Description | None = None
    poi_type: PoiType | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    distance_from_start_km: DistanceFromStart | None = None
    photo_url: PhotoUrl | None = None
    sequence: Sequence | None = None

    @field_validator("name", "poi_type", "latitude", "longitude", "sequence")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError("poi_field_not_null", "field cannot be null")
        return value

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class POIReorder(BaseModel):
    #: every POI id of the trip, in the new order
    poi_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=20
    )


class POIResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    poi_id: str
    trip_id: str
    name: str
    description: str | None
    poi_type: PoiType
    latitude: float
    longitude: float
    distance_from_start_km: float | None
    photo_url: str | None
    sequence: int
    created_at: datetime


class POIList(BaseModel):
    pois: list[POIResponse]
    total: int


class POIPhotoResponse(BaseModel):
    poi_id: str
    photo_url: str
    name: str
    poi_type: PoiType
