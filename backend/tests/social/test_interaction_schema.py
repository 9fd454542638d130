"""The likes, comments and points_of_interest tables carry the contract's indexes, unique
constraint and CHECKs (migration 007), so the database itself refuses bad rows."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from src.interactions.models import Comment, Like
from src.pois.models import PointOfInterest
from tests.conftest import AppHarness
from tests.trips.helpers import make_rider, published_trip


def _indexed(inspector: Any, table: str) -> dict[tuple[str, ...], bool]:
    found: dict[tuple[str, ...], bool] = {}
    for index in inspector.get_indexes(table):
        found[tuple(index["column_names"])] = bool(index["unique"])
    for constraint in inspector.get_unique_constraints(table):
        found[tuple(constraint["column_names"])] = True
    return found


async def test_indexes_and_unique_like(harness: AppHarness) -> None:
    async with harness.services.db.engine.connect() as conn:
        tables = await conn.run_sync(
            lambda sync: {
                name: _indexed(inspect(sync), name)
                for name in ("likes", "comments", "points_of_interest")
            }
        )
    assert tables["likes"][("user_id", "trip_id")] is True
    for column in ("trip_id", "user_id", "created_at"):
        assert (column,) in tables["likes"]
        assert (column,) in tables["comments"]
    assert ("trip_id",) in tables["points_of_interest"]
    assert ("poi_type",) in tables["points_of_interest"]


POI = {"name": "P", "poi_type": "town", "latitude": 1.0, "longitude": 2.0, "sequence": 0}


@pytest.mark.parametrize(
    "bad",
    [
        {"latitude": 90.5},
        {"latitude": -91.0},
        {"longitude": 180.5},
        {"poi_type": "bar"},
        {"sequence": -1},
        {"distance_from_start_km": -0.5},
    ],
)
async def test_points_of_interest_checks(harness: AppHarness, bad: dict[str, Any]) -> None:
    h = harness
    trip_id = (await published_trip(h, await make_rider(h, "ana")))["trip_id"]
    async with h.services.db.sessionmaker() as session:
        session.add(PointOfInterest(trip_id=trip_id, **{**POI, **bad}))
        with pytest.raises(IntegrityError):
            await session.commit()


async def test_one_like_per_rider_and_no_empty_comment(harness: AppHarness) -> None:
    h = harness
    ana, bob = await make_rider(h, "ana"), await make_rider(h, "bob")
    trip_id = (await published_trip(h, ana))["trip_id"]
    async with h.services.db.sessionmaker() as session:
        session.add(Like(user_id=bob.id, trip_id=trip_id))
        await session.commit()
        session.add(Like(user_id=bob.id, trip_id=trip_id))
        with pytest.raises(IntegrityError):
            await session.commit()
        await session.rollback()
        session.add(Comment(user_id=bob.id, trip_id=trip_id, content=""))
        with pytest.raises(IntegrityError):
            await session.commit()
