"""What the trips domain reports to the stats domain about one rider."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class TripTotals:
    """Aggregates over a rider's *published* trips."""

    trips: int = 0
    kilometers: float = 0.0
    photos: int = 0
    last_trip_date: date | None = None
    #: (latitude, longitude) of every location of those trips (and later GPX start/end points).
    coordinates: tuple[tuple[float, float], ...] = field(default_factory=tuple)
