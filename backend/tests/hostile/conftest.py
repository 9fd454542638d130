"""The hostile-input suite: the production server command (gunicorn + uvicorn workers) on
PostgreSQL and Redis, under fuzzing, a steady load and a database restart.

It runs only when asked for by path (see ``HOSTILE_DIR`` in tests/conftest.py), normally
through ``scripts/testing/hostile.sh``, which starts a throwaway PostgreSQL server with its
crash-safety settings and tells the restart test where its data directory is
(``HOSTILE_PG_DATA``).  Without PostgreSQL it refuses to run rather than skip.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import DATABASE_URL, IS_POSTGRES, _truncate
from tests.hostile.live import Server
from tests.servers import RedisServer


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not IS_POSTGRES and any("tests/hostile/" in item.nodeid for item in items):
        raise pytest.UsageError(
            "the hostile-input suite runs against PostgreSQL: use scripts/testing/hostile.sh "
            "(or set TEST_DATABASE_URL=postgresql+asyncpg://... and HOSTILE_PG_DATA)"
        )


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    server = RedisServer().start()
    try:
        yield server.url
    finally:
        server.cleanup()


ServerFactory = Callable[..., Server]


@pytest.fixture
def start_server(redis_url: str) -> Iterator[ServerFactory]:
    """Start the production server command on PostgreSQL and Redis (stopped, and the
    database emptied, after the test)."""
    started: list[Server] = []

    def factory(**env: str) -> Server:
        server = Server(**{"REDIS_URL": redis_url, "LOG_LEVEL": "WARNING", **env}).start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()
        shutil.rmtree(server.tmp, ignore_errors=True)  # its log, storage and metrics
    asyncio.run(_truncate(DATABASE_URL))
