"""Process-wide services and the per-request database session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import Settings
from src.core.database import Database, unit_of_work
from src.core.email import EmailDispatcher
from src.core.ratelimit import RateLimiter
from src.core.security import PasswordHasher, TokenService
from src.core.storage import Storage


@dataclass
class Services:
    settings: Settings
    db: Database
    hasher: PasswordHasher
    tokens: TokenService
    limiter: RateLimiter
    email: EmailDispatcher
    storage: Storage


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


AppServices = Annotated[Services, Depends(get_services)]


async def get_session(services: AppServices) -> AsyncIterator[AsyncSession]:
    """The request's unit of work on the primary: committed before the response is sent."""
    async with unit_of_work(services.db.sessionmaker) as session:
        session.info["email_dispatcher"] = services.email
        yield session


async def get_read_session(services: AppServices) -> AsyncIterator[AsyncSession]:
    """A session for read-only requests; on the read replica when one is configured."""
    async with unit_of_work(services.db.read_sessionmaker) as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadSession = Annotated[AsyncSession, Depends(get_read_session, scope="function")]
