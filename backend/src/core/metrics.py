"""Prometheus metrics.

With several worker processes (gunicorn), ``PROMETHEUS_MULTIPROC_DIR`` points every worker at
a shared directory (gunicorn.conf.py sets it up) and ``/metrics`` aggregates all of them.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from src.core.database import after_commit

HTTP_REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "HTTP request duration in seconds",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_POOL_IN_USE = Gauge(
    "db_pool_connections_in_use",
    "Database connections checked out of the pool",
    multiprocess_mode="livesum",
)
DB_POOL_SIZE = Gauge(
    "db_pool_size", "Configured database pool size (per process)", multiprocess_mode="livesum"
)
REGISTRATIONS = Counter("contravento_registrations_total", "Accounts registered")
LOGINS = Counter("contravento_logins_total", "Successful logins")
TRIPS_PUBLISHED = Counter("contravento_trips_published_total", "Trips published")
PHOTOS_UPLOADED = Counter("contravento_photos_uploaded_total", "Photos uploaded")


def count_after_commit(session: AsyncSession, counter: Counter) -> None:
    """Count a business event only once its transaction has committed."""

    async def _inc() -> None:
        counter.inc()

    after_commit(session, _inc)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    labels = (method, route, str(status))
    HTTP_REQUESTS.labels(*labels).inc()
    HTTP_DURATION.labels(*labels).observe(seconds)


def observe_pool(engine: AsyncEngine) -> None:
    pool = engine.sync_engine.pool
    checked_out = getattr(pool, "checkedout", None)
    size = getattr(pool, "size", None)
    if callable(checked_out):
        DB_POOL_IN_USE.set(checked_out())
    if callable(size):
        DB_POOL_SIZE.set(size())


def render() -> tuple[bytes, str]:
    """The exposition of this process, or of every worker in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
