"""HTTP routes of points of interest (contract §2.16).

Success bodies are raw (no envelope), except the photo upload (E1).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Response, UploadFile, status

from src.auth.dependencies import CurrentUser, OptionalUser
from src.core.dependencies import AppServices, DbSession, ReadSession
from src.core.responses import ERROR_RESPONSES, Envelope
from src.core.uploads import read_limited
from src.pois import service
from src.pois.schemas import (
    POICreate,
    POIList,
    POIPhotoResponse,
    POIReorder,
    POIResponse,
    PoiType,
    POIUpdate,
)
from src.trips.dependencies import TripIdPath

router = APIRouter(tags=["points of interest"], responses=ERROR_RESPONSES)

PoiIdPath = Annotated[str, Path(min_length=1, max_length=64, description="The POI's id")]


def _list(pois: list[Any]) -> POIList:
    items = [POIResponse.model_validate(poi) for poi in pois]
    return POIList(pois=items, total=len(items))


@router.post(
    "/trips/{trip_id}/pois",
    status_code=status.HTTP_201_CREATED,
    response_model=POIResponse,
    summary="Add a point of interest to your trip (at most 6)",
)
async def create_poi(
    trip_id: TripIdPath,
    body: POICreate,
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    poi = await service.create_poi(session, services.storage, user, trip_id, body)
    return POIResponse.model_validate(poi)


@router.get(
    "/trips/{trip_id}/pois",
    response_model=POIList,
    summary="A trip's points of interest, in order",
)
async def trip_pois(
    trip_id: TripIdPath,
    viewer: OptionalUser,
    session: ReadSession,
    poi_type: Annotated[PoiType | None, Query()] = None,
) -> Any:
    return _list(await service.list_pois(session, trip_id, viewer, poi_type))


@router.post(
    "/trips/{trip_id}/pois/reorder",
    response_model=POIList,
    summary="Reorder your trip's points of interest",
)
async def reorder_pois(
    trip_id: TripIdPath, body: POIReorder, user: CurrentUser, session: DbSession
) -> Any:
    return _list(await service.reorder_pois(session, user, trip_id, body.poi_ids))


@router.get("/pois/{poi_id}", response_model=POIResponse, summary="A point of interest")
async def get_poi(poi_id: PoiIdPath, viewer: OptionalUser, session: ReadSession) -> Any:
    return POIResponse.model_validate(await service.get_poi(session, poi_id, viewer))


@router.put(
    "/pois/{poi_id}",
    response_model=POIResponse,
    summary="Edit a point of interest (only the fields sent)",
)
async def update_poi(
    poi_id: PoiIdPath,
    body: POIUpdate,
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    poi = await service.update_poi(session, services.storage, user, poi_id, body)
    return POIResponse.model_validate(poi)


@router.delete(
    "/pois/{poi_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a point of interest",
)
async def delete_poi(
    poi_id: PoiIdPath, user: CurrentUser, session: DbSession, services: AppServices
) -> Response:
    await service.delete_poi(session, services.storage, user, poi_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/pois/{poi_id}/photo",
    response_model=Envelope[POIPhotoResponse],
    summary="Set a point of interest's photo (JPEG, PNG or WebP, at most 5 MB)",
)
async def upload_poi_photo(
    poi_id: PoiIdPath,
    photo: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 5 MB")],
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    await service.poi_for_photo(session, user, poi_id)
    data = await read_limited(photo, service.MAX_PHOTO_BYTES, field=service.FIELD)
    poi = await service.set_photo(session, services.storage, user, poi_id, data)
    return Envelope[POIPhotoResponse](
        data=POIPhotoResponse(
            poi_id=poi.poi_id,
            photo_url=poi.photo_url or "",
            name=poi.name,
            poi_type=poi.poi_type,
        )
    )
