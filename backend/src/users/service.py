"""Profiles: the users domain's rules."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from src.users import repository
from src.users.models import UserProfile


async def create_profile(
    session: AsyncSession, user_id: str, full_name: str | None = None
) -> UserProfile:
    profile = UserProfile(user_id=user_id, full_name=full_name)
    session.add(profile)
    return profile


async def get_or_create_profile(session: AsyncSession, user_id: str) -> UserProfile:
    profile = await repository.get_profile(session, user_id)
    if profile is None:
        profile = await create_profile(session, user_id)
        await session.flush()
    return profile
