"""Request and response models of /auth (contract §2.2, §2.17)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]+$")
SPECIAL_CHARS = set("!@#$%^&*(),.?\":{}|<>_-+=[]\\/;'`~")


def check_username(value: str) -> str:
    if not 3 <= len(value) <= 30:
        raise PydanticCustomError("username_length", "username must be 3-30 characters")
    if not USERNAME_RE.match(value):
        raise PydanticCustomError("username_chars", "username has invalid characters")
    return value


def check_password_basics(value: str) -> str:
    """8+ characters, at most 72 bytes (bcrypt's limit), upper and lower case, a digit."""
    if len(value) < 8:
        raise PydanticCustomError("password_too_short", "password too short")
    if len(value.encode("utf-8")) > 72:
        raise PydanticCustomError("password_too_long", "password too long")
    if not any(c.isupper() for c in value if c.isascii()):
        raise PydanticCustomError("password_no_upper", "password needs an uppercase letter")
    if not any(c.islower() for c in value if c.isascii()):
        raise PydanticCustomError("password_no_lower", "password needs a lowercase letter")
    if not any(c.isdigit() for c in value):
        raise PydanticCustomError("password_no_digit", "password needs a digit")
    return value


def check_strong_password(value: str) -> str:
    """Registration and reset rules (contract §4.3): the basics plus a special character."""
    check_password_basics(value)
    if not any(c in SPECIAL_CHARS for c in value):
        raise PydanticCustomError("password_no_special", "password needs a special character")
    return value


class RegisterRequest(BaseModel):
    username: str = Field(examples=["maria_garcia"])
    email: EmailStr
    password: str = Field(examples=["SecurePass456!"])
    full_name: str | None = Field(default=None, max_length=100)

    @field_validator("username")
    @classmethod
    def _check_username(cls, value: str) -> str:
        return check_username(value)

    @field_validator("password")
    @classmethod
    def _check_password(cls, value: str) -> str:
        return check_strong_password(value)

    @field_validator("email")
    @classmethod
    def _lower_email(cls, value: str) -> str:
        return value.lower()

    @field_validator("full_name")
    @classmethod
    def _strip_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        return value or None


class LoginRequest(BaseModel):
    """``login`` (the original web app) or ``username`` / ``email`` (curl and load tests)."""

    login: str | None = Field(default=None, max_length=255)
    username: str | None = Field(default=None, max_length=255)
    email: str | None = Field(default=None, max_length=255)
    password: str = Field(min_length=1, max_length=1024)

    @model_validator(mode="after")
    def _one_identifier(self) -> LoginRequest:
        if not (self.login or self.username or self.email):
            raise PydanticCustomError("login_identifier_required", "login is required")
        return self

    @property
    def identifier(self) -> str:
        return (self.login or self.username or self.email or "").strip()


class DeleteAccountRequest(BaseModel):
    password: str = Field(min_length=1, max_length=1024)


class PasswordResetRequest(BaseModel):
    email: EmailStr


class PasswordResetConfirm(BaseModel):
    token: str = Field(min_length=1, max_length=512)
    new_password: str

    @field_validator("new_password")
    @classmethod
    def _check_password(cls, value: str) -> str:
        return check_strong_password(value)


class RegisterData(BaseModel):
    user_id: str
    username: str
    email: str
    is_verified: bool
    is_active: bool
    created_at: datetime


class UserResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    user_id: str
    username: str
    email: str
    is_verified: bool
    profile_visibility: Literal["public", "private"]
    trip_visibility: Literal["public", "followers", "private"]
    created_at: datetime
    photo_url: str | None = None
    bio: str | None = None
    location: str | None = None
    cycling_type: str | None = None


class TokenData(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class LoginData(TokenData):
    user: UserResponse
