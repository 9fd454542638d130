"""Likes and comments: the rules.  Knows no HTTP.

* Every route respects the trip's visibility exactly as ``GET /trips/{id}`` does
  (:func:`src.trips.service.get_visible_trip`): a missing trip is 404, a trip the viewer may
  not see is 403 with the trip detail's message.  So nothing here reveals more about
  invisible trips than the trip detail already does.  Errors use the original's
  string-detail codes (``HTTP_<status>``, contract §1.2).
* A rider likes a trip at most once: the unique (user, trip) index and an
  ``INSERT … ON CONFLICT DO NOTHING`` decide, so concurrent likes and unlikes cannot make the
  counts wrong (``trips.like_count``/``comment_count`` are kept by database triggers on
  these rows, migration 009).
* Comments are sanitised (§4.7) and limited to :data:`COMMENTS_PER_HOUR` per rider in a
  moving hour, counted by the shared rate limiter (Redis when configured).  Only comments
  that pass every other check count against the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from limits import RateLimitItemPerHour
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import User
from src.core.database import utcnow
from src.core.errors import DomainError, Forbidden, HTTPError, NotFound, TooManyRequests
from src.core.ratelimit import RateLimiter, hashed_key
from src.interactions import repository
from src.interactions.models import Comment, Like
from src.trips import service as trips_service
from src.trips.models import Trip

COMMENTS_PER_HOUR = 10
COMMENT_LIMIT = RateLimitItemPerHour(COMMENTS_PER_HOUR)
COMMENT_LIMIT_NAMESPACE = "comments"


async def visible_trip(
    session: AsyncSession, trip_id: str, viewer: User | None, not_found_key: str = "trip_not_found"
) -> Trip:
    """The trip if ``viewer`` may see it; otherwise the trip detail's answer (404 / 403 with
    its message) in the ``HTTP_<status>`` family."""
    try:
        return await trips_service.get_visible_trip(session, trip_id, viewer)
    except NotFound:
        raise HTTPError(404, not_found_key) from None
    except Forbidden as exc:
        raise HTTPError(403, exc.message_key, **exc.params) from None


# --------------------------------------------------------------------------------------
# likes
# --------------------------------------------------------------------------------------
async def like(session: AsyncSession, user: User, trip_id: str) -> Like:
    trip = await visible_trip(session, trip_id, user)
    if not trip.is_published:
        raise HTTPError(400, "like_not_published")
    if trip.user_id == user.id:
        raise HTTPError(400, "like_own_trip")
    created = await repository.insert_like(session, user.id, trip.trip_id)
    if created is None:
        raise HTTPError(400, "like_already")
    return created


async def unlike(session: AsyncSession, user: User, trip_id: str) -> None:
    trip = await visible_trip(session, trip_id, user)
    if not await repository.delete_like(session, user.id, trip.trip_id):
        raise HTTPError(400, "like_missing")


@dataclass(frozen=True)
class LikesPage:
    #: (created_at, username, profile photo as stored)
    rows: list[tuple[datetime, str, str | None]]
    total: int


async def likes_of(
    session: AsyncSession, trip_id: str, viewer: User | None, page: int, limit: int
) -> LikesPage:
    """The trip's likes, newest first."""
    trip = await visible_trip(session, trip_id, viewer)
    total = await repository.count_likes(session, trip.trip_id)
    offset = (page - 1) * limit
    rows = (
        await repository.list_likes(session, trip.trip_id, offset, limit) if offset < total else []
    )
    return LikesPage(rows=list(rows), total=total)


# --------------------------------------------------------------------------------------
# comments
# --------------------------------------------------------------------------------------
async def add_comment(
    session: AsyncSession, limiter: RateLimiter, user: User, trip_id: str, content: str
) -> Comment:
    """``content`` arrives trimmed, checked and sanitised (see the schema)."""
    trip = await visible_trip(session, trip_id, user, "comment_trip_not_found")
    if not trip.is_published:
        raise HTTPError(400, "comment_not_published")
    state = await limiter.hit(COMMENT_LIMIT, COMMENT_LIMIT_NAMESPACE, hashed_key(user.id))
    if not state.allowed:
        raise TooManyRequests(
            "comment_rate_limited",
            code="HTTP_429",
            retry_after=state.retry_after,
            limit=COMMENTS_PER_HOUR,
        )
    return await repository.add_comment(session, user.id, trip.trip_id, content)


@dataclass(frozen=True)
class CommentsPage:
    #: (comment, username, full name, profile photo as stored)
    rows: list[tuple[Comment, str, str | None, str | None]]
    total: int


async def comments_of(
    session: AsyncSession, trip_id: str, viewer: User | None, limit: int, offset: int
) -> CommentsPage:
    """The trip's comments, oldest first."""
    trip = await visible_trip(session, trip_id, viewer, "comment_trip_not_found")
    total = await repository.count_comments(session, trip.trip_id)
    rows = (
        await repository.list_comments(session, trip.trip_id, offset, limit)
        if offset < total
        else []
    )
    return CommentsPage(rows=rows, total=total)


async def _comment(session: AsyncSession, comment_id: str) -> Comment:
    comment = await repository.get_comment(session, comment_id)
    if comment is None:
        raise HTTPError(404, "comment_not_found")
    return comment


async def edit_comment(session: AsyncSession, user: User, comment_id: str, content: str) -> Comment:
    """The author edits their comment, on a trip they may still see."""
    comment = await _comment(session, comment_id)
    if comment.user_id != user.id:
        raise HTTPError(403, "comment_edit_forbidden")
    await visible_trip(session, comment.trip_id, user, "comment_trip_not_found")
    comment.content = content
    comment.is_edited = True
    comment.updated_at = utcnow()
    await session.flush()
    return comment


async def delete_comment(session: AsyncSession, user: User, comment_id: str) -> None:
    """The comment's author (always, so riders can take their words back) or the trip's
    author may delete a comment."""
    comment = await _comment(session, comment_id)
    if comment.user_id != user.id:
        try:
            trip: Trip | None = await trips_service.get_visible_trip(session, comment.trip_id, user)
        except DomainError:
            trip = None
        if trip is None or trip.user_id != user.id:
            raise HTTPError(403, "comment_delete_forbidden")
    await repository.delete_comment(session, comment)
