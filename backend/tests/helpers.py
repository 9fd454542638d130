"""Helpers shared by the tests."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.conftest import AppHarness

PASSWORD = "Sup3r!Secret"


async def register(
    client: httpx.AsyncClient, username: str = "ana_rider", email: str | None = None, **extra: Any
) -> httpx.Response:
    body = {
        "username": username,
        "email": email or f"{username}@example.com",
        "password": extra.pop("password", PASSWORD),
        **extra,
    }
    return await client.post("/auth/register", json=body)


def token_from_link(body: str, path: str) -> str:
    match = re.search(rf"https?://\S+/{path}\?token=([A-Za-z0-9_\-]+)", body)
    assert match, f"no {path} link in: {body!r}"
    return match.group(1)


async def register_verified(
    h: AppHarness, username: str = "ana_rider", email: str | None = None
) -> dict[str, Any]:
    """Register, verify through the emailed link and log in; return the login data."""
    response = await register(h.client, username, email)
    assert response.status_code == 201, response.text
    messages = await h.deliver_mail()
    body = messages[-1].get_content()
    token = token_from_link(body, "verify-email")
    verified = await h.client.post("/auth/verify-email", params={"token": token})
    assert verified.status_code == 200, verified.text
    login = await h.client.post("/auth/login", json={"login": username, "password": PASSWORD})
    assert login.status_code == 200, login.text
    data: dict[str, Any] = login.json()["data"]
    return data


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
