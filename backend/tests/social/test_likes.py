"""Likes: like, unlike, the likers list, and the counters on trip payloads and feeds
(contract §2.11, §2.6, §2.10, §4.13)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from src.interactions.models import Like
from tests.conftest import AppHarness
from tests.trips.helpers import Rider, create_trip, follow, make_rider, published_trip


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert body["success"] is False, body
    assert body["data"] is None, body
    return dict(body["error"])


async def like_rows(h: AppHarness, trip_id: str) -> int:
    async with h.services.db.sessionmaker() as session:
        count = await session.scalar(select(func.count(Like.id)).where(Like.trip_id == trip_id))
        return int(count or 0)


async def _detail(h: AppHarness, trip_id: str, rider: Rider | None) -> dict[str, Any]:
    response = await h.client.get(f"/trips/{trip_id}", headers=rider.headers if rider else {})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def test_like_unlike_shapes_and_trip_counters(harness: AppHarness) -> None:
    h = harness
    ana, bob = await make_rider(h, "ana"), await make_rider(h, "bob")
    trip_id = (await published_trip(h, ana))["trip_id"]

    response = await h.client.post(f"/trips/{trip_id}/like", headers=bob.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"success", "data", "error"}
    assert body["success"] is True
    assert body["error"] is None
    like = body["data"]
    assert set(like) == {"like_id", "user_id", "trip_id", "created_at"}
    assert like["user_id"] == bob.id
    assert like["trip_id"] == trip_id
    assert like["created_at"].endswith("Z")
    assert "+00:00" not in like["created_at"]

    assert (await _detail(h, trip_id, bob))["like_count"] == 1
    assert (await _detail(h, trip_id, bob))["is_liked"] is True
    anonymous = await _detail(h, trip_id, None)
    assert (anonymous["like_count"], anonymous["is_liked"]) == (1, None)
    owner = await _detail(h, trip_id, ana)
    assert (owner["like_count"], owner["is_liked"]) == (1, None)

    again = await h.client.post(f"/trips/{trip_id}/like", headers=bob.headers)
    assert again.status_code == 400
    assert error(again) == {"code": "HTTP_400", "message": "Ya has dado like a este viaje"}

    removed = await h.client.delete(f"/trips/{trip_id}/like", headers=bob.headers)
    assert removed.status_code == 200
    assert removed.json() == {
        "success": True,
        "data": {"success": True, "message": "Like eliminado correctamente"},
        "error": None,
    }
    assert (await _detail(h, trip_id, bob))["like_count"] == 0
    assert (await _detail(h, trip_id, bob))["is_liked"] is False

    missing = await h.client.delete(f"/trips/{trip_id}/like", headers=bob.headers)
    assert missing.status_code == 400
    assert error(missing) == {"code": "HTTP_400", "message": "No has dado like a este viaje"}
    assert await like_rows(h, trip_id) == 0


async def test_like_errors(harness: AppHarness) -> None:
    h = harness
    ana, bob = await make_rider(h, "ana"), await make_rider(h, "bob")
    published = (await published_trip(h, ana))["trip_id"]
    draft = (await create_trip(h, ana))["trip_id"]

    own = await h.client.post(f"/trips/{published}/like", headers=ana.headers)
    assert (own.status_code, error(own)) == (
        400,
        {"code": "HTTP_400", "message": "No puedes dar like a tu propio viaje"},
    )
    own_draft = await h.client.post(f"/trips/{draft}/like", headers=ana.headers)
    assert (own_draft.status_code, error(own_draft)) == (
        400,
        {"code": "HTTP_400", "message": "Solo puedes dar like a viajes publicados"},
    )
    # somebody else's draft: answered as GET /trips/{id} answers (403, same message)
    other_draft = await h.client.post(f"/trips/{draft}/like", headers=bob.headers)
    assert (other_draft.status_code, error(other_draft)) == (
        403,
        {"code": "HTTP_403", "message": "No tienes permiso para ver este viaje en borrador"},
    )
    unknown = await h.client.post("/trips/nope/like", headers=bob.headers)
    assert (unknown.status_code, error(unknown)) == (
        404,
        {"code": "HTTP_404", "message": "Viaje no encontrado"},
    )
    english = await h.client.delete(
        "/trips/nope/like", headers={**bob.headers, "Accept-Language": "en"}
    )
    assert (english.status_code, error(english)["message"]) == (404, "Trip not found")
    for method in ("post", "delete"):
        anonymous = await getattr(h.client, method)(f"/trips/{published}/like")
        assert (anonymous.status_code, error(anonymous)["code"]) == (401, "UNAUTHORIZED")
    assert await like_rows(h, published) == 0


async def test_likes_list_is_paginated_newest_first(harness: AppHarness) -> None:
    h = harness
    ana = await make_rider(h, "ana")
    trip_id = (await published_trip(h, ana))["trip_id"]
    fans = [await make_rider(h, name) for name in ("bea", "carl", "dani")]
    for fan in fans:
        response = await h.client.post(f"/trips/{trip_id}/like", headers=fan.headers)
        assert response.status_code == 201

    first = await h.client.get(f"/trips/{trip_id}/likes", params={"limit": 2})
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"success", "data", "error"}
    page = body["data"]
    assert {k: v for k, v in page.items() if k != "likes"} == {
        "total_count": 3,
        "page": 1,
        "limit": 2,
        "has_more": True,
    }
    assert [item["user"]["username"] for item in page["likes"]] == ["dani", "carl"]
    assert page["likes"][0] == {
        "user": {"username": "dani", "profile_photo_url": None},
        "created_at": page["likes"][0]["created_at"],
    }
    second = (await h.client.get(f"/trips/{trip_id}/likes?page=2&limit=2")).json()["data"]
    assert [item["user"]["username"] for item in second["likes"]] == ["bea"]
    assert second["has_more"] is False
    beyond = (await h.client.get(f"/trips/{trip_id}/likes?page=9")).json()["data"]
    assert (beyond["likes"], beyond["total_count"], beyond["limit"]) == ([], 3, 20)

    for query, field in (("page=0", "query.page"), ("limit=0", "query.limit")):
        bad = await h.client.get(f"/trips/{trip_id}/likes?{query}")
        assert bad.status_code == 400
        assert (error(bad)["code"], error(bad)["field"]) == ("VALIDATION_ERROR", field)
    too_big = await h.client.get(f"/trips/{trip_id}/likes?limit=51")
    assert too_big.status_code == 400
    unknown = await h.client.get("/trips/nope/likes")
    assert (unknown.status_code, error(unknown)["code"]) == (404, "HTTP_404")


async def test_concurrent_likes_and_unlikes_keep_the_count_true(harness: AppHarness) -> None:
    h = harness
    ana, bob = await make_rider(h, "ana"), await make_rider(h, "bob")
    trip_id = (await published_trip(h, ana))["trip_id"]

    likes = await asyncio.gather(
        *(h.client.post(f"/trips/{trip_id}/like", headers=bob.headers) for _ in range(6))
    )
    assert sorted(r.status_code for r in likes) == [201] + [400] * 5
    assert await like_rows(h, trip_id) == 1
    assert (await _detail(h, trip_id, None))["like_count"] == 1

    unlikes = await asyncio.gather(
        *(h.client.delete(f"/trips/{trip_id}/like", headers=bob.headers) for _ in range(6))
    )
    assert sorted(r.status_code for r in unlikes) == [200] + [400] * 5
    assert await like_rows(h, trip_id) == 0
    assert (await _detail(h, trip_id, None))["like_count"] == 0


async def test_public_feed_and_popularity_sort_show_likes(harness: AppHarness) -> None:
    h = harness
    ana, bob = await make_rider(h, "ana"), await make_rider(h, "bob")
    older = (await published_trip(h, ana, title="Antiguo", start_date="2024-01-01", end_date=None))[
        "trip_id"
    ]
    newer = (await published_trip(h, ana, title="Nuevo", start_date="2024-06-01", end_date=None))[
        "trip_id"
    ]
    assert (await h.client.post(f"/trips/{older}/like", headers=bob.headers)).status_code == 201

    public = (await h.client.get("/trips/public", headers=bob.headers)).json()["trips"]
    by_id = {t["trip_id"]: (t["like_count"], t["is_liked"]) for t in public}
    assert by_id == {older: (1, True), newer: (0, False)}
    anonymous = (await h.client.get("/trips/public")).json()["trips"]
    assert {t["trip_id"]: (t["like_count"], t["is_liked"]) for t in anonymous} == {
        older: (1, None),
        newer: (0, None),
    }

    by_date = (await h.client.get("/users/ana/trips")).json()["data"]["trips"]
    assert [t["trip_id"] for t in by_date] == [newer, older]
    popular = (await h.client.get("/users/ana/trips?sort_by=popularity-desc")).json()["data"]
    assert [t["trip_id"] for t in popular["trips"]] == [older, newer]


async def test_personal_feed_counters_and_community_order(harness: AppHarness) -> None:
    h = harness
    ana, bob, carl, dani = [await make_rider(h, n) for n in ("ana", "bob", "carl", "dani")]
    await follow(h, carl, dani)
    first = (await published_trip(h, ana, title="Primero"))["trip_id"]
    second = (await published_trip(h, ana, title="Segundo"))["trip_id"]
    followed = (await published_trip(h, dani, title="De Dani"))["trip_id"]

    async def feed() -> list[dict[str, Any]]:
        response = await h.client.get("/feed", headers=carl.headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["trips"]
        return items

    # newest first while nobody has interacted
    assert [t["trip_id"] for t in await feed()] == [followed, second, first]

    assert (await h.client.post(f"/trips/{first}/like", headers=bob.headers)).status_code == 201
    assert (await h.client.post(f"/trips/{first}/like", headers=carl.headers)).status_code == 201
    items = await feed()
    # followed riders first, then the community by likes + comments
    assert [t["trip_id"] for t in items] == [followed, first, second]
    counters = {
        t["trip_id"]: (t["likes_count"], t["comments_count"], t["is_liked_by_me"]) for t in items
    }
    assert counters == {followed: (0, 0, False), first: (2, 0, True), second: (0, 0, False)}

    for text in ("¡Qué ruta!", "Preciosa", "Me la apunto"):
        response = await h.client.post(
            f"/trips/{second}/comments", json={"content": text}, headers=bob.headers
        )
        assert response.status_code == 201
    items = await feed()
    assert [t["trip_id"] for t in items] == [followed, second, first]
    assert {t["trip_id"]: t["comments_count"] for t in items}[second] == 3
    # a like on a followed rider's trip does not move it out of its segment
    assert (await h.client.post(f"/trips/{followed}/like", headers=bob.headers)).status_code == 201
    assert [t["trip_id"] for t in await feed()] == [followed, second, first]
