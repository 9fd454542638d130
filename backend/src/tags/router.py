"""HTTP routes of /tags (contract §2.8)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from src.core.dependencies import ReadSession
from src.core.responses import ERROR_RESPONSES, Envelope
from src.tags import service
from src.tags.schemas import TagList, TagResponse

router = APIRouter(tags=["tags"], responses=ERROR_RESPONSES)


@router.get("/tags", response_model=Envelope[TagList], summary="Tags in use, most used first")
async def list_tags(
    session: ReadSession,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> Any:
    tags = await service.list_tags(session, limit, offset)
    items = [TagResponse.model_validate(tag) for tag in tags]
    return Envelope[TagList](data=TagList(tags=items, count=len(items), limit=limit, offset=offset))
