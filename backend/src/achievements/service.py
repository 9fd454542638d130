"""Achievements: definitions, and awarding/revoking from a rider's numbers.

Awards are idempotent: ``user_achievements`` has UNIQUE(user_id, achievement_id) and rows are
inserted with ON CONFLICT DO NOTHING, so concurrent requests award an achievement exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.achievements.definitions import ACHIEVEMENTS
from src.achievements.models import Achievement, UserAchievement
from src.core.database import new_id, utcnow


@dataclass(frozen=True)
class Progress:
    """The numbers achievements are measured against."""

    trips: int
    kilometers: float
    countries: int
    photos: int
    followers: int

    def value(self, requirement_type: str) -> float:
        return {
            "trips": self.trips,
            "distance": self.kilometers,
            "countries": self.countries,
            "photos": self.photos,
            "followers": self.followers,
        }[requirement_type]


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


async def _met_and_unmet(session: AsyncSession, progress: Progress) -> tuple[set[str], set[str]]:
    definitions = (await session.execute(select(Achievement))).scalars().all()
    met = {a.id for a in definitions if progress.value(a.requirement_type) >= a.requirement_value}
    return met, {a.id for a in definitions} - met


async def expected_codes(session: AsyncSession, progress: Progress) -> set[str]:
    met, _ = await _met_and_unmet(session, progress)
    rows = await session.execute(select(Achievement.code).where(Achievement.id.in_(met)))
    return set(rows.scalars())


async def awarded_codes(session: AsyncSession, user_id: str) -> set[str]:
    rows = await session.execute(
        select(Achievement.code)
        .join(UserAchievement, UserAchievement.achievement_id == Achievement.id)
        .where(UserAchievement.user_id == user_id)
    )
    return set(rows.scalars())


async def sync(session: AsyncSession, user_id: str, progress: Progress) -> int:
    """Award what is met, revoke what is not; return how many the rider holds."""
    met, unmet = await _met_and_unmet(session, progress)
    if unmet:
        await session.execute(
            delete(UserAchievement).where(
                UserAchievement.user_id == user_id, UserAchievement.achievement_id.in_(unmet)
            )
        )
    if met:
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        now = utcnow()
        await session.execute(
            insert(UserAchievement)
            .values(
                [
                    {"id": new_id(), "user_id": user_id, "achievement_id": a, "awarded_at": now}
                    for a in sorted(met)
                ]
            )
            .on_conflict_do_nothing(index_elements=["user_id", "achievement_id"])
        )
    count = await session.scalar(
        select(func.count(UserAchievement.id)).where(UserAchievement.user_id == user_id)
    )
    return int(count or 0)


async def definitions(session: AsyncSession) -> list[Achievement]:
    result = await session.execute(
        select(Achievement).order_by(Achievement.requirement_value, Achievement.code)
    )
    return list(result.scalars())


async def awarded(session: AsyncSession, user_id: str) -> list[tuple[Achievement, UserAchievement]]:
    result = await session.execute(
        select(Achievement, UserAchievement)
        .join(UserAchievement, UserAchievement.achievement_id == Achievement.id)
        .where(UserAchievement.user_id == user_id)
        .order_by(UserAchievement.awarded_at.desc(), Achievement.requirement_value.desc())
    )
    return [(row[0], row[1]) for row in result.all()]
