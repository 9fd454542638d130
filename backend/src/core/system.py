"""``GET /`` and ``GET /health`` (contract §2.1)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import text

from src.core import metrics
from src.core.database import utcnow
from src.core.dependencies import AppServices
from src.core.errors import error_body
from src.core.i18n import translate
from src.core.responses import Envelope

router = APIRouter(tags=["system"])
logger = logging.getLogger("contravento.health")

VERSION = "0.1.0"


class RootData(BaseModel):
    message: str
    version: str
    docs: str | None


class HealthData(BaseModel):
    status: Literal["healthy", "unhealthy"]
    environment: str
    timestamp: datetime
    database: Literal["connected", "disconnected"]
    redis: Literal["connected", "degraded", "disabled"]


class HealthEnvelope(Envelope[HealthData]):
    """The envelope, plus ``status`` and ``database`` at the top level for probes and the
    deployment guides' smoke checks."""

    status: Literal["healthy", "unhealthy"]
    database: Literal["connected", "disconnected"]


@router.get("/", response_model=Envelope[RootData])
async def root(services: AppServices) -> Any:
    docs = "/docs" if services.settings.docs_enabled else None
    return Envelope[RootData](data=RootData(message="ContraVento API", version=VERSION, docs=docs))


async def _database_ok(services: AppServices) -> bool:
    try:
        async with asyncio.timeout(3):
            async with services.db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:
        logger.warning("database health check failed: %s", type(exc).__name__)
        return False


async def _redis_state(
    request: Request, services: AppServices
) -> Literal["connected", "degraded", "disabled"]:
    check = getattr(request.app.state, "redis_health", None)
    if check is None:
        return "disabled"
    return "connected" if await check() and not services.limiter.degraded else "degraded"


@router.get(
    "/health",
    response_model=HealthEnvelope,
    responses={503: {"description": "The database is unreachable"}},
)
async def health(request: Request, services: AppServices) -> Any:
    db_ok = await _database_ok(services)
    data = HealthData(
        status="healthy" if db_ok else "unhealthy",
        environment=services.settings.APP_ENV,
        timestamp=utcnow(),
        database="connected" if db_ok else "disconnected",
        redis=await _redis_state(request, services),
    )
    if db_ok:
        return HealthEnvelope(data=data, status="healthy", database="connected")
    body = error_body("SERVICE_UNAVAILABLE", translate("service_unavailable"))
    body["data"] = data.model_dump(mode="json")
    body["status"] = "unhealthy"
    body["database"] = "disconnected"
    return JSONResponse(status_code=503, content=body)


@router.get("/metrics", include_in_schema=False)
async def prometheus_metrics(services: AppServices) -> Response:
    """Prometheus exposition.  Not published by the public nginx server."""
    if not services.settings.METRICS_ENABLED:
        return JSONResponse(status_code=404, content=error_body("HTTP_404", translate("http_404")))
    body, content_type = metrics.render()
    return Response(content=body, media_type=content_type)
