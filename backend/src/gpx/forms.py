"""The wizard's multipart form (§2.15), validated with the trips domain's field rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from src.trips.schemas import Description, StartDate, Title

#: the wizard asks for a description long enough to publish the trip later
MIN_DESCRIPTION = 50


def _long_enough(value: str) -> str:
    if len(value.strip()) < MIN_DESCRIPTION:
        raise PydanticCustomError(
            "wizard_description_short",
            "description too short",
            {"min_length": MIN_DESCRIPTION},
        )
    return value


class WizardForm(BaseModel):
    title: Title
    description: Annotated[Description, AfterValidator(_long_enough)]
    start_date: StartDate
    end_date: date | None = None
    #: ``private`` makes the trip visible to its author only (``is_private``)
    privacy: Literal["public", "private"] = "public"

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError("end_date_before_start", "end date before start date")
        return value
