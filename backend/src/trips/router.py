"""HTTP routes of the travel diary: trips (§2.6), a rider's trips (§2.8), the public feed
(§2.6) and the personal feed (§2.10)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import Response

from src.auth.dependencies import CurrentUser, OptionalUser
from src.core.dependencies import AppServices, DbSession, ReadSession
from src.core.i18n import translate
from src.core.responses import ERROR_RESPONSES, Envelope
from src.gpx import service as gpx_service
from src.photos.schemas import MessageData
from src.trips import service
from src.trips.dependencies import MAX_OFFSET, MAX_PAGE, TripIdPath
from src.trips.schemas import (
    FeedPage,
    Pagination,
    PublicTripList,
    PublishResponse,
    SortBy,
    TripCreate,
    TripResponse,
    TripStatus,
    TripUpdate,
    UserTripsPage,
    feed_item,
    list_item,
    public_summary,
    trip_response,
)
from src.users.dependencies import UsernamePath

router = APIRouter(tags=["trips"], responses=ERROR_RESPONSES)

PageParam = Annotated[int, Query(ge=1, le=MAX_PAGE)]


@router.get(
    "/trips/public",
    response_model=PublicTripList,
    summary="Public feed: published trips anyone may discover, newest first",
)
async def public_trips(
    session: ReadSession,
    viewer: OptionalUser,
    services: AppServices,
    page: PageParam = 1,
    limit: Annotated[int | None, Query(ge=1, description="clamped to the maximum")] = None,
) -> Any:
    settings = services.settings
    size = min(limit or settings.PUBLIC_FEED_PAGE_SIZE, settings.PUBLIC_FEED_MAX_PAGE_SIZE)

    async def build() -> PublicTripList:
        result = await service.public_feed(session, viewer, page, size, services.cache)
        return PublicTripList(
            trips=[public_summary(row, viewer, settings.BACKEND_URL) for row in result.rows],
            pagination=Pagination(
                total=result.total,
                page=page,
                limit=size,
                total_pages=-(-result.total // size),
            ),
        )

    if viewer is not None:
        return await build()

    # The anonymous feed is the same for everyone: cached, invalidated by any write.
    async def produce() -> bytes:
        return (await build()).model_dump_json().encode()

    body = await services.cache.get_or_set(("public-feed", str(page), str(size)), produce)
    return Response(content=body, media_type="application/json")


@router.post(
    "/trips",
    status_code=status.HTTP_201_CREATED,
    response_model=Envelope[TripResponse],
    summary="Create a trip (always a draft)",
)
async def create_trip(
    body: TripCreate, user: CurrentUser, session: DbSession, services: AppServices
) -> Any:
    row = await service.create_trip(session, user, body)
    return Envelope[TripResponse](data=trip_response(row, user, services.settings.BACKEND_URL))


@router.get("/trips/{trip_id}", response_model=Envelope[TripResponse], summary="A trip")
async def get_trip(
    trip_id: TripIdPath, viewer: OptionalUser, session: DbSession, services: AppServices
) -> Any:
    async def build() -> Envelope[TripResponse]:
        row = await service.get_trip(session, trip_id, viewer)
        data = trip_response(row, viewer, services.settings.BACKEND_URL)
        data.gpx_file = await gpx_service.metadata_for_trip(session, row.trip.trip_id)
        return Envelope[TripResponse](data=data)

    if viewer is not None:
        return await build()

    # What an anonymous visitor sees of a trip is the same for everyone: cached, invalidated
    # by any committed write (and by the GPX jobs).  A 403/404 is raised, never cached.
    async def produce() -> bytes:
        return (await build()).model_dump_json().encode()

    body = await services.cache.get_or_set(("trip", trip_id), produce)
    return Response(content=body, media_type="application/json")


@router.put("/trips/{trip_id}", response_model=Envelope[TripResponse], summary="Edit a trip")
async def update_trip(
    trip_id: TripIdPath,
    body: TripUpdate,
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    row = await service.update_trip(session, user, trip_id, body)
    data = trip_response(row, user, services.settings.BACKEND_URL)
    data.gpx_file = await gpx_service.metadata_for_trip(session, row.trip.trip_id)
    return Envelope[TripResponse](data=data)


@router.delete("/trips/{trip_id}", response_model=Envelope[MessageData], summary="Delete a trip")
async def delete_trip(
    trip_id: TripIdPath, user: CurrentUser, session: DbSession, services: AppServices
) -> Any:
    await service.delete_trip(session, services.storage, user, trip_id)
    return Envelope[MessageData](data=MessageData(message=translate("trip_deleted")))


@router.post(
    "/trips/{trip_id}/publish",
    response_model=Envelope[PublishResponse],
    summary="Publish a draft (idempotent)",
)
async def publish_trip(trip_id: TripIdPath, user: CurrentUser, session: DbSession) -> Any:
    published = await service.publish_trip(session, user, trip_id)
    return Envelope[PublishResponse](
        data=PublishResponse(
            trip_id=published.trip_id, status="published", published_at=published.published_at
        )
    )


@router.get(
    "/users/{username}/trips",
    response_model=Envelope[UserTripsPage],
    summary="A rider's trips (everything for the rider, visible ones for others)",
)
async def user_trips(
    username: UsernamePath,
    viewer: OptionalUser,
    session: DbSession,
    services: AppServices,
    tag: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    status_filter: Annotated[TripStatus | None, Query(alias="status")] = None,
    visibility: Annotated[Literal["public", "private"] | None, Query()] = None,
    sort_by: Annotated[SortBy, Query()] = "date-desc",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Any:
    filters = service.UserTripsFilter(
        tag=tag, status=status_filter, visibility=visibility, sort_by=sort_by
    )

    async def build() -> Envelope[UserTripsPage]:
        result = await service.list_user_trips(session, username, viewer, filters, limit, offset)
        items = [list_item(row) for row in result.rows]
        return Envelope[UserTripsPage](
            data=UserTripsPage(
                trips=items, count=len(items), total=result.total, limit=limit, offset=offset
            )
        )

    if viewer is not None:
        return await build()

    # the anonymous view of a rider's trips is the same for everyone: cached like the trip
    async def produce() -> bytes:
        return (await build()).model_dump_json().encode()

    key = ("user-trips", username, tag or "", status_filter or "", visibility or "", sort_by)
    body = await services.cache.get_or_set((*key, str(limit), str(offset)), produce)
    return Response(content=body, media_type="application/json")


@router.get(
    "/feed",
    response_model=FeedPage,
    summary="Personal feed: your trips, then riders you follow, then the community",
)
async def personal_feed(
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
    page: PageParam = 1,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Any:
    result = await service.personal_feed(session, user, page, limit, services.cache)
    items = [feed_item(row, user, services.settings.BACKEND_URL) for row in result.rows]
    offset = (page - 1) * limit
    return FeedPage(
        trips=items,
        total_count=result.total,
        page=page,
        limit=limit,
        has_more=offset + len(items) < result.total,
    )
