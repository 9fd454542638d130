"""Registration, email verification and resend (contract §2.2, §4.3-4.4, §8)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from src.auth.models import AuthToken, User
from src.core.database import utcnow
from src.users.models import UserProfile
from tests.conftest import AppHarness
from tests.helpers import PASSWORD, bearer, register, token_from_link


async def test_register_returns_201_with_contract_shape(harness: AppHarness) -> None:
    response = await register(harness.client, "Ana_Rider", "Ana@Example.COM", full_name="Ana R")
    assert response.status_code == 201
    body = response.json()
    assert body["success"] is True
    assert body["error"] is None
    assert body["message"] == "Usuario registrado. Revisa tu email para verificar tu cuenta."
    data = body["data"]
    assert set(data) == {"user_id", "username", "email", "is_verified", "is_active", "created_at"}
    assert data["username"] == "Ana_Rider"  # case preserved
    assert data["email"] == "ana@example.com"  # lower-cased
    assert data["is_verified"] is False
    assert data["is_active"] is True
    assert data["created_at"].endswith("Z")
    async with harness.services.db.sessionmaker() as session:
        profile = (await session.execute(select(UserProfile))).scalar_one()
        assert profile.full_name == "Ana R"
        user = (await session.execute(select(User))).scalar_one()
        assert user.hashed_password.startswith("$2")
        assert PASSWORD not in user.hashed_password


async def test_register_english_message(harness: AppHarness) -> None:
    response = await harness.client.post(
        "/auth/register",
        json={"username": "bob_b", "email": "bob@example.com", "password": PASSWORD},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    assert response.json()["message"] == "User registered. Check your email to verify your account."


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Sh0rt!", "La contraseña debe tener al menos 8 caracteres"),
        ("A1!" + "a" * 70, "La contraseña no puede exceder 72 bytes"),
        ("lowercase1!", "La contraseña debe contener al menos una letra mayúscula"),
        ("UPPERCASE1!", "La contraseña debe contener al menos una letra minúscula"),
        ("NoDigits!!", "La contraseña debe contener al menos un número"),
        ("NoSpecial123", "La contraseña debe contener al menos un carácter especial"),
    ],
)
async def test_register_password_rules(client, password: str, message: str) -> None:  # type: ignore[no-untyped-def]
    response = await register(client, "pw_user", password=password)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["field"] == "password"
    assert error["message"] == f"Error de validación en el campo 'password': {message}"


@pytest.mark.parametrize(
    ("username", "fragment"),
    [("ab", "entre 3 y 30"), ("x" * 31, "entre 3 y 30"), ("bad-name", "guiones bajos")],
)
async def test_register_username_rules(client, username: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    response = await register(client, username, email="u@example.com")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "username"
    assert fragment in response.json()["error"]["message"]


async def test_register_invalid_email_and_missing_field(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/auth/register", json={"username": "abc", "email": "nope", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "email"
    response = await client.post("/auth/register", json={"username": "abc", "password": PASSWORD})
    assert response.json()["error"]["field"] == "email"
    assert "Campo obligatorio" in response.json()["error"]["message"]


async def test_register_malformed_json_is_400(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/auth/register", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_duplicate_username_and_email(client) -> None:  # type: ignore[no-untyped-def]
    assert (await register(client, "dup_user", "dup@example.com")).status_code == 201
    again = await register(client, "dup_user", "other@example.com")
    assert again.status_code == 400
    assert again.json()["error"] == {
        "code": "USERNAME_TAKEN",
        "message": "El nombre de usuario 'dup_user' ya está en uso",
        "field": "username",
    }
    email = await register(client, "other_user", "DUP@example.com")
    assert email.status_code == 400
    assert email.json()["error"]["code"] == "EMAIL_TAKEN"
    assert email.json()["error"]["field"] == "email"
    # usernames are case-sensitive, as in the original
    assert (await register(client, "Dup_User", "dup3@example.com")).status_code == 201


async def test_concurrent_registration_never_500(harness: AppHarness) -> None:
    async def attempt(i: int):  # type: ignore[no-untyped-def]
        return await register(harness.client, "racer", f"racer{i}@example.com")

    responses = await asyncio.gather(*(attempt(i) for i in range(6)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 400, 400, 400, 400, 400], [r.text for r in responses]
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 400} == {
        "USERNAME_TAKEN"
    }

    async def same_email(i: int):  # type: ignore[no-untyped-def]
        return await register(harness.client, f"mail{i}", "shared@example.com")

    responses = await asyncio.gather(*(same_email(i) for i in range(6)))
    assert sorted(r.status_code for r in responses) == [201, 400, 400, 400, 400, 400]
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 400} == {"EMAIL_TAKEN"}


async def test_verification_email_link_verifies_once(harness: AppHarness) -> None:
    await register(harness.client, "verif", "verif@example.com")
    messages = await harness.deliver_mail()
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "verif@example.com"
    assert message["Subject"] == "Verifica tu cuenta en ContraVento"
    token = token_from_link(message.get_content(), "verify-email")
    assert "http://app.test/verify-email?token=" in message.get_content()

    # not verified yet: login refused
    login = await harness.client.post("/auth/login", json={"login": "verif", "password": PASSWORD})
    assert login.status_code == 400
    assert login.json()["error"]["code"] == "EMAIL_NOT_VERIFIED"

    ok = await harness.client.post("/auth/verify-email", params={"token": token})
    assert ok.status_code == 200
    assert ok.json() == {
        "success": True,
        "data": None,
        "error": None,
        "message": "Tu cuenta ha sido verificada correctamente",
    }
    # single use
    again = await harness.client.post("/auth/verify-email", params={"token": token})
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "INVALID_TOKEN"
    login = await harness.client.post("/auth/login", json={"login": "verif", "password": PASSWORD})
    assert login.status_code == 200


async def test_verification_token_is_not_an_access_token(harness: AppHarness) -> None:
    await register(harness.client, "sneaky", "sneaky@example.com")
    token = token_from_link((await harness.deliver_mail())[0].get_content(), "verify-email")
    for path in ("/auth/me",):
        response = await harness.client.get(path, headers=bearer(token))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "UNAUTHORIZED"
    refresh = await harness.client.post("/auth/refresh", params={"refresh_token": token})
    assert refresh.status_code == 401, refresh.text
    # ...and it still verifies afterwards
    ok = await harness.client.post("/auth/verify-email", params={"token": token})
    assert ok.status_code == 200


async def test_tokens_are_stored_as_sha256_digests(harness: AppHarness) -> None:
    await register(harness.client, "digest", "digest@example.com")
    token = token_from_link((await harness.deliver_mail())[0].get_content(), "verify-email")
    async with harness.services.db.sessionmaker() as session:
        row = (await session.execute(select(AuthToken))).scalar_one()
    assert row.token_type == "email_verification"
    assert token not in row.token_hash
    assert len(row.token_hash) == 64
    assert not row.token_hash.startswith("$2")


async def test_expired_and_unknown_verification_tokens(harness: AppHarness) -> None:
    await register(harness.client, "late", "late@example.com")
    token = token_from_link((await harness.deliver_mail())[0].get_content(), "verify-email")
    async with harness.services.db.sessionmaker() as session:
        await session.execute(update(AuthToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        await session.commit()
    expired = await harness.client.post("/auth/verify-email", params={"token": token})
    assert expired.status_code == 400
    assert expired.json()["error"]["code"] == "TOKEN_EXPIRED"
    unknown = await harness.client.post("/auth/verify-email", params={"token": "nope"})
    assert unknown.json()["error"]["code"] == "INVALID_TOKEN"
    missing = await harness.client.post("/auth/verify-email")
    assert missing.status_code == 400
    assert missing.json()["error"]["field"] == "query.token"


async def test_resend_verification_same_answer_for_everyone(harness: AppHarness) -> None:
    await register(harness.client, "resend", "resend@example.com")
    await harness.deliver_mail()
    answers = []
    for email in ("resend@example.com", "nobody@example.com"):
        response = await harness.client.post("/auth/resend-verification", params={"email": email})
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][1]["message"] == "Email de verificación enviado"
    messages = await harness.deliver_mail()
    assert [m["To"] for m in messages] == ["resend@example.com", "resend@example.com"]
    # the new link works
    token = token_from_link(messages[-1].get_content(), "verify-email")
    ok = await harness.client.post("/auth/verify-email", params={"token": token})
    assert ok.status_code == 200


async def test_resend_rate_limit_applies_to_unknown_addresses_too(harness: AppHarness) -> None:
    for email in ("ghost@example.com", "real@example.com"):
        if email == "real@example.com":
            await register(harness.client, "real_one", email)
        codes = []
        for _ in range(4):
            response = await harness.client.post(
                "/auth/resend-verification", params={"email": email}
            )
            codes.append(response.status_code)
        assert codes == [200, 200, 200, 429]
        assert response.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
        assert int(response.headers["Retry-After"]) > 0


async def test_testing_environment_auto_verifies(make_app) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(AUTO_VERIFY_EMAIL=None)
    response = await register(h.client, "auto_v", "auto@example.com")
    assert response.json()["data"]["is_verified"] is True
    assert "entorno de testing" in response.json()["message"]
    assert await h.deliver_mail() == []
    login = await h.client.post("/auth/login", json={"login": "auto_v", "password": PASSWORD})
    assert login.status_code == 200
