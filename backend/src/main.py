"""The ContraVento API application factory.

``create_app(settings)`` builds the app; the module-level ``app`` (``src.main:app``) is the
one uvicorn and gunicorn serve, built from the environment on import.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from src import models  # noqa: F401  (registers every table)
from src.achievements.router import router as achievements_router
from src.auth.router import router as auth_router
from src.config import Settings, get_settings
from src.core.cache import Cache
from src.core.database import Database
from src.core.dependencies import Services
from src.core.email import EmailDispatcher
from src.core.errors import install_error_handlers
from src.core.errortracking import init_sentry
from src.core.hardening import NulCharacterMiddleware, SecurityHeadersMiddleware
from src.core.observability import RequestContextMiddleware, configure_logging
from src.core.ratelimit import RateLimiter, RateLimitMiddleware
from src.core.replica import RecentWriters
from src.core.security import PasswordHasher, TokenService
from src.core.staticfiles import StorageFiles, object_storage_router
from src.core.storage import build_storage
from src.core.system import VERSION
from src.core.system import router as system_router
from src.cycling.router import router as cycling_router
from src.gpx.jobs import GPXJobRunner
from src.gpx.router import router as gpx_router
from src.interactions.router import router as interactions_router
from src.photos.router import router as photos_router
from src.pois.router import router as pois_router
from src.social.router import router as social_router
from src.stats.router import router as stats_router
from src.tags.router import router as tags_router
from src.trips.router import router as trips_router
from src.users.router import router as users_router

logger = logging.getLogger("contravento")


def build_services(settings: Settings) -> Services:
    db = Database(settings)
    redis_client = None
    if settings.REDIS_URL:
        import redis.asyncio as redis

        redis_client = redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
    return Services(
        settings=settings,
        db=db,
        hasher=PasswordHasher(settings.BCRYPT_ROUNDS),
        tokens=TokenService(settings),
        limiter=RateLimiter(settings),
        email=EmailDispatcher(settings, db.sessionmaker),
        storage=build_storage(settings),
        recent_writers=RecentWriters(settings.READ_YOUR_WRITES_SECONDS, redis_client),
        cache=Cache(
            redis_client,
            settings.CACHE_ENABLED,
            settings.CACHE_DEFAULT_TTL,
            settle_seconds=settings.READ_YOUR_WRITES_SECONDS if settings.DATABASE_READ_URL else 0,
        ),
        redis=redis_client,
    )


async def _redis_ping(client: Any) -> bool:
    try:
        async with asyncio.timeout(2):
            return bool(await client.ping())
    except Exception:
        return False


def create_app(settings: Settings | None = None, *, start_workers: bool = True) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    init_sentry(settings)
    services = build_services(settings)
    gpx_jobs = GPXJobRunner(
        services.db.sessionmaker, services.storage, on_change=services.cache.invalidate
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.STORAGE_BACKEND == "local":
            settings.STORAGE_PATH.mkdir(parents=True, exist_ok=True)
        if services.redis is not None:
            client = services.redis

            async def redis_health() -> bool:
                return await _redis_ping(client)

            app.state.redis_health = redis_health
        await gpx_jobs.recover_at_startup()
        if start_workers:
            services.email.start()
            gpx_jobs.start()
        logger.info("ContraVento API started", extra={"environment": settings.APP_ENV})
        try:
            yield
        finally:
            await services.email.stop()
            await gpx_jobs.stop()
            if services.redis is not None:
                await services.redis.aclose()
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
    app.state.gpx_jobs = gpx_jobs
    app.state.settings = settings

    install_error_handlers(app)
    app.include_router(system_router)
    app.include_router(auth_router)
    app.include_router(users_router)
    app.include_router(stats_router)
    app.include_router(achievements_router)
    app.include_router(social_router)
    # (travel diary routers are registered below this line)
    app.include_router(trips_router)
    app.include_router(photos_router)
    app.include_router(tags_router)
    app.include_router(cycling_router)
    app.include_router(interactions_router)
    app.include_router(pois_router)
    app.include_router(gpx_router)
    if settings.STORAGE_BACKEND == "s3":
        app.include_router(object_storage_router(services.storage))
    else:
        app.mount(
            "/storage", StorageFiles(directory=settings.STORAGE_PATH, check_dir=False), "storage"
        )

    # Middleware: the last added is the outermost: CORS -> request context (request id,
    # language, logs, 500 envelope) -> security headers / trusted hosts -> rate limits ->
    # NUL characters.  CORS wraps everything, so even 429 and 500 answers carry the CORS
    # headers.
    app.add_middleware(NulCharacterMiddleware)
    app.add_middleware(RateLimitMiddleware, limiter=services.limiter, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.add_middleware(RequestContextMiddleware, engine=services.db.engine)
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
