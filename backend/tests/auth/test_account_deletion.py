"""DELETE /auth/me: the account and everything it owns go; nothing else drifts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from src.achievements.service import ensure_definitions
from src.auth.models import AuthToken, User
from src.social.models import Follow
from src.users.models import UserProfile
from tests import images
from tests.conftest import AppHarness
from tests.helpers import PASSWORD, bearer, register_verified
from tests.trips.helpers import Rider, published_trip, upload_photo


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_delete_account(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    storage = tmp_path / "storage"
    h: AppHarness = await make_app(STORAGE_PATH=storage)
    async with h.services.db.sessionmaker() as session:
        await ensure_definitions(session)
        await session.commit()
    ana_login = await register_verified(h, "ana", "ana@example.com")
    bob_login = await register_verified(h, "bob", "bob@example.com")
    carol_login = await register_verified(h, "carol", "carol@example.com")
    ana = Rider(id=ana_login["user"]["user_id"], username="ana", token=ana_login["access_token"])
    bob = Rider(id=bob_login["user"]["user_id"], username="bob", token=bob_login["access_token"])
    a, _b, c = ana.headers, bob.headers, bearer(carol_login["access_token"])

    await h.client.post(
        "/users/ana/profile/photo",
        headers=a,
        files={"photo": ("me.jpg", images.jpeg(), "image/jpeg")},
    )
    trip = await published_trip(h, ana, tags=["Gravel", "Andalucía"])
    assert (await upload_photo(h, ana, trip["trip_id"], images.jpeg())).status_code == 201
    bob_trip = await published_trip(h, bob, tags=["Gravel"])
    await h.client.post("/users/bob/follow", headers=a)  # ana follows bob
    await h.client.post("/users/ana/follow", headers=c)  # carol follows ana
    files_before = _files(storage)
    assert len(files_before) == 3  # profile photo + web image + thumbnail

    wrong = await h.client.request("DELETE", "/auth/me", json={"password": "Nope1234!"}, headers=a)
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "INVALID_PASSWORD"
    missing = await h.client.request("DELETE", "/auth/me", json={}, headers=a)
    assert missing.status_code == 400
    assert (
        await h.client.request("DELETE", "/auth/me", json={"password": PASSWORD})
    ).status_code == 401

    r = await h.client.request("DELETE", "/auth/me", json={"password": PASSWORD}, headers=a)
    assert r.status_code == 200
    assert r.json()["message"] == "Tu cuenta y todos sus datos han sido eliminados"

    assert _files(storage) == []
    assert (await h.client.get("/auth/me", headers=a)).status_code == 401
    refresh = await h.client.post(
        "/auth/refresh", params={"refresh_token": ana_login["refresh_token"]}
    )
    assert refresh.status_code == 401
    login = await h.client.post("/auth/login", json={"login": "ana", "password": PASSWORD})
    assert login.status_code == 401
    assert (await h.client.get("/users/ana/profile")).status_code == 404
    assert (await h.client.get(f"/trips/{trip['trip_id']}")).status_code == 404
    # the others' counters and data stay true
    bob_profile = (await h.client.get("/users/bob/profile")).json()
    assert bob_profile["followers_count"] == 0
    carol_profile = (await h.client.get("/users/carol/profile")).json()
    assert carol_profile["following_count"] == 0
    assert (await h.client.get(f"/trips/{bob_trip['trip_id']}")).status_code == 200
    tags = {
        t["normalized"]: t["usage_count"]
        for t in (await h.client.get("/tags")).json()["data"]["tags"]
    }
    assert tags.get("gravel") == 1
    assert tags.get("andalucía", 0) == 0
    async with h.services.db.sessionmaker() as session:
        assert await session.scalar(select(func.count(User.id)).where(User.username == "ana")) == 0
        assert (
            await session.scalar(
                select(func.count(AuthToken.id)).where(AuthToken.user_id == ana.id)
            )
            == 0
        )
        assert await session.scalar(select(func.count(Follow.id))) == 0
        assert await session.scalar(select(func.count(UserProfile.id))) == 2
    # the username is free again, and the new account is a different one
    again = await h.client.post(
        "/auth/register", json={"username": "ana", "email": "ana@example.com", "password": PASSWORD}
    )
    assert again.status_code == 201
    assert again.json()["data"]["user_id"] != ana.id
    assert (await h.client.get("/auth/me", headers=a)).status_code == 401
