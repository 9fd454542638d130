"""Annotated aliases for the rider named in the path."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from src.auth.models import User
from src.auth.service import get_user_by_username
from src.core.dependencies import DbSession
from src.core.errors import NotFound

UsernamePath = Annotated[str, Path(min_length=1, max_length=64)]


async def get_target_user(username: UsernamePath, session: DbSession) -> User:
    user = await get_user_by_username(session, username)
    if user is None or not user.is_active:
        raise NotFound("user_not_found", code="USER_NOT_FOUND", username=username)
    return user


TargetUser = Annotated[User, Depends(get_target_user)]
