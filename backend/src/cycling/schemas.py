"""Request and response models of cycling types (contract §2.9)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from src.core.sanitize import plain_text

CODE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$")


def _normalise_code(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _check_code(value: str) -> str:
    if not CODE_RE.match(value):
        raise PydanticCustomError("cycling_code_format", "invalid cycling type code")
    return value


def _display_name(value: str) -> str:
    cleaned = plain_text(value)
    if not 2 <= len(cleaned) <= 100:
        raise PydanticCustomError("cycling_name_length", "name must be 2-100 characters")
    return cleaned


def _description(value: str | None) -> str | None:
    if value is None:
        return None
    return plain_text(value) or None


Code = Annotated[
    str,
    BeforeValidator(_normalise_code),
    Field(min_length=2, max_length=50),
    AfterValidator(_check_code),
]
DisplayName = Annotated[str, Field(max_length=200), AfterValidator(_display_name)]
Description = Annotated[str | None, Field(max_length=500), AfterValidator(_description)]


class CyclingTypeCreate(BaseModel):
    code: Code
    display_name: DisplayName
    description: Description = None
    is_active: bool = True


class CyclingTypeUpdate(BaseModel):
    """Fields given are changed; omitted (or null) ones are kept."""

    display_name: DisplayName | None = None
    description: Description = None
    is_active: bool | None = None


class CyclingTypePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    display_name: str
    description: str | None


class CyclingTypeFull(CyclingTypePublic):
    id: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
