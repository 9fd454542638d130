"""Sentry: enabled by SENTRY_DSN, and nothing personal leaves the process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from fastapi import APIRouter
from sentry_sdk.transport import Transport

from src.core.errortracking import init_sentry, scrub_event
from tests.conftest import AppHarness, make_settings

# Built at run time so that the literal values never sit in the source lines Sentry quotes
# around the failing frame.
PASSWORD = "".join(["Hun", "ter2!", "se", "cret"])
ACCESS = "-".join(["secret", "access", "token"])
COOKIE = "-".join(["cookie", "secret"])
REFRESH = "-".join(["very", "secret", "refresh"])
EMAIL = "@".join(["me", "example.com"])


class CapturingTransport(Transport):
    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.envelopes: list[Any] = []

    def capture_envelope(self, envelope: Any) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, Any]]:
        found = []
        for envelope in self.envelopes:
            for item in envelope.items:
                if item.type == "event":
                    found.append(item.payload.json)
        return found


@pytest.fixture
def transport() -> Iterator[CapturingTransport]:
    capture = CapturingTransport()
    yield capture
    sentry_sdk.init(dsn=None)  # back to disabled for the other tests


def test_disabled_without_dsn() -> None:
    assert init_sentry(make_settings()) is False


async def test_errors_reach_sentry_scrubbed(make_app, transport: CapturingTransport) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app()
    settings = make_settings(
        SENTRY_DSN="https://public@sentry.example/1", SENTRY_ENVIRONMENT="ci-tests"
    )
    assert init_sentry(settings, transport=transport) is True
    router = APIRouter()

    @router.post("/explode")
    async def explode(body: dict[str, Any]) -> None:
        password = body.get("password")  # a local variable the frame would carry
        raise RuntimeError(f"boom {len(str(password))}")

    h.app.include_router(router)
    r = await h.client.post(
        f"/explode?refresh_token={REFRESH}&x=1",
        json={"password": PASSWORD, "email": EMAIL},
        headers={"Authorization": f"Bearer {ACCESS}", "Cookie": f"sid={COOKIE}"},
    )
    assert r.status_code == 500
    sentry_sdk.flush(timeout=5)
    events = transport.events()
    assert events, "the error was not sent to Sentry"
    event = events[-1]
    assert event["environment"] == "ci-tests"
    text = str(event)
    for secret in (
        "Hunter2!secret",
        "secret-access-token",
        "cookie-secret",
        "very-secret-refresh",
        "me@example.com",
    ):
        assert secret not in text
    assert "RuntimeError" in text


def test_scrub_event_unit() -> None:
    event = {
        "request": {
            "url": "https://api/x?token=abc&page=2",
            "query_string": "email=a@b.c&page=2",
            "headers": {"Authorization": "Bearer x", "User-Agent": "ua"},
            "cookies": {"s": "1"},
            "data": {"password": "p"},
        },
        "user": {"id": "42", "email": "a@b.c", "ip_address": "1.2.3.4"},
        "extra": {"refresh_token": "r", "count": 3},
    }
    clean = scrub_event(event)
    assert clean["request"]["headers"] == {"Authorization": "[redacted]", "User-Agent": "ua"}
    assert "cookies" not in clean["request"]
    assert "data" not in clean["request"]
    assert clean["request"]["url"] == "https://api/x?token=[redacted]&page=2"
    assert clean["request"]["query_string"] == "email=[redacted]&page=2"
    assert clean["user"] == {"id": "42"}
    assert clean["extra"] == {"refresh_token": "[redacted]", "count": 3}
