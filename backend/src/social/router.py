"""HTTP routes of follows (contract §2.5)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from src.auth.dependencies import CurrentUser
from src.core.dependencies import AppServices, DbSession
from src.core.responses import ERROR_RESPONSES, Envelope
from src.core.storage import absolute_url
from src.social import repository, service
from src.social.schemas import (
    FollowersPage,
    FollowingPage,
    FollowResponse,
    FollowStatus,
    SocialUserSummary,
)
from src.users.dependencies import TargetUser

router = APIRouter(tags=["social"], responses=ERROR_RESPONSES)

Page = Annotated[int, Query(ge=1, le=100_000)]
Limit = Annotated[int, Query(ge=1, le=50)]


@router.post("/users/{username}/follow", response_model=Envelope[FollowResponse])
async def follow(user: CurrentUser, target: TargetUser, session: DbSession) -> Any:
    return Envelope[FollowResponse](data=await service.follow(session, user, target))


@router.delete("/users/{username}/follow", response_model=Envelope[FollowResponse])
async def unfollow(user: CurrentUser, target: TargetUser, session: DbSession) -> Any:
    return Envelope[FollowResponse](data=await service.unfollow(session, user, target))


async def _people(
    session: DbSession, services: AppServices, user_id: str, direction: str, page: int, limit: int
) -> tuple[list[SocialUserSummary], int, bool]:
    offset = (page - 1) * limit
    rows = await repository.list_people(session, user_id, direction, offset, limit)
    if direction == "followers":
        total = await repository.count_followers(session, user_id)
    else:
        total = await repository.count_following(session, user_id)
    base = services.settings.BACKEND_URL
    items = [
        SocialUserSummary(
            username=user.username,
            full_name=profile.full_name if profile else None,
            profile_photo_url=absolute_url(profile.profile_photo_url if profile else None, base),
            bio=profile.bio if profile else None,
            followers_count=profile.followers_count if profile else 0,
            following_count=profile.following_count if profile else 0,
        )
        for user, profile, _ in rows
    ]
    return items, total, offset + len(items) < total


@router.get("/users/{username}/followers", response_model=Envelope[FollowersPage])
async def followers(
    target: TargetUser, session: DbSession, services: AppServices, page: Page = 1, limit: Limit = 50
) -> Any:
    items, total, more = await _people(session, services, target.id, "followers", page, limit)
    return Envelope[FollowersPage](
        data=FollowersPage(
            followers=items, total_count=total, page=page, limit=limit, has_more=more
        )
    )


@router.get("/users/{username}/following", response_model=Envelope[FollowingPage])
async def following(
    target: TargetUser, session: DbSession, services: AppServices, page: Page = 1, limit: Limit = 50
) -> Any:
    items, total, more = await _people(session, services, target.id, "following", page, limit)
    return Envelope[FollowingPage](
        data=FollowingPage(
            following=items, total_count=total, page=page, limit=limit, has_more=more
        )
    )


@router.get("/users/{username}/follow-status", response_model=Envelope[FollowStatus])
async def follow_status(user: CurrentUser, target: TargetUser, session: DbSession) -> Any:
    return Envelope[FollowStatus](data=await service.status(session, user, target))
