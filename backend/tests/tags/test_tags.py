"""GET /tags (contract §2.8) and tag normalisation (§4.6)."""

from __future__ import annotations

from tests.conftest import AppHarness
from tests.trips.helpers import create_trip, make_rider


async def test_tags_listing_order_shape_and_pages(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    await create_trip(harness, ana, tags=["Ruta", "Bikepacking", "Zeta"])
    await create_trip(harness, ana, tags=["ruta", "bikepacking"])
    await create_trip(harness, ana, tags=["RUTA", "Vía Ñandú"])
    c = harness.client
    r = await c.get("/tags")
    assert r.status_code == 200
    body = r.json()
    assert body["success"] is True
    assert body["error"] is None
    data = body["data"]
    assert set(data) == {"tags", "count", "limit", "offset"}
    assert [(t["name"], t["normalized"], t["usage_count"]) for t in data["tags"]] == [
        ("Ruta", "ruta", 3),  # the first spelling is the display name
        ("Bikepacking", "bikepacking", 2),
        ("Vía Ñandú", "vía ñandú", 1),  # ties: by name; accents are kept
        ("Zeta", "zeta", 1),
    ]
    assert data["count"] == 4
    first = data["tags"][0]
    assert set(first) == {"tag_id", "name", "normalized", "usage_count", "created_at"}
    assert first["normalized"] == "ruta"
    assert first["created_at"].endswith("Z")
    page = (await c.get("/tags?limit=2&offset=1")).json()["data"]
    assert [t["name"] for t in page["tags"]] == [t["name"] for t in data["tags"][1:3]]
    assert (page["count"], page["limit"], page["offset"]) == (2, 2, 1)
    for query in ("limit=0", "limit=501", "offset=-1"):
        assert (await c.get(f"/tags?{query}")).status_code == 400


async def test_tags_are_public_and_empty_at_first(harness: AppHarness) -> None:
    r = await harness.client.get("/tags")
    assert r.json()["data"] == {"tags": [], "count": 0, "limit": 100, "offset": 0}


async def test_ties_are_broken_deterministically(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    await create_trip(harness, ana, tags=["b", "a", "c", "d"])
    names = [t["name"] for t in (await harness.client.get("/tags")).json()["data"]["tags"]]
    assert names == ["a", "b", "c", "d"]
    paged = []
    for offset in range(4):
        page = (await harness.client.get(f"/tags?limit=1&offset={offset}")).json()["data"]
        paged += [t["name"] for t in page["tags"]]
    assert paged == names
