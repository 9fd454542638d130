"""Request and response models of the travel diary (contract §2.6, §2.8, §2.10, §2.17, §4.10).

Text fields are cleaned as they are parsed: the description keeps the allowed markup
(:func:`~src.core.sanitize.sanitize_html`); the title and place names are plain text
(:func:`~src.core.sanitize.plain_text`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from src.core.sanitize import plain_text, sanitize_html
from src.core.storage import absolute_url
from src.gpx.schemas import GPXFileMetadata
from src.photos.schemas import CaptionedPhoto, PhotoRef, TripPhotoResponse
from src.tags.schemas import TagResponse
from src.tags.service import MAX_TAGS_PER_TRIP, clean_tag

if TYPE_CHECKING:
    from src.auth.models import User
    from src.trips.repository import TripRow

Difficulty = Literal["easy", "moderate", "difficult", "very_difficult", "extreme"]
TripStatus = Literal["draft", "published"]
SortBy = Literal["date-desc", "date-asc", "distance-desc", "distance-asc", "popularity-desc"]

MAX_LOCATIONS = 50
#: "Not in the future" is judged against the latest calendar date anywhere on Earth (UTC+14),
#: so a rider east of Greenwich can log a trip that started today, local time.
FUTURE_TOLERANCE = timedelta(hours=14)


def latest_valid_date() -> date:
    return (datetime.now(UTC) + FUTURE_TOLERANCE).date()


def _title(value: str) -> str:
    cleaned = plain_text(value)
    if not cleaned:
        raise PydanticCustomError("trip_title_blank", "title is blank")
    return cleaned


def _description(value: str) -> str:
    cleaned = sanitize_html(value)
    if not cleaned:
        raise PydanticCustomError("trip_description_blank", "description is blank")
    return cleaned


def _place(value: str) -> str:
    cleaned = plain_text(value)
    if not cleaned:
        raise PydanticCustomError("location_name_blank", "place name is blank")
    return cleaned


def _start_date(value: date) -> date:
    if value > latest_valid_date():
        raise PydanticCustomError("start_date_future", "start date is in the future")
    return value


def _tags(values: list[str]) -> list[str]:
    for value in values:
        clean_tag(value)  # raises the contract's validation errors
    return values


Title = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_title)]
Description = Annotated[str, Field(min_length=1, max_length=50_000), AfterValidator(_description)]
StartDate = Annotated[date, AfterValidator(_start_date)]
Distance = Annotated[float, Field(ge=0.1, le=10_000, allow_inf_nan=False)]
Tags = Annotated[
    list[Annotated[str, Field(max_length=200)]],
    Field(max_length=MAX_TAGS_PER_TRIP),
    AfterValidator(_tags),
]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


# --------------------------------------------------------------------------------------
# requests
# --------------------------------------------------------------------------------------
class LocationInput(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_place)]
    #: accepted for compatibility and discarded (contract §4.10)
    country: str | None = Field(default=None, max_length=100)
    latitude: Latitude | None = None
    longitude: Longitude | None = None

    @field_validator("latitude", "longitude")
    @classmethod
    def _six_decimals(cls, value: float | None) -> float | None:
        return None if value is None else round(value, 6)

    @model_validator(mode="after")
    def _both_or_neither(self) -> LocationInput:
        if (self.latitude is None) != (self.longitude is None):
            raise PydanticCustomError("coordinates_together", "give latitude and longitude")
        return self


Locations = Annotated[list[LocationInput], Field(max_length=MAX_LOCATIONS)]


class TripCreate(BaseModel):
    title: Title
    description: Description
    start_date: StartDate
    end_date: date | None = None
    distance_km: Distance | None = None
    difficulty: Difficulty | None = None
    locations: Locations = Field(default_factory=list)
    tags: Tags = Field(default_factory=list)

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError("end_date_before_start", "end date before start date")
        return value


class TripUpdate(BaseModel):
    """Every field optional; ``null`` or an omitted field leaves the value unchanged.

    ``tags: []`` and ``locations: []`` empty the lists.
    """

    title: Title | None = None
    description: Description | None = None
    start_date: StartDate | None = None
    end_date: date | None = None
    distance_km: Distance | None = None
    difficulty: Difficulty | None = None
    is_private: bool | None = None
    locations: Locations | None = None
    tags: Tags | None = None
    #: accepted and ignored: the last write wins (contract §2.6)
    client_updated_at: datetime | None = None


# --------------------------------------------------------------------------------------
# responses
# --------------------------------------------------------------------------------------
class TripAuthor(BaseModel):
    user_id: str
    username: str
    full_name: str | None
    #: absolute URL
    profile_photo_url: str | None
    #: null for anonymous viewers and for the author
    is_following: bool | None


class TripLocationResponse(BaseModel):
    location_id: str
    name: str
    latitude: float | None
    longitude: float | None
    sequence: int


class TripResponse(BaseModel):
    trip_id: str
    user_id: str
    author: TripAuthor
    title: str
    description: str
    status: TripStatus
    start_date: date
    end_date: date | None
    distance_km: float | None
    difficulty: Difficulty | None
    is_private: bool
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    photos: list[TripPhotoResponse]
    locations: list[TripLocationResponse]
    tags: list[TagResponse]
    like_count: int
    #: null for anonymous viewers and for the author
    is_liked: bool | None
    #: GPX metadata; null until the trip has a GPX file
    gpx_file: GPXFileMetadata | None = None


class PublishResponse(BaseModel):
    trip_id: str
    status: TripStatus
    published_at: datetime


class TripListItem(BaseModel):
    trip_id: str
    user_id: str
    title: str
    description: str
    start_date: date
    end_date: date | None
    distance_km: float | None
    status: TripStatus
    is_private: bool
    photo_count: int
    tag_names: list[str]
    #: the first photo's thumbnail
    thumbnail_url: str | None
    created_at: datetime
    updated_at: datetime


class UserTripsPage(BaseModel):
    trips: list[TripListItem]
    #: the number of trips in this page (as the original); ``total`` counts them all
    count: int
    total: int
    limit: int
    offset: int


class PublicLocation(BaseModel):
    name: str


class PublicTripSummary(BaseModel):
    trip_id: str
    title: str
    start_date: date
    distance_km: float | None
    photo: PhotoRef | None
    location: PublicLocation | None
    author: TripAuthor
    published_at: datetime
    like_count: int
    is_liked: bool | None


class Pagination(BaseModel):
    total: int
    page: int
    limit: int
    total_pages: int


class PublicTripList(BaseModel):
    trips: list[PublicTripSummary]
    pagination: Pagination


class FeedLocation(BaseModel):
    name: str
    latitude: float | None
    longitude: float | None


class FeedTag(BaseModel):
    name: str
    normalized: str


class FeedItem(BaseModel):
    trip_id: str
    title: str
    description: str
    author: TripAuthor
    photos: list[CaptionedPhoto]
    distance_km: float | None
    start_date: date
    end_date: date | None
    locations: list[FeedLocation]
    tags: list[FeedTag]
    likes_count: int
    comments_count: int
    shares_count: int
    is_liked_by_me: bool
    created_at: datetime
    published_at: datetime | None


class FeedPage(BaseModel):
    trips: list[FeedItem]
    total_count: int
    page: int
    limit: int
    has_more: bool


# --------------------------------------------------------------------------------------
# building responses from repository rows
# --------------------------------------------------------------------------------------
def _is_author(row: TripRow, viewer: User | None) -> bool:
    return viewer is not None and viewer.id == row.trip.user_id


def author_of(row: TripRow, viewer: User | None, base_url: str) -> TripAuthor:
    hidden = viewer is None or _is_author(row, viewer)
    return TripAuthor(
        user_id=row.author.user_id,
        username=row.author.username,
        full_name=row.author.full_name,
        profile_photo_url=absolute_url(row.author.profile_photo_url, base_url),
        is_following=None if hidden else bool(row.follows_author),
    )


def _is_liked(row: TripRow, viewer: User | None) -> bool | None:
    return None if viewer is None or _is_author(row, viewer) else bool(row.liked)


def trip_response(row: TripRow, viewer: User | None, base_url: str) -> TripResponse:
    trip = row.trip
    return TripResponse(
        trip_id=trip.trip_id,
        user_id=trip.user_id,
        author=author_of(row, viewer, base_url),
        title=trip.title,
        description=trip.description,
        status=trip.status,
        start_date=trip.start_date,
        end_date=trip.end_date,
        distance_km=trip.distance_km,
        difficulty=trip.difficulty,
        is_private=trip.is_private,
        created_at=trip.created_at,
        updated_at=trip.updated_at,
        published_at=trip.published_at,
        photos=[TripPhotoResponse.of(photo) for photo in trip.photos],
        locations=[
            TripLocationResponse(
                location_id=place.location_id,
                name=place.name,
                latitude=place.latitude,
                longitude=place.longitude,
                sequence=place.sequence,
            )
            for place in trip.locations
        ],
        tags=[TagResponse.model_validate(tag) for tag in trip.tags],
        like_count=row.like_count,
        is_liked=_is_liked(row, viewer),
    )


def list_item(row: TripRow) -> TripListItem:
    trip = row.trip
    return TripListItem(
        trip_id=trip.trip_id,
        user_id=trip.user_id,
        title=trip.title,
        description=trip.description,
        start_date=trip.start_date,
        end_date=trip.end_date,
        distance_km=trip.distance_km,
        status=trip.status,
        is_private=trip.is_private,
        photo_count=len(trip.photos),
        tag_names=[tag.name for tag in trip.tags],
        thumbnail_url=trip.photos[0].thumb_url if trip.photos else None,
        created_at=trip.created_at,
        updated_at=trip.updated_at,
    )


def public_summary(row: TripRow, viewer: User | None, base_url: str) -> PublicTripSummary:
    trip = row.trip
    return PublicTripSummary(
        trip_id=trip.trip_id,
        title=trip.title,
        start_date=trip.start_date,
        distance_km=trip.distance_km,
        photo=PhotoRef.of(trip.photos[0]) if trip.photos else None,
        location=PublicLocation(name=trip.locations[0].name) if trip.locations else None,
        author=author_of(row, viewer, base_url),
        published_at=trip.published_at or trip.created_at,
        like_count=row.like_count,
        is_liked=_is_liked(row, viewer),
    )


def feed_item(row: TripRow, viewer: User, base_url: str) -> FeedItem:
    trip = row.trip
    return FeedItem(
        trip_id=trip.trip_id,
        title=trip.title,
        description=trip.description,
        author=author_of(row, viewer, base_url),
        photos=[CaptionedPhoto.of(photo) for photo in trip.photos],
        distance_km=trip.distance_km,
        start_date=trip.start_date,
        end_date=trip.end_date,
        locations=[
            FeedLocation(name=place.name, latitude=place.latitude, longitude=place.longitude)
            for place in trip.locations
        ],
        tags=[FeedTag(name=tag.name, normalized=tag.normalized) for tag in trip.tags],
        likes_count=row.like_count,
        comments_count=row.comment_count,
        shares_count=0,
        is_liked_by_me=bool(row.liked),
        created_at=trip.created_at,
        published_at=trip.published_at,
    )
