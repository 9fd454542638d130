"""Login, lockout, refresh rotation, logout, password reset and /auth/me."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from src.auth.models import User
from src.core import security
from src.core.database import utcnow
from tests.conftest import AppHarness
from tests.helpers import PASSWORD, bearer, register, register_verified, token_from_link


async def test_login_shape_and_me(harness: AppHarness) -> None:
    data = await register_verified(harness, "lina", "lina@example.com")
    assert set(data) == {"access_token", "refresh_token", "token_type", "expires_in", "user"}
    assert data["token_type"] == "bearer"
    assert data["expires_in"] == 900
    user = data["user"]
    assert set(user) == {
        "user_id",
        "username",
        "email",
        "is_verified",
        "profile_visibility",
        "trip_visibility",
        "created_at",
        "photo_url",
        "bio",
        "location",
        "cycling_type",
    }
    assert user["username"] == "lina"
    assert user["is_verified"] is True
    assert user["profile_visibility"] == "public"
    assert user["trip_visibility"] == "public"
    me = await harness.client.get("/auth/me", headers=bearer(data["access_token"]))
    assert me.status_code == 200
    assert me.json()["data"]["user_id"] == user["user_id"]
    assert "role" not in me.json()["data"]


@pytest.mark.parametrize("field", ["login", "username", "email"])
async def test_login_identifier_field_variants(harness: AppHarness, field: str) -> None:
    await register_verified(harness, "vari", "Vari@Example.com")
    identifier = "VARI@example.COM" if field == "email" else "vari"
    response = await harness.client.post(
        "/auth/login", json={field: identifier, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    # the login field also accepts an email, case-insensitively
    response = await harness.client.post(
        "/auth/login", json={"login": "vari@EXAMPLE.com", "password": PASSWORD}
    )
    assert response.status_code == 200


async def test_login_requires_an_identifier(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/auth/login", json={"password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["field"] == ""


async def test_username_login_is_case_sensitive(harness: AppHarness) -> None:
    await register_verified(harness, "CaseUser", "case@example.com")
    response = await harness.client.post(
        "/auth/login", json={"login": "caseuser", "password": PASSWORD}
    )
    assert response.status_code == 401


async def test_unknown_user_and_wrong_password_look_the_same(harness: AppHarness) -> None:
    await register_verified(harness, "known", "known@example.com")
    wrong = await harness.client.post(
        "/auth/login", json={"login": "known", "password": "Nope1!xx"}
    )
    unknown = await harness.client.post(
        "/auth/login", json={"login": "unknown", "password": "Nope1!xx"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == {
        "code": "INVALID_CREDENTIALS",
        "message": "Email/usuario o contraseña incorrectos",
    }


async def test_unknown_login_spends_bcrypt_time(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(BCRYPT_ROUNDS=12)
    requests: list[dict[str, Any]] = []
    original = security._run_bcrypt

    async def spy(request: dict[str, Any]) -> dict[str, Any]:
        requests.append(request)
        return await original(request)

    monkeypatch.setattr(security, "_run_bcrypt", spy)
    started = time.perf_counter()
    response = await h.client.post("/auth/login", json={"login": "ghost", "password": "Xx1!xxxx"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 401
    # exactly one bcrypt verification, against a real 12-round hash
    assert [r["op"] for r in requests] == ["verify"]
    assert requests[0]["hash"].startswith("$2b$12$")
    assert requests[0]["hash"] == h.services.hasher._dummy_hash
    assert elapsed > 0.05  # a 12-round bcrypt is never instant


async def test_lockout_after_max_attempts_and_fresh_count_after_expiry(
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    h = await make_app(LOGIN_MAX_ATTEMPTS=3, LOGIN_LOCKOUT_MINUTES=15)
    await register_verified(h, "locky", "locky@example.com")
    codes = []
    for _ in range(3):
        r = await h.client.post("/auth/login", json={"login": "locky", "password": "Wrong1!xx"})
        codes.append(r.status_code)
    assert codes == [401, 401, 429]
    assert r.json()["error"]["code"] == "ACCOUNT_LOCKED"
    # even the right password is refused while locked
    r = await h.client.post("/auth/login", json={"login": "locky", "password": PASSWORD})
    assert r.status_code == 429
    assert "15 minutos" in r.json()["error"]["message"]
    # the lock expires: a single new failure does not relock (fresh count)
    async with h.services.db.sessionmaker() as session:
        await session.execute(update(User).values(locked_until=utcnow() - timedelta(seconds=1)))
        await session.commit()
    r = await h.client.post("/auth/login", json={"login": "locky", "password": "Wrong1!xx"})
    assert r.status_code == 401
    async with h.services.db.sessionmaker() as session:
        user = (await session.execute(select(User))).scalar_one()
        assert user.failed_login_attempts == 1
        assert user.locked_until is None
    r = await h.client.post("/auth/login", json={"login": "locky", "password": PASSWORD})
    assert r.status_code == 200
    async with h.services.db.sessionmaker() as session:
        user = (await session.execute(select(User))).scalar_one()
        assert user.failed_login_attempts == 0
        assert user.last_login_at is not None


async def test_unknown_identifiers_lock_like_known_ones(make_app) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(LOGIN_MAX_ATTEMPTS=3)
    codes = []
    for _ in range(4):
        r = await h.client.post("/auth/login", json={"login": "phantom", "password": "Wrong1!xx"})
        codes.append(r.status_code)
    assert codes == [401, 401, 429, 429]
    assert r.json()["error"]["code"] == "ACCOUNT_LOCKED"


async def test_inactive_account(harness: AppHarness) -> None:
    await register_verified(harness, "gone", "gone@example.com")
    async with harness.services.db.sessionmaker() as session:
        await session.execute(update(User).values(is_active=False))
        await session.commit()
    r = await harness.client.post("/auth/login", json={"login": "gone", "password": PASSWORD})
    assert r.status_code == 401
    assert r.json()["error"]["message"] == "Tu cuenta ha sido desactivada"


async def test_refresh_rotates_and_reuse_revokes_family(harness: AppHarness) -> None:
    data = await register_verified(harness, "rot", "rot@example.com")
    first = data["refresh_token"]
    r1 = await harness.client.post("/auth/refresh", params={"refresh_token": first})
    assert r1.status_code == 200
    body = r1.json()["data"]
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    second = body["refresh_token"]
    assert second != first
    me = await harness.client.get("/auth/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    # presenting the rotated token again: refused, and the whole family dies
    reuse = await harness.client.post("/auth/refresh", params={"refresh_token": first})
    assert reuse.status_code == 401
    assert reuse.json()["error"]["code"] == "INVALID_REFRESH_TOKEN"
    after = await harness.client.post("/auth/refresh", params={"refresh_token": second})
    assert after.status_code == 401
    # another login (another family) is unaffected
    other = await harness.client.post("/auth/login", json={"login": "rot", "password": PASSWORD})
    fresh = other.json()["data"]["refresh_token"]
    ok = await harness.client.post("/auth/refresh", params={"refresh_token": fresh})
    assert ok.status_code == 200


async def test_concurrent_refresh_only_one_wins(harness: AppHarness) -> None:
    data = await register_verified(harness, "twice", "twice@example.com")
    token = data["refresh_token"]
    results = await asyncio.gather(
        *(harness.client.post("/auth/refresh", params={"refresh_token": token}) for _ in range(4))
    )
    codes = sorted(r.status_code for r in results)
    assert codes.count(200) == 1, codes
    assert codes.count(401) == 3, codes


async def test_expired_refresh_token(harness: AppHarness) -> None:
    from src.auth.models import AuthToken

    data = await register_verified(harness, "exp", "exp@example.com")
    async with harness.services.db.sessionmaker() as session:
        await session.execute(
            update(AuthToken)
            .where(AuthToken.token_type == "refresh_token")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    r = await harness.client.post("/auth/refresh", params={"refresh_token": data["refresh_token"]})
    assert r.status_code == 401


async def test_refresh_and_access_tokens_are_not_interchangeable(harness: AppHarness) -> None:
    data = await register_verified(harness, "swap", "swap@example.com")
    r = await harness.client.get("/auth/me", headers=bearer(data["refresh_token"]))
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == "Bearer"
    r = await harness.client.post("/auth/refresh", params={"refresh_token": data["access_token"]})
    assert r.status_code == 401


async def test_logout_revokes_refresh_token(harness: AppHarness) -> None:
    data = await register_verified(harness, "bye", "bye@example.com")
    headers = bearer(data["access_token"])
    r = await harness.client.post(
        "/auth/logout", params={"refresh_token": data["refresh_token"]}, headers=headers
    )
    assert r.status_code == 200
    assert r.json()["message"] == "Sesión cerrada correctamente"
    r = await harness.client.post("/auth/refresh", params={"refresh_token": data["refresh_token"]})
    assert r.status_code == 401
    # unknown token, no bearer
    r = await harness.client.post("/auth/logout", params={"refresh_token": "x"}, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "INVALID_REFRESH_TOKEN"
    r = await harness.client.post("/auth/logout", params={"refresh_token": "x"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "UNAUTHORIZED"


async def test_logout_with_several_sessions_is_never_500(harness: AppHarness) -> None:
    data = await register_verified(harness, "multi", "multi@example.com")
    second = await harness.client.post("/auth/login", json={"login": "multi", "password": PASSWORD})
    other = second.json()["data"]
    r = await harness.client.post(
        "/auth/logout",
        params={"refresh_token": other["refresh_token"]},
        headers=bearer(data["access_token"]),
    )
    assert r.status_code == 200
    # the first session is still alive
    ok = await harness.client.post("/auth/refresh", params={"refresh_token": data["refresh_token"]})
    assert ok.status_code == 200


async def test_cannot_logout_someone_elses_session(harness: AppHarness) -> None:
    a = await register_verified(harness, "alice", "alice@example.com")
    b = await register_verified(harness, "bobby", "bobby@example.com")
    r = await harness.client.post(
        "/auth/logout",
        params={"refresh_token": b["refresh_token"]},
        headers=bearer(a["access_token"]),
    )
    assert r.status_code == 401
    ok = await harness.client.post("/auth/refresh", params={"refresh_token": b["refresh_token"]})
    assert ok.status_code == 200


async def test_password_reset_flow(make_app) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(LOGIN_MAX_ATTEMPTS=2)
    data = await register_verified(h, "forgot", "forgot@example.com")
    # lock the account first: the reset must clear the lock
    for _ in range(2):
        await h.client.post("/auth/login", json={"login": "forgot", "password": "Wrong1!xx"})
    known = await h.client.post(
        "/auth/password-reset/request", json={"email": "Forgot@example.com"}
    )
    unknown = await h.client.post("/auth/password-reset/request", json={"email": "no@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert known.json()["message"] == "Si el email existe, recibirás un enlace de restablecimiento"
    messages = await h.deliver_mail()
    reset_mail = messages[-1]
    assert reset_mail["To"] == "forgot@example.com"
    token = token_from_link(reset_mail.get_content(), "reset-password")
    # the reset token is not an access token
    assert (await h.client.get("/auth/me", headers=bearer(token))).status_code == 401

    weak = await h.client.post(
        "/auth/password-reset/confirm", json={"token": token, "new_password": "weak"}
    )
    assert weak.status_code == 400
    assert weak.json()["error"]["field"] == "new_password"
    new_password = "N3w!Password"
    ok = await h.client.post(
        "/auth/password-reset/confirm", json={"token": token, "new_password": new_password}
    )
    assert ok.status_code == 200
    assert ok.json()["message"] == "Contraseña actualizada correctamente"
    again = await h.client.post(
        "/auth/password-reset/confirm", json={"token": token, "new_password": new_password}
    )
    assert again.json()["error"]["code"] == "INVALID_TOKEN"
    # old sessions are dead, the old password too; the new one works despite the old lock
    old_refresh = await h.client.post(
        "/auth/refresh", params={"refresh_token": data["refresh_token"]}
    )
    assert old_refresh.status_code == 401
    old_access = await h.client.get("/auth/me", headers=bearer(data["access_token"]))
    assert old_access.status_code == 401
    bad = await h.client.post("/auth/login", json={"login": "forgot", "password": PASSWORD})
    assert bad.status_code == 401
    good = await h.client.post("/auth/login", json={"login": "forgot", "password": new_password})
    assert good.status_code == 200
    me = await h.client.get("/auth/me", headers=bearer(good.json()["data"]["access_token"]))
    assert me.status_code == 200


async def test_password_reset_expired_token(harness: AppHarness) -> None:
    from src.auth.models import AuthToken

    await register_verified(harness, "slow", "slow@example.com")
    await harness.client.post("/auth/password-reset/request", json={"email": "slow@example.com"})
    token = token_from_link((await harness.deliver_mail())[-1].get_content(), "reset-password")
    async with harness.services.db.sessionmaker() as session:
        await session.execute(
            update(AuthToken)
            .where(AuthToken.token_type == "password_reset")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    r = await harness.client.post(
        "/auth/password-reset/confirm", json={"token": token, "new_password": "N3w!Password"}
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "TOKEN_EXPIRED"


async def test_password_reset_emails_are_rate_limited_silently(harness: AppHarness) -> None:
    await register_verified(harness, "spam", "spam@example.com")
    before = len(await harness.deliver_mail())
    for _ in range(5):
        r = await harness.client.post(
            "/auth/password-reset/request", json={"email": "spam@example.com"}
        )
        assert r.status_code == 200
    assert len(await harness.deliver_mail()) - before == 3


async def test_me_requires_a_valid_token(client) -> None:  # type: ignore[no-untyped-def]
    for headers in ({}, {"Authorization": "Bearer garbage"}, {"Authorization": "Basic abc"}):
        r = await client.get("/auth/me", headers=headers)
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "UNAUTHORIZED"


async def test_expired_access_token(harness: AppHarness) -> None:
    data = await register_verified(harness, "old", "old@example.com")
    tokens = harness.services.tokens
    stale = tokens.create_access_token(
        data["user"]["user_id"], "old", now=utcnow() - timedelta(minutes=16)
    )
    r = await harness.client.get("/auth/me", headers=bearer(stale))
    assert r.status_code == 401


async def test_token_signed_with_another_key_is_refused(harness: AppHarness) -> None:
    import jwt

    data = await register_verified(harness, "forge", "forge@example.com")
    now = int(time.time())
    forged = jwt.encode(
        {"sub": data["user"]["user_id"], "type": "access", "iat": now, "exp": now + 60},
        "another-key-another-key-another-key-!!",
        algorithm="HS256",
    )
    assert (await harness.client.get("/auth/me", headers=bearer(forged))).status_code == 401
    none_alg = jwt.encode(
        {"sub": data["user"]["user_id"], "type": "access", "iat": now, "exp": now + 60},
        None,
        algorithm="none",
    )
    assert (await harness.client.get("/auth/me", headers=bearer(none_alg))).status_code == 401


async def test_register_then_login_with_unverified_wrong_password(harness: AppHarness) -> None:
    await register(harness.client, "unv", "unv@example.com")
    r = await harness.client.post("/auth/login", json={"login": "unv", "password": "Wrong1!xx"})
    assert r.status_code == 401  # credentials are checked before verification
