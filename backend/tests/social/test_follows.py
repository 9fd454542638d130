"""Follow, unfollow, followers, following, follow-status; counters and INFLUENCER."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from src.social.models import Follow
from src.users.models import UserProfile
from tests.conftest import AppHarness
from tests.helpers import bearer, register_verified


async def test_follow_unfollow_shapes_and_errors(harness: AppHarness) -> None:
    ana = await register_verified(harness, "ana", "ana@example.com")
    await register_verified(harness, "bob", "bob@example.com")
    c, h = harness.client, bearer(ana["access_token"])
    r = await c.post("/users/bob/follow", headers=h)
    assert r.status_code == 200
    assert r.json() == {
        "success": True,
        "data": {
            "success": True,
            "message": "Ahora sigues a bob",
            "follower_username": "ana",
            "following_username": "bob",
            "is_following": True,
            "follower_following_count": 1,
            "following_followers_count": 1,
        },
        "error": None,
    }
    again = await c.post("/users/bob/follow", headers=h)
    assert again.status_code == 400
    assert again.json()["error"] == {
        "code": "ALREADY_FOLLOWING",
        "message": "Ya sigues a bob",
        "field": None,
    }
    self_follow = await c.post("/users/ana/follow", headers=h)
    assert self_follow.json()["error"] == {
        "code": "CANNOT_FOLLOW_SELF",
        "message": "No puedes seguirte a ti mismo",
        "field": None,
    }
    missing = await c.post("/users/ghost/follow", headers=h)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "USER_NOT_FOUND"
    assert missing.json()["error"]["message"] == "El usuario 'ghost' no existe"
    assert (await c.post("/users/bob/follow")).status_code == 401

    status = await c.get("/users/bob/follow-status", headers=h)
    assert status.json()["data"]["is_following"] is True
    assert status.json()["data"]["followed_at"].endswith("Z")

    r = await c.delete("/users/bob/follow", headers=h)
    assert r.status_code == 200
    assert r.json()["data"]["message"] == "Has dejado de seguir a bob"
    assert r.json()["data"]["is_following"] is False
    assert r.json()["data"]["following_followers_count"] == 0
    again = await c.delete("/users/bob/follow", headers=h)
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "NOT_FOLLOWING"
    status = await c.get("/users/bob/follow-status", headers=h)
    assert status.json()["data"] == {"is_following": False, "followed_at": None}
    assert (await c.get("/users/bob/follow-status")).status_code == 401


async def test_followers_and_following_lists(harness: AppHarness) -> None:
    star = await register_verified(harness, "star", "star@example.com")
    fans = []
    for i in range(5):
        fan = await register_verified(harness, f"fan{i}", f"fan{i}@example.com")
        fans.append(fan)
        r = await harness.client.post("/users/star/follow", headers=bearer(fan["access_token"]))
        assert r.status_code == 200
    await harness.client.post("/users/fan0/follow", headers=bearer(star["access_token"]))
    r = await harness.client.get("/users/star/followers", params={"limit": 2})
    body = r.json()["data"]
    assert body["total_count"] == 5
    assert body["page"] == 1
    assert body["limit"] == 2
    assert body["has_more"] is True
    assert [f["username"] for f in body["followers"]] == ["fan4", "fan3"]  # newest first
    assert set(body["followers"][0]) == {
        "username",
        "full_name",
        "profile_photo_url",
        "bio",
        "followers_count",
        "following_count",
    }
    last = (
        await harness.client.get("/users/star/followers", params={"page": 3, "limit": 2})
    ).json()
    assert [f["username"] for f in last["data"]["followers"]] == ["fan0"]
    assert last["data"]["has_more"] is False
    following = (await harness.client.get("/users/star/following")).json()["data"]
    assert following["limit"] == 50
    assert [f["username"] for f in following["following"]] == ["fan0"]
    assert following["following"][0]["followers_count"] == 1
    for bad in ({"limit": 0}, {"limit": 51}, {"page": 0}):
        r = await harness.client.get("/users/star/followers", params=bad)
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "VALIDATION_ERROR"
    assert (await harness.client.get("/users/ghost/followers")).status_code == 404


async def _counters_match_rows(h: AppHarness) -> None:
    async with h.services.db.sessionmaker() as session:
        profiles = (await session.execute(select(UserProfile))).scalars().all()
        for profile in profiles:
            followers = await session.scalar(
                select(func.count(Follow.id)).where(Follow.following_id == profile.user_id)
            )
            following = await session.scalar(
                select(func.count(Follow.id)).where(Follow.follower_id == profile.user_id)
            )
            assert profile.followers_count == followers
            assert profile.following_count == following


async def test_counters_stay_true_under_concurrent_follow_and_unfollow(harness: AppHarness) -> None:
    users = [
        await register_verified(harness, f"rider{i}", f"rider{i}@example.com") for i in range(6)
    ]
    names = [f"rider{i}" for i in range(6)]

    async def act(i: int, j: int, method: str):  # type: ignore[no-untyped-def]
        return await harness.client.request(
            method, f"/users/{names[j]}/follow", headers=bearer(users[i]["access_token"])
        )

    # everyone follows everyone, twice each, concurrently (duplicates must be refused cleanly)
    jobs = [act(i, j, "POST") for _ in range(2) for i in range(6) for j in range(6) if i != j]
    results = await asyncio.gather(*jobs)
    assert {r.status_code for r in results} <= {200, 400}
    assert sum(r.status_code == 200 for r in results) == 30
    await _counters_match_rows(harness)
    # mutual unfollows and re-follows racing each other
    jobs = []
    for i in range(6):
        for j in range(6):
            if i != j:
                jobs.append(act(i, j, "DELETE"))
                jobs.append(act(j, i, "DELETE"))
                jobs.append(act(i, j, "POST"))
    results = await asyncio.gather(*jobs)
    assert all(r.status_code in (200, 400) for r in results), [
        r.text for r in results if r.status_code >= 500
    ]
    await _counters_match_rows(harness)


async def test_influencer_follows_the_real_follower_count(harness: AppHarness) -> None:
    from src.achievements.service import ensure_definitions
    from src.auth.service import ensure_account, get_user_by_username
    from src.social import service as social_service

    await register_verified(harness, "star", "star@example.com")
    async with harness.services.db.sessionmaker() as session:
        await ensure_definitions(session)
        star_user = await get_user_by_username(session, "star")
        assert star_user is not None
        for i in range(99):
            fan, _ = await ensure_account(
                session,
                harness.services.hasher,
                username=f"fan_{i}",
                email=f"fan_{i}@example.com",
                password="Dummy123!x",
            )
            await social_service.follow(session, fan, star_user)
        await session.commit()
    achievements = (await harness.client.get("/users/star/achievements")).json()["data"]
    assert "INFLUENCER" not in {a["code"] for a in achievements["achievements"]}
    last = await register_verified(harness, "fan100", "fan100@example.com")
    r = await harness.client.post("/users/star/follow", headers=bearer(last["access_token"]))
    assert r.json()["data"]["following_followers_count"] == 100
    achievements = (await harness.client.get("/users/star/achievements")).json()["data"]
    codes = [a["code"] for a in achievements["achievements"]]
    assert codes == ["INFLUENCER"]
    assert achievements["total_count"] == 1
    assert achievements["achievements"][0]["awarded_at"].endswith("Z")
    profile = (await harness.client.get("/users/star/profile")).json()
    assert profile["stats"]["achievements_count"] == 1
    assert profile["followers_count"] == 100
    # one follower leaves: revoked
    await harness.client.delete("/users/star/follow", headers=bearer(last["access_token"]))
    achievements = (await harness.client.get("/users/star/achievements")).json()["data"]
    assert achievements["total_count"] == 0
    stats = (await harness.client.get("/users/star/stats")).json()["data"]
    assert stats["achievements_count"] == 0
