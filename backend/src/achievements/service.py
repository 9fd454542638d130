"""Achievements: definitions (and, with the profiles work, awarding)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from src.achievements.definitions import ACHIEVEMENTS
from src.achievements.models import Achievement


async def ensure_definitions(session: AsyncSession) -> int:
    """Insert the achievements that are missing; return how many were added."""
    existing = set((await session.execute(select(Achievement.code))).scalars())
    added = 0
    for definition in ACHIEVEMENTS:
        if definition["code"] not in existing:
            session.add(Achievement(**definition))
            added += 1
    await session.flush()
    return added
