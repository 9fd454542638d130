"""Response and request models of the GPX routes (contract §2.14, §2.15, §2.17) and of the
privacy zones.

The GPX routes use the contract's "E2" wrappers: ``{"success": true, "data": ...}`` with no
``error`` key (:class:`GpxEnvelope`), plus ``"message": null`` on the 201 upload
(:class:`GpxUploadEnvelope`).  This module imports no other domain (the trips schemas
import :class:`GPXFileMetadata` from here).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from src.gpx.models import MAX_ZONE_RADIUS_M, MIN_ZONE_RADIUS_M

T = TypeVar("T")

#: ``pending`` (queued) is reported as ``processing``: the contract's 202 answer says
#: ``processing`` and clients poll until ``completed`` or ``failed``.
ProcessingStatus = Literal["processing", "completed", "failed"]
Difficulty = Literal["easy", "moderate", "difficult", "very_difficult", "extreme"]

MAX_PRIVACY_ZONES = 5


class GpxEnvelope(BaseModel, Generic[T]):
    """E2: ``{"success": true, "data": ...}`` (no ``error`` key)."""

    success: Literal[True] = True
    data: T


class GpxUploadEnvelope(BaseModel, Generic[T]):
    """E2 of the 201 upload: ``{"success": true, "data": ..., "message": null}``."""

    success: Literal[True] = True
    data: T
    message: None = None


class GPXUpload(BaseModel):
    gpx_file_id: str
    trip_id: str
    distance_km: float | None
    elevation_gain: float | None
    elevation_loss: float | None
    max_elevation: float | None
    min_elevation: float | None
    total_points: int | None
    simplified_points: int | None
    has_elevation: bool
    has_timestamps: bool
    processing_status: ProcessingStatus
    error_message: str | None
    uploaded_at: datetime
    processed_at: datetime | None


class GPXFileMetadata(GPXUpload):
    file_name: str
    file_size: int


class GPXStatus(BaseModel):
    gpx_file_id: str
    processing_status: ProcessingStatus
    #: the numbers are null unless the status is ``completed``
    distance_km: float | None
    elevation_gain: float | None
    total_points: int | None
    simplified_points: int | None
    uploaded_at: datetime
    processed_at: datetime | None
    error_message: str | None


class Coordinates(BaseModel):
    latitude: float
    longitude: float


class TrackPointResponse(BaseModel):
    point_id: str
    latitude: float
    longitude: float
    elevation: float | None
    distance_km: float
    sequence: int
    gradient: float | None


class Climb(BaseModel):
    start_km: float
    end_km: float
    elevation_gain_m: float
    avg_gradient: float
    description: str


class GradientBucket(BaseModel):
    distance_km: float
    percentage: float


class GradientDistribution(BaseModel):
    llano: GradientBucket
    moderado: GradientBucket
    empinado: GradientBucket
    muy_empinado: GradientBucket


class RouteStatisticsResponse(BaseModel):
    stats_id: str
    gpx_file_id: str
    avg_speed_kmh: float | None
    max_speed_kmh: float | None
    total_time_minutes: float | None
    moving_time_minutes: float | None
    avg_gradient: float | None
    #: the steepest gradient (%, up or down) sustained over 100 m of the smoothed profile
    max_gradient: float | None
    top_climbs: list[Climb] | None
    created_at: datetime
    #: from the stored track points; null when the track has no elevation
    gradient_distribution: GradientDistribution | None


class TrackData(BaseModel):
    gpx_file_id: str
    trip_id: str
    distance_km: float
    elevation_gain: float | None
    simplified_points_count: int
    has_elevation: bool
    #: first / last point shown; for anyone but the author, the first / last point outside
    #: the author's privacy zones (null when every point is inside them)
    start_point: Coordinates | None
    end_point: Coordinates | None
    trackpoints: list[TrackPointResponse]
    route_statistics: RouteStatisticsResponse | None


class TelemetryPoint(BaseModel):
    latitude: float
    longitude: float
    elevation: float | None
    distance_km: float


class GPXTelemetry(BaseModel):
    distance_km: float
    elevation_gain: float | None
    elevation_loss: float | None
    max_elevation: float | None
    min_elevation: float | None
    has_elevation: bool
    has_timestamps: bool
    start_date: date | None
    end_date: date | None
    total_time_minutes: float | None
    moving_time_minutes: float | None
    difficulty: Difficulty
    suggested_title: str
    trackpoints: list[TelemetryPoint]


class WizardGPXSummary(BaseModel):
    gpx_file_id: str
    total_distance_km: float
    elevation_gain: float | None
    elevation_loss: float | None
    max_elevation: float | None
    min_elevation: float | None
    has_elevation: bool
    difficulty: Difficulty


class WizardTrip(BaseModel):
    trip_id: str
    title: str
    description: str
    start_date: date
    end_date: date | None
    distance_km: float | None
    difficulty: Difficulty | None
    status: Literal["draft", "published"]
    gpx_file: WizardGPXSummary


# --------------------------------------------------------------------------------------
# privacy zones
# --------------------------------------------------------------------------------------
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Radius = Annotated[int, Field(ge=MIN_ZONE_RADIUS_M, le=MAX_ZONE_RADIUS_M)]


class PrivacyZoneInput(BaseModel):
    #: a label for the rider ("Casa"); never shown to anyone else
    name: Annotated[str | None, Field(max_length=50)] = None
    latitude: Latitude
    longitude: Longitude
    radius_m: Radius


class PrivacyZonesUpdate(BaseModel):
    """The rider's complete list of zones (it replaces the stored one; ``[]`` removes all)."""

    zones: Annotated[list[PrivacyZoneInput], Field(max_length=MAX_PRIVACY_ZONES)]


class PrivacyZoneResponse(BaseModel):
    zone_id: str
    name: str | None
    latitude: float
    longitude: float
    radius_m: int
    created_at: datetime


class PrivacyZoneList(BaseModel):
    zones: list[PrivacyZoneResponse]
    max_zones: int = MAX_PRIVACY_ZONES


def as_dict(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
