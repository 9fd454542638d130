"""Achievement routes (contract §2.4)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from src.achievements import service
from src.achievements.schemas import (
    AchievementDefinition,
    AchievementDefinitions,
    AchievementResponse,
    UserAchievements,
)
from src.core.dependencies import DbSession
from src.core.responses import ERROR_RESPONSES, Envelope
from src.users.dependencies import TargetUser

router = APIRouter(tags=["achievements"], responses=ERROR_RESPONSES)


@router.get("/achievements", response_model=Envelope[AchievementDefinitions])
async def all_achievements(session: DbSession) -> Any:
    items = [AchievementDefinition.model_validate(a) for a in await service.definitions(session)]
    return Envelope[AchievementDefinitions](
        data=AchievementDefinitions(achievements=items, total_count=len(items))
    )


@router.get("/users/{username}/achievements", response_model=Envelope[UserAchievements])
async def user_achievements(target: TargetUser, session: DbSession) -> Any:
    items = [
        AchievementResponse(
            **AchievementDefinition.model_validate(achievement).model_dump(),
            awarded_at=awarded.awarded_at,
        )
        for achievement, awarded in await service.awarded(session, target.id)
    ]
    return Envelope[UserAchievements](
        data=UserAchievements(achievements=items, total_count=len(items))
    )
