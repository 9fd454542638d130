"""GET /, /health, error envelopes, CORS, docs, language and request ids."""

from __future__ import annotations

import httpx
from fastapi import APIRouter

from tests.conftest import AppHarness


async def test_root(client: httpx.AsyncClient) -> None:
    r = await client.get("/")
    assert r.status_code == 200
    assert r.json() == {
        "success": True,
        "data": {"message": "ContraVento API", "version": "0.1.0", "docs": "/docs"},
        "error": None,
    }
    stamp = r.headers["X-Timestamp"]
    assert stamp.endswith("Z")
    assert "+00:00" not in stamp


async def test_health_connected(client: httpx.AsyncClient) -> None:
    r = await client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["success"] is True
    assert body["error"] is None
    assert body["status"] == "healthy"
    assert body["database"] == "connected"
    data = body["data"]
    assert data["status"] == "healthy"
    assert data["environment"] == "testing"
    assert data["database"] == "connected"
    assert data["redis"] == "disabled"
    assert data["timestamp"].endswith("Z")


async def test_health_disconnected_is_503(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(DATABASE_URL="postgresql+asyncpg://nobody:x@127.0.0.1:9/none")
    r = await h.client.get("/health")
    assert r.status_code == 503
    body = r.json()
    assert body["success"] is False
    assert body["database"] == "disconnected"
    assert body["data"]["database"] == "disconnected"
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"


async def test_database_down_is_503_with_retry_after(make_app) -> None:  # type: ignore[no-untyped-def]
    """Reads and writes while PostgreSQL cannot be reached: 503 in the envelope, never 500."""
    h = await make_app(DATABASE_URL="postgresql+asyncpg://nobody:x@127.0.0.1:9/none")
    for method, path, body in (
        ("GET", "/trips/public", None),
        ("GET", "/users/somebody/profile", None),
        ("POST", "/auth/login", {"login": "somebody", "password": "Whatever123!"}),
    ):
        r = await h.client.request(
            method, path, json=body, headers={"Accept-Language": "en", "Origin": "http://app.test"}
        )
        assert r.status_code == 503, (path, r.text)
        assert r.headers["Retry-After"] == "5"
        assert r.headers["access-control-allow-origin"] == "http://app.test"
        assert r.json() == {
            "success": False,
            "data": None,
            "error": {
                "code": "SERVICE_UNAVAILABLE",
                "message": "The service is currently unavailable",
            },
        }


def test_only_connection_failures_count_as_database_unavailable() -> None:
    import asyncpg
    from sqlalchemy import exc as sa_exc

    from src.core.errors import database_unavailable

    def wrapped(orig: BaseException, invalidated: bool = False) -> sa_exc.DBAPIError:
        return sa_exc.DBAPIError("SELECT 1", None, orig, connection_invalidated=invalidated)

    lost = asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed")
    assert database_unavailable(wrapped(lost))
    assert database_unavailable(wrapped(Exception("x"), invalidated=True))
    assert database_unavailable(ConnectionRefusedError(111, "refused"))
    assert database_unavailable(sa_exc.TimeoutError("QueuePool limit"))
    assert database_unavailable(asyncpg.exceptions.CannotConnectNowError("starting up"))
    outer = RuntimeError("while reading")
    outer.__cause__ = lost
    assert database_unavailable(outer)
    assert not database_unavailable(RuntimeError("bug"))
    assert not database_unavailable(wrapped(ValueError("bad value")))
    assert not database_unavailable(sa_exc.IntegrityError("INSERT", None, Exception("dup")))


async def test_unknown_route_and_method(client: httpx.AsyncClient) -> None:
    r = await client.get("/nope")
    assert r.status_code == 404
    assert r.json() == {
        "success": False,
        "data": None,
        "error": {"code": "HTTP_404", "message": "No encontrado"},
    }
    r = await client.get("/nope", headers={"Accept-Language": "en"})
    assert r.json()["error"]["message"] == "Not Found"
    r = await client.delete("/auth/login")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "HTTP_405"


async def test_unhandled_error_is_500_envelope_without_details(harness: AppHarness) -> None:
    router = APIRouter()

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    harness.app.include_router(router)
    r = await harness.client.get("/boom", headers={"Origin": "http://app.test"})
    assert r.status_code == 500
    assert r.json() == {
        "success": False,
        "data": None,
        "error": {
            "code": "INTERNAL_ERROR",
            "message": "Ha ocurrido un error interno. Por favor intenta de nuevo más tarde.",
        },
    }
    assert "secret" not in r.text
    assert r.headers["access-control-allow-origin"] == "http://app.test"


async def test_validation_messages_in_english(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/auth/register",
        json={"username": "abc", "email": "abc@example.com", "password": "short"},
        headers={"Accept-Language": "en-US"},
    )
    assert r.json()["error"]["message"] == (
        "Validation error in field 'password': The password must be at least 8 characters long"
    )


async def test_cors_allowed_and_refused(client: httpx.AsyncClient) -> None:
    preflight = {
        "Origin": "http://app.test",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    r = await client.options("/auth/login", headers=preflight)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "http://app.test"
    assert r.headers["access-control-allow-credentials"] == "true"
    r = await client.options("/auth/login", headers={**preflight, "Origin": "http://evil.test"})
    assert "access-control-allow-origin" not in r.headers
    r = await client.get("/", headers={"Origin": "http://evil.test"})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers
    r = await client.get("/", headers={"Origin": "http://app.test"})
    assert r.headers["access-control-allow-origin"] == "http://app.test"


async def test_docs_served_outside_production(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/redoc")).status_code == 200
    assert (await client.get("/openapi.json")).status_code == 200


async def test_docs_hidden_in_production(make_app) -> None:  # type: ignore[no-untyped-def]
    # The docs need no database; production refuses SQLite, so name an (unused) server.
    h = await make_app(
        APP_ENV="production",
        DATABASE_URL="postgresql+asyncpg://app:pw@127.0.0.1:9/contravento",
        SECRET_KEY="Q" * 40 + "z" * 100,
        BCRYPT_ROUNDS=12,
        SMTP_TLS=True,
        SMTP_HOST="127.0.0.1",
        CORS_ORIGINS="https://contravento.com",
    )
    assert (await h.client.get("/docs")).status_code == 404
    assert (await h.client.get("/redoc")).status_code == 404
    root = await h.client.get("/")
    assert root.json()["data"]["docs"] is None


async def test_request_id_propagated_or_generated(client: httpx.AsyncClient) -> None:
    r = await client.get("/", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    r = await client.get("/", headers={"X-Request-ID": "bad id with spaces\x00"})
    assert r.headers["X-Request-ID"] != "bad id with spaces\x00"
    assert len(r.headers["X-Request-ID"]) == 32


async def test_openapi_documents_error_envelope(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    login = schema["paths"]["/auth/login"]["post"]
    assert "400" in login["responses"]
    assert "401" in login["responses"]
    assert "ErrorEnvelope" in schema["components"]["schemas"]
