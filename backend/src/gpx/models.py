"""GPX tracks of trips, their simplified points and route statistics, and riders' privacy zones.

A ``gpx_files`` row is also the record of its processing job: ``processing_status`` goes
``pending`` -> ``processing`` -> ``completed`` | ``failed``; a worker that claims a job sets
``lease_expires_at`` and increments ``attempts``, so a job whose worker died (its lease
expired) is taken up again or, after :data:`~src.gpx.jobs.MAX_ATTEMPTS`, marked failed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from src.core.database import Base, UTCDateTime, UUIDStr, new_id, utcnow

PROCESSING_STATUSES = ("pending", "processing", "completed", "failed")
MIN_ZONE_RADIUS_M = 200
MAX_ZONE_RADIUS_M = 2000


class GPXFile(Base):
    __tablename__ = "gpx_files"

    gpx_file_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    #: one track per trip
    trip_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("trips.trip_id", ondelete="CASCADE"), unique=True
    )
    #: the trip's author (whose privacy zones apply to the track)
    user_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: storage key of the original file (in a hidden folder: never served at /storage)
    file_key: Mapped[str] = mapped_column(String(500))
    #: the uploaded file's name (informational; never used in a path)
    file_name: Mapped[str] = mapped_column(String(255))
    file_size: Mapped[int] = mapped_column(Integer)

    distance_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    elevation_gain: Mapped[float | None] = mapped_column(Float, nullable=True)
    elevation_loss: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_elevation: Mapped[float | None] = mapped_column(Float, nullable=True)
    min_elevation: Mapped[float | None] = mapped_column(Float, nullable=True)
    start_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    start_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    end_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    end_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    total_points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    simplified_points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    has_elevation: Mapped[bool] = mapped_column(Boolean, default=False)
    has_timestamps: Mapped[bool] = mapped_column(Boolean, default=False)

    processing_status: Mapped[str] = mapped_column(String(20), default="pending")
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: how many times a worker claimed the job (also its fencing token)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: processing: the claim ends then; pending: not to be claimed before then (retry delay)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: the trip had no distance and took this track's distance (undone when the track goes)
    fills_trip_distance: Mapped[bool] = mapped_column(Boolean, default=False)

    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint(
            "processing_status IN ('pending', 'processing', 'completed', 'failed')",
            name="processing_status",
        ),
        Index("ix_gpx_files_status_lease", "processing_status", "lease_expires_at"),
    )

    @property
    def is_completed(self) -> bool:
        return self.processing_status == "completed"


class TrackPoint(Base):
    """A point of the simplified track (Ramer-Douglas-Peucker), in order."""

    __tablename__ = "track_points"

    point_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    gpx_file_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("gpx_files.gpx_file_id", ondelete="CASCADE")
    )
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    elevation: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: cumulative distance from the start along the simplified track
    distance_km: Mapped[float] = mapped_column(Float)
    sequence: Mapped[int] = mapped_column(Integer)
    #: percent, against the previous point; null for the first point or without elevation
    gradient: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (
        UniqueConstraint("gpx_file_id", "sequence", name="uq_track_points_gpx_file_id_sequence"),
    )


class RouteStatistics(Base):
    """Speeds, times, gradients and climbs; only for tracks with timestamps."""

    __tablename__ = "route_statistics"

    stats_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    gpx_file_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("gpx_files.gpx_file_id", ondelete="CASCADE"), unique=True
    )
    avg_speed_kmh: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_speed_kmh: Mapped[float | None] = mapped_column(Float, nullable=True)
    total_time_minutes: Mapped[float | None] = mapped_column(Float, nullable=True)
    moving_time_minutes: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_gradient: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_gradient: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: up to three ``{start_km, end_km, elevation_gain_m, avg_gradient, description}``
    top_climbs: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PrivacyZone(Base):
    """A circle around a place the rider wants hidden (home, work) from everyone else."""

    __tablename__ = "privacy_zones"

    zone_id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        UUIDStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[int] = mapped_column(Integer)
    #: the order the rider gave them in
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("latitude >= -90 AND latitude <= 90", name="latitude_range"),
        CheckConstraint("longitude >= -180 AND longitude <= 180", name="longitude_range"),
        CheckConstraint(
            f"radius_m >= {MIN_ZONE_RADIUS_M} AND radius_m <= {MAX_ZONE_RADIUS_M}",
            name="radius_range",
        ),
    )
