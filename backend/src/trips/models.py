"""Trips (the travel diary) and their locations.

Enum-like columns store their lowercase wire values (``draft``, ``moderate`` ...) guarded by
CHECK constraints.  Relationships are view-only and ``lazy="raise"``: children are written
with explicit statements by their services and read with explicit eager loading.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow
from src.photos.models import TripPhoto
from src.tags.models import Tag

STATUSES = ("draft", "published")
DIFFICULTIES = ("easy", "moderate", "difficult", "very_difficult", "extreme")


class TripLocation(Base):
    __tablename__ = "trip_locations"

    location_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("trips.trip_id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: 0-based position along the trip
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Trip(Base):
    __tablename__ = "trips"

    trip_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    #: sanitised HTML
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    distance_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[str | None] = mapped_column(String(20), nullable=True)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    #: how many likes and comments the trip has: kept by triggers on ``likes`` and
    #: ``comments`` in the same transaction as those rows (migration 009), never by the app
    like_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    comment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    photos: Mapped[list[TripPhoto]] = relationship(
        TripPhoto,
        lazy="raise",
        viewonly=True,
        order_by=(TripPhoto.order, TripPhoto.photo_id),
    )
    locations: Mapped[list[TripLocation]] = relationship(
        TripLocation,
        lazy="raise",
        viewonly=True,
        order_by=(TripLocation.sequence, TripLocation.location_id),
    )
    tags: Mapped[list[Tag]] = relationship(
        Tag,
        secondary="trip_tags",
        lazy="raise",
        viewonly=True,
        order_by=Tag.normalized,
    )

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        CheckConstraint(
            "difficulty IS NULL OR difficulty IN "
            "('easy', 'moderate', 'difficult', 'very_difficult', 'extreme')",
            name="difficulty",
        ),
        Index("ix_trips_user_id_status", "user_id", "status"),
        # the personal feed's community part: published, not private, most liked and
        # commented first, then newest (migration 009).  Written as text, as the migration
        # writes it, so that ``alembic check`` compares like with like; the condition is
        # written as SQLAlchemy renders ``Trip.is_private.is_(False)``, so that both
        # planners see that the queries' condition implies the index's.
        Index(
            "ix_trips_community",
            text("(like_count + comment_count) DESC"),
            text("published_at DESC"),
            text("trip_id DESC"),
            postgresql_where=text("status = 'published' AND is_private IS false"),
            sqlite_where=text("status = 'published' AND is_private IS 0"),
        ),
    )

    @property
    def is_published(self) -> bool:
        return self.status == "published"


#: counting what anyone may discover (the public feed's total) without reading the table:
#: an index-only scan joined to the authors (migration 009)
Index(
    "ix_trips_discoverable",
    Trip.user_id,
    postgresql_where=text("status = 'published' AND is_private IS false"),
    sqlite_where=text("status = 'published' AND is_private IS 0"),
)
