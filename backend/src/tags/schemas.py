"""Response models of /tags (contract §2.8) and the tag objects inside trips."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class TagResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    tag_id: str
    name: str
    normalized: str
    usage_count: int
    created_at: datetime


class TagList(BaseModel):
    tags: list[TagResponse]
    #: number of tags in this page
    count: int
    limit: int
    offset: int
