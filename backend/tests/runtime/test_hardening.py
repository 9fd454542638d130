"""Security headers and trusted hosts."""

from __future__ import annotations

from tests.conftest import AppHarness


async def test_security_headers_on_api_responses(make_app) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(HSTS_ENABLED=True)
    for path in ("/", "/nope", "/health"):
        r = await h.client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["strict-transport-security"].startswith("max-age=")
    docs = await h.client.get("/docs")
    assert "content-security-policy" not in docs.headers  # Swagger UI needs its scripts


async def test_no_hsts_unless_enabled(client) -> None:  # type: ignore[no-untyped-def]
    r = await client.get("/")
    assert "strict-transport-security" not in r.headers


async def test_trusted_hosts(make_app) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(ALLOWED_HOSTS="api.contravento.test,*.contravento.test")
    ok = await h.client.get("/", headers={"Host": "api.contravento.test"})
    assert ok.status_code == 200
    sub = await h.client.get("/", headers={"Host": "eu.contravento.test:8443"})
    assert sub.status_code == 200
    bad = await h.client.get("/", headers={"Host": "evil.example"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "INVALID_HOST"
    # probes reach /health by IP
    probe = await h.client.get("/health", headers={"Host": "10.1.2.3:8000"})
    assert probe.status_code == 200
