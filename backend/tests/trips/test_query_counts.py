"""Every list runs a constant number of SQL statements whatever its page size (no N+1)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from src.cycling.models import CyclingType
from src.photos.models import TripPhoto
from src.trips import service as trips_service
from src.trips.models import Trip
from src.trips.schemas import TripCreate
from tests.conftest import AppHarness
from tests.trips.helpers import Rider, count_statements, follow, make_rider, trip_body

TRIPS = 22


async def _world(h: AppHarness) -> tuple[Rider, Rider]:
    """Ana with 22 published trips (each with 2 photos, 3 tags and 2 places), Bob (who
    follows her) with 2, and 22 cycling types."""
    ana = await make_rider(h, "ana")
    bob = await make_rider(h, "bob")
    await follow(h, bob, ana)
    async with h.services.db.sessionmaker() as session:
        from src.auth.service import get_user_by_id

        for owner_id, count in ((ana.id, TRIPS), (bob.id, 2)):
            owner = await get_user_by_id(session, owner_id)
            assert owner is not None
            for i in range(count):
                body = trip_body(
                    title=f"Viaje {i}",
                    tags=[f"tag{i % 4}", "común", f"solo{i}"],
                    locations=[
                        {"name": f"A{i}", "latitude": 40.0, "longitude": -3.0},
                        {"name": f"B{i}"},
                    ],
                )
                row = await trips_service.create_trip(
                    session, owner, TripCreate.model_validate(body)
                )
                for order in range(2):
                    session.add(
                        TripPhoto(
                            trip_id=row.trip.trip_id,
                            photo_url=f"/storage/trip_photos/x/{i}-{order}.jpg",
                            thumb_url=f"/storage/trip_photos/x/{i}-{order}t.jpg",
                            order=order,
                            file_size=1,
                            width=1,
                            height=1,
                        )
                    )
        # published in bulk (the stats are not what this test is about)
        await session.execute(update(Trip).values(status="published", published_at=Trip.created_at))
        for i in range(TRIPS):
            session.add(CyclingType(code=f"type-{i:02d}", display_name=f"Tipo {i:02d}"))
        await session.commit()
    return ana, bob


@pytest.mark.parametrize(
    ("path", "who", "small", "large"),
    [
        ("/trips/public?limit={n}", None, 1, 20),
        ("/trips/public?limit={n}", "bob", 1, 20),
        ("/feed?limit={n}", "bob", 1, 20),
        ("/users/ana/trips?limit={n}", None, 1, 20),
        ("/users/ana/trips?limit={n}", "ana", 1, 20),
        ("/users/ana/trips?limit={n}&tag=común&sort_by=distance-asc", "bob", 1, 20),
        ("/tags?limit={n}", None, 1, 20),
        ("/cycling-types?limit={n}", None, 1, 20),
        ("/admin/cycling-types?limit={n}", "admin", 1, 20),
    ],
)
async def test_statement_count_does_not_grow_with_the_page(
    harness: AppHarness, path: str, who: str | None, small: int, large: int
) -> None:
    ana, bob = await _world(harness)
    riders = {"ana": ana, "bob": bob}
    if who == "admin":
        riders["admin"] = await make_rider(harness, "admin", role="admin")
    headers = riders[who].headers if who else {}
    counts = []
    sizes = []
    for n in (small, large):
        with count_statements(harness) as counter:
            response = await harness.client.get(path.format(n=n), headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        payload = body.get("data", body) if isinstance(body, dict) else body
        items = (
            payload
            if isinstance(payload, list)
            else next(v for v in payload.values() if isinstance(v, list))
        )
        sizes.append(len(items))
        counts.append(counter.count)
    assert sizes == [small, large], sizes
    if path.startswith("/feed"):
        # one id query per segment the page reaches (own, followed, community: at most 3),
        # then the page's trips and their children's 3 statements once; never one per trip
        assert counts[0] <= counts[1] <= counts[0] + 2, (path, counts)
    else:
        assert counts[0] == counts[1], (path, counts)


async def test_trip_detail_is_a_constant_number_of_statements(harness: AppHarness) -> None:
    _ana, _ = await _world(harness)
    trips = (await harness.client.get("/users/ana/trips?limit=2")).json()["data"]["trips"]
    counts = []
    for trip in trips:
        with count_statements(harness) as counter:
            response = await harness.client.get(f"/trips/{trip['trip_id']}")
        assert response.status_code == 200
        counts.append(counter.count)
    # the trip with its author, then its photos, places and tags, then its GPX track
    assert counts == [5, 5]
