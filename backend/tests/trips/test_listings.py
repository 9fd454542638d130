"""Listings: a rider's trips (§2.8), the public feed (§2.6) and the personal feed (§2.10,
§4.13): filters, sorts, pagination and deterministic order."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from src.trips.models import Trip
from tests import images
from tests.conftest import AppHarness
from tests.trips.helpers import (
    create_trip,
    follow,
    make_rider,
    publish,
    published_trip,
    upload_photo,
)

LIST_ITEM_KEYS = {
    "trip_id",
    "user_id",
    "title",
    "description",
    "start_date",
    "end_date",
    "distance_km",
    "status",
    "is_private",
    "photo_count",
    "tag_names",
    "thumbnail_url",
    "created_at",
    "updated_at",
}


async def _ids(response: Any, key: str = "trips") -> list[str]:
    body = response.json()
    items = body["data"][key] if "data" in body else body[key]
    return [item["trip_id"] for item in items]


async def test_user_trips_shape_and_owner_view(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    draft = await create_trip(harness, ana, title="Borrador", start_date="2024-01-01")
    pub = await published_trip(harness, ana, title="Publicado", start_date="2024-02-01")
    await upload_photo(harness, ana, pub["trip_id"], images.jpeg(80, 60))
    await upload_photo(harness, ana, pub["trip_id"], images.jpeg(60, 80))
    c = harness.client
    r = await c.get("/users/ana/trips", headers=ana.headers)
    assert r.status_code == 200
    data = r.json()["data"]
    assert set(data) == {"trips", "count", "total", "limit", "offset"}
    assert (data["count"], data["total"], data["limit"], data["offset"]) == (2, 2, 50, 0)
    first = data["trips"][0]
    assert set(first) == LIST_ITEM_KEYS
    assert first["trip_id"] == pub["trip_id"]  # date-desc
    assert first["photo_count"] == 2
    assert first["thumbnail_url"].startswith("/storage/trip_photos/")
    assert sorted(first["tag_names"]) == ["Andalucía", "Vías Verdes"]
    assert data["trips"][1]["trip_id"] == draft["trip_id"]
    assert data["trips"][1]["thumbnail_url"] is None
    # others see the published trip only
    assert await _ids(await c.get("/users/ana/trips")) == [pub["trip_id"]]


async def test_user_trips_filters(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    draft = await create_trip(harness, ana, tags=["Gravel"])
    pub = await published_trip(harness, ana, tags=["montaña"])
    hidden = await published_trip(harness, ana, tags=["GRAVEL"])
    await harness.client.put(
        f"/trips/{hidden['trip_id']}", json={"is_private": True}, headers=ana.headers
    )
    c = harness.client
    h = ana.headers

    async def ids(query: str, headers: dict[str, str] = h) -> set[str]:
        response = await c.get(f"/users/ana/trips?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return set(await _ids(response))

    assert await ids("status=draft") == {draft["trip_id"]}
    assert await ids("status=published") == {pub["trip_id"], hidden["trip_id"]}
    assert await ids("visibility=private") == {hidden["trip_id"]}
    assert await ids("visibility=public") == {draft["trip_id"], pub["trip_id"]}
    assert await ids("tag=gravel") == {draft["trip_id"], hidden["trip_id"]}
    assert await ids("tag=%20Gravel%20") == {draft["trip_id"], hidden["trip_id"]}
    assert await ids("tag=MONTAÑA") == {pub["trip_id"]}
    assert await ids("tag=nada") == set()
    assert await ids("tag=gravel&status=draft") == {draft["trip_id"]}
    # not the owner: filters apply on top of what may be seen
    assert await ids("tag=gravel", {}) == set()
    assert await ids("status=draft", {}) == set()


@pytest.mark.parametrize(
    "query",
    [
        "status=deleted",
        "visibility=friends",
        "sort_by=random",
        "limit=0",
        "limit=101",
        "offset=-1",
        "offset=99999999999999999999",
    ],
)
async def test_user_trips_bad_queries(harness: AppHarness, query: str) -> None:
    await make_rider(harness, "ana")
    r = await harness.client.get(f"/users/ana/trips?{query}")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "VALIDATION_ERROR"
    assert r.json()["error"]["field"].startswith("query.")


async def test_user_trips_unknown_user(harness: AppHarness) -> None:
    r = await harness.client.get("/users/nadie/trips")
    assert r.status_code == 404
    assert r.json()["error"] == {
        "code": "USER_NOT_FOUND",
        "message": "Usuario 'nadie' no encontrado",
    }


async def test_user_trips_sorts_and_pages(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    specs = [
        ("2024-03-01", 50.0),
        ("2024-01-01", None),
        ("2024-02-01", 120.0),
        ("2024-02-01", 10.0),  # same date as the previous one
    ]
    trips = [
        await create_trip(harness, ana, start_date=d, end_date=None, distance_km=km)
        for d, km in specs
    ]
    ids = [t["trip_id"] for t in trips]
    c = harness.client

    async def order(sort: str) -> list[str]:
        response = await c.get(f"/users/ana/trips?sort_by={sort}", headers=ana.headers)
        return await _ids(response)

    date_desc = await order("date-desc")
    assert date_desc[0] == ids[0]
    assert date_desc[-1] == ids[1]
    assert set(date_desc[1:3]) == {ids[2], ids[3]}
    assert await order("popularity-desc") == date_desc
    date_asc = await order("date-asc")
    assert date_asc[0] == ids[1]
    assert date_asc[-1] == ids[0]
    assert await order("distance-desc") == [ids[2], ids[0], ids[3], ids[1]]  # nulls last
    assert await order("distance-asc") == [ids[3], ids[0], ids[2], ids[1]]
    # pages are slices of one deterministic order
    pages = []
    for offset in range(4):
        response = await c.get(f"/users/ana/trips?limit=1&offset={offset}", headers=ana.headers)
        data = response.json()["data"]
        assert (data["count"], data["total"], data["limit"]) == (1, 4, 1)
        pages += await _ids(response)
    assert pages == date_desc
    beyond = await c.get("/users/ana/trips?offset=10", headers=ana.headers)
    assert beyond.json()["data"]["trips"] == []
    assert beyond.json()["data"]["count"] == 0


async def test_public_feed_shape_pagination_and_clamping(
    harness: AppHarness, make_app: Any
) -> None:
    ana = await make_rider(harness, "ana")
    bob = await make_rider(harness, "bob")
    await follow(harness, bob, ana)
    trips = [await published_trip(harness, ana, title=f"Viaje {i}") for i in range(10)]
    await upload_photo(harness, ana, trips[-1]["trip_id"], images.jpeg(50, 40))
    c = harness.client
    r = await c.get("/trips/public")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"trips", "pagination"}  # raw, no envelope
    assert body["pagination"] == {"total": 10, "page": 1, "limit": 8, "total_pages": 2}
    newest = body["trips"][0]
    assert newest["trip_id"] == trips[-1]["trip_id"]
    assert set(newest) == {
        "trip_id",
        "title",
        "start_date",
        "distance_km",
        "photo",
        "location",
        "author",
        "published_at",
        "like_count",
        "is_liked",
    }
    assert set(newest["photo"]) == {"id", "photo_id", "photo_url", "thumbnail_url", "thumb_url"}
    assert newest["photo"]["thumbnail_url"] == newest["photo"]["thumb_url"]
    assert newest["location"] == {"name": "Jaén"}
    assert newest["author"]["username"] == "ana"
    assert newest["author"]["is_following"] is None
    assert newest["is_liked"] is None
    assert body["trips"][1]["photo"] is None
    page2 = (await c.get("/trips/public?page=2")).json()
    assert len(page2["trips"]) == 2
    assert page2["pagination"]["page"] == 2
    seen = [t["trip_id"] for t in body["trips"] + page2["trips"]]
    assert seen == [t["trip_id"] for t in reversed(trips)]
    clamped = (await c.get("/trips/public?limit=1000")).json()
    assert clamped["pagination"]["limit"] == 50
    assert len(clamped["trips"]) == 10
    huge = await c.get("/trips/public?limit=" + "9" * 40)
    assert huge.status_code == 200
    assert huge.json()["pagination"]["limit"] == 50
    empty = (await c.get("/trips/public?page=99")).json()
    assert empty["trips"] == []
    assert empty["pagination"]["total_pages"] == 2
    # personalised for a logged-in follower
    as_bob = (await c.get("/trips/public", headers=bob.headers)).json()
    assert as_bob["trips"][0]["author"]["is_following"] is True
    assert as_bob["trips"][0]["is_liked"] is False
    as_ana = (await c.get("/trips/public", headers=ana.headers)).json()
    assert as_ana["trips"][0]["author"]["is_following"] is None
    for query in ("page=0", "limit=0", "page=abc", "page=1000001"):
        bad = await c.get(f"/trips/public?{query}")
        assert bad.status_code == 400, query
    # the page sizes come from the settings
    other = await make_app(PUBLIC_FEED_PAGE_SIZE=3, PUBLIC_FEED_MAX_PAGE_SIZE=4)
    small = (await other.client.get("/trips/public")).json()["pagination"]
    assert (small["limit"], small["total_pages"]) == (3, 4)
    assert (await other.client.get("/trips/public?limit=9")).json()["pagination"]["limit"] == 4


async def test_public_feed_when_empty(harness: AppHarness) -> None:
    body = (await harness.client.get("/trips/public")).json()
    assert body == {
        "trips": [],
        "pagination": {"total": 0, "page": 1, "limit": 8, "total_pages": 0},
    }


async def test_equal_timestamps_still_page_deterministically(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trips = [await published_trip(harness, ana) for _ in range(6)]
    stamp = trips[0]["created_at"]
    from datetime import datetime

    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    async with harness.services.db.sessionmaker() as session:
        await session.execute(update(Trip).values(published_at=moment))
        await session.commit()
    c = harness.client
    full = [t["trip_id"] for t in (await c.get("/trips/public?limit=6")).json()["trips"]]
    assert full == sorted(full, reverse=True)  # ties broken by id
    paged: list[str] = []
    for page in range(1, 4):
        paged += [
            t["trip_id"]
            for t in (await c.get(f"/trips/public?limit=2&page={page}")).json()["trips"]
        ]
    assert paged == full


async def test_personal_feed_segments_and_paging(harness: AppHarness) -> None:
    me = await make_rider(harness, "myself")
    friend = await make_rider(harness, "friend")
    other = await make_rider(harness, "other")
    await follow(harness, me, friend)
    # published in this order: community, friend, mine, community, friend
    community_1 = await published_trip(harness, other)
    friend_1 = await published_trip(harness, friend)
    mine = await published_trip(harness, me)
    community_2 = await published_trip(harness, other)
    friend_2 = await published_trip(harness, friend)
    await create_trip(harness, me)  # a draft: never in the feed
    c = harness.client
    r = await c.get("/feed", headers=me.headers)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"trips", "total_count", "page", "limit", "has_more"}
    assert [t["trip_id"] for t in body["trips"]] == [
        mine["trip_id"],
        friend_2["trip_id"],
        friend_1["trip_id"],
        community_2["trip_id"],
        community_1["trip_id"],
    ]
    assert (body["total_count"], body["page"], body["limit"], body["has_more"]) == (5, 1, 10, False)
    item = body["trips"][1]
    assert set(item) == {
        "trip_id",
        "title",
        "description",
        "author",
        "photos",
        "distance_km",
        "start_date",
        "end_date",
        "locations",
        "tags",
        "likes_count",
        "comments_count",
        "shares_count",
        "is_liked_by_me",
        "created_at",
        "published_at",
    }
    assert item["author"]["is_following"] is True
    assert body["trips"][0]["author"]["is_following"] is None  # my own trip
    assert body["trips"][3]["author"]["is_following"] is False
    assert item["locations"] == [{"name": "Jaén", "latitude": 37.7796, "longitude": -3.7849}]
    assert sorted(item["tags"], key=lambda t: t["normalized"]) == [
        {"name": "Andalucía", "normalized": "andalucía"},
        {"name": "Vías Verdes", "normalized": "vías verdes"},
    ]
    assert (item["likes_count"], item["comments_count"], item["shares_count"]) == (0, 0, 0)
    assert item["is_liked_by_me"] is False
    pages = []
    for page in (1, 2, 3):
        part = (await c.get(f"/feed?page={page}&limit=2", headers=me.headers)).json()
        pages += [t["trip_id"] for t in part["trips"]]
        assert part["has_more"] is (page < 3)
        assert part["total_count"] == 5
    assert pages == [t["trip_id"] for t in body["trips"]]
    for query in ("limit=51", "limit=0", "page=0"):
        assert (await c.get(f"/feed?{query}", headers=me.headers)).status_code == 400
    assert (await c.get("/feed")).status_code == 401


async def test_feed_photos_carry_both_names(harness: AppHarness) -> None:
    me = await make_rider(harness, "myself")
    trip = await published_trip(harness, me)
    await upload_photo(harness, me, trip["trip_id"], images.jpeg(30, 20))
    item = (await harness.client.get("/feed", headers=me.headers)).json()["trips"][0]
    photo = item["photos"][0]
    assert set(photo) == {"id", "photo_id", "photo_url", "thumbnail_url", "thumb_url", "caption"}
    assert photo["id"] == photo["photo_id"]


async def test_private_trips_of_mine_appear_in_my_feed_only(harness: AppHarness) -> None:
    me = await make_rider(harness, "myself")
    fan = await make_rider(harness, "fan")
    await follow(harness, fan, me)
    trip = await published_trip(harness, me)
    await harness.client.put(
        f"/trips/{trip['trip_id']}", json={"is_private": True}, headers=me.headers
    )
    mine = (await harness.client.get("/feed", headers=me.headers)).json()
    assert [t["trip_id"] for t in mine["trips"]] == [trip["trip_id"]]
    theirs = (await harness.client.get("/feed", headers=fan.headers)).json()
    assert theirs["trips"] == []
    assert (await harness.client.get("/trips/public")).json()["trips"] == []


async def test_republishing_does_not_reorder_the_public_feed(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    first = await published_trip(harness, ana)
    second = await published_trip(harness, ana)
    await publish(harness, ana, first["trip_id"])
    ids = [t["trip_id"] for t in (await harness.client.get("/trips/public")).json()["trips"]]
    assert ids == [second["trip_id"], first["trip_id"]]
