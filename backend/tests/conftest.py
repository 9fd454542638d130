"""Test fixtures.  The suite runs against SQLite by default and against PostgreSQL when
``TEST_DATABASE_URL`` points at one (``./run-tests.sh`` starts a real server for that)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from src.config import Settings, load_settings
from src.main import create_app
from src.models import Base

BACKEND_DIR = Path(__file__).resolve().parents[1]
_TMP = Path(tempfile.mkdtemp(prefix="contravento-tests-"))
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{_TMP / 'test.db'}"
IS_POSTGRES = DATABASE_URL.startswith("postgresql")
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-signing-0123456789"


#: The hostile-input suite (a real server under fuzzing, a 3-minute soak, a PostgreSQL
#: restart) runs only when asked for by path: ``scripts/testing/hostile.sh`` (which
#: ./run-tests.sh calls) or ``pytest tests/hostile``.  A plain ``pytest`` leaves it out.
HOSTILE_DIR = BACKEND_DIR / "tests" / "hostile"


def _asks_for_hostile(config: pytest.Config) -> bool:
    root = config.invocation_params.dir
    for arg in config.args:
        path = (root / arg.split("::", 1)[0]).resolve()
        if path == HOSTILE_DIR or HOSTILE_DIR in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path == HOSTILE_DIR and not _asks_for_hostile(config):
        return True
    return None


def alembic_config(url: str) -> Config:
    cfg = Config(str(BACKEND_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(BACKEND_DIR / "migrations"))
    cfg.attributes["url"] = url
    cfg.attributes["skip_logging"] = True
    return cfg


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "APP_ENV": "testing",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": DATABASE_URL,
        "BCRYPT_ROUNDS": 4,
        "AUTO_VERIFY_EMAIL": False,
        "STORAGE_PATH": _TMP / "storage",
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "WARNING",
        "SMTP_HOST": "",
        "FRONTEND_URL": "http://app.test",
        "CORS_ORIGINS": "http://app.test",
        "RATE_LIMIT_ENABLED": False,
    }
    values.update(overrides)
    return load_settings(**values)


class CapturingTransport:
    """Collects the messages the email dispatcher sends."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.fail_next = 0

    async def send(self, message: EmailMessage) -> None:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise ConnectionError("SMTP server unreachable")
        self.messages.append(message)


@pytest.fixture(scope="session", autouse=True)
def migrated_database() -> None:
    """Build the schema through the real migrations once per run."""
    cfg = alembic_config(DATABASE_URL)
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")


async def _truncate(url: str) -> None:
    engine = create_async_engine(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as conn:
        if IS_POSTGRES:
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608
    await engine.dispose()


class AppHarness:
    def __init__(self, app: Any, client: httpx.AsyncClient, transport: CapturingTransport) -> None:
        self.app = app
        self.client = client
        self.mail = transport

    @property
    def services(self) -> Any:
        return self.app.state.services

    async def deliver_mail(self) -> list[EmailMessage]:
        await self.services.email.deliver_due()
        return self.mail.messages


AppFactory = Callable[..., Any]


@pytest.fixture
async def make_app() -> AsyncIterator[AppFactory]:
    """Build apps with custom settings; each is started and stopped properly."""
    stack: list[Any] = []

    async def factory(**overrides: Any) -> AppHarness:
        settings = make_settings(**overrides)
        app = create_app(settings, start_workers=False)
        transport = CapturingTransport()
        app.state.services.email.transport = transport
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        stack.append((lifespan, client))
        return AppHarness(app, client, transport)

    yield factory
    for lifespan, client in reversed(stack):
        await client.aclose()
        await lifespan.__aexit__(None, None, None)
    await _truncate(DATABASE_URL)


@pytest.fixture
async def harness(make_app: AppFactory) -> AppHarness:
    return await make_app()


@pytest.fixture
async def client(harness: AppHarness) -> httpx.AsyncClient:
    return harness.client
