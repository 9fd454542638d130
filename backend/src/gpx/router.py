"""HTTP routes of GPX tracks (contract §2.14), the GPX wizard (§2.15) and privacy zones."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile, status
from fastapi.responses import JSONResponse, Response

from src.auth.dependencies import CurrentUser, OptionalUser
from src.core.database import after_commit
from src.core.dependencies import AppServices, DbSession
from src.core.errors import ValidationFailed
from src.core.i18n import translate
from src.core.responses import ERROR_RESPONSES, Envelope, MessageEnvelope
from src.core.uploads import read_limited
from src.gpx import service
from src.gpx.forms import WizardForm
from src.gpx.jobs import GPXJobRunner
from src.gpx.schemas import (
    GpxEnvelope,
    GPXFileMetadata,
    GPXStatus,
    GPXTelemetry,
    GPXUpload,
    GpxUploadEnvelope,
    PrivacyZoneList,
    PrivacyZonesUpdate,
    TrackData,
    WizardTrip,
)
from src.trips.dependencies import TripIdPath
from src.users.dependencies import UsernamePath

router = APIRouter(tags=["gpx"], responses=ERROR_RESPONSES)

GpxIdPath = Annotated[str, Path(min_length=1, max_length=64, description="The GPX file's id")]


def get_jobs(request: Request) -> GPXJobRunner:
    runner: GPXJobRunner = request.app.state.gpx_jobs
    return runner


Jobs = Annotated[GPXJobRunner, Depends(get_jobs)]


async def _read(upload: UploadFile, field: str, *, status_code: int = 400) -> bytes:
    """The upload's bytes; FILE_TOO_LARGE (400 on upload, 413 in the wizard) past 10 MB."""
    try:
        return await read_limited(upload, service.MAX_UPLOAD_BYTES, field=field)
    except ValidationFailed:
        raise ValidationFailed(
            "gpx_file_too_large",
            code="FILE_TOO_LARGE",
            status_code=status_code,
            field=field,
            mb=service.MAX_UPLOAD_MB,
        ) from None


# --------------------------------------------------------------------------------------
# §2.14
# --------------------------------------------------------------------------------------
@router.post(
    "/trips/{trip_id}/gpx",
    status_code=status.HTTP_201_CREATED,
    response_model=GpxUploadEnvelope[GPXUpload],
    responses={
        202: {
            "model": Envelope[GPXUpload],
            "description": "Files over 1 MB: queued; poll GET /gpx/{id}/status",
        }
    },
    summary="Upload the trip's GPX track (.gpx, at most 10 MB, one per trip)",
)
async def upload_gpx(
    trip_id: TripIdPath,
    file: Annotated[UploadFile, File(description=".gpx, at most 10 MB")],
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
    jobs: Jobs,
) -> Any:
    trip = await service.trip_for_upload(session, user, trip_id, file.filename)
    data = await _read(file, "file")
    uploaded = await service.upload(session, services.storage, trip, file.filename, data)
    body = service.upload_of(uploaded.gpx)
    if uploaded.queued:

        async def wake() -> None:
            jobs.wake()

        after_commit(session, wake)
        return JSONResponse(
            status_code=status.HTTP_202_ACCEPTED,
            content=Envelope[GPXUpload](data=body).model_dump(mode="json"),
        )
    return GpxUploadEnvelope[GPXUpload](data=body)


@router.get(
    "/trips/{trip_id}/gpx",
    response_model=GpxEnvelope[GPXFileMetadata],
    summary="The trip's GPX metadata",
)
async def trip_gpx(trip_id: TripIdPath, viewer: OptionalUser, session: DbSession) -> Any:
    return GpxEnvelope[GPXFileMetadata](data=await service.trip_metadata(session, trip_id, viewer))


@router.delete(
    "/trips/{trip_id}/gpx",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete the trip's GPX track",
)
async def delete_gpx(
    trip_id: TripIdPath, user: CurrentUser, session: DbSession, services: AppServices
) -> Response:
    await service.delete_for_trip(session, services.storage, user, trip_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/gpx/{gpx_file_id}/status",
    response_model=GpxEnvelope[GPXStatus],
    summary="Processing status of a GPX file",
)
async def gpx_status(gpx_file_id: GpxIdPath, viewer: OptionalUser, session: DbSession) -> Any:
    return GpxEnvelope[GPXStatus](data=await service.status(session, gpx_file_id, viewer))


@router.get(
    "/gpx/{gpx_file_id}/track",
    response_model=GpxEnvelope[TrackData],
    summary="The simplified track (without the author's privacy zones for anyone else)",
)
async def gpx_track(gpx_file_id: GpxIdPath, viewer: OptionalUser, session: DbSession) -> Any:
    return GpxEnvelope[TrackData](data=await service.track(session, gpx_file_id, viewer))


@router.get(
    "/gpx/{gpx_file_id}/download",
    response_class=Response,
    responses={200: {"content": {"application/gpx+xml": {}}, "description": "The GPX file"}},
    summary="Download the GPX file (regenerated without privacy zones for anyone else)",
)
async def gpx_download(
    gpx_file_id: GpxIdPath, viewer: OptionalUser, session: DbSession, services: AppServices
) -> Response:
    result = await service.download(session, services.storage, gpx_file_id, viewer)
    disposition = (
        f'attachment; filename="{service.ascii_name(result.filename)}"; '
        f"filename*=UTF-8''{quote(result.filename)}"
    )
    return Response(
        content=result.content,
        media_type="application/gpx+xml",
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )


# --------------------------------------------------------------------------------------
# §2.15 wizard
# --------------------------------------------------------------------------------------
@router.post(
    "/gpx/analyze",
    response_model=Envelope[GPXTelemetry],
    responses={413: {"description": "FILE_TOO_LARGE (over 10 MB)"}},
    summary="Wizard step 1: analyse a GPX file (nothing is stored)",
)
async def analyze_gpx(
    user: CurrentUser,
    file: Annotated[UploadFile | None, File(description=".gpx, at most 10 MB")] = None,
) -> Any:
    if file is None:
        raise ValidationFailed("gpx_missing_file", code="MISSING_FILE", field="file")
    service.check_wizard_file(file.filename, file.content_type, "file")
    data = await _read(file, "file", status_code=status.HTTP_413_CONTENT_TOO_LARGE)
    return Envelope[GPXTelemetry](data=await service.analyze(file.filename, data))


@router.post(
    "/trips/gpx-wizard",
    status_code=status.HTTP_201_CREATED,
    response_model=Envelope[WizardTrip],
    responses={413: {"description": "FILE_TOO_LARGE (over 10 MB)"}},
    summary="Wizard step 2: create a draft trip with its GPX track",
)
async def gpx_wizard(
    form: Annotated[WizardForm, Form()],
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
    gpx_file: Annotated[UploadFile | None, File(description=".gpx, at most 10 MB")] = None,
) -> Any:
    if gpx_file is None:
        raise ValidationFailed("gpx_missing_file", code="MISSING_FILE", field="gpx_file")
    service.check_wizard_file(gpx_file.filename, gpx_file.content_type, "gpx_file")
    data = await _read(gpx_file, "gpx_file", status_code=status.HTTP_413_CONTENT_TOO_LARGE)
    created = await service.create_from_wizard(
        session, services.storage, user, form, gpx_file.filename, data
    )
    return Envelope[WizardTrip](data=created)


# --------------------------------------------------------------------------------------
# privacy zones
# --------------------------------------------------------------------------------------
@router.get(
    "/users/{username}/privacy-zones",
    response_model=Envelope[PrivacyZoneList],
    tags=["privacy zones"],
    summary="The rider's privacy zones (owner only)",
)
async def get_privacy_zones(username: UsernamePath, user: CurrentUser, session: DbSession) -> Any:
    return Envelope[PrivacyZoneList](data=await service.privacy_zones(session, user, username))


@router.put(
    "/users/{username}/privacy-zones",
    response_model=MessageEnvelope[PrivacyZoneList],
    tags=["privacy zones"],
    summary="Replace the rider's privacy zones (owner only; at most 5)",
)
async def put_privacy_zones(
    username: UsernamePath, body: PrivacyZonesUpdate, user: CurrentUser, session: DbSession
) -> Any:
    zones = await service.replace_privacy_zones(session, user, username, body)
    return MessageEnvelope[PrivacyZoneList](data=zones, message=translate("privacy_zones_updated"))
