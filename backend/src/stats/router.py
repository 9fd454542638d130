"""``GET /users/{username}/stats`` (contract §2.4)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from src.core.dependencies import DbSession
from src.core.responses import ERROR_RESPONSES, Envelope
from src.stats import service
from src.stats.schemas import StatsResponse
from src.users.dependencies import TargetUser

router = APIRouter(tags=["stats"], responses=ERROR_RESPONSES)


@router.get("/users/{username}/stats", response_model=Envelope[StatsResponse])
async def user_stats(target: TargetUser, session: DbSession) -> Any:
    stats = await service.get_or_create(session, target.id)
    return Envelope[StatsResponse](data=service.to_response(stats))
