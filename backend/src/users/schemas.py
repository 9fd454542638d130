"""Request and response models of the profile routes (contract §2.3, §2.17)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from src.auth.schemas import check_password_basics


class ProfileStats(BaseModel):
    total_trips: int
    total_kilometers: float
    achievements_count: int


class ProfileResponse(BaseModel):
    username: str
    full_name: str | None
    bio: str | None
    photo_url: str | None
    location: str | None
    cycling_type: str | None
    profile_visibility: Literal["public", "private"]
    trip_visibility: Literal["public", "followers", "private"]
    show_email: bool
    show_location: bool
    followers_count: int
    following_count: int
    is_following: bool | None
    stats: ProfileStats | None
    created_at: datetime


class ProfileUpdate(BaseModel):
    """All optional.  ``""`` clears a text field; ``null`` or absent leaves it unchanged."""

    full_name: str | None = Field(default=None, max_length=100)
    bio: str | None = Field(default=None, max_length=500)
    location: str | None = Field(default=None, max_length=100)
    cycling_type: str | None = Field(default=None, max_length=50)
    profile_visibility: Literal["public", "private"] | None = None
    trip_visibility: Literal["public", "followers", "private"] | None = None
    show_email: bool | None = None
    show_location: bool | None = None

    @field_validator("full_name", "bio", "location", "cycling_type")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    @field_validator("cycling_type")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value is not None else None


class PrivacyUpdate(BaseModel):
    show_email: bool | None = None
    show_location: bool | None = None


class PrivacyData(BaseModel):
    show_email: bool
    show_location: bool


def check_password_change(value: str) -> str:
    """Profile password change rules (contract §4.3: no special character needed)."""
    return check_password_basics(value)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str

    @field_validator("new_password")
    @classmethod
    def _check(cls, value: str) -> str:
        return check_password_change(value)


class PhotoData(BaseModel):
    photo_url: str
    photo_width: int
    photo_height: int
