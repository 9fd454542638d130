"""Follows: the social domain's rules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import User
from src.core.errors import DomainError
from src.core.i18n import translate
from src.social import repository
from src.social.schemas import FollowResponse, FollowStatus
from src.stats import service as stats_service


class SocialError(DomainError):
    """Follow errors always carry ``"field": null`` (contract §1.2)."""

    def __init__(self, message_key: str, *, code: str, status_code: int = 400, **params: Any):
        super().__init__(message_key, code=code, status_code=status_code, field=None, **params)


def followed_ids(follower_id: str) -> Select[Any]:
    """A subquery of the ids ``follower_id`` follows (for other domains' filters)."""
    return repository.followed_ids(follower_id)


async def is_following(session: AsyncSession, follower_id: str, following_id: str) -> bool:
    return await repository.get_follow(session, follower_id, following_id) is not None


async def follow(session: AsyncSession, follower: User, target: User) -> FollowResponse:
    if follower.id == target.id:
        raise SocialError("cannot_follow_self", code="CANNOT_FOLLOW_SELF")
    if not await repository.insert_follow(session, follower.id, target.id):
        raise SocialError("already_following", code="ALREADY_FOLLOWING", username=target.username)
    await repository.adjust_counters(session, follower.id, target.id, +1)
    await stats_service.refresh_achievements(session, target.id)
    return await _response(session, follower, target, True, "now_following")


async def unfollow(session: AsyncSession, follower: User, target: User) -> FollowResponse:
    if follower.id == target.id:
        raise SocialError("cannot_follow_self", code="CANNOT_FOLLOW_SELF")
    if not await repository.delete_follow(session, follower.id, target.id):
        raise SocialError("not_following", code="NOT_FOLLOWING", username=target.username)
    await repository.adjust_counters(session, follower.id, target.id, -1)
    await stats_service.refresh_achievements(session, target.id)
    return await _response(session, follower, target, False, "unfollowed")


async def _response(
    session: AsyncSession, follower: User, target: User, following: bool, key: str
) -> FollowResponse:
    _, follower_following = await repository.counters(session, follower.id)
    target_followers, _ = await repository.counters(session, target.id)
    return FollowResponse(
        message=translate(key, username=target.username),
        follower_username=follower.username,
        following_username=target.username,
        is_following=following,
        follower_following_count=follower_following,
        following_followers_count=target_followers,
    )


async def status(session: AsyncSession, viewer: User, target: User) -> FollowStatus:
    row = await repository.get_follow(session, viewer.id, target.id)
    return FollowStatus(is_following=row is not None, followed_at=row.created_at if row else None)


async def before_user_deleted(session: AsyncSession, user_id: str) -> list[str]:
    """Fix everyone else's counters; return the ids whose follower count changed."""
    followed = list((await session.execute(repository.followed_ids(user_id))).scalars())
    await repository.reset_counters_for_deleted_user(session, user_id)
    return followed


async def counter_drift(
    session: AsyncSession, user_id: str, repair: bool
) -> list[tuple[str, int, int]]:
    """(counter, stored, true) for each follow counter that disagrees with the rows."""
    stored_followers, stored_following = await repository.counters(session, user_id)
    true_followers = await repository.count_followers(session, user_id)
    true_following = await repository.count_following(session, user_id)
    drift = [
        (name, stored, true)
        for name, stored, true in (
            ("followers_count", stored_followers, true_followers),
            ("following_count", stored_following, true_following),
        )
        if stored != true
    ]
    if drift and repair:
        await repository.set_counters(session, user_id, true_followers, true_following)
    return drift
