"""Deleting an account removes the rider's trips, keeps tag counts true and deletes their
photo files after the commit (trips_service.delete_all_for_user, used by DELETE /auth/me)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from src.core.database import unit_of_work
from src.trips import service as trips_service
from src.trips.models import Trip, TripLocation
from tests import images
from tests.conftest import AppFactory, AppHarness
from tests.helpers import PASSWORD
from tests.trips.helpers import create_trip, make_rider, published_trip, upload_photo
from tests.trips.test_bookkeeping import assert_counts_are_true, tag_counts


def _files(h: AppHarness) -> set[Path]:
    root = Path(h.services.settings.STORAGE_PATH) / "trip_photos"
    return {p for p in root.rglob("*") if p.is_file()}


async def test_delete_all_for_user(make_app: AppFactory, tmp_path: Path) -> None:
    h = await make_app(STORAGE_PATH=tmp_path / "storage")
    ana = await make_rider(h, "ana")
    bob = await make_rider(h, "bob")
    first = await published_trip(h, ana, tags=["Gravel", "Costa"])
    await create_trip(h, ana, tags=["gravel"])
    kept = await create_trip(h, bob, tags=["GRAVEL"])
    await upload_photo(h, ana, first["trip_id"], images.jpeg(30, 20))
    await upload_photo(h, bob, kept["trip_id"], images.jpeg(30, 20))
    assert len(_files(h)) == 4
    assert await tag_counts(h) == {"gravel": 3, "costa": 1}

    # a failed transaction deletes nothing, files included
    async with h.services.db.sessionmaker() as session:
        await trips_service.delete_all_for_user(session, h.services.storage, ana.id)
        await session.rollback()
    assert len(_files(h)) == 4

    async with unit_of_work(h.services.db.sessionmaker) as session:
        await trips_service.delete_all_for_user(session, h.services.storage, ana.id)
        assert len(_files(h)) == 4  # files go only after the commit
    assert len(_files(h)) == 2
    assert await tag_counts(h) == {"gravel": 1, "costa": 0}
    await assert_counts_are_true(h)
    async with h.services.db.sessionmaker() as session:
        owners = (await session.execute(select(Trip.user_id))).scalars().all()
        assert owners == [bob.id]
        assert await session.scalar(select(func.count(TripLocation.location_id))) == 1
    assert (await h.client.get(f"/trips/{kept['trip_id']}", headers=bob.headers)).status_code == 200


async def test_delete_me_route_takes_the_trips_along(make_app: AppFactory, tmp_path: Path) -> None:
    h = await make_app(STORAGE_PATH=tmp_path / "storage")
    ana = await make_rider(h, "ana")
    trip = await published_trip(h, ana, tags=["Solo"])
    await upload_photo(h, ana, trip["trip_id"], images.jpeg(30, 20))
    r = await h.client.request(
        "DELETE", "/auth/me", json={"password": PASSWORD}, headers=ana.headers
    )
    assert r.status_code == 200, r.text
    assert _files(h) == set()
    assert await tag_counts(h) == {"solo": 0}
    assert (await h.client.get(f"/trips/{trip['trip_id']}")).status_code == 404
    assert (await h.client.get("/trips/public")).json()["trips"] == []
