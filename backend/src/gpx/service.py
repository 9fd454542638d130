"""The GPX domain's rules: uploads, processing results, reads with visibility and privacy
zones, downloads, deletes, the wizard, and what the trips and stats domains need from
tracks.  Knows no HTTP.

* Who may see a track is the trip's business: every read goes through
  :func:`src.trips.service.get_trip`, which answers 404/403 exactly as the trip detail does.
* Files up to :data:`SYNC_MAX_BYTES` are processed during the request; larger ones are
  queued as a job (the ``gpx_files`` row itself, see :mod:`src.gpx.jobs`).
* A trip without a distance takes its track's distance, and gives it back when the track is
  deleted (unless the rider changed it meanwhile).  Whenever a published trip's track
  appears, changes or goes, the rider's stats are recomputed (the track's start and end
  count for the countries).
* Anyone but the rider gets the track without the points inside the rider's privacy zones,
  and a regenerated file on download.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from src.auth import service as auth_service
from src.auth.models import User
from src.core.database import utcnow
from src.core.errors import NotFound, ValidationFailed
from src.core.i18n import translate
from src.core.storage import Storage, delete_after_commit, new_key, save_for_request
from src.gpx import analysis, repository
from src.gpx import messages as _messages  # noqa: F401  (registers the catalogue)
from src.gpx.analysis import Processed, Telemetry
from src.gpx.export import write_gpx
from src.gpx.forms import WizardForm
from src.gpx.models import GPXFile, PrivacyZone, RouteStatistics, TrackPoint
from src.gpx.parsing import MAX_FILE_BYTES, GPXError, check_gpx_head, read_gpx
from src.gpx.privacy import Zone, is_outside, outside_mask
from src.gpx.schemas import (
    Climb,
    Coordinates,
    GPXFileMetadata,
    GPXStatus,
    GPXTelemetry,
    GPXUpload,
    GradientBucket,
    GradientDistribution,
    PrivacyZoneList,
    PrivacyZoneResponse,
    PrivacyZonesUpdate,
    ProcessingStatus,
    RouteStatisticsResponse,
    TelemetryPoint,
    TrackData,
    TrackPointResponse,
    WizardGPXSummary,
    WizardTrip,
)
from src.trips import service as trips_service
from src.trips.models import Trip
from src.trips.schemas import TripCreate, TripUpdate
from src.users import service as users_service

#: files up to this size are processed during the request; larger ones in the background
SYNC_MAX_BYTES = 1024 * 1024
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
GPX_CONTENT_TYPE = "application/gpx+xml"
#: Content-Types accepted by the wizard (§2.15); an empty one is accepted too
WIZARD_CONTENT_TYPES = {
    "application/gpx+xml",
    "application/xml",
    "text/xml",
    "application/octet-stream",
}
#: the trips schema's limits for ``distance_km``
_TRIP_DISTANCE_RANGE = (0.1, 10_000.0)

P = TypeVar("P")


# --------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------
def _detail(error: GPXError) -> str:
    text = translate(error.key, **error.params)
    return text[:1].upper() + text[1:]


def upload_error(error: GPXError) -> ValidationFailed:
    """POST /trips/{id}/gpx: 400 INVALID_GPX_FORMAT "Error al procesar archivo GPX: ..."."""
    return ValidationFailed(
        "gpx_processing_error", code="INVALID_GPX_FORMAT", field="file", detail=_detail(error)
    )


def wizard_error(error: GPXError, field: str) -> ValidationFailed:
    """The wizard: 400 INVALID_GPX_DATA for impossible elevations, else INVALID_GPX_FILE."""
    code = "INVALID_GPX_DATA" if error.kind == "elevation" else "INVALID_GPX_FILE"
    return ValidationFailed(error.key, code=code, field=field, message=_detail(error))


def _already_has_gpx() -> ValidationFailed:
    return ValidationFailed("trip_already_has_gpx", code="TRIP_ALREADY_HAS_GPX", field="file")


def is_gpx_name(filename: str | None) -> bool:
    return bool(filename) and str(filename).lower().endswith(".gpx")


def _extension(filename: str | None) -> str:
    name = (filename or "").rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else "(sin extensión)"


def _stored_name(filename: str | None) -> str:
    """The upload's base name, without control characters (PostgreSQL cannot store NUL)."""
    name = (filename or "track.gpx").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "track.gpx")[:255]


# --------------------------------------------------------------------------------------
# CPU work (runs in a worker thread)
# --------------------------------------------------------------------------------------
def read_and_process(data: bytes) -> Processed:
    return analysis.process(read_gpx(data))


def _read_and_analyze(data: bytes) -> Telemetry:
    return analysis.telemetry(read_gpx(data))


def _read_process_and_analyze(data: bytes) -> tuple[Processed, Telemetry]:
    track = read_gpx(data)
    processed = analysis.process(track)
    return processed, analysis.telemetry(track, processed.points)


def _regenerate(data: bytes, zones: list[Zone], title: str) -> bytes:
    track = read_gpx(data, waypoints=True)
    keep = outside_mask(track.lat, track.lon, zones)
    return write_gpx(track, keep, title, zones)


# --------------------------------------------------------------------------------------
# responses
# --------------------------------------------------------------------------------------
def wire_status(gpx: GPXFile) -> ProcessingStatus:
    """``pending`` (queued) and ``processing`` are both ``processing`` on the wire."""
    if gpx.processing_status in ("completed", "failed"):
        return gpx.processing_status  # type: ignore[return-value]
    return "processing"


def upload_of(gpx: GPXFile) -> GPXUpload:
    return GPXUpload(
        gpx_file_id=gpx.gpx_file_id,
        trip_id=gpx.trip_id,
        distance_km=gpx.distance_km,
        elevation_gain=gpx.elevation_gain,
        elevation_loss=gpx.elevation_loss,
        max_elevation=gpx.max_elevation,
        min_elevation=gpx.min_elevation,
        total_points=gpx.total_points,
        simplified_points=gpx.simplified_points,
        has_elevation=gpx.has_elevation,
        has_timestamps=gpx.has_timestamps,
        processing_status=wire_status(gpx),
        error_message=gpx.error_message,
        uploaded_at=gpx.uploaded_at,
        processed_at=gpx.processed_at,
    )


def metadata_of(gpx: GPXFile) -> GPXFileMetadata:
    return GPXFileMetadata(
        **upload_of(gpx).model_dump(), file_name=gpx.file_name, file_size=gpx.file_size
    )


def status_of(gpx: GPXFile) -> GPXStatus:
    done = gpx.is_completed
    return GPXStatus(
        gpx_file_id=gpx.gpx_file_id,
        processing_status=wire_status(gpx),
        distance_km=gpx.distance_km if done else None,
        elevation_gain=gpx.elevation_gain if done else None,
        total_points=gpx.total_points if done else None,
        simplified_points=gpx.simplified_points if done else None,
        uploaded_at=gpx.uploaded_at,
        processed_at=gpx.processed_at,
        error_message=gpx.error_message,
    )


def telemetry_of(telemetry: Telemetry, title: str) -> GPXTelemetry:
    return GPXTelemetry(
        distance_km=telemetry.distance_km,
        elevation_gain=telemetry.elevation_gain,
        elevation_loss=telemetry.elevation_loss,
        max_elevation=telemetry.max_elevation,
        min_elevation=telemetry.min_elevation,
        has_elevation=telemetry.has_elevation,
        has_timestamps=telemetry.has_timestamps,
        start_date=telemetry.start_date,
        end_date=telemetry.end_date,
        total_time_minutes=telemetry.total_time_minutes,
        moving_time_minutes=telemetry.moving_time_minutes,
        difficulty=telemetry.difficulty,
        suggested_title=title,
        trackpoints=[
            TelemetryPoint(
                latitude=point.latitude,
                longitude=point.longitude,
                elevation=point.elevation,
                distance_km=point.distance_km,
            )
            for point in telemetry.trackpoints
        ],
    )


# --------------------------------------------------------------------------------------
# storing a processed track
# --------------------------------------------------------------------------------------
async def _store_processed(
    session: AsyncSession, gpx: GPXFile, processed: Processed, trip: Trip
) -> None:
    """Write the results on a job the caller holds (the trip's row lock taken)."""
    gpx.distance_km = processed.distance_km
    gpx.elevation_gain = processed.elevation_gain
    gpx.elevation_loss = processed.elevation_loss
    gpx.max_elevation = processed.max_elevation
    gpx.min_elevation = processed.min_elevation
    gpx.start_lat, gpx.start_lon = processed.start
    gpx.end_lat, gpx.end_lon = processed.end
    gpx.total_points = processed.total_points
    gpx.simplified_points = len(processed.points)
    gpx.has_elevation = processed.has_elevation
    gpx.has_timestamps = processed.has_timestamps
    gpx.processing_status = "completed"
    gpx.error_message = None
    gpx.lease_expires_at = None
    gpx.processed_at = utcnow()
    await session.flush()
    await repository.add_points(
        session,
        gpx.gpx_file_id,
        [
            {
                "latitude": point.latitude,
                "longitude": point.longitude,
                "elevation": point.elevation,
                "distance_km": point.distance_km,
                "sequence": sequence,
                "gradient": point.gradient,
            }
            for sequence, point in enumerate(processed.points)
        ],
    )
    stats = processed.stats
    if stats is not None:
        session.add(
            RouteStatistics(
                gpx_file_id=gpx.gpx_file_id,
                avg_speed_kmh=stats.avg_speed_kmh,
                max_speed_kmh=stats.max_speed_kmh,
                total_time_minutes=stats.total_time_minutes,
                moving_time_minutes=stats.moving_time_minutes,
                avg_gradient=stats.avg_gradient,
                max_gradient=stats.max_gradient,
                top_climbs=None
                if stats.top_climbs is None
                else [
                    {
                        "start_km": climb.start_km,
                        "end_km": climb.end_km,
                        "elevation_gain_m": climb.elevation_gain_m,
                        "avg_gradient": climb.avg_gradient,
                        "description": climb.description,
                    }
                    for climb in stats.top_climbs
                ],
            )
        )
    low, high = _TRIP_DISTANCE_RANGE
    if trip.distance_km is None and low <= processed.distance_km <= high:
        trip.distance_km = processed.distance_km
        gpx.fills_trip_distance = True
    await session.flush()
    await trips_service.after_published_change(session, trip)


# --------------------------------------------------------------------------------------
# upload and delete (the trip's author)
# --------------------------------------------------------------------------------------
async def trip_for_upload(
    session: AsyncSession, user: User, trip_id: str, filename: str | None
) -> Trip:
    """404 / 403 for the trip, then 400 INVALID_FILE_TYPE and TRIP_ALREADY_HAS_GPX."""
    trip = await trips_service.get_owned_trip(session, trip_id, user, "edit")
    if not is_gpx_name(filename):
        raise ValidationFailed("gpx_file_type", code="INVALID_FILE_TYPE", field="file")
    if await repository.for_trip(session, trip.trip_id) is not None:
        raise _already_has_gpx()
    return trip


@dataclass(frozen=True)
class Uploaded:
    gpx: GPXFile
    #: queued for background processing (202) rather than processed now (201)
    queued: bool


async def _attach(
    session: AsyncSession,
    storage: Storage,
    trip: Trip,
    filename: str | None,
    data: bytes,
    processed: Processed | None,
) -> GPXFile:
    await trips_service.lock_for_change(session, trip)
    if await repository.for_trip(session, trip.trip_id) is not None:
        raise _already_has_gpx()
    # a hidden folder: never served by /storage (the original may cross privacy zones)
    key = new_key("gpx_files", "gpx", ".originals")
    await save_for_request(storage, session, key, data, GPX_CONTENT_TYPE)
    gpx = GPXFile(
        trip_id=trip.trip_id,
        user_id=trip.user_id,
        file_key=key,
        file_name=_stored_name(filename),
        file_size=len(data),
        processing_status="pending" if processed is None else "processing",
        attempts=0,
        has_elevation=False,
        has_timestamps=False,
        fills_trip_distance=False,
    )
    session.add(gpx)
    await session.flush()
    if processed is not None:
        await _store_processed(session, gpx, processed, trip)
    return gpx


async def upload(
    session: AsyncSession, storage: Storage, trip: Trip, filename: str | None, data: bytes
) -> Uploaded:
    """Store a track for the trip (see :func:`trip_for_upload`): processed now when small,
    queued otherwise.  Nothing is stored for a file that is refused."""
    if not data:
        raise ValidationFailed(
            "gpx_processing_error",
            code="INVALID_GPX_FORMAT",
            field="file",
            detail=translate("gpx_empty_file"),
        )
    processed: Processed | None = None
    try:
        if len(data) <= SYNC_MAX_BYTES:
            processed = await asyncio.to_thread(read_and_process, data)
        else:
            # stops at the root element: the full check happens when the job runs
            await asyncio.to_thread(check_gpx_head, data)
    except GPXError as error:
        raise upload_error(error) from None
    gpx = await _attach(session, storage, trip, filename, data, processed)
    return Uploaded(gpx=gpx, queued=processed is None)


async def delete_for_trip(
    session: AsyncSession, storage: Storage, user: User, trip_id: str
) -> None:
    """Remove the trip's track, its points and statistics; the file goes after the commit."""
    trip = await trips_service.get_owned_trip(session, trip_id, user, "edit")
    await trips_service.lock_for_change(session, trip)
    gpx = await repository.for_trip(session, trip.trip_id)
    if gpx is None:
        raise NotFound("gpx_not_found_for_trip")
    if (
        gpx.fills_trip_distance
        and gpx.distance_km is not None
        and trip.distance_km is not None
        and abs(trip.distance_km - gpx.distance_km) < 1e-9
    ):
        trip.distance_km = None
    delete_after_commit(storage, session, gpx.file_key)
    session.expunge(gpx)
    await repository.delete_track(session, gpx.gpx_file_id)
    await session.flush()
    await trips_service.after_published_change(session, trip)


# --------------------------------------------------------------------------------------
# the background job's result (see src.gpx.jobs)
# --------------------------------------------------------------------------------------
async def complete_job(
    session: AsyncSession,
    gpx_file_id: str,
    attempt: int,
    processed: Processed,
    lease_until: datetime,
) -> bool:
    """Store a job's result if the worker still holds it; False when the track was deleted
    or the job was taken over meanwhile (the result is then dropped)."""
    gpx = await repository.get(session, gpx_file_id)
    if gpx is None or gpx.processing_status != "processing" or gpx.attempts != attempt:
        return False
    owner = await auth_service.get_user_by_id(session, gpx.user_id)
    if owner is None:
        return False
    try:
        trip = await trips_service.get_owned_trip(session, gpx.trip_id, owner, "edit")
        await trips_service.lock_for_change(session, trip)  # NotFound: deleted meanwhile
    except NotFound:
        return False
    # still ours under the trip's lock (and the row is now locked too)?
    if not await repository.finish_job(
        session, gpx_file_id, attempt, {"lease_expires_at": lease_until}
    ):
        return False
    await session.refresh(gpx)
    await _store_processed(session, gpx, processed, trip)
    return True


# --------------------------------------------------------------------------------------
# reads (visibility of the trip, privacy zones of its author)
# --------------------------------------------------------------------------------------
async def metadata_for_trip(session: AsyncSession, trip_id: str) -> GPXFileMetadata | None:
    """For the trip detail, whose visibility the caller has already checked."""
    gpx = await repository.for_trip(session, trip_id)
    return None if gpx is None else metadata_of(gpx)


async def trip_metadata(
    session: AsyncSession, trip_id: str, viewer: User | None
) -> GPXFileMetadata:
    await trips_service.get_visible_trip(session, trip_id, viewer)
    gpx = await repository.for_trip(session, trip_id)
    if gpx is None:
        raise NotFound("gpx_not_found_for_trip")
    return metadata_of(gpx)


async def _visible(
    session: AsyncSession, gpx_file_id: str, viewer: User | None
) -> tuple[GPXFile, Trip]:
    """The track and its trip, with the trip detail's 404/403 when ``viewer`` may not see
    the trip (the trips domain decides)."""
    gpx = await repository.get(session, gpx_file_id)
    if gpx is None:
        raise NotFound("gpx_not_found")
    return gpx, await trips_service.get_visible_trip(session, gpx.trip_id, viewer)


def _is_owner(gpx: GPXFile, viewer: User | None) -> bool:
    return viewer is not None and viewer.id == gpx.user_id


async def status(session: AsyncSession, gpx_file_id: str, viewer: User | None) -> GPXStatus:
    gpx, _trip = await _visible(session, gpx_file_id, viewer)
    return status_of(gpx)


def _zones(rows: Sequence[PrivacyZone]) -> list[Zone]:
    return [Zone(row.latitude, row.longitude, float(row.radius_m)) for row in rows]


async def zones_for(session: AsyncSession, owner_id: str, viewer_id: str | None) -> list[Zone]:
    """The zones that apply when ``viewer_id`` looks at ``owner_id``'s coordinates."""
    if viewer_id is not None and viewer_id == owner_id:
        return []
    return _zones(await repository.zones_of(session, owner_id))


def _statistics(
    stats: RouteStatistics | None, points: Sequence[TrackPoint], has_elevation: bool
) -> RouteStatisticsResponse | None:
    if stats is None:
        return None
    distribution = None
    if has_elevation and points:
        buckets = analysis.gradient_distribution(
            [point.distance_km for point in points], [point.gradient for point in points]
        )
        distribution = GradientDistribution(
            **{
                name: GradientBucket(distance_km=b.distance_km, percentage=b.percentage)
                for name, b in buckets.items()
            }
        )
    return RouteStatisticsResponse(
        stats_id=stats.stats_id,
        gpx_file_id=stats.gpx_file_id,
        avg_speed_kmh=stats.avg_speed_kmh,
        max_speed_kmh=stats.max_speed_kmh,
        total_time_minutes=stats.total_time_minutes,
        moving_time_minutes=stats.moving_time_minutes,
        avg_gradient=stats.avg_gradient,
        max_gradient=stats.max_gradient,
        top_climbs=None
        if stats.top_climbs is None
        else [Climb.model_validate(climb) for climb in stats.top_climbs],
        created_at=stats.created_at,
        gradient_distribution=distribution,
    )


def _end_point(
    latitude: float | None,
    longitude: float | None,
    zones: list[Zone],
    fallback: TrackPoint | None,
) -> Coordinates | None:
    if latitude is not None and longitude is not None and is_outside(latitude, longitude, zones):
        return Coordinates(latitude=latitude, longitude=longitude)
    if fallback is None:
        return None
    return Coordinates(latitude=fallback.latitude, longitude=fallback.longitude)


async def track(session: AsyncSession, gpx_file_id: str, viewer: User | None) -> TrackData:
    """The simplified track; for anyone but the author, without points in their zones."""
    gpx, _trip = await _visible(session, gpx_file_id, viewer)
    if not gpx.is_completed:
        raise NotFound("gpx_not_processed", code="NOT_PROCESSED", status=wire_status(gpx))
    points = await repository.points(session, gpx.gpx_file_id)
    zones = await zones_for(session, gpx.user_id, viewer.id if viewer else None)
    shown = points
    if zones:
        keep = outside_mask(
            [p.latitude for p in points], [p.longitude for p in points], zones
        ).tolist()
        shown = [point for point, visible in zip(points, keep, strict=True) if visible]
    stats = await repository.statistics(session, gpx.gpx_file_id)
    return TrackData(
        gpx_file_id=gpx.gpx_file_id,
        trip_id=gpx.trip_id,
        distance_km=gpx.distance_km or 0.0,
        elevation_gain=gpx.elevation_gain,
        simplified_points_count=len(shown),
        has_elevation=gpx.has_elevation,
        start_point=_end_point(gpx.start_lat, gpx.start_lon, zones, shown[0] if shown else None),
        end_point=_end_point(gpx.end_lat, gpx.end_lon, zones, shown[-1] if shown else None),
        trackpoints=[
            TrackPointResponse(
                point_id=point.point_id,
                latitude=point.latitude,
                longitude=point.longitude,
                elevation=point.elevation,
                distance_km=point.distance_km,
                sequence=point.sequence,
                gradient=point.gradient,
            )
            for point in shown
        ],
        route_statistics=_statistics(stats, points, gpx.has_elevation),
    )


_FILENAME_DROP = re.compile(r"[^\w\s-]")
_FILENAME_RUNS = re.compile(r"[\s-]+")


def download_name(title: str) -> str:
    """The trip title without characters other than letters, digits, ``_``, spaces and
    ``-``, runs of spaces and hyphens turned into one ``-``, plus ``.gpx`` (§2.14)."""
    cleaned = _FILENAME_RUNS.sub("-", _FILENAME_DROP.sub("", title)).strip("-")
    return f"{cleaned or 'ruta'}.gpx"


def ascii_name(name: str) -> str:
    """An ASCII fallback for the Content-Disposition ``filename`` parameter."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"[^A-Za-z0-9._-]", "", folded)
    return folded if folded and folded != ".gpx" else "ruta.gpx"


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str


async def download(
    session: AsyncSession, storage: Storage, gpx_file_id: str, viewer: User | None
) -> Download:
    """The author gets the original file; anyone else gets it regenerated without the points
    inside the author's privacy zones (and only once it has been processed)."""
    gpx, trip = await _visible(session, gpx_file_id, viewer)
    owner = _is_owner(gpx, viewer)
    if not owner and not gpx.is_completed:
        raise NotFound("gpx_not_processed", code="NOT_PROCESSED", status=wire_status(gpx))
    try:
        content = await storage.read(gpx.file_key)
    except (FileNotFoundError, ValueError):
        raise NotFound("gpx_original_missing", code="FILE_NOT_FOUND") from None
    zones = [] if owner else await zones_for(session, gpx.user_id, None)
    if zones:
        try:
            content = await asyncio.to_thread(_regenerate, content, zones, trip.title)
        except GPXError:
            raise NotFound("gpx_original_missing", code="FILE_NOT_FOUND") from None
    return Download(content=content, filename=download_name(trip.title))


# --------------------------------------------------------------------------------------
# the wizard (§2.15)
# --------------------------------------------------------------------------------------
def check_wizard_file(filename: str | None, content_type: str | None, field: str) -> None:
    if not is_gpx_name(filename):
        raise ValidationFailed(
            "gpx_file_type_received",
            code="INVALID_FILE_TYPE",
            field=field,
            extension=_extension(filename),
        )
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type and media_type not in WIZARD_CONTENT_TYPES:
        raise ValidationFailed(
            "gpx_content_type", code="INVALID_FILE_TYPE", field=field, content_type=media_type
        )


def _check_not_empty(data: bytes, field: str) -> None:
    if not data:
        raise ValidationFailed("gpx_empty_file", code="FILE_READ_ERROR", field=field)


async def analyze(filename: str | None, data: bytes) -> GPXTelemetry:
    """POST /gpx/analyze: the telemetry of a file, nothing stored."""
    _check_not_empty(data, "file")
    title = analysis.suggested_title(filename, translate("gpx_new_route"))
    try:
        telemetry = await asyncio.to_thread(_read_and_analyze, data)
    except GPXError as error:
        raise wizard_error(error, "file") from None
    return telemetry_of(telemetry, title)


async def create_from_wizard(
    session: AsyncSession,
    storage: Storage,
    user: User,
    form: WizardForm,
    filename: str | None,
    data: bytes,
) -> WizardTrip:
    """A draft trip with its track in one transaction: the file is analysed first, so a
    refused file leaves nothing behind.  The trip's distance and difficulty come from the
    telemetry; the track is processed at once, whatever its size."""
    _check_not_empty(data, "gpx_file")
    try:
        processed, telemetry = await asyncio.to_thread(_read_process_and_analyze, data)
    except GPXError as error:
        raise wizard_error(error, "gpx_file") from None
    low, high = _TRIP_DISTANCE_RANGE
    distance = telemetry.distance_km if low <= telemetry.distance_km <= high else None
    row = await trips_service.create_trip(
        session,
        user,
        TripCreate(
            title=form.title,
            description=form.description,
            start_date=form.start_date,
            end_date=form.end_date,
            distance_km=distance,
            difficulty=telemetry.difficulty,
        ),
    )
    trip_id = row.trip.trip_id
    if form.privacy == "private":
        await trips_service.update_trip(session, user, trip_id, TripUpdate(is_private=True))
    trip = await trips_service.get_owned_trip(session, trip_id, user, "edit")
    gpx = await _attach(session, storage, trip, filename, data, processed)
    return WizardTrip(
        trip_id=trip_id,
        title=trip.title,
        description=trip.description,
        start_date=trip.start_date,
        end_date=trip.end_date,
        distance_km=trip.distance_km,
        difficulty=trip.difficulty,
        status=trip.status,
        gpx_file=WizardGPXSummary(
            gpx_file_id=gpx.gpx_file_id,
            total_distance_km=telemetry.distance_km,
            elevation_gain=telemetry.elevation_gain,
            elevation_loss=telemetry.elevation_loss,
            max_elevation=telemetry.max_elevation,
            min_elevation=telemetry.min_elevation,
            has_elevation=telemetry.has_elevation,
            difficulty=telemetry.difficulty,
        ),
    )


# --------------------------------------------------------------------------------------
# privacy zones
# --------------------------------------------------------------------------------------
def _zone_list(rows: Sequence[PrivacyZone]) -> PrivacyZoneList:
    return PrivacyZoneList(
        zones=[
            PrivacyZoneResponse(
                zone_id=row.zone_id,
                name=row.name,
                latitude=row.latitude,
                longitude=row.longitude,
                radius_m=row.radius_m,
                created_at=row.created_at,
            )
            for row in rows
        ]
    )


async def privacy_zones(session: AsyncSession, user: User, username: str) -> PrivacyZoneList:
    """The rider's own zones (403 for anyone else, as profile edits)."""
    users_service.ensure_owner(user, username)
    return _zone_list(await repository.zones_of(session, user.id))


async def replace_privacy_zones(
    session: AsyncSession, user: User, username: str, data: PrivacyZonesUpdate
) -> PrivacyZoneList:
    users_service.ensure_owner(user, username)
    await repository.replace_zones(
        session,
        user.id,
        [
            {
                "name": zone.name.strip() if zone.name and zone.name.strip() else None,
                "latitude": round(zone.latitude, 6),
                "longitude": round(zone.longitude, 6),
                "radius_m": zone.radius_m,
            }
            for zone in data.zones
        ],
    )
    return _zone_list(await repository.zones_of(session, user.id))


def _coordinates_of(point: Any) -> tuple[float, float]:
    if isinstance(point, tuple):
        return float(point[0]), float(point[1])
    return float(point.latitude), float(point.longitude)


async def points_outside_zones(
    session: AsyncSession,
    owner_id: str,
    points: Sequence[P],
    *,
    viewer_id: str | None = None,
    coordinates: Callable[[P], tuple[float, float]] | None = None,
) -> list[P]:
    """The points (in order) that ``viewer_id`` may see: all of them for the owner, else
    those outside the owner's privacy zones.

    For other domains (POIs): ``points`` are ``(latitude, longitude)`` tuples or objects
    with ``latitude`` / ``longitude`` attributes, or anything ``coordinates`` maps to a
    ``(latitude, longitude)`` pair.
    """
    zones = await zones_for(session, owner_id, viewer_id)
    if not zones or not points:
        return list(points)
    locate = coordinates or _coordinates_of
    pairs = [locate(point) for point in points]
    keep = outside_mask([p[0] for p in pairs], [p[1] for p in pairs], zones).tolist()
    return [point for point, visible in zip(points, keep, strict=True) if visible]
