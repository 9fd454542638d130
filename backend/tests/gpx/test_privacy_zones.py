"""Privacy zones: the rider's circles, and every route that returns coordinates of a track
trims them for everyone but the rider (no point inside a zone ever leaves the server)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import gpxpy
import pytest

from src.gpx import service as gpx_service
from tests.conftest import AppHarness
from tests.gpx.helpers import distance_m, gpx, raw_points, upload_ok
from tests.trips.helpers import Rider, follow, make_rider, published_trip

START = (40.40, -3.70)


def zigzag(count: int = 120) -> list[tuple[float, float, float | None]]:
    """A track going north 100 m per point and swinging 80 m east and west, so the
    simplification keeps every point."""
    north = 100 / 111_194.9
    east = 80 / (111_194.9 * 0.7615)  # cos(40.4 degrees)
    return [
        (
            round(START[0] + i * north, 7),
            round(START[1] + (east if i % 2 else 0.0), 7),
            600.0 + (i % 7),
        )
        for i in range(count)
    ]


POINTS = zigzag()
WAYPOINTS = (
    f'<wpt lat="{START[0]}" lon="{START[1]}"><name>Casa</name></wpt>'
    f'<wpt lat="{POINTS[60][0]}" lon="{POINTS[60][1]}"><name>Fuente</name></wpt>'
)
#: around the start (home), the middle of the ride and the end (work)
ZONES = [
    {"name": "Casa", "latitude": START[0], "longitude": START[1], "radius_m": 500},
    {"latitude": round(POINTS[60][0], 6), "longitude": round(POINTS[60][1], 6), "radius_m": 200},
    {
        "name": "Trabajo",
        "latitude": round(POINTS[-1][0], 6),
        "longitude": round(POINTS[-1][1], 6),
        "radius_m": 2000,
    },
]


def inside(point: tuple[float, float], zones: list[dict[str, Any]]) -> bool:
    return any(
        distance_m(point, (zone["latitude"], zone["longitude"])) <= zone["radius_m"]
        for zone in zones
    )


@dataclass
class Setup:
    ana: Rider
    stranger: Rider
    follower: Rider
    trip_id: str
    gpx_id: str


async def _setup(h: AppHarness) -> Setup:
    ana = await make_rider(h, "ana")
    stranger = await make_rider(h, "stranger")
    follower = await make_rider(h, "follower")
    await follow(h, follower, ana)
    trip = await published_trip(h, ana, locations=[])
    uploaded = await upload_ok(h, ana, trip["trip_id"], gpx(POINTS, waypoints=WAYPOINTS))
    return Setup(ana, stranger, follower, trip["trip_id"], uploaded["gpx_file_id"])


async def _put_zones(h: AppHarness, rider: Rider, zones: list[dict[str, Any]]) -> Any:
    return await h.client.put(
        f"/users/{rider.username}/privacy-zones", json={"zones": zones}, headers=rider.headers
    )


async def test_zones_are_the_rider_s_own(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    bob = await make_rider(harness, "bob")
    empty = await harness.client.get("/users/ana/privacy-zones", headers=ana.headers)
    assert empty.status_code == 200
    assert empty.json()["data"] == {"zones": [], "max_zones": 5}

    saved = await _put_zones(harness, ana, ZONES)
    assert saved.status_code == 200, saved.text
    assert saved.json()["message"] == "Zonas de privacidad actualizadas"
    zones = saved.json()["data"]["zones"]
    assert [z["name"] for z in zones] == ["Casa", None, "Trabajo"]
    assert [z["radius_m"] for z in zones] == [500, 200, 2000]
    assert set(zones[0]) == {"zone_id", "name", "latitude", "longitude", "radius_m", "created_at"}
    listed = await harness.client.get("/users/ana/privacy-zones", headers=ana.headers)
    assert listed.json()["data"]["zones"] == zones

    for method in ("get", "put"):
        kwargs: dict[str, Any] = {"headers": bob.headers}
        if method == "put":
            kwargs["json"] = {"zones": []}
        forbidden = await getattr(harness.client, method)("/users/ana/privacy-zones", **kwargs)
        assert forbidden.status_code == 403
        assert forbidden.json()["error"]["code"] == "FORBIDDEN"
        anonymous = await getattr(harness.client, method)(
            "/users/ana/privacy-zones", **({"json": {"zones": []}} if method == "put" else {})
        )
        assert anonymous.status_code == 401
    # bob's zones are his own and empty
    bobs = await harness.client.get("/users/bob/privacy-zones", headers=bob.headers)
    assert bobs.json()["data"]["zones"] == []

    cleared = await _put_zones(harness, ana, [])
    assert cleared.json()["data"]["zones"] == []


@pytest.mark.parametrize(
    ("zones", "field"),
    [
        ([{"latitude": 40, "longitude": -3, "radius_m": 199}], "zones.0.radius_m"),
        ([{"latitude": 40, "longitude": -3, "radius_m": 2001}], "zones.0.radius_m"),
        ([{"latitude": 91, "longitude": -3, "radius_m": 500}], "zones.0.latitude"),
        ([{"latitude": 40, "longitude": 181, "radius_m": 500}], "zones.0.longitude"),
        ([{"latitude": 40, "longitude": -3}], "zones.0.radius_m"),
        ([{"latitude": 40, "longitude": -3, "radius_m": 500, "name": "x" * 51}], "zones.0.name"),
        ([{"latitude": 40, "longitude": -3, "radius_m": 500}] * 6, "zones"),
    ],
)
async def test_zone_validation(
    harness: AppHarness, zones: list[dict[str, Any]], field: str
) -> None:
    ana = await make_rider(harness, "ana")
    response = await _put_zones(harness, ana, zones)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["field"] == field


async def _visible_track(h: AppHarness, s: Setup, viewer: Rider | None) -> dict[str, Any]:
    response = await h.client.get(
        f"/gpx/{s.gpx_id}/track", headers=viewer.headers if viewer else {}
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _coordinates_of_track(data: dict[str, Any]) -> list[tuple[float, float]]:
    points = [(p["latitude"], p["longitude"]) for p in data["trackpoints"]]
    for end in ("start_point", "end_point"):
        if data[end] is not None:
            points.append((data[end]["latitude"], data[end]["longitude"]))
    return points


async def test_no_returned_point_is_inside_a_zone(harness: AppHarness) -> None:
    s = await _setup(harness)
    full = await _visible_track(harness, s, None)
    assert full["simplified_points_count"] == len(POINTS)  # nothing hidden yet
    assert any(inside(p, ZONES) for p in _coordinates_of_track(full))
    await _put_zones(harness, s.ana, ZONES)

    for viewer in (None, s.stranger, s.follower):
        data = await _visible_track(harness, s, viewer)
        points = _coordinates_of_track(data)
        assert points
        assert not any(inside(p, ZONES) for p in points)
        expected = [p[:2] for p in POINTS if not inside(p[:2], ZONES)]
        assert [(p["latitude"], p["longitude"]) for p in data["trackpoints"]] == expected
        assert data["simplified_points_count"] == len(expected)
        assert data["start_point"] == {"latitude": expected[0][0], "longitude": expected[0][1]}
        assert data["end_point"] == {"latitude": expected[-1][0], "longitude": expected[-1][1]}

        download = await harness.client.get(
            f"/gpx/{s.gpx_id}/download", headers=viewer.headers if viewer else {}
        )
        assert download.status_code == 200
        served = download.content
        assert served != gpx(POINTS, waypoints=WAYPOINTS)
        served_points = raw_points(served)
        assert served_points
        assert not any(inside(p[:2], ZONES) for p in served_points)
        assert [p[:2] for p in served_points] == expected
        parsed = gpxpy.parse(served.decode())  # a valid GPX file
        assert [w.name for w in parsed.waypoints] == []  # both waypoints are in zones
        # the zone in the middle splits the track: no line is drawn through it
        assert len(parsed.tracks[0].segments) == 2
        assert b'creator="tests"' not in served

    # the rider still sees everything, and downloads the original
    own = await _visible_track(harness, s, s.ana)
    assert own["simplified_points_count"] == len(POINTS)
    assert own["start_point"] == {"latitude": START[0], "longitude": START[1]}
    original = await harness.client.get(f"/gpx/{s.gpx_id}/download", headers=s.ana.headers)
    assert original.content == gpx(POINTS, waypoints=WAYPOINTS)

    # other routes expose no coordinates at all
    for path in (f"/trips/{s.trip_id}/gpx", f"/gpx/{s.gpx_id}/status"):
        body = (await harness.client.get(path)).text
        assert "lat" not in body.replace("simplified", "")
    detail = (await harness.client.get(f"/trips/{s.trip_id}")).json()["data"]
    assert not any("lat" in key or "lon" in key for key in detail["gpx_file"])


async def test_random_zones_never_leak(harness: AppHarness) -> None:
    s = await _setup(harness)
    rng = random.Random(5)
    for _ in range(6):
        zones = []
        for _ in range(rng.randint(1, 5)):
            anchor = rng.choice(POINTS)
            zones.append(
                {
                    "latitude": round(anchor[0] + rng.uniform(-0.003, 0.003), 6),
                    "longitude": round(anchor[1] + rng.uniform(-0.003, 0.003), 6),
                    "radius_m": rng.randint(200, 2000),
                }
            )
        assert (await _put_zones(harness, s.ana, zones)).status_code == 200
        data = await _visible_track(harness, s, s.stranger)
        assert not any(inside(p, zones) for p in _coordinates_of_track(data))
        served = (await harness.client.get(f"/gpx/{s.gpx_id}/download")).content
        assert not any(inside(p[:2], zones) for p in raw_points(served))


async def test_a_track_entirely_inside_a_zone(harness: AppHarness) -> None:
    s = await _setup(harness)
    # four 2 km circles, 2.8 km apart, cover the 12 km ride
    covering = [
        {"latitude": POINTS[i][0], "longitude": POINTS[i][1], "radius_m": 2000}
        for i in (16, 44, 72, 100)
    ]
    assert (await _put_zones(harness, s.ana, covering)).status_code == 200
    data = await _visible_track(harness, s, None)
    assert data["trackpoints"] == []
    assert data["simplified_points_count"] == 0
    assert data["start_point"] is None
    assert data["end_point"] is None
    served = (await harness.client.get(f"/gpx/{s.gpx_id}/download")).content
    assert raw_points(served) == []
    assert gpxpy.parse(served.decode()).tracks[0].segments == []


@dataclass
class Poi:
    name: str
    latitude: float
    longitude: float


async def test_points_outside_zones_for_other_domains(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    await _put_zones(harness, ana, ZONES)
    pois = [
        Poi("casa", START[0], START[1]),
        Poi("mirador", POINTS[30][0], POINTS[30][1]),
        Poi("fuente", POINTS[60][0], POINTS[60][1]),
    ]
    async with harness.services.db.sessionmaker() as session:
        visible = await gpx_service.points_outside_zones(session, ana.id, pois)
        assert [p.name for p in visible] == ["mirador"]
        mine = await gpx_service.points_outside_zones(session, ana.id, pois, viewer_id=ana.id)
        assert mine == pois
        pairs = [(p.latitude, p.longitude) for p in pois]
        assert await gpx_service.points_outside_zones(session, ana.id, pairs) == [pairs[1]]
        named = await gpx_service.points_outside_zones(
            session,
            ana.id,
            [{"at": pair} for pair in pairs],
            coordinates=lambda item: item["at"],
        )
        assert named == [{"at": pairs[1]}]
        assert await gpx_service.points_outside_zones(session, "nobody", pois) == pois
