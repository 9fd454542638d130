"""The NUL character (U+0000) is refused wherever a request can carry text.

PostgreSQL cannot store it, nor even compare a value holding it, so before this guard a
NUL in a profile field, a privacy zone name, a login, a query parameter or a path segment
reached the database and came back as a 500 (found by the hostile-input suite:
``PUT /users/{u}/privacy-zones`` with ``"name": "E\\u0000o"``).  The rule is checked on
both databases; the answer is the usual 400 ``VALIDATION_ERROR``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import AppHarness
from tests.helpers import PASSWORD, register
from tests.trips.helpers import make_rider, published_trip

NUL = "a\u0000b"


def _is_nul_refusal(response: Any) -> bool:
    body = response.json()
    return (
        response.status_code == 400
        and body["error"]["code"] == "VALIDATION_ERROR"
        and "U+0000" in body["error"]["message"]
    )


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/auth/login", {"json": {"login": NUL, "password": NUL}}),
        ("POST", "/auth/login", {"json": {"email": NUL, "password": "x"}}),
        ("PUT", "/users/ana/profile", {"json": {"full_name": NUL}}),
        ("PUT", "/users/ana/profile", {"json": {"bio": "ok", "location": NUL}}),
        (
            "PUT",
            "/users/ana/privacy-zones",
            {"json": {"zones": [{"name": NUL, "latitude": 1, "longitude": 2, "radius_m": 500}]}},
        ),
        ("GET", "/users/a%00b/profile", {}),
        ("GET", "/trips/a%00b", {}),
        ("GET", "/trips/public", {"params": {"tag": NUL}}),
        ("POST", "/auth/resend-verification", {"params": {"email": NUL}}),
        ("POST", "/trips", {"json": {"title": NUL}}),
        # JSON with no Content-Type is parsed as JSON too
        ("POST", "/auth/login", {"content": b'{"login": "a\\u0000", "password": "x"}'}),
    ],
)
async def test_nul_is_refused_with_a_validation_error(
    harness: AppHarness, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    ana = await make_rider(harness, "ana")
    await published_trip(harness, ana)
    response = await harness.client.request(method, path, headers=ana.headers, **kwargs)
    assert _is_nul_refusal(response), response.text


async def test_registration_with_a_nul_creates_nothing(harness: AppHarness) -> None:
    refused = await register(harness.client, "nul_rider", full_name=NUL)
    assert _is_nul_refusal(refused), refused.text
    login = await harness.client.post("/auth/login", json={"login": "nul_rider", "password": "x"})
    assert login.status_code == 401
    assert (await register(harness.client, "nul_rider", full_name="Ana")).status_code == 201


async def test_a_refused_edit_leaves_the_profile_unchanged(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    ok = await harness.client.put(
        "/users/ana/profile", json={"full_name": "Ana Ruiz"}, headers=ana.headers
    )
    assert ok.status_code == 200, ok.text
    refused = await harness.client.put(
        "/users/ana/profile", json={"full_name": NUL, "bio": "otra"}, headers=ana.headers
    )
    assert _is_nul_refusal(refused)
    profile = (await harness.client.get("/users/ana/profile", headers=ana.headers)).json()
    assert profile["full_name"] == "Ana Ruiz"
    assert profile["bio"] is None


async def test_an_escaped_backslash_before_u0000_is_ordinary_text(harness: AppHarness) -> None:
    """``"C:\\\\u0000"`` in JSON is the six characters ``\\u0000``, not a NUL."""
    ana = await make_rider(harness, "ana")
    response = await harness.client.put(
        "/users/ana/profile",
        content=b'{"bio": "C:\\\\u0000 y \\\\\\\\"}',
        headers={**ana.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["bio"] == "C:\\u0000 y \\\\"
    # an odd run of backslashes ends in an escape again: that one is a NUL
    refused = await harness.client.put(
        "/users/ana/profile",
        content=b'{"bio": "C:\\\\\\u0000"}',
        headers={**ana.headers, "Content-Type": "application/json"},
    )
    assert _is_nul_refusal(refused), refused.text


async def test_requests_without_a_nul_pass_through_unchanged(harness: AppHarness) -> None:
    """The guard reads JSON bodies and hands them on: large and chunked bodies arrive whole."""
    ana = await make_rider(harness, "ana")
    bio = "é" * 250
    response = await harness.client.put(
        "/users/ana/profile", json={"bio": bio, "location": "Jaén"}, headers=ana.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["bio"] == bio

    async def chunks() -> Any:
        yield b'{"login": "ana", '
        yield b'"password": "' + PASSWORD.encode() + b'"}'

    login = await harness.client.post(
        "/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert login.status_code == 200, login.text
    assert login.json()["data"]["user"]["username"] == "ana"
