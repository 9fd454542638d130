"""Likes and comments on trips (contract §3).

A rider likes a trip at most once (``uq_user_trip_like``).  Both tables cascade with the
trip and with the rider's account (``ON DELETE CASCADE``), so counters computed from them
are always true.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow


class Like(Base):
    __tablename__ = "likes"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    trip_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("trips.trip_id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("user_id", "trip_id", name="uq_user_trip_like"),)


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    trip_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("trips.trip_id", ondelete="CASCADE"), index=True
    )
    #: sanitised HTML (contract §4.7)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    is_edited: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (CheckConstraint("content <> ''", name="content_not_empty"),)
