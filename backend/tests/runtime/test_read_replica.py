"""DATABASE_READ_URL: reads go to the replica, writes and read-your-own-writes to the primary.

The "replica" here is a separate, empty database with the same schema, so where a request
was served is visible in its answer."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import DATABASE_URL, IS_POSTGRES, AppHarness, alembic_config
from tests.helpers import bearer, register_verified


@pytest.fixture
async def replica_url(tmp_path: Path) -> AsyncIterator[str]:
    if IS_POSTGRES:
        url = make_url(DATABASE_URL)
        name = f"replica_{uuid.uuid4().hex[:8]}"
        admin = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        replica = url.set(database=name).render_as_string(hide_password=False)
    else:
        replica = f"sqlite+aiosqlite:///{tmp_path / 'replica.db'}"
    await asyncio.to_thread(command.upgrade, alembic_config(replica), "head")
    yield replica
    if IS_POSTGRES:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def test_reads_use_the_replica_except_right_after_own_writes(
    make_app,
    replica_url: str,  # type: ignore[no-untyped-def]
) -> None:
    h: AppHarness = await make_app(DATABASE_READ_URL=replica_url, READ_YOUR_WRITES_SECONDS=1)
    ana = await register_verified(h, "ana", "ana@example.com")  # all writes: primary
    token = bearer(ana["access_token"])
    # right after logging in, ana's reads stay on the primary
    assert (await h.client.get("/auth/me", headers=token)).status_code == 200
    await asyncio.sleep(1.2)
    # the window passed: reads go to the (empty) replica
    assert (await h.client.get("/users/ana/profile")).status_code == 404
    assert (await h.client.get("/auth/me", headers=token)).status_code == 401
    # a write always goes to the primary, and ana's next read follows it there
    r = await h.client.put("/users/ana/profile", json={"bio": "hola"}, headers=token)
    assert r.status_code == 200
    profile = await h.client.get("/users/ana/profile", headers=token)
    assert profile.status_code == 200
    assert profile.json()["bio"] == "hola"
    # health reports the primary
    assert (await h.client.get("/health")).json()["database"] == "connected"
