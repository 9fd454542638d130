"""The Redis cache: hits for public reads, and no reader ever sees stale data after a write."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import AppHarness
from tests.helpers import bearer, register_verified
from tests.servers import RedisServer


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.cleanup()


async def test_public_profile_and_stats_are_cached_and_invalidated(
    make_app,
    redis_server: RedisServer,  # type: ignore[no-untyped-def]
) -> None:
    h: AppHarness = await make_app(REDIS_URL=redis_server.url, CACHE_ENABLED=True)
    await h.services.redis.flushdb()
    cache = h.services.cache
    ana = await register_verified(h, "ana", "ana@example.com")
    token = bearer(ana["access_token"])

    first = await h.client.get("/users/ana/profile")
    second = await h.client.get("/users/ana/profile")
    assert first.json() == second.json()
    assert (cache.hits, cache.misses) == (1, 1)
    stats = [await h.client.get("/users/ana/stats") for _ in range(3)]
    assert all(r.status_code == 200 for r in stats)
    assert stats[0].json() == stats[2].json()
    assert cache.hits == 3
    # language is part of the key (country names are translated)
    english = await h.client.get("/users/ana/stats", headers={"Accept-Language": "en"})
    assert english.status_code == 200
    assert cache.misses == 3

    # a write: the next anonymous read sees it
    r = await h.client.put("/users/ana/profile", json={"bio": "nueva bio"}, headers=token)
    assert r.status_code == 200
    assert (await h.client.get("/users/ana/profile")).json()["bio"] == "nueva bio"
    # newly private: never served from the cache again
    r = await h.client.put(
        "/users/ana/profile", json={"profile_visibility": "private"}, headers=token
    )
    assert r.status_code == 200
    hidden = await h.client.get("/users/ana/profile")
    assert hidden.status_code == 403
    assert (await h.client.get("/users/ana/profile")).status_code == 403
    # authenticated views are never cached (they are personal)
    own = await h.client.get("/users/ana/profile", headers=token)
    assert own.status_code == 200


async def test_follow_counts_are_fresh(make_app, redis_server: RedisServer) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(REDIS_URL=redis_server.url, CACHE_ENABLED=True)
    await register_verified(h, "ana", "ana@example.com")
    bob = await register_verified(h, "bob", "bob@example.com")
    assert (await h.client.get("/users/ana/profile")).json()["followers_count"] == 0
    await h.client.post("/users/ana/follow", headers=bearer(bob["access_token"]))
    assert (await h.client.get("/users/ana/profile")).json()["followers_count"] == 1


async def test_redis_down_means_uncached_not_broken(make_app, redis_server: RedisServer) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(REDIS_URL=redis_server.url, CACHE_ENABLED=True)
    await register_verified(h, "ana", "ana@example.com")
    assert (await h.client.get("/users/ana/stats")).status_code == 200
    redis_server.stop()
    for _ in range(3):
        assert (await h.client.get("/users/ana/stats")).status_code == 200
        assert (await h.client.get("/users/ana/profile")).status_code == 200


async def test_cache_disabled(make_app, redis_server: RedisServer) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(REDIS_URL=redis_server.url, CACHE_ENABLED=False)
    await register_verified(h, "ana", "ana@example.com")
    for _ in range(3):
        await h.client.get("/users/ana/profile")
    assert (h.services.cache.hits, h.services.cache.misses) == (0, 0)
    assert h.services.cache.enabled is False


async def test_public_feed_never_shows_deleted_or_private_trips_from_the_cache(
    make_app,
    redis_server: RedisServer,  # type: ignore[no-untyped-def]
) -> None:
    from tests.trips.helpers import make_rider, published_trip

    h: AppHarness = await make_app(REDIS_URL=redis_server.url, CACHE_ENABLED=True)
    await h.services.redis.flushdb()
    ana = await make_rider(h, "ana")

    async def feed_ids() -> list[str]:
        r = await h.client.get("/trips/public")
        assert r.status_code == 200
        return [t["trip_id"] for t in r.json()["trips"]]

    first = await published_trip(h, ana, title="Primera ruta")
    second = await published_trip(h, ana, title="Segunda ruta")
    assert set(await feed_ids()) == {first["trip_id"], second["trip_id"]}
    hits = h.services.cache.hits
    assert set(await feed_ids()) == {first["trip_id"], second["trip_id"]}
    assert h.services.cache.hits == hits + 1  # served from the cache

    # deleted: gone at once
    r = await h.client.delete(f"/trips/{second['trip_id']}", headers=ana.headers)
    assert r.status_code == 200
    assert await feed_ids() == [first["trip_id"]]
    # newly private: gone at once
    r = await h.client.put(
        f"/trips/{first['trip_id']}", json={"is_private": True}, headers=ana.headers
    )
    assert r.status_code == 200
    assert await feed_ids() == []
    # an edit of the title shows up at once
    r = await h.client.put(
        f"/trips/{first['trip_id']}",
        json={"is_private": False, "title": "Ruta renombrada"},
        headers=ana.headers,
    )
    assert r.status_code == 200
    r = await h.client.get("/trips/public")
    assert [t["title"] for t in r.json()["trips"]] == ["Ruta renombrada"]
    # the author's profile going private removes the trip from the anonymous feed
    r = await h.client.put(
        "/users/ana/profile", json={"profile_visibility": "private"}, headers=ana.headers
    )
    assert r.status_code == 200
    assert await feed_ids() == []


async def test_anonymous_trip_detail_and_rider_trips_are_cached_and_never_stale(
    make_app,
    redis_server: RedisServer,  # type: ignore[no-untyped-def]
) -> None:
    from tests.images import jpeg
    from tests.trips.helpers import make_rider, published_trip

    h: AppHarness = await make_app(REDIS_URL=redis_server.url, CACHE_ENABLED=True)
    plain: AppHarness = await make_app(REDIS_URL=redis_server.url, CACHE_ENABLED=False)
    await h.services.redis.flushdb()
    ana = await make_rider(h, "ana")
    trip = await published_trip(h, ana, title="Ruta cacheada")
    trip_id = trip["trip_id"]
    photo = await h.client.post(
        f"/trips/{trip_id}/photos",
        files={"photo": ("a.jpg", jpeg(), "image/jpeg")},
        headers=ana.headers,
    )
    assert photo.status_code == 201, photo.text
    cache = h.services.cache
    paths = [f"/trips/{trip_id}", "/users/ana/trips", "/users/ana/trips?sort_by=distance-desc"]
    for path in paths:
        misses, hits = cache.misses, cache.hits
        first = await h.client.get(path)
        second = await h.client.get(path)
        assert first.status_code == second.status_code == 200, first.text
        assert cache.misses > misses, path
        assert cache.hits == hits + 1, path
        # the cached bytes are exactly what the uncached route answers
        assert second.content == (await plain.client.get(path)).content, path
        assert second.headers["content-type"] == "application/json"

    # a write shows at once: the new title, then the trip made private (403, not cached)
    r = await h.client.put(f"/trips/{trip_id}", json={"title": "Otro título"}, headers=ana.headers)
    assert r.status_code == 200
    assert (await h.client.get(f"/trips/{trip_id}")).json()["data"]["title"] == "Otro título"
    listed = (await h.client.get("/users/ana/trips")).json()["data"]["trips"]
    assert [t["title"] for t in listed] == ["Otro título"]
    r = await h.client.put(f"/trips/{trip_id}", json={"is_private": True}, headers=ana.headers)
    assert r.status_code == 200
    for _ in range(2):
        assert (await h.client.get(f"/trips/{trip_id}")).status_code == 403
    assert (await h.client.get("/users/ana/trips")).json()["data"]["trips"] == []
    # the author still sees it (authenticated views are never cached)
    assert (await h.client.get(f"/trips/{trip_id}", headers=ana.headers)).status_code == 200
