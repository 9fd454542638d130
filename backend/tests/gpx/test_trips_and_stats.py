"""A track and its trip: the trip's distance, the rider's stats (kilometres and countries)
and who may see the track (exactly who may see the trip)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import AppHarness
from tests.gpx.helpers import gpx, line, track, upload, upload_ok
from tests.trips.helpers import (
    Rider,
    create_trip,
    follow,
    make_rider,
    publish,
    published_trip,
    set_user,
)

PARIS = gpx(line(48.8566, 2.3522, north_m=200, count=11))  # 2.0 km in France


async def _stats(h: AppHarness, username: str) -> dict[str, Any]:
    data: dict[str, Any] = (await h.client.get(f"/users/{username}/stats")).json()["data"]
    return data


async def _trip(h: AppHarness, rider: Rider, trip_id: str) -> dict[str, Any]:
    data: dict[str, Any] = (await h.client.get(f"/trips/{trip_id}", headers=rider.headers)).json()[
        "data"
    ]
    return data


async def test_a_trip_without_distance_takes_the_track_s(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await published_trip(harness, ana, distance_km=None, locations=[])
    stats = await _stats(harness, "ana")
    assert stats["total_kilometers"] == 0
    assert stats["countries_visited"] == []

    await upload_ok(harness, ana, trip["trip_id"], PARIS)
    assert (await _trip(harness, ana, trip["trip_id"]))["distance_km"] == 2.0
    stats = await _stats(harness, "ana")
    assert stats["total_kilometers"] == 2.0
    # the track's start and end count for the countries
    assert stats["countries_visited"] == [{"code": "FR", "name": "Francia"}]

    delete = await harness.client.delete(f"/trips/{trip['trip_id']}/gpx", headers=ana.headers)
    assert delete.status_code == 204
    assert (await _trip(harness, ana, trip["trip_id"]))["distance_km"] is None
    stats = await _stats(harness, "ana")
    assert stats["total_kilometers"] == 0
    assert stats["countries_visited"] == []


async def test_a_distance_the_rider_chose_is_kept(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await published_trip(harness, ana, distance_km=50.0)
    await upload_ok(harness, ana, trip["trip_id"], PARIS)
    assert (await _trip(harness, ana, trip["trip_id"]))["distance_km"] == 50.0
    stats = await _stats(harness, "ana")
    assert stats["total_kilometers"] == 50.0
    codes = [country["code"] for country in stats["countries_visited"]]
    assert codes == ["ES", "FR"]  # Jaén (the trip's place) and the track in Paris

    # a distance filled from the track and then edited by the rider survives the delete
    other = await published_trip(harness, ana, distance_km=None)
    await upload_ok(harness, ana, other["trip_id"], track("camino_del_cid.gpx"))
    assert (await _trip(harness, ana, other["trip_id"]))["distance_km"] == 8.42
    edited = await harness.client.put(
        f"/trips/{other['trip_id']}", json={"distance_km": 9.5}, headers=ana.headers
    )
    assert edited.status_code == 200
    assert edited.json()["data"]["gpx_file"]["distance_km"] == 8.42
    await harness.client.delete(f"/trips/{other['trip_id']}/gpx", headers=ana.headers)
    assert (await _trip(harness, ana, other["trip_id"]))["distance_km"] == 9.5
    assert (await _stats(harness, "ana"))["total_kilometers"] == 59.5


async def test_a_draft_s_track_counts_once_published(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await create_trip(harness, ana, distance_km=None, locations=[])
    await upload_ok(harness, ana, trip["trip_id"], PARIS)
    stats = await _stats(harness, "ana")
    assert stats["total_trips"] == 0
    assert stats["total_kilometers"] == 0
    await publish(harness, ana, trip["trip_id"])
    stats = await _stats(harness, "ana")
    assert stats["total_trips"] == 1
    assert stats["total_kilometers"] == 2.0
    assert [c["code"] for c in stats["countries_visited"]] == ["FR"]
    # deleting the trip takes its track out of the stats
    await harness.client.delete(f"/trips/{trip['trip_id']}", headers=ana.headers)
    stats = await _stats(harness, "ana")
    assert stats["total_trips"] == 0
    assert stats["countries_visited"] == []


async def test_a_failed_or_queued_track_does_not_count(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await published_trip(harness, ana, distance_km=None, locations=[])
    response = await upload(harness, ana, trip["trip_id"], track("via-verde.gpx"))
    assert response.status_code == 202
    stats = await _stats(harness, "ana")
    assert stats["total_kilometers"] == 0
    assert stats["countries_visited"] == []
    await harness.app.state.gpx_jobs.run_pending()
    stats = await _stats(harness, "ana")
    assert stats["total_kilometers"] == 143.66
    assert [c["code"] for c in stats["countries_visited"]] == ["ES"]


# --------------------------------------------------------------------------------------
# visibility: the GPX routes answer what the trip detail answers
# --------------------------------------------------------------------------------------
KINDS = ("draft", "public", "followers", "private", "is_private", "private_profile")
VIEWERS = ("anonymous", "stranger", "follower", "owner")


@pytest.fixture
async def world(harness: AppHarness) -> dict[str, Any]:
    riders = {
        name: await make_rider(harness, name)
        for name in ("alice", "fiona", "piotr", "paula", "stranger", "follower")
    }
    await set_user(harness, riders["fiona"], trip_visibility="followers")
    await set_user(harness, riders["piotr"], trip_visibility="private")
    await set_user(harness, riders["paula"], profile_visibility="private")
    for author in ("alice", "fiona", "piotr", "paula"):
        await follow(harness, riders["follower"], riders[author])
    authors = {
        "draft": "alice",
        "public": "alice",
        "is_private": "alice",
        "followers": "fiona",
        "private": "piotr",
        "private_profile": "paula",
    }
    trips: dict[str, tuple[str, str]] = {}
    for kind in KINDS:
        author = riders[authors[kind]]
        trip = await create_trip(harness, author)
        if kind != "draft":
            await publish(harness, author, trip["trip_id"])
        if kind == "is_private":
            await harness.client.put(
                f"/trips/{trip['trip_id']}", json={"is_private": True}, headers=author.headers
            )
        uploaded = await upload_ok(harness, author, trip["trip_id"], track("short_route.gpx"))
        trips[kind] = (trip["trip_id"], uploaded["gpx_file_id"])
    return {"riders": riders, "authors": authors, "trips": trips}


async def test_gpx_routes_follow_the_trip_s_visibility(
    harness: AppHarness, world: dict[str, Any]
) -> None:
    riders: dict[str, Rider] = world["riders"]
    seen = {200: 0, 403: 0}
    for kind in KINDS:
        trip_id, gpx_id = world["trips"][kind]
        for viewer_name in VIEWERS:
            viewer = (
                None
                if viewer_name == "anonymous"
                else riders[world["authors"][kind] if viewer_name == "owner" else viewer_name]
            )
            headers = viewer.headers if viewer else {}
            detail = await harness.client.get(f"/trips/{trip_id}", headers=headers)
            for path in (
                f"/trips/{trip_id}/gpx",
                f"/gpx/{gpx_id}/status",
                f"/gpx/{gpx_id}/track",
                f"/gpx/{gpx_id}/download",
            ):
                response = await harness.client.get(path, headers=headers)
                assert response.status_code == detail.status_code, (kind, viewer_name, path)
                if detail.status_code != 200:
                    assert response.json()["error"] == detail.json()["error"], (kind, path)
            seen[detail.status_code] += 1
    # the matrix did exercise both answers
    assert seen[200] >= 10
    assert seen[403] >= 8


async def test_only_the_author_changes_a_track(harness: AppHarness, world: dict[str, Any]) -> None:
    riders: dict[str, Rider] = world["riders"]
    trip_id, _gpx_id = world["trips"]["public"]
    for name in ("stranger", "follower"):
        response = await harness.client.delete(
            f"/trips/{trip_id}/gpx", headers=riders[name].headers
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "FORBIDDEN"
    assert (await harness.client.delete(f"/trips/{trip_id}/gpx")).status_code == 401
    assert (
        await harness.client.delete("/trips/nope/gpx", headers=riders["alice"].headers)
    ).status_code == 404
