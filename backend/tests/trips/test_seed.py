"""scripts/seed.py gives the demo riders realistic trips, once (idempotent)."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from types import ModuleType

import pytest
from sqlalchemy import func, select

from src.auth.service import get_user_by_username
from src.tags.models import Tag
from src.trips.models import Trip, TripLocation
from tests.conftest import DATABASE_URL, AppHarness, _truncate
from tests.scripts.test_scripts import BACKEND, run_script


def demo_trips() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_demo_trips", BACKEND / "scripts" / "_demo_trips.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def clean_db() -> AsyncIterator[None]:
    yield
    await _truncate(DATABASE_URL)


async def test_seed_adds_demo_trips_once(harness: AppHarness, clean_db: None) -> None:
    first = run_script("scripts/seed.py")
    assert "trips of testuser: 3 added" in first
    assert "trips of maria_garcia: 2 added" in first
    async with harness.services.db.sessionmaker() as session:
        # a second run adds nothing (the script calls this for each demo rider)
        for username in ("testuser", "maria_garcia"):
            user = await get_user_by_username(session, username)
            assert user is not None
            assert await demo_trips().seed_demo_trips(session, user) is None
        statuses = (await session.execute(select(Trip.status))).scalars().all()
        assert sorted(statuses) == ["draft"] + ["published"] * 4
        assert (
            await session.scalar(
                select(func.count(TripLocation.location_id)).where(
                    TripLocation.latitude.is_not(None)
                )
            )
            == 7
        )
        assert (
            await session.scalar(select(Tag.usage_count).where(Tag.normalized == "pirineos")) == 2
        )
    c = harness.client
    public = (await c.get("/trips/public")).json()
    assert public["pagination"]["total"] == 4
    titles = {t["title"] for t in public["trips"]}
    assert "Vía Verde del Aceite - Jaén a Córdoba" in titles
    stats = (await c.get("/users/testuser/stats")).json()["data"]
    assert (stats["total_trips"], stats["total_kilometers"]) == (2, 448.5)
    assert [country["code"] for country in stats["countries_visited"]] == ["ES"]
    login = await c.post("/auth/login", json={"login": "testuser", "password": "TestPass123!"})
    token = login.json()["data"]["access_token"]
    mine = await c.get("/users/testuser/trips", headers={"Authorization": f"Bearer {token}"})
    assert mine.json()["data"]["total"] == 3
