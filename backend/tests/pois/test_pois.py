"""Points of interest: create, list, read, edit, delete, reorder (contract §2.16, §4.12)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from src.pois.models import PointOfInterest
from tests.conftest import AppHarness
from tests.pois.helpers import POI_KEYS, create_poi, error, poi_body
from tests.trips.helpers import Rider, create_trip, make_rider, published_trip

FORBIDDEN = {"code": "HTTP_403", "message": "Solo el autor del viaje puede gestionar sus POIs"}
NOT_FOUND = {"code": "HTTP_404", "message": "Punto de interés no encontrado"}


async def poi_rows(h: AppHarness) -> int:
    async with h.services.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count(PointOfInterest.poi_id))) or 0)


async def _setup(h: AppHarness) -> tuple[Rider, Rider, str]:
    ana, bob = await make_rider(h, "ana"), await make_rider(h, "bob")
    trip_id = (await published_trip(h, ana))["trip_id"]
    return ana, bob, trip_id


async def test_create_returns_the_raw_poi(harness: AppHarness) -> None:
    h = harness
    ana, _, trip_id = await _setup(h)
    response = await h.client.post(
        f"/trips/{trip_id}/pois",
        json=poi_body(name="  <b>Fuente</b> & Bar  ", description="<i>Agua</i> fresca"),
        headers=ana.headers,
    )
    assert response.status_code == 201, response.text
    poi = response.json()
    assert set(poi) == POI_KEYS  # raw: no envelope
    assert poi["trip_id"] == trip_id
    assert (poi["name"], poi["description"]) == ("Fuente & Bar", "Agua fresca")
    assert (poi["latitude"], poi["longitude"]) == (42.631235, -0.087654)
    assert (poi["poi_type"], poi["distance_from_start_km"], poi["sequence"]) == (
        "viewpoint",
        12.5,
        0,
    )
    assert poi["photo_url"] is None
    assert poi["created_at"].endswith("Z")

    minimal = await create_poi(
        h,
        ana,
        trip_id,
        description=None,
        distance_from_start_km=None,
        photo_url="poi_photos/2024/05/foto.jpg",
        poi_type="mountain_pass",
        sequence=1,
    )
    assert minimal["description"] is None
    assert minimal["photo_url"] == "/storage/poi_photos/2024/05/foto.jpg"
    blank_description = await create_poi(h, ana, trip_id, description="   ")
    assert blank_description["description"] is None

    # drafts may have POIs too (the wizard adds them before publishing)
    draft = (await create_trip(h, ana))["trip_id"]
    assert (await create_poi(h, ana, draft))["trip_id"] == draft


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "<b></b>"}, "name"),
        ({"description": "x" * 501}, "description"),
        ({"poi_type": "bar"}, "poi_type"),
        ({"latitude": 90.5}, "latitude"),
        ({"longitude": -180.01}, "longitude"),
        ({"latitude": "norte"}, "latitude"),
        ({"distance_from_start_km": -1}, "distance_from_start_km"),
        ({"sequence": -1}, "sequence"),
        ({"sequence": 10**12}, "sequence"),
        ({"sequence": None}, "sequence"),
        ({"photo_url": "https://elsewhere.example/a.jpg"}, "photo_url"),
        ({"photo_url": "../../etc/passwd"}, "photo_url"),
        ({"photo_url": "x" * 501}, "photo_url"),
    ],
)
async def test_create_validation(
    harness: AppHarness, overrides: dict[str, Any], field: str
) -> None:
    h = harness
    ana, _, trip_id = await _setup(h)
    response = await h.client.post(
        f"/trips/{trip_id}/pois", json=poi_body(**overrides), headers=ana.headers
    )
    assert response.status_code == 400, response.text
    assert (error(response)["code"], error(response)["field"]) == ("VALIDATION_ERROR", field)
    assert await poi_rows(h) == 0


async def test_create_errors_and_the_limit_of_six(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    unknown = await h.client.post("/trips/nope/pois", json=poi_body(), headers=ana.headers)
    # as the original: 400, not 404
    assert (unknown.status_code, error(unknown)) == (
        400,
        {"code": "HTTP_400", "message": "Viaje no encontrado"},
    )
    other = await h.client.post(f"/trips/{trip_id}/pois", json=poi_body(), headers=bob.headers)
    assert (other.status_code, error(other)) == (403, FORBIDDEN)
    anonymous = await h.client.post(f"/trips/{trip_id}/pois", json=poi_body())
    assert anonymous.status_code == 401

    for sequence in range(6):
        await create_poi(h, ana, trip_id, sequence=sequence)
    seventh = await h.client.post(
        f"/trips/{trip_id}/pois", json=poi_body(sequence=6), headers=ana.headers
    )
    assert (seventh.status_code, error(seventh)) == (
        400,
        {"code": "HTTP_400", "message": "Máximo 6 POIs permitidos por viaje"},
    )
    assert await poi_rows(h) == 6


async def test_concurrent_creations_never_exceed_six(harness: AppHarness) -> None:
    h = harness
    ana, _, trip_id = await _setup(h)
    responses = await asyncio.gather(
        *(
            h.client.post(f"/trips/{trip_id}/pois", json=poi_body(sequence=i), headers=ana.headers)
            for i in range(9)
        )
    )
    assert sorted(r.status_code for r in responses) == [201] * 6 + [400] * 3
    assert await poi_rows(h) == 6


async def test_list_filter_and_get(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    water = await create_poi(h, ana, trip_id, name="Fuente", poi_type="water", sequence=2)
    town = await create_poi(h, ana, trip_id, name="Pueblo", poi_type="town", sequence=0)
    other = await create_poi(h, ana, trip_id, name="Otra fuente", poi_type="water", sequence=1)

    listed = await h.client.get(f"/trips/{trip_id}/pois")
    assert listed.status_code == 200
    body = listed.json()
    assert set(body) == {"pois", "total"}  # raw
    assert body["total"] == 3
    assert [p["poi_id"] for p in body["pois"]] == [town["poi_id"], other["poi_id"], water["poi_id"]]
    assert set(body["pois"][0]) == POI_KEYS

    only_water = (await h.client.get(f"/trips/{trip_id}/pois?poi_type=water")).json()
    assert [p["name"] for p in only_water["pois"]] == ["Otra fuente", "Fuente"]
    assert only_water["total"] == 2
    none = (await h.client.get(f"/trips/{trip_id}/pois?poi_type=restaurant")).json()
    assert none == {"pois": [], "total": 0}
    bad = await h.client.get(f"/trips/{trip_id}/pois?poi_type=bar")
    assert (bad.status_code, error(bad)["field"]) == (400, "query.poi_type")
    unknown = await h.client.get("/trips/nope/pois")
    assert (unknown.status_code, error(unknown)) == (
        404,
        {"code": "HTTP_404", "message": "Viaje no encontrado"},
    )

    one = await h.client.get(f"/pois/{water['poi_id']}", headers=bob.headers)
    assert (one.status_code, one.json()) == (200, water)
    missing = await h.client.get("/pois/nope")
    assert (missing.status_code, error(missing)) == (404, NOT_FOUND)


async def test_update_applies_only_the_fields_sent(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    poi = await create_poi(h, ana, trip_id)
    url = f"/pois/{poi['poi_id']}"

    renamed = await h.client.put(url, json={"name": " <i>Collado</i> "}, headers=ana.headers)
    assert renamed.status_code == 200, renamed.text
    data = renamed.json()
    assert set(data) == POI_KEYS
    assert data == {**poi, "name": "Collado"}

    cleared = await h.client.put(
        url,
        json={
            "description": None,
            "distance_from_start_km": None,
            "photo_url": "poi_photos/2024/01/x.jpg",
            "poi_type": "mountain_pass",
            "latitude": 1.23456789,
        },
        headers=ana.headers,
    )
    assert cleared.status_code == 200
    data = cleared.json()
    assert (data["description"], data["distance_from_start_km"]) == (None, None)
    assert (data["photo_url"], data["poi_type"]) == (
        "/storage/poi_photos/2024/01/x.jpg",
        "mountain_pass",
    )
    assert (data["latitude"], data["longitude"], data["name"]) == (
        1.234568,
        poi["longitude"],
        "Collado",
    )
    no_photo = await h.client.put(url, json={"photo_url": None}, headers=ana.headers)
    assert no_photo.json()["photo_url"] is None
    unchanged = await h.client.put(url, json={}, headers=ana.headers)
    assert unchanged.json() == no_photo.json()
    assert (await h.client.get(url)).json() == no_photo.json()

    for field in ("name", "poi_type", "latitude", "longitude", "sequence"):
        bad = await h.client.put(url, json={field: None}, headers=ana.headers)
        assert bad.status_code == 400, field
        assert (error(bad)["code"], error(bad)["field"]) == ("VALIDATION_ERROR", field)
    out_of_range = await h.client.put(url, json={"longitude": 200}, headers=ana.headers)
    assert (out_of_range.status_code, error(out_of_range)["field"]) == (400, "longitude")

    other = await h.client.put(url, json={"name": "Mío"}, headers=bob.headers)
    assert (other.status_code, error(other)) == (403, FORBIDDEN)
    missing = await h.client.put("/pois/nope", json={"name": "x"}, headers=ana.headers)
    assert (missing.status_code, error(missing)) == (404, NOT_FOUND)
    assert (await h.client.put(url, json={"name": "x"})).status_code == 401


async def test_delete(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    poi = await create_poi(h, ana, trip_id)
    url = f"/pois/{poi['poi_id']}"
    other = await h.client.delete(url, headers=bob.headers)
    assert (other.status_code, error(other)) == (403, FORBIDDEN)
    assert (await h.client.delete(url)).status_code == 401
    deleted = await h.client.delete(url, headers=ana.headers)
    assert (deleted.status_code, deleted.content) == (204, b"")
    again = await h.client.delete(url, headers=ana.headers)
    assert (again.status_code, error(again)) == (404, NOT_FOUND)
    assert (await h.client.get(url)).status_code == 404
    assert await poi_rows(h) == 0


async def test_reorder(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    ids = [
        (await create_poi(h, ana, trip_id, name=f"P{i}", sequence=5))["poi_id"] for i in range(3)
    ]
    order = [ids[2], ids[0], ids[1]]
    url = f"/trips/{trip_id}/pois/reorder"

    response = await h.client.post(url, json={"poi_ids": order}, headers=ana.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"pois", "total"}
    assert [(p["poi_id"], p["sequence"]) for p in body["pois"]] == [
        (order[0], 0),
        (order[1], 1),
        (order[2], 2),
    ]
    listed = (await h.client.get(f"/trips/{trip_id}/pois")).json()["pois"]
    assert [p["poi_id"] for p in listed] == order

    mismatch = await h.client.post(
        url, json={"poi_ids": [ids[0], ids[1], "intruso"]}, headers=ana.headers
    )
    assert mismatch.status_code == 400
    assert error(mismatch) == {
        "code": "HTTP_400",
        "message": "La lista de POIs no coincide con los POIs del viaje. "
        f"faltan: {{{ids[2]}}}, sobran: {{intruso}}",
    }
    short = await h.client.post(url, json={"poi_ids": ids[:2]}, headers=ana.headers)
    assert error(short)["message"].endswith(f"faltan: {{{ids[2]}}}, sobran: {{}}")
    repeated = await h.client.post(
        url, json={"poi_ids": [ids[0], ids[0], ids[1], ids[2]]}, headers=ana.headers
    )
    assert (repeated.status_code, error(repeated)["code"]) == (400, "HTTP_400")
    bad_bodies: list[dict[str, Any]] = [{"poi_ids": []}, {"poi_ids": ["x"] * 21}, {}]
    for bad_body in bad_bodies:
        bad = await h.client.post(url, json=bad_body, headers=ana.headers)
        assert (bad.status_code, error(bad)["code"]) == (400, "VALIDATION_ERROR")
    other = await h.client.post(url, json={"poi_ids": order}, headers=bob.headers)
    assert (other.status_code, error(other)) == (403, FORBIDDEN)
    unknown = await h.client.post(
        "/trips/nope/pois/reorder", json={"poi_ids": order}, headers=ana.headers
    )
    assert (unknown.status_code, error(unknown)["message"]) == (400, "Viaje no encontrado")
    # nothing changed by the refused requests
    listed = (await h.client.get(f"/trips/{trip_id}/pois")).json()["pois"]
    assert [(p["poi_id"], p["sequence"]) for p in listed] == [(order[i], i) for i in range(3)]


async def test_pois_inside_the_authors_privacy_zones_are_hidden_from_others(
    harness: AppHarness,
) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    home = await create_poi(h, ana, trip_id, name="Casa", latitude=40.0, longitude=-3.0)
    near = await create_poi(h, ana, trip_id, name="Panadería", latitude=40.001, longitude=-3.0)
    far = await create_poi(h, ana, trip_id, name="Puerto", latitude=40.5, longitude=-3.0)
    zones = await h.client.put(
        "/users/ana/privacy-zones",
        json={"zones": [{"latitude": 40.0, "longitude": -3.0, "radius_m": 500}]},
        headers=ana.headers,
    )
    assert zones.status_code == 200, zones.text

    def names(response: Any) -> list[str]:
        return [p["name"] for p in response.json()["pois"]]

    everything = ["Casa", "Panadería", "Puerto"]
    assert names(await h.client.get(f"/trips/{trip_id}/pois", headers=ana.headers)) == everything
    for headers in (bob.headers, {}):
        listed = await h.client.get(f"/trips/{trip_id}/pois", headers=headers)
        assert (names(listed), listed.json()["total"]) == (["Puerto"], 1)
        for hidden in (home, near):
            response = await h.client.get(f"/pois/{hidden['poi_id']}", headers=headers)
            assert (response.status_code, error(response)) == (404, NOT_FOUND)
        assert (await h.client.get(f"/pois/{far['poi_id']}", headers=headers)).status_code == 200
    own = await h.client.get(f"/pois/{home['poi_id']}", headers=ana.headers)
    assert own.json() == home
