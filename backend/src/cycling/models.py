"""Cycling types (bikepacking, gravel, road ...), managed by admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow


class CyclingType(Base):
    __tablename__ = "cycling_types"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
