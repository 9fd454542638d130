"""Stats and achievements follow the published trips (contract §4.1-4.2, without the
original's shortcuts): countries from coordinates, awards and revocations, drift repair."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from src.achievements.service import ensure_definitions
from tests.conftest import DATABASE_URL, TEST_SECRET, AppHarness
from tests.trips.helpers import create_trip, make_rider, publish, published_trip

BACKEND = Path(__file__).resolve().parents[2]
MADRID = {"name": "Madrid", "latitude": 40.4168, "longitude": -3.7038}
PARIS = {"name": "París", "latitude": 48.8566, "longitude": 2.3522}
LISBON = {"name": "Lisboa", "latitude": 38.7223, "longitude": -9.1393}


async def _seed(h: AppHarness) -> None:
    async with h.services.db.sessionmaker() as session:
        await ensure_definitions(session)
        await session.commit()


async def _stats(h: AppHarness, username: str, lang: str = "es") -> dict:  # type: ignore[type-arg]
    r = await h.client.get(f"/users/{username}/stats", headers={"Accept-Language": lang})
    assert r.status_code == 200
    return r.json()["data"]  # type: ignore[no-any-return]


async def _codes(h: AppHarness, username: str) -> set[str]:
    r = await h.client.get(f"/users/{username}/achievements")
    return {a["code"] for a in r.json()["data"]["achievements"]}


async def test_publish_edit_delete_keep_stats_and_achievements_true(harness: AppHarness) -> None:
    await _seed(harness)
    ana = await make_rider(harness, "ana")
    draft = await create_trip(harness, ana, distance_km=120.0, locations=[MADRID, PARIS])
    # drafts count for nothing
    assert (await _stats(harness, "ana"))["total_trips"] == 0
    await publish(harness, ana, draft["trip_id"])
    stats = await _stats(harness, "ana")
    assert stats["total_trips"] == 1
    assert stats["total_kilometers"] == 120.0
    assert stats["countries_visited"] == [
        {"code": "ES", "name": "España"},
        {"code": "FR", "name": "Francia"},
    ]
    assert stats["last_trip_date"] == "2024-05-15"
    assert stats["achievements_count"] == 2
    english = await _stats(harness, "ana", "en")
    assert [c["name"] for c in english["countries_visited"]] == ["Spain", "France"]
    assert await _codes(harness, "ana") == {"FIRST_TRIP", "CENTURY"}
    # republishing changes nothing
    await publish(harness, ana, draft["trip_id"])
    assert (await _stats(harness, "ana"))["total_trips"] == 1

    # edit the published trip: below 100 km and only Portugal -> CENTURY revoked
    r = await harness.client.put(
        f"/trips/{draft['trip_id']}",
        json={"distance_km": 45.5, "locations": [LISBON]},
        headers=ana.headers,
    )
    assert r.status_code == 200, r.text
    stats = await _stats(harness, "ana")
    assert stats["total_kilometers"] == 45.5
    assert [c["code"] for c in stats["countries_visited"]] == ["PT"]
    assert await _codes(harness, "ana") == {"FIRST_TRIP"}
    profile = (await harness.client.get("/users/ana/profile")).json()
    assert profile["stats"] == {"total_trips": 1, "total_kilometers": 45.5, "achievements_count": 1}

    # delete it: back to zero, FIRST_TRIP revoked
    r = await harness.client.delete(f"/trips/{draft['trip_id']}", headers=ana.headers)
    assert r.status_code == 200
    stats = await _stats(harness, "ana")
    assert stats["total_trips"] == 0
    assert stats["total_kilometers"] == 0.0
    assert stats["countries_visited"] == []
    assert stats["achievements_count"] == 0
    assert await _codes(harness, "ana") == set()


async def test_explorer_from_five_countries(harness: AppHarness) -> None:
    await _seed(harness)
    ana = await make_rider(harness, "ana")
    places = [
        MADRID,
        PARIS,
        LISBON,
        {"name": "Roma", "latitude": 41.9028, "longitude": 12.4964},
        {"name": "Berlín", "latitude": 52.52, "longitude": 13.405},
    ]
    await published_trip(harness, ana, distance_km=30, locations=places)
    stats = await _stats(harness, "ana")
    assert [c["code"] for c in stats["countries_visited"]] == ["DE", "ES", "FR", "IT", "PT"]
    assert "EXPLORER" in await _codes(harness, "ana")


def _recompute(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": DATABASE_URL,
        "APP_ENV": "testing",
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "scripts/recompute_stats.py", *args],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


async def test_recompute_command_reports_and_repairs_drift(harness: AppHarness) -> None:
    from sqlalchemy import update

    from src.stats.models import UserStats
    from src.users.models import UserProfile

    await _seed(harness)
    ana = await make_rider(harness, "ana")
    await published_trip(harness, ana, distance_km=150, locations=[MADRID])
    clean = _recompute("--check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "0 with drift" in clean.stdout
    async with harness.services.db.sessionmaker() as session:
        await session.execute(update(UserStats).values(total_kilometers=999.0, total_trips=7))
        await session.execute(update(UserProfile).values(followers_count=3))
        await session.commit()
    drift = _recompute("--check")
    assert drift.returncode == 1
    assert "total_kilometers: stored 999.0, actual 150.0" in drift.stdout
    assert "total_trips: stored 7, actual 1" in drift.stdout
    assert "followers_count: stored 3, actual 0" in drift.stdout
    repaired = _recompute()
    assert repaired.returncode == 0, repaired.stderr
    assert _recompute("--check").returncode == 0
    stats = await _stats(harness, "ana")
    assert stats["total_kilometers"] == 150.0
    assert stats["total_trips"] == 1
