"""Achievement definitions and the ones each user holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow

REQUIREMENT_TYPES = ("distance", "trips", "countries", "photos", "followers")


class Achievement(Base):
    __tablename__ = "achievements"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    badge_icon: Mapped[str] = mapped_column(String(10))
    requirement_type: Mapped[str] = mapped_column(String(20))
    requirement_value: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(
            "requirement_type IN ('distance', 'trips', 'countries', 'photos', 'followers')",
            name="requirement_type",
        ),
    )


class UserAchievement(Base):
    __tablename__ = "user_achievements"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    achievement_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "achievement_id", name="uq_user_achievement"),)
