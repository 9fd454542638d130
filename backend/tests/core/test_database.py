"""Engine configuration and the unit of work."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import text

from src.core.database import Database
from tests.conftest import IS_POSTGRES, AppHarness, make_settings


async def test_engine_configuration() -> None:
    settings = make_settings(DATABASE_POOL_SIZE=7, DATABASE_MAX_OVERFLOW=3)
    db = Database(settings)
    try:
        async with db.engine.connect() as conn:
            if IS_POSTGRES:
                assert db.engine.pool.size() == 7  # type: ignore[attr-defined]
                assert db.engine.pool._max_overflow == 3  # type: ignore[attr-defined]
                assert db.engine.pool._pre_ping is True  # type: ignore[attr-defined]
                assert (await conn.execute(text("SELECT 1"))).scalar() == 1
            else:
                assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
                mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
                assert str(mode).lower() == "wal"
        assert db.read_sessionmaker is db.sessionmaker  # no replica configured
    finally:
        await db.dispose()


async def test_read_replica_engine_is_separate() -> None:
    settings = make_settings(DATABASE_READ_URL=make_settings().DATABASE_URL)
    db = Database(settings)
    try:
        assert db.read_engine is not None
        assert db.read_engine is not db.engine
        assert db.read_sessionmaker is not db.sessionmaker
        async with db.read_sessionmaker() as session:
            assert (await session.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await db.dispose()


async def test_bcrypt_does_not_block_the_event_loop(make_app) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(BCRYPT_ROUNDS=13)
    started = time.perf_counter()
    login = asyncio.create_task(
        h.client.post("/auth/login", json={"login": "nobody", "password": "Xx1!xxxx"})
    )
    await asyncio.sleep(0.01)
    root = await h.client.get("/")
    root_done = time.perf_counter() - started
    response = await login
    login_done = time.perf_counter() - started
    assert root.status_code == 200
    assert response.status_code == 401
    # the cheap request finished while the 13-round bcrypt was still running
    assert root_done < login_done


async def test_secrets_never_reach_the_logs(make_app, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    from tests.helpers import PASSWORD, register_verified

    caplog.set_level(logging.DEBUG)
    h: AppHarness = await make_app(LOG_LEVEL="DEBUG", LOG_FORMAT="json")
    data = await register_verified(h, "logged", "logged@example.com")
    await h.client.post("/auth/login", json={"login": "logged", "password": "Wrong1!xx"})
    await h.client.post("/auth/refresh", params={"refresh_token": data["refresh_token"]})
    await h.client.post("/auth/password-reset/request", json={"email": "logged@example.com"})
    await h.deliver_mail()
    # httpx is the test client, not the server: its request lines are not ours
    server_records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text_logged = "\n".join(r.getMessage() + str(r.__dict__) for r in server_records)
    for secret in (PASSWORD, "Wrong1!xx", data["access_token"], data["refresh_token"]):
        assert secret not in text_logged
    assert "refresh_token=" not in text_logged
    assert any(getattr(r, "route", None) == "/auth/login" for r in server_records)
