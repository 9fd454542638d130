"""The ContraVento API application factory.

``create_app(settings)`` builds the app; the module-level ``app`` (``src.main:app``) is the
one uvicorn and gunicorn serve, built from the environment on import.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from src import models  # noqa: F401  (registers every table)
from src.achievements.router import router as achievements_router
from src.auth.router import router as auth_router
from src.config import Settings, get_settings
from src.core.database import Database
from src.core.dependencies import Services
from src.core.email import EmailDispatcher
from src.core.errors import install_error_handlers
from src.core.observability import RequestContextMiddleware, configure_logging
from src.core.ratelimit import RateLimiter
from src.core.security import PasswordHasher, TokenService
from src.core.staticfiles import StorageFiles
from src.core.storage import LocalStorage
from src.core.system import VERSION
from src.core.system import router as system_router
from src.social.router import router as social_router
from src.stats.router import router as stats_router
from src.users.router import router as users_router

logger = logging.getLogger("contravento")


def build_services(settings: Settings) -> Services:
    db = Database(settings)
    return Services(
        settings=settings,
        db=db,
        hasher=PasswordHasher(settings.BCRYPT_ROUNDS),
        tokens=TokenService(settings),
        limiter=RateLimiter(settings),
        email=EmailDispatcher(settings, db.sessionmaker),
        storage=LocalStorage(settings.STORAGE_PATH),
    )


def _redis_health(url: str) -> tuple[Callable[[], Awaitable[bool]], Callable[[], Awaitable[None]]]:
    import redis.asyncio as redis

    client = redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)

    async def check() -> bool:
        try:
            async with asyncio.timeout(2):
                return bool(await client.ping())
        except Exception:
            return False

    async def close() -> None:
        await client.aclose()

    return check, close


def create_app(settings: Settings | None = None, *, start_workers: bool = True) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    services = build_services(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.STORAGE_PATH.mkdir(parents=True, exist_ok=True)
        close_redis = None
        if settings.REDIS_URL:
            app.state.redis_health, close_redis = _redis_health(settings.REDIS_URL)
        if start_workers:
            services.email.start()
        logger.info("ContraVento API started", extra={"environment": settings.APP_ENV})
        try:
            yield
        finally:
            await services.email.stop()
            if close_redis is not None:
                await close_redis()
            await services.db.dispose()

    app = FastAPI(
        title=f"{settings.APP_NAME} API",
        version=VERSION,
        description="Social network and travel diary for cyclists.",
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url="/redoc" if settings.docs_enabled else None,
        openapi_url="/openapi.json",
        servers=[{"url": settings.BACKEND_URL, "description": settings.APP_ENV}],
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.settings = settings

    install_error_handlers(app)
    app.include_router(system_router)
    app.include_router(auth_router)
    app.include_router(users_router)
    app.include_router(stats_router)
    app.include_router(achievements_router)
    app.include_router(social_router)
    # (travel diary routers are registered below this line)
    app.mount("/storage", StorageFiles(directory=settings.STORAGE_PATH, check_dir=False), "storage")

    # Middleware: the last added is the outermost.  CORS wraps everything, so even the
    # 500 envelope made by RequestContextMiddleware carries the CORS headers.
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.CORS_ORIGINS,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Request-ID", "X-Timestamp", "Retry-After"],
    )
    return app


def __getattr__(name: str) -> Any:
    # ``src.main:app`` is created on first access so that importing this module (tests,
    # scripts) does not require a configured environment.
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
