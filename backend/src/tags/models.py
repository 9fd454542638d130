"""Tags and their association with trips."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow

TAG_MAX_LENGTH = 50


class Tag(Base):
    """A tag; ``normalized`` (lower-cased, stripped) identifies it, ``name`` is its display form.

    ``usage_count`` is the number of trips carrying the tag (drafts included), kept true on
    every association added or removed.
    """

    __tablename__ = "tags"

    tag_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    #: unique in effect: ``normalized`` is unique and is ``name`` lower-cased
    name: Mapped[str] = mapped_column(String(TAG_MAX_LENGTH))
    normalized: Mapped[str] = mapped_column(String(TAG_MAX_LENGTH), unique=True)
    usage_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("usage_count >= 0", name="usage_count_non_negative"),)


class TripTag(Base):
    __tablename__ = "trip_tags"

    trip_id: Mapped[str] = mapped_column(UUIDStr, ForeignKey("trips.trip_id", ondelete="CASCADE"))
    tag_id: Mapped[str] = mapped_column(UUIDStr, ForeignKey("tags.tag_id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        PrimaryKeyConstraint("trip_id", "tag_id", name="pk_trip_tags"),
        Index("ix_trip_tags_tag_id", "tag_id"),
    )
