"""Accounts and their credentials: users and one-time/refresh tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow

if TYPE_CHECKING:
    from src.users.models import UserProfile

ROLES = ("user", "admin")
PROFILE_VISIBILITY = ("public", "private")
TRIP_VISIBILITY = ("public", "followers", "private")
TOKEN_TYPES = ("email_verification", "password_reset", "refresh_token")


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    hashed_password: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="user", index=True)
    profile_visibility: Mapped[str] = mapped_column(String(20), default="public", index=True)
    trip_visibility: Mapped[str] = mapped_column(String(20), default="public", index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    failed_login_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Access tokens issued before this moment are refused (password reset or change).
    tokens_valid_after: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    profile: Mapped[UserProfile] = relationship(
        back_populates="user", lazy="raise", uselist=False, passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("role IN ('user', 'admin')", name="role"),
        CheckConstraint("profile_visibility IN ('public', 'private')", name="profile_visibility"),
        CheckConstraint(
            "trip_visibility IN ('public', 'followers', 'private')", name="trip_visibility"
        ),
    )

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class AuthToken(Base):
    """Refresh, email-verification and password-reset tokens, stored as SHA-256 digests.

    The table keeps the original's name (``password_resets``).  Refresh tokens of one login
    share a ``family_id``; presenting an already-rotated token revokes the whole family.
    """

    __tablename__ = "password_resets"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_type: Mapped[str] = mapped_column(String(30))
    family_id: Mapped[str | None] = mapped_column(UUIDStr, nullable=True, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(
            "token_type IN ('email_verification', 'password_reset', 'refresh_token')",
            name="token_type",
        ),
        Index(
            "ix_password_resets_user_id_token_type_created_at",
            "user_id",
            "token_type",
            "created_at",
        ),
    )
