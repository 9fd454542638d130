"""Points of interest along a trip (contract §3, §4.12).

``poi_type`` stores the lowercase wire value, guarded by a CHECK constraint like the other
enum-like columns; coordinates are range-checked by the database too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow

POI_TYPES = ("viewpoint", "town", "water", "accommodation", "restaurant", "mountain_pass", "other")


class PointOfInterest(Base):
    __tablename__ = "points_of_interest"

    poi_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("trips.trip_id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    poi_type: Mapped[str] = mapped_column(String(20), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    distance_from_start_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: ``/storage/poi_photos/...`` for uploaded photos
    photo_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: position along the trip (0-based after a reorder)
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("latitude >= -90 AND latitude <= 90", name="latitude_range"),
        CheckConstraint("longitude >= -180 AND longitude <= 180", name="longitude_range"),
        CheckConstraint(
            "poi_type IN ('viewpoint', 'town', 'water', 'accommodation', 'restaurant', "
            "'mountain_pass', 'other')",
            name="poi_type",
        ),
        CheckConstraint("sequence >= 0", name="sequence_non_negative"),
        CheckConstraint(
            "distance_from_start_km IS NULL OR distance_from_start_km >= 0",
            name="distance_non_negative",
        ),
    )
