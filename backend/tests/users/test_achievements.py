"""Achievement definitions and stats routes."""

from __future__ import annotations

from src.achievements.service import ensure_definitions
from tests.conftest import AppHarness
from tests.helpers import register_verified


async def test_definitions_sorted_by_requirement(harness: AppHarness) -> None:
    async with harness.services.db.sessionmaker() as session:
        assert await ensure_definitions(session) == 9
        assert await ensure_definitions(session) == 0
        await session.commit()
    r = await harness.client.get("/achievements")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["total_count"] == 9
    values = [a["requirement_value"] for a in data["achievements"]]
    assert values == sorted(values)
    first = data["achievements"][0]
    assert first == {
        "code": "FIRST_TRIP",
        "name": "Primer Viaje",
        "description": "Publicaste tu primer viaje",
        "badge_icon": "🚴",
        "requirement_type": "trips",
        "requirement_value": 1.0,
    }


async def test_stats_of_a_new_rider(harness: AppHarness) -> None:
    await register_verified(harness, "ana", "ana@example.com")
    r = await harness.client.get("/users/ana/stats")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["total_trips"] == 0
    assert data["total_kilometers"] == 0.0
    assert data["countries_visited"] == []
    assert data["last_trip_date"] is None
    assert data["updated_at"].endswith("Z")
    assert (await harness.client.get("/users/ghost/stats")).status_code == 404
    empty = (await harness.client.get("/users/ana/achievements")).json()["data"]
    assert empty == {"achievements": [], "total_count": 0}
