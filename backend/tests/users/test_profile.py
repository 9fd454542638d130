"""Profile routes: read, edit, privacy, photos, password change (contract §2.3, §4.5)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests import images
from tests.conftest import AppHarness
from tests.helpers import PASSWORD, bearer, register_verified


async def _seed_types(h: AppHarness) -> None:
    from src.cycling.service import ensure_default_types

    async with h.services.db.sessionmaker() as session:
        await ensure_default_types(session)
        await session.commit()


async def test_profile_shape_for_owner_and_others(harness: AppHarness) -> None:
    ana = await register_verified(harness, "ana", "ana@example.com")
    bob = await register_verified(harness, "bob", "bob@example.com")
    c = harness.client
    r = await c.get("/users/ana/profile")
    assert r.status_code == 200
    body = r.json()
    assert "success" not in body  # raw body, as the contract says
    assert set(body) == {
        "username",
        "full_name",
        "bio",
        "photo_url",
        "location",
        "cycling_type",
        "profile_visibility",
        "trip_visibility",
        "show_email",
        "show_location",
        "followers_count",
        "following_count",
        "is_following",
        "stats",
        "created_at",
    }
    assert body["is_following"] is None  # anonymous
    assert body["stats"] == {"total_trips": 0, "total_kilometers": 0.0, "achievements_count": 0}
    assert "email" not in r.text or "show_email" in r.text
    assert "ana@example.com" not in r.text
    own = await c.get("/users/ana/profile", headers=bearer(ana["access_token"]))
    assert own.json()["is_following"] is None
    other = await c.get("/users/ana/profile", headers=bearer(bob["access_token"]))
    assert other.json()["is_following"] is False
    # seed 002's alias
    alias = await c.get("/users/ana")
    assert alias.status_code == 200
    assert alias.json()["username"] == "ana"
    missing = await c.get("/users/nobody/profile")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "USER_NOT_FOUND"


async def test_update_profile_and_clear_fields(harness: AppHarness) -> None:
    await _seed_types(harness)
    ana = await register_verified(harness, "ana", "ana@example.com")
    h = bearer(ana["access_token"])
    body = {
        "full_name": "Ana García",
        "bio": "  Gravel y montaña  ",
        "location": "Granada",
        "cycling_type": "GRAVEL",
        "show_location": True,
    }
    r = await harness.client.put("/users/ana/profile", json=body, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["message"] == "Perfil actualizado correctamente"
    data = r.json()["data"]
    assert data["full_name"] == "Ana García"
    assert data["bio"] == "Gravel y montaña"
    assert data["cycling_type"] == "gravel"
    # null / omitted: unchanged; "": cleared
    r = await harness.client.patch("/users/ana", json={"bio": None, "location": ""}, headers=h)
    assert r.status_code == 200
    assert r.json()["data"]["bio"] == "Gravel y montaña"
    assert r.json()["data"]["location"] is None
    me = await harness.client.get("/auth/me", headers=h)
    assert me.json()["data"]["bio"] == "Gravel y montaña"
    assert me.json()["data"]["cycling_type"] == "gravel"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cycling_type": "unicycle"}, "cycling_type"),
        ({"bio": "x" * 501}, "bio"),
        ({"full_name": "x" * 101}, "full_name"),
        ({"profile_visibility": "friends"}, "profile_visibility"),
        ({"trip_visibility": "everyone"}, "trip_visibility"),
        ({"show_email": "perhaps"}, "show_email"),
    ],
)
async def test_update_profile_validation(
    harness: AppHarness, body: dict[str, Any], field: str
) -> None:
    await _seed_types(harness)
    ana = await register_verified(harness, "ana", "ana@example.com")
    r = await harness.client.put(
        "/users/ana/profile", json=body, headers=bearer(ana["access_token"])
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "VALIDATION_ERROR"
    assert r.json()["error"]["field"] == field


async def test_cycling_type_error_lists_active_codes(harness: AppHarness) -> None:
    await _seed_types(harness)
    ana = await register_verified(harness, "ana", "ana@example.com")
    r = await harness.client.put(
        "/users/ana/profile", json={"cycling_type": "unicycle"}, headers=bearer(ana["access_token"])
    )
    assert r.json()["error"]["message"].startswith("El tipo de ciclismo debe ser uno de: ")
    assert "gravel" in r.json()["error"]["message"]


async def test_only_the_owner_edits(harness: AppHarness) -> None:
    await register_verified(harness, "ana", "ana@example.com")
    bob = await register_verified(harness, "bob", "bob@example.com")
    h = bearer(bob["access_token"])
    requests = [
        ("PUT", "/users/ana/profile", {"json": {"bio": "hacked"}}),
        ("PATCH", "/users/ana", {"json": {"bio": "hacked"}}),
        ("PUT", "/users/ana/profile/privacy", {"json": {"show_email": True}}),
        (
            "PUT",
            "/users/ana/profile/password",
            {"json": {"current_password": "x", "new_password": "Abcdefg1"}},
        ),
        ("DELETE", "/users/ana/profile/photo", {}),
        (
            "POST",
            "/users/ana/profile/photo",
            {"files": {"photo": ("a.jpg", images.jpeg(), "image/jpeg")}},
        ),
        # the owner check runs before the existence check
        ("PUT", "/users/ghost/profile", {"json": {"bio": "x"}}),
    ]
    for method, path, kwargs in requests:
        r = await harness.client.request(method, path, headers=h, **kwargs)
        assert r.status_code == 403, (method, path, r.text)
        assert r.json()["error"] == {
            "code": "FORBIDDEN",
            "message": "No tienes permiso para modificar este perfil",
        }
    anonymous = await harness.client.put("/users/ana/profile", json={"bio": "x"})
    assert anonymous.status_code == 401
    profile = await harness.client.get("/users/ana/profile")
    assert profile.json()["bio"] is None


# who sees what: viewer x profile visibility x show_location -------------------------
VIEWERS = ["anonymous", "stranger", "follower", "owner"]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("show_location", [True, False])
async def test_profile_visibility_matrix(
    harness: AppHarness, viewer: str, visibility: str, show_location: bool
) -> None:
    owner = await register_verified(harness, "owner", "owner@example.com")
    stranger = await register_verified(harness, "stranger", "stranger@example.com")
    follower = await register_verified(harness, "follower", "follower@example.com")
    c = harness.client
    r = await c.post("/users/owner/follow", headers=bearer(follower["access_token"]))
    assert r.status_code == 200
    r = await c.put(
        "/users/owner/profile",
        json={
            "profile_visibility": visibility,
            "show_location": show_location,
            "location": "Soria",
            "show_email": True,
        },
        headers=bearer(owner["access_token"]),
    )
    assert r.status_code == 200
    tokens = {"stranger": stranger, "follower": follower, "owner": owner}
    headers = bearer(tokens[viewer]["access_token"]) if viewer in tokens else {}
    for path in ("/users/owner/profile", "/users/owner"):
        r = await c.get(path, headers=headers)
        if visibility == "private" and viewer != "owner":
            assert r.status_code == 403
            assert r.json()["error"]["code"] == "PRIVATE_PROFILE"
            continue
        assert r.status_code == 200
        body = r.json()
        expected_location = "Soria" if (show_location or viewer == "owner") else None
        assert body["location"] == expected_location
        # never an email, even with show_email on
        assert "owner@example.com" not in r.text
        expected_following = {"anonymous": None, "owner": None, "stranger": False, "follower": True}
        assert body["is_following"] is expected_following[viewer]


async def test_privacy_endpoint(harness: AppHarness) -> None:
    ana = await register_verified(harness, "ana", "ana@example.com")
    r = await harness.client.put(
        "/users/ana/profile/privacy",
        json={"show_email": True, "show_location": False},
        headers=bearer(ana["access_token"]),
    )
    assert r.status_code == 200
    assert r.json()["data"] == {"show_email": True, "show_location": False}
    assert r.json()["message"] == "Configuración de privacidad actualizada"
    r = await harness.client.put(
        "/users/ana/profile/privacy",
        json={"show_email": False},
        headers=bearer(ana["access_token"]),
    )
    assert r.json()["data"] == {"show_email": False, "show_location": False}


async def test_password_change(harness: AppHarness) -> None:
    ana = await register_verified(harness, "ana", "ana@example.com")
    other_session = (
        await harness.client.post("/auth/login", json={"login": "ana", "password": PASSWORD})
    ).json()["data"]
    h = bearer(ana["access_token"])
    wrong = await harness.client.put(
        "/users/ana/profile/password",
        json={"current_password": "Nope1234!", "new_password": "Another12"},
        headers=h,
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "INVALID_PASSWORD"
    weak = await harness.client.put(
        "/users/ana/profile/password",
        json={"current_password": PASSWORD, "new_password": "alllower1"},
        headers=h,
    )
    assert weak.status_code == 400
    assert weak.json()["error"]["field"] == "new_password"
    ok = await harness.client.put(
        "/users/ana/profile/password",
        json={"current_password": PASSWORD, "new_password": "Another12"},  # no special char needed
        headers=h,
    )
    assert ok.status_code == 200
    assert ok.json()["message"] == "Contraseña cambiada correctamente"
    # this session survives through its refresh token; the other session is over
    refreshed = await harness.client.post(
        "/auth/refresh", params={"refresh_token": ana["refresh_token"]}
    )
    assert refreshed.status_code == 200
    me = await harness.client.get(
        "/auth/me", headers=bearer(refreshed.json()["data"]["access_token"])
    )
    assert me.status_code == 200
    dead = await harness.client.post(
        "/auth/refresh", params={"refresh_token": other_session["refresh_token"]}
    )
    assert dead.status_code == 401
    assert (await harness.client.get("/auth/me", headers=h)).status_code == 401
    login = await harness.client.post("/auth/login", json={"login": "ana", "password": "Another12"})
    assert login.status_code == 200


# photos ------------------------------------------------------------------------------
def _stored_files(h: AppHarness) -> list[Path]:
    root = Path(h.services.settings.STORAGE_PATH)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def _upload(
    h: AppHarness, token: str, data: bytes, name: str = "x.jpg", ctype: str = "image/jpeg"
):  # type: ignore[no-untyped-def]
    return await h.client.post(
        "/users/ana/profile/photo",
        files={"photo": (name, data, ctype)},
        headers=bearer(token),
    )


@pytest.mark.parametrize(
    ("payload", "name", "ctype"),
    [
        (images.jpeg(1000, 500), "wide.jpg", "image/jpeg"),
        (images.png_rgba(), "alpha.png", "image/png"),
        (images.webp(), "pic.webp", "image/webp"),
        (images.jpeg(), "no-extension", "application/octet-stream"),  # content decides
    ],
)
async def test_profile_photo_is_square_400_jpeg(
    make_app,
    tmp_path: Path,
    payload: bytes,
    name: str,
    ctype: str,  # type: ignore[no-untyped-def]
) -> None:
    h = await make_app(STORAGE_PATH=tmp_path / "storage", BACKEND_URL="https://api.example.com")
    ana = await register_verified(h, "ana", "ana@example.com")
    r = await _upload(h, ana["access_token"], payload, name, ctype)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert r.json()["message"] == "Foto de perfil actualizada correctamente"
    assert data["photo_width"] == 400
    assert data["photo_height"] == 400
    assert data["photo_url"].startswith("https://api.example.com/storage/profile_photos/")
    assert data["photo_url"].endswith(".jpg")
    assert name not in data["photo_url"]
    files = _stored_files(h)
    assert len(files) == 1
    with Image.open(files[0]) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (400, 400)
    served = await h.client.get(data["photo_url"].removeprefix("https://api.example.com"))
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    profile = await h.client.get("/users/ana/profile")
    assert profile.json()["photo_url"] == data["photo_url"]


async def test_profile_photo_strips_gps_exif(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(STORAGE_PATH=tmp_path / "storage")
    ana = await register_verified(h, "ana", "ana@example.com")
    r = await _upload(h, ana["access_token"], images.jpeg_with_gps())
    assert r.status_code == 200
    stored = _stored_files(h)[0].read_bytes()
    assert not images.has_exif(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif().get_ifd(0x8825)


@pytest.mark.parametrize(
    ("payload", "name", "ctype", "message"),
    [
        (images.text_as_jpeg(), "photo.jpg", "image/jpeg", "no es una imagen válida"),
        (images.svg(), "logo.svg", "image/svg+xml", "no es una imagen válida"),
        (images.truncated_jpeg(), "cut.jpg", "image/jpeg", "no es una imagen válida"),
        (images.png_bomb(), "bomb.png", "image/png", "demasiado grande"),
        (b"", "empty.jpg", "image/jpeg", "está vacío"),
        (b"\xff" * (5 * 1024 * 1024 + 10), "big.jpg", "image/jpeg", "5MB"),
        (images.gif(), "anim.gif", "image/gif", "JPEG, PNG y WebP"),
    ],
)
async def test_hostile_profile_photos_are_refused_and_leave_no_file(
    make_app,
    tmp_path: Path,
    payload: bytes,
    name: str,
    ctype: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    h = await make_app(STORAGE_PATH=tmp_path / "storage")
    ana = await register_verified(h, "ana", "ana@example.com")
    r = await _upload(h, ana["access_token"], payload, name, ctype)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "VALIDATION_ERROR"
    assert r.json()["error"]["field"] == "photo"
    assert message in r.json()["error"]["message"]
    assert _stored_files(h) == []
    profile = await h.client.get("/users/ana/profile")
    assert profile.json()["photo_url"] is None


async def test_replacing_and_deleting_the_photo_removes_old_files(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(STORAGE_PATH=tmp_path / "storage")
    ana = await register_verified(h, "ana", "ana@example.com")
    first = await _upload(h, ana["access_token"], images.jpeg())
    [first_file] = _stored_files(h)
    second = await _upload(h, ana["access_token"], images.webp())
    assert second.json()["data"]["photo_url"] != first.json()["data"]["photo_url"]
    files = _stored_files(h)
    assert len(files) == 1
    assert files[0] != first_file
    r = await h.client.delete("/users/ana/profile/photo", headers=bearer(ana["access_token"]))
    assert r.status_code == 200
    assert r.json()["message"] == "Foto de perfil eliminada correctamente"
    assert _stored_files(h) == []
    assert (await h.client.get("/users/ana/profile")).json()["photo_url"] is None


async def test_failed_commit_removes_the_new_file(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """If the transaction fails after the file was written, the file goes away."""
    h = await make_app(STORAGE_PATH=tmp_path / "storage")
    ana = await register_verified(h, "ana", "ana@example.com")
    await _upload(h, ana["access_token"], images.jpeg())
    [kept] = _stored_files(h)

    from src.users import service as users_service

    original = users_service.get_or_create_profile
    calls = {"n": 0}

    async def failing(session, user_id):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        raise RuntimeError("database went away")

    users_service.get_or_create_profile = failing  # type: ignore[assignment]
    try:
        r = await _upload(h, ana["access_token"], images.png_rgba())
    finally:
        users_service.get_or_create_profile = original  # type: ignore[assignment]
    assert r.status_code == 500
    assert calls["n"] == 1
    assert _stored_files(h) == [kept]  # the old photo is untouched, the new one is gone


async def test_storage_serves_no_hidden_or_traversal_paths(harness: AppHarness) -> None:
    for path in ("/storage/../backend/.env", "/storage/%2e%2e/secret", "/storage/.hidden.tmp"):
        r = await harness.client.get(path)
        assert r.status_code == 404
