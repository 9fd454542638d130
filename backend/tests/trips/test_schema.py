"""The travel diary tables carry the indexes the deployment guide checks (seed 004 §4.2)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from tests.conftest import AppHarness


def _indexed(inspector: Any, table: str) -> dict[tuple[str, ...], bool]:
    """Column tuples with an index or unique constraint -> unique?"""
    found: dict[tuple[str, ...], bool] = {}
    for index in inspector.get_indexes(table):
        found[tuple(index["column_names"])] = bool(index["unique"])
    for constraint in inspector.get_unique_constraints(table):
        found[tuple(constraint["column_names"])] = True
    return found


async def test_expected_indexes_exist(harness: AppHarness) -> None:
    async with harness.services.db.engine.connect() as conn:
        tables = await conn.run_sync(
            lambda sync: {
                name: _indexed(inspect(sync), name)
                for name in ("users", "trips", "trip_photos", "tags", "trip_tags", "trip_locations")
            }
        )
    assert tables["users"][("username",)] is True
    assert tables["users"][("email",)] is True
    trips = tables["trips"]
    for columns in (("user_id",), ("status",), ("user_id", "status"), ("published_at",)):
        assert columns in trips, columns
    assert ("trip_id",) in tables["trip_photos"]
    assert tables["tags"][("normalized",)] is True
    assert ("tag_id",) in tables["trip_tags"]
    assert ("trip_id",) in tables["trip_locations"]
