"""Response models of the stats routes (contract §2.4, §2.17)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class Country(BaseModel):
    code: str
    name: str


class StatsResponse(BaseModel):
    total_trips: int
    total_kilometers: float
    countries_visited: list[Country]
    total_photos: int
    achievements_count: int
    last_trip_date: date | None
    updated_at: datetime
