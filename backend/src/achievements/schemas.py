"""Response models of the achievements routes (contract §2.4, §2.17)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class AchievementDefinition(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    description: str
    badge_icon: str
    requirement_type: str
    requirement_value: float


class AchievementResponse(AchievementDefinition):
    awarded_at: datetime


class AchievementDefinitions(BaseModel):
    achievements: list[AchievementDefinition]
    total_count: int


class UserAchievements(BaseModel):
    achievements: list[AchievementResponse]
    total_count: int
