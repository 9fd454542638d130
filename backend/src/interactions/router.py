"""HTTP routes of likes (contract §2.11) and comments (§2.12)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from src.auth.dependencies import CurrentUser, OptionalUser
from src.core.dependencies import AppServices, DbSession, ReadSession
from src.core.i18n import translate
from src.core.responses import ERROR_RESPONSES, Envelope
from src.core.storage import absolute_url
from src.interactions import service
from src.interactions.models import Comment
from src.interactions.schemas import (
    CommentAuthor,
    CommentInput,
    CommentResponse,
    CommentsPage,
    LikeItem,
    LikeResponse,
    LikesPage,
    LikeUser,
    UnlikeResponse,
)
from src.trips.dependencies import MAX_OFFSET, MAX_PAGE, TripIdPath

router = APIRouter(tags=["likes and comments"], responses=ERROR_RESPONSES)

CommentIdPath = Annotated[str, Path(min_length=1, max_length=64, description="The comment's id")]


def _comment(comment: Comment, author: CommentAuthor | None = None) -> CommentResponse:
    return CommentResponse(
        id=comment.id,
        user_id=comment.user_id,
        trip_id=comment.trip_id,
        content=comment.content,
        created_at=comment.created_at,
        updated_at=comment.updated_at,
        is_edited=comment.is_edited,
        author=author,
    )


# --------------------------------------------------------------------------------------
# likes
# --------------------------------------------------------------------------------------
@router.post(
    "/trips/{trip_id}/like",
    status_code=status.HTTP_201_CREATED,
    response_model=Envelope[LikeResponse],
    summary="Like a published trip you can see (not your own)",
)
async def like_trip(trip_id: TripIdPath, user: CurrentUser, session: DbSession) -> Any:
    like = await service.like(session, user, trip_id)
    return Envelope[LikeResponse](
        data=LikeResponse(
            like_id=like.id, user_id=like.user_id, trip_id=like.trip_id, created_at=like.created_at
        )
    )


@router.delete(
    "/trips/{trip_id}/like", response_model=Envelope[UnlikeResponse], summary="Remove your like"
)
async def unlike_trip(trip_id: TripIdPath, user: CurrentUser, session: DbSession) -> Any:
    await service.unlike(session, user, trip_id)
    return Envelope[UnlikeResponse](
        data=UnlikeResponse(success=True, message=translate("like_removed"))
    )


@router.get(
    "/trips/{trip_id}/likes",
    response_model=Envelope[LikesPage],
    summary="Who likes a trip, newest first",
)
async def trip_likes(
    trip_id: TripIdPath,
    viewer: OptionalUser,
    session: ReadSession,
    services: AppServices,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> Any:
    result = await service.likes_of(session, trip_id, viewer, page, limit)
    base = services.settings.BACKEND_URL
    items = [
        LikeItem(
            user=LikeUser(username=username, profile_photo_url=absolute_url(photo, base)),
            created_at=created_at,
        )
        for created_at, username, photo in result.rows
    ]
    return Envelope[LikesPage](
        data=LikesPage(
            likes=items,
            total_count=result.total,
            page=page,
            limit=limit,
            has_more=(page - 1) * limit + len(items) < result.total,
        )
    )


# --------------------------------------------------------------------------------------
# comments
# --------------------------------------------------------------------------------------
@router.post(
    "/trips/{trip_id}/comments",
    status_code=status.HTTP_201_CREATED,
    response_model=Envelope[CommentResponse],
    summary="Comment on a published trip you can see (10 per hour)",
)
async def add_comment(
    trip_id: TripIdPath,
    body: CommentInput,
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    comment = await service.add_comment(session, services.limiter, user, trip_id, body.content)
    return Envelope[CommentResponse](data=_comment(comment))


@router.get(
    "/trips/{trip_id}/comments",
    response_model=Envelope[CommentsPage],
    summary="A trip's comments, oldest first",
)
async def trip_comments(
    trip_id: TripIdPath,
    viewer: OptionalUser,
    session: ReadSession,
    services: AppServices,
    limit: Annotated[int, Query(ge=1, le=50)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Any:
    result = await service.comments_of(session, trip_id, viewer, limit, offset)
    base = services.settings.BACKEND_URL
    items = [
        _comment(
            comment,
            CommentAuthor(
                user_id=comment.user_id,
                username=username,
                full_name=full_name,
                profile_photo_url=absolute_url(photo, base),
            ),
        )
        for comment, username, full_name, photo in result.rows
    ]
    return Envelope[CommentsPage](
        data=CommentsPage(items=items, total=result.total, limit=limit, offset=offset)
    )


@router.put(
    "/comments/{comment_id}",
    response_model=Envelope[CommentResponse],
    summary="Edit your comment",
)
async def edit_comment(
    comment_id: CommentIdPath, body: CommentInput, user: CurrentUser, session: DbSession
) -> Any:
    comment = await service.edit_comment(session, user, comment_id, body.content)
    return Envelope[CommentResponse](data=_comment(comment))


@router.delete(
    "/comments/{comment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a comment (its author or the trip's author)",
)
async def delete_comment(
    comment_id: CommentIdPath, user: CurrentUser, session: DbSession
) -> Response:
    await service.delete_comment(session, user, comment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
