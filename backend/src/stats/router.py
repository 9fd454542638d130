"""``GET /users/{username}/stats`` (contract §2.4)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from src.core.dependencies import AppServices, DbSession
from src.core.i18n import get_language
from src.core.responses import ERROR_RESPONSES, Envelope
from src.stats import service
from src.stats.schemas import StatsResponse
from src.users.dependencies import TargetUser

router = APIRouter(tags=["stats"], responses=ERROR_RESPONSES)


@router.get("/users/{username}/stats", response_model=Envelope[StatsResponse])
async def user_stats(target: TargetUser, session: DbSession, services: AppServices) -> Any:
    async def produce() -> bytes:
        stats = await service.for_read(session, target.id)
        return Envelope[StatsResponse](data=service.to_response(stats)).model_dump_json().encode()

    body = await services.cache.get_or_set(("stats", target.id, get_language()), produce)
    return Response(content=body, media_type="application/json")
