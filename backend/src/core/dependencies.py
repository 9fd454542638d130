"""Process-wide services and the per-request database session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import Settings
from src.core.cache import Cache
from src.core.database import Database, unit_of_work
from src.core.email import EmailDispatcher
from src.core.ratelimit import RateLimiter
from src.core.replica import RecentWriters
from src.core.security import PasswordHasher, TokenService, caller_identity
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
    recent_writers: RecentWriters
    cache: Cache
    #: redis.asyncio client when REDIS_URL is set
    redis: Any = None


async def get_services(request: Request) -> Services:
    # async: FastAPI runs a plain ``def`` dependency on a worker thread, a needless hop on
    # every request
    services: Services = request.app.state.services
    return services


AppServices = Annotated[Services, Depends(get_services)]


READ_METHODS = ("GET", "HEAD")


async def get_session(request: Request, services: AppServices) -> AsyncIterator[AsyncSession]:
    """The request's unit of work, committed before the response is sent.

    With a read replica configured, GET/HEAD requests read from it unless the caller wrote
    something moments ago (read-your-own-writes); everything else uses the primary.
    """
    db = services.db
    callers: list[str] = []
    use_replica = False
    if db.read_engine is not None:
        # the user (when authenticated) and the client address: a login or registration is
        # written anonymously and read back right after with the new token
        ip = f"ip:{request.client.host if request.client else 'unknown'}"
        user = caller_identity(request.headers.get("authorization"), None, services.tokens)
        callers = [ip] if user.startswith("ip:") else [user, ip]
        recent = [await services.recent_writers.is_recent(c) for c in callers]
        use_replica = request.method in READ_METHODS and not any(recent)
    sessionmaker = db.read_sessionmaker if use_replica else db.sessionmaker
    async with unit_of_work(sessionmaker) as session:
        session.info["email_dispatcher"] = services.email
        session.info["replica"] = use_replica
        yield session
    if request.method not in READ_METHODS:
        await services.cache.invalidate()
        for caller in callers:
            await services.recent_writers.mark(caller)


DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
#: The same unit of work, named for read-only routes (they go to the replica, see above).
ReadSession = DbSession
