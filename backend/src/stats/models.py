"""Per-user statistics (1:1 with users)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow


class UserStats(Base):
    __tablename__ = "user_stats"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    total_trips: Mapped[int] = mapped_column(Integer, default=0)
    total_kilometers: Mapped[float] = mapped_column(Float, default=0.0)
    #: ISO 3166-1 alpha-2 codes.
    countries_visited: Mapped[list[str]] = mapped_column(JSON, default=list)
    total_photos: Mapped[int] = mapped_column(Integer, default=0)
    achievements_count: Mapped[int] = mapped_column(Integer, default=0)
    last_trip_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
