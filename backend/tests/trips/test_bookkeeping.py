"""Tag usage counts and rider stats stay true through create / edit / publish / delete
sequences (contract §4.2, §4.6, §8), including concurrent requests."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select, text

from src.achievements.service import ensure_definitions
from src.stats.models import UserStats
from src.tags import repository as tags_repository
from src.tags.models import Tag, TripTag
from tests import images
from tests.conftest import IS_POSTGRES, AppHarness
from tests.trips.helpers import (
    Rider,
    create_trip,
    make_rider,
    publish,
    published_trip,
    upload_photo,
)


async def tag_counts(h: AppHarness) -> dict[str, int]:
    async with h.services.db.sessionmaker() as session:
        rows = (await session.execute(select(Tag.normalized, Tag.usage_count))).all()
    return {normalized: count for normalized, count in rows}


async def assert_counts_are_true(h: AppHarness) -> None:
    """Every tag's usage_count equals the number of trips carrying it."""
    async with h.services.db.sessionmaker() as session:
        actual = dict(
            (
                await session.execute(
                    select(Tag.tag_id, func.count(TripTag.trip_id))
                    .outerjoin(TripTag, TripTag.tag_id == Tag.tag_id)
                    .group_by(Tag.tag_id)
                )
            ).all()
        )
        stored = dict((await session.execute(select(Tag.tag_id, Tag.usage_count))).all())
    assert stored == actual


async def stats_of(h: AppHarness, rider: Rider) -> dict[str, Any]:
    response = await h.client.get(f"/users/{rider.username}/stats")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def stored_stats(h: AppHarness, rider: Rider) -> UserStats | None:
    async with h.services.db.sessionmaker() as session:
        result = await session.execute(select(UserStats).where(UserStats.user_id == rider.id))
        return result.scalar_one_or_none()


async def achievements_of(h: AppHarness, rider: Rider) -> set[str]:
    response = await h.client.get(f"/users/{rider.username}/achievements")
    assert response.status_code == 200, response.text
    return {a["code"] for a in response.json()["data"]["achievements"]}


async def test_tag_counts_through_create_edit_delete(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    bob = await make_rider(harness, "bob")
    c = harness.client
    t1 = await create_trip(harness, ana, tags=["Gravel", "Costa"])
    t2 = await create_trip(harness, bob, tags=["gravel"])
    assert await tag_counts(harness) == {"gravel": 2, "costa": 1}
    await c.put(f"/trips/{t1['trip_id']}", json={"tags": ["costa", "Montaña"]}, headers=ana.headers)
    assert await tag_counts(harness) == {"gravel": 1, "costa": 1, "montaña": 1}
    # editing other fields leaves the counts alone
    await c.put(f"/trips/{t1['trip_id']}", json={"title": "Otro"}, headers=ana.headers)
    assert await tag_counts(harness) == {"gravel": 1, "costa": 1, "montaña": 1}
    await c.delete(f"/trips/{t2['trip_id']}", headers=bob.headers)
    assert await tag_counts(harness) == {"gravel": 0, "costa": 1, "montaña": 1}
    listed = (await c.get("/tags")).json()["data"]
    # tags no trip carries any more are not listed
    assert [(t["normalized"], t["usage_count"]) for t in listed["tags"]] == [
        ("costa", 1),
        ("montaña", 1),
    ]
    assert listed["count"] == 2
    await c.put(f"/trips/{t1['trip_id']}", json={"tags": []}, headers=ana.headers)
    assert (await c.get("/tags")).json()["data"]["tags"] == []
    # a tag that is used again comes back with its first spelling
    t3 = await create_trip(harness, bob, tags=["GRAVEL"])
    assert t3["tags"][0]["name"] == "Gravel"
    assert t3["tags"][0]["usage_count"] == 1
    await assert_counts_are_true(harness)


async def test_stats_and_achievements_follow_the_trips(harness: AppHarness) -> None:
    async with harness.services.db.sessionmaker() as session:
        await ensure_definitions(session)
        await session.commit()
    ana = await make_rider(harness, "ana")
    c = harness.client
    draft = await create_trip(harness, ana, distance_km=80.0)
    assert (await stats_of(harness, ana))["total_trips"] == 0  # drafts do not count
    await publish(harness, ana, draft["trip_id"])
    stats = await stats_of(harness, ana)
    assert (stats["total_trips"], stats["total_kilometers"]) == (1, 80.0)
    assert stats["last_trip_date"] == "2024-05-15"
    assert [country["code"] for country in stats["countries_visited"]] == ["ES"]
    assert await achievements_of(harness, ana) == {"FIRST_TRIP"}
    # publishing again changes nothing
    await publish(harness, ana, draft["trip_id"])
    assert (await stats_of(harness, ana))["total_trips"] == 1
    # editing a published trip keeps them true
    await c.put(
        f"/trips/{draft['trip_id']}",
        json={
            "distance_km": 150.0,
            "start_date": "2024-06-01",
            "end_date": "2024-06-02",
            "locations": [{"name": "Oporto", "latitude": 41.15, "longitude": -8.61}],
        },
        headers=ana.headers,
    )
    stats = await stats_of(harness, ana)
    assert (stats["total_trips"], stats["total_kilometers"]) == (1, 150.0)
    assert stats["last_trip_date"] == "2024-06-01"
    assert [country["code"] for country in stats["countries_visited"]] == ["PT"]
    assert await achievements_of(harness, ana) == {"FIRST_TRIP", "CENTURY"}
    # photos of a published trip count
    up = await upload_photo(harness, ana, draft["trip_id"], images.jpeg(40, 30))
    assert up.status_code == 201
    assert (await stats_of(harness, ana))["total_photos"] == 1
    # photos of drafts do not (until they are published)
    other = await create_trip(harness, ana, distance_km=10.0)
    await upload_photo(harness, ana, other["trip_id"], images.jpeg(40, 30))
    await upload_photo(harness, ana, other["trip_id"], images.jpeg(40, 30))
    assert (await stats_of(harness, ana))["total_photos"] == 1
    await publish(harness, ana, other["trip_id"])
    stats = await stats_of(harness, ana)
    assert (stats["total_trips"], stats["total_kilometers"], stats["total_photos"]) == (2, 160.0, 3)
    photo_id = up.json()["data"]["id"]
    await c.delete(f"/trips/{draft['trip_id']}/photos/{photo_id}", headers=ana.headers)
    assert (await stats_of(harness, ana))["total_photos"] == 2
    # deleting a published trip takes it out, and unmet achievements go
    await c.delete(f"/trips/{draft['trip_id']}", headers=ana.headers)
    stats = await stats_of(harness, ana)
    assert (stats["total_trips"], stats["total_kilometers"], stats["total_photos"]) == (1, 10.0, 2)
    assert await achievements_of(harness, ana) == {"FIRST_TRIP"}
    await c.delete(f"/trips/{other['trip_id']}", headers=ana.headers)
    stats = await stats_of(harness, ana)
    assert (stats["total_trips"], stats["total_kilometers"], stats["total_photos"]) == (0, 0.0, 0)
    assert stats["countries_visited"] == []
    assert await achievements_of(harness, ana) == set()


async def test_concurrent_creation_of_the_same_new_tag(harness: AppHarness) -> None:
    riders = [await make_rider(harness, f"rider{i}") for i in range(4)]
    await create_trip(harness, riders[0], tags=["Compartida"])  # one tag exists already

    async def create(rider: Rider, spelling: str) -> Any:
        return await harness.client.post(
            "/trips",
            json={
                "title": "Carrera",
                "description": "d",
                "start_date": "2024-01-01",
                "tags": [spelling, "Compartida"],
            },
            headers=rider.headers,
        )

    spellings = ["Nueva Etiqueta", "nueva etiqueta", "NUEVA ETIQUETA ", "Nueva etiqueta"]
    responses = await asyncio.gather(
        *(create(r, s) for r, s in zip(riders, spellings, strict=True))
    )
    assert [r.status_code for r in responses] == [201] * 4, [r.text for r in responses]
    counts = await tag_counts(harness)
    assert counts == {"nueva etiqueta": 4, "compartida": 5}
    ids = {
        t["tag_id"]
        for r in responses
        for t in r.json()["data"]["tags"]
        if t["normalized"] == "nueva etiqueta"
    }
    assert len(ids) == 1
    await assert_counts_are_true(harness)


async def test_concurrent_tag_edits_keep_counts_true(harness: AppHarness) -> None:
    riders = [await make_rider(harness, f"editor{i}") for i in range(3)]
    trips = [await create_trip(harness, rider, tags=["uno"]) for rider in riders for _ in (1, 2)]
    orders = [["uno", "dos", "tres"], ["tres", "dos"], ["dos", "cuatro", "uno"]]

    async def edit(index: int) -> Any:
        trip = trips[index]
        rider = riders[index // 2]
        return await harness.client.put(
            f"/trips/{trip['trip_id']}",
            json={"tags": orders[index % 3]},
            headers=rider.headers,
        )

    results = await asyncio.gather(*(edit(i) for i in range(len(trips))))
    assert [r.status_code for r in results] == [200] * len(trips), [r.text for r in results]
    assert await tag_counts(harness) == {"uno": 4, "dos": 6, "tres": 4, "cuatro": 2}
    await assert_counts_are_true(harness)


async def test_concurrent_uploads_never_exceed_six_photos(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await published_trip(harness, ana)
    for _ in range(4):
        assert (
            await upload_photo(harness, ana, trip["trip_id"], images.jpeg(20, 20))
        ).status_code == 201
    results = await asyncio.gather(
        *(upload_photo(harness, ana, trip["trip_id"], images.jpeg(20, 20)) for _ in range(4))
    )
    codes = sorted(r.status_code for r in results)
    assert codes == [201, 201, 400, 400], [r.text for r in results]
    detail = (await harness.client.get(f"/trips/{trip['trip_id']}")).json()["data"]
    assert [p["order"] for p in detail["photos"]] == [0, 1, 2, 3, 4, 5]
    assert (await stats_of(harness, ana))["total_photos"] == 6


async def test_concurrent_publish_counts_once(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await create_trip(harness, ana, distance_km=42.0)
    results = await asyncio.gather(*(publish(harness, ana, trip["trip_id"]) for _ in range(3)))
    assert len({r["published_at"] for r in results}) == 1
    stats = await stats_of(harness, ana)
    assert (stats["total_trips"], stats["total_kilometers"]) == (1, 42.0)


# --------------------------------------------------------------------------------------
# property-based: any sequence of operations keeps tags and stats true
# --------------------------------------------------------------------------------------
TAG_POOL = ["Gravel", "gravel ", "Montaña", "MONTAÑA", "ruta", "Costa"]
_names = itertools.count()

operation = st.one_of(
    st.tuples(
        st.just("create"),
        st.lists(st.sampled_from(TAG_POOL), max_size=4),
        st.sampled_from([None, 12.5, 40.0, 100.25]),
    ),
    st.tuples(st.just("publish"), st.integers(0, 5)),
    st.tuples(
        st.just("edit"),
        st.integers(0, 5),
        st.one_of(st.none(), st.lists(st.sampled_from(TAG_POOL), max_size=4)),
        st.sampled_from([None, 7.0, 55.5]),
    ),
    st.tuples(st.just("delete"), st.integers(0, 5)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=8))
async def test_any_sequence_keeps_tags_and_stats_true(
    harness: AppHarness, operations: list[tuple[Any, ...]]
) -> None:
    rider = await make_rider(harness, f"prop{next(_names)}")
    c = harness.client
    model: list[dict[str, Any]] = []  # the trips we expect, in creation order
    for op in operations:
        kind = op[0]
        if kind == "create":
            _, tags, distance = op
            trip = await create_trip(harness, rider, tags=tags, distance_km=distance)
            model.append(
                {
                    "id": trip["trip_id"],
                    "tags": {t.strip().lower() for t in tags},
                    "km": distance or 0.0,
                    "published": False,
                }
            )
        elif not model:
            continue
        elif kind == "publish":
            trip_model = model[op[1] % len(model)]
            await publish(harness, rider, trip_model["id"])
            trip_model["published"] = True
        elif kind == "edit":
            _, index, tags, distance = op
            trip_model = model[index % len(model)]
            body: dict[str, Any] = {"tags": tags, "distance_km": distance}
            r = await c.put(f"/trips/{trip_model['id']}", json=body, headers=rider.headers)
            assert r.status_code == 200, r.text
            if tags is not None:
                trip_model["tags"] = {t.strip().lower() for t in tags}
            if distance is not None:
                trip_model["km"] = distance
        else:
            trip_model = model.pop(op[1] % len(model))
            r = await c.delete(f"/trips/{trip_model['id']}", headers=rider.headers)
            assert r.status_code == 200
    await assert_counts_are_true(harness)
    listed = (await c.get(f"/users/{rider.username}/trips", headers=rider.headers)).json()
    by_id = {t["trip_id"]: t for t in listed["data"]["trips"]}
    assert set(by_id) == {m["id"] for m in model}
    for m in model:
        assert {name.lower() for name in by_id[m["id"]]["tag_names"]} == m["tags"]
    published = [m for m in model if m["published"]]
    stats = await stored_stats(harness, rider)
    if stats is None:
        assert not published
    else:
        assert stats.total_trips == len(published)
        assert abs(stats.total_kilometers - sum(m["km"] for m in published)) < 0.01


if IS_POSTGRES:
    # Row-lock semantics exist only on PostgreSQL (SQLite has one writer at a time), so this
    # test is collected in the PostgreSQL pass only.
    async def test_count_updates_do_not_wait_for_foreign_key_share_locks(
        harness: AppHarness,
    ) -> None:
        """Linking a tag to a trip takes a KEY SHARE lock on the tag (foreign key).  Two
        requests linking the same tag and then updating its count must not wait for each
        other's KEY SHARE lock (FOR UPDATE would, and they would deadlock)."""
        ana = await make_rider(harness, "ana")
        first = await create_trip(harness, ana, tags=[])
        second = await create_trip(harness, ana, tags=[])
        base = await create_trip(harness, ana, tags=["Compartida"])
        tag_id = base["tags"][0]["tag_id"]
        maker = harness.services.db.sessionmaker
        async with maker() as a, maker() as b:
            await a.execute(insert(TripTag).values(trip_id=first["trip_id"], tag_id=tag_id))
            await b.execute(insert(TripTag).values(trip_id=second["trip_id"], tag_id=tag_id))
            await a.execute(text("SET LOCAL lock_timeout = '3s'"))
            await tags_repository.adjust_usage(a, {tag_id: 1})  # must not block on b
            await a.commit()
            await tags_repository.adjust_usage(b, {tag_id: 1})
            await b.commit()
        assert await tag_counts(harness) == {"compartida": 3}
        await assert_counts_are_true(harness)
