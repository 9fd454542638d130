"""Trip photos: a web-size image and a thumbnail per upload, in a user-chosen order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow


class TripPhoto(Base):
    __tablename__ = "trip_photos"

    photo_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("trips.trip_id", ondelete="CASCADE"), index=True
    )
    #: root-relative URLs (``/storage/trip_photos/...``)
    photo_url: Mapped[str] = mapped_column(String(500))
    thumb_url: Mapped[str] = mapped_column(String(500))
    caption: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: 0-based and contiguous within a trip
    order: Mapped[int] = mapped_column(Integer, default=0)
    #: size, width and height of the web image
    file_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
