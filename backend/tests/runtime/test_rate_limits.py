"""Rate limits shared through a real Redis, and what happens when Redis dies."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from src.core.limit_syntax import parse_limit
from tests.conftest import AppHarness, make_settings
from tests.helpers import PASSWORD, register_verified
from tests.servers import RedisServer


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.cleanup()


def test_limit_notation() -> None:
    assert str(parse_limit("5/15m")) == str(parse_limit("5 per 15 minutes"))
    assert parse_limit("3/1h").amount == 3
    assert parse_limit("100/1m").get_expiry() == 60
    assert parse_limit("10/minute").get_expiry() == 60
    with pytest.raises(ValueError, match="rate limit"):
        make_settings(RATE_LIMIT_API="lots")


async def test_api_limit_is_shared_by_two_instances(make_app, redis_server: RedisServer) -> None:  # type: ignore[no-untyped-def]
    settings = {"REDIS_URL": redis_server.url, "RATE_LIMIT_ENABLED": True, "RATE_LIMIT_API": "6/1m"}
    one: AppHarness = await make_app(**settings)
    two: AppHarness = await make_app(**settings)
    await one.services.limiter.reset()
    codes = []
    for i in range(8):
        client = (one if i % 2 == 0 else two).client
        codes.append((await client.get("/achievements")).status_code)
    assert codes == [200] * 6 + [429, 429]
    r = await two.client.get("/achievements")
    body = r.json()
    assert body["success"] is False
    assert body["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert 0 < int(r.headers["Retry-After"]) <= 60
    # /health is never limited (probes)
    assert (await one.client.get("/health")).status_code == 200
    assert (await one.client.get("/health")).json()["data"]["redis"] == "connected"


async def test_login_and_register_limits(make_app, redis_server: RedisServer) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(
        REDIS_URL=redis_server.url,
        RATE_LIMIT_ENABLED=True,
        RATE_LIMIT_LOGIN="3/15m",
        RATE_LIMIT_REGISTER="2/1h",
    )
    await h.services.limiter.reset()
    await register_verified(h, "ana", "ana@example.com")  # one register + one login
    r = await h.client.post(
        "/auth/register", json={"username": "bob", "email": "b@example.com", "password": PASSWORD}
    )
    assert r.status_code == 201
    r = await h.client.post(
        "/auth/register", json={"username": "cy", "email": "c@example.com", "password": PASSWORD}
    )
    assert r.status_code == 429
    codes = [
        (
            await h.client.post("/auth/login", json={"login": "ana", "password": PASSWORD})
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


async def test_upload_limit_per_user(make_app, redis_server: RedisServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests import images
    from tests.helpers import bearer

    h: AppHarness = await make_app(
        REDIS_URL=redis_server.url,
        RATE_LIMIT_ENABLED=True,
        RATE_LIMIT_UPLOAD="2/1m",
        STORAGE_PATH=tmp_path,
    )
    await h.services.limiter.reset()
    ana = await register_verified(h, "ana", "ana@example.com")
    codes = []
    for _ in range(3):
        r = await h.client.post(
            "/users/ana/profile/photo",
            files={"photo": ("a.jpg", images.jpeg(), "image/jpeg")},
            headers=bearer(ana["access_token"]),
        )
        codes.append(r.status_code)
    assert codes == [200, 200, 429]


async def test_redis_dying_degrades_to_local_limits(
    make_app,
    redis_server: RedisServer,
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    h: AppHarness = await make_app(
        REDIS_URL=redis_server.url, RATE_LIMIT_ENABLED=True, RATE_LIMIT_API="5/1m"
    )
    await h.services.limiter.reset()
    assert (await h.client.get("/achievements")).status_code == 200
    redis_server.stop()  # Redis killed mid-test
    caplog.set_level(logging.WARNING, logger="contravento.ratelimit")
    codes = [(await h.client.get("/achievements")).status_code for _ in range(7)]
    # still serving, still limiting (per process now): 5 allowed per minute
    assert codes == [200] * 5 + [429, 429]
    outage_logs = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_logs) == 1  # logged once, not per request
    health = (await h.client.get("/health")).json()
    assert health["data"]["redis"] == "degraded"
    assert health["status"] == "healthy"


async def test_disabled_rate_limits(make_app) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(RATE_LIMIT_ENABLED=False, RATE_LIMIT_API="1/1m")
    codes = {(await h.client.get("/achievements")).status_code for _ in range(5)}
    assert codes == {200}
