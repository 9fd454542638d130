"""Likes and comments go with their trip and with their rider's account, so every counter
(always counted from the rows) stays true; lists cost a constant number of statements."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from src.auth.service import get_user_by_id
from src.interactions.models import Comment, Like
from src.pois.models import PointOfInterest
from src.trips import service as trips_service
from src.trips.models import Trip
from src.trips.schemas import TripCreate
from tests.conftest import AppHarness
from tests.helpers import PASSWORD
from tests.trips.helpers import Rider, count_statements, make_rider, published_trip, trip_body


async def rows(h: AppHarness) -> tuple[int, int]:
    async with h.services.db.sessionmaker() as session:
        likes = await session.scalar(select(func.count(Like.id)))
        comments = await session.scalar(select(func.count(Comment.id)))
    return int(likes or 0), int(comments or 0)


async def interact(h: AppHarness, rider: Rider, trip_id: str, text: str = "¡Bien!") -> None:
    like = await h.client.post(f"/trips/{trip_id}/like", headers=rider.headers)
    assert like.status_code == 201, like.text
    comment = await h.client.post(
        f"/trips/{trip_id}/comments", json={"content": text}, headers=rider.headers
    )
    assert comment.status_code == 201, comment.text


async def counters(h: AppHarness, trip_id: str) -> tuple[int, int, int]:
    detail = (await h.client.get(f"/trips/{trip_id}")).json()["data"]
    likes = (await h.client.get(f"/trips/{trip_id}/likes")).json()["data"]
    comments = (await h.client.get(f"/trips/{trip_id}/comments")).json()["data"]
    return detail["like_count"], likes["total_count"], comments["total"]


async def test_deleting_a_trip_removes_its_likes_and_comments(harness: AppHarness) -> None:
    h = harness
    ana, bob = await make_rider(h, "ana"), await make_rider(h, "bob")
    doomed = (await published_trip(h, ana, title="Adiós"))["trip_id"]
    kept = (await published_trip(h, ana, title="Sigue"))["trip_id"]
    await interact(h, bob, doomed)
    await interact(h, bob, kept)
    assert await rows(h) == (2, 2)

    assert (await h.client.delete(f"/trips/{doomed}", headers=ana.headers)).status_code == 200
    assert await rows(h) == (1, 1)
    assert await counters(h, kept) == (1, 1, 1)


async def test_deleting_an_account_removes_its_likes_and_comments(harness: AppHarness) -> None:
    h = harness
    ana, bob, carl = [await make_rider(h, n) for n in ("ana", "bob", "carl")]
    trip_id = (await published_trip(h, ana))["trip_id"]
    bob_trip = (await published_trip(h, bob))["trip_id"]
    await interact(h, bob, trip_id)
    await interact(h, carl, trip_id)
    await interact(h, ana, bob_trip)
    assert await counters(h, trip_id) == (2, 2, 2)

    gone = await h.client.request(
        "DELETE", "/auth/me", json={"password": PASSWORD}, headers=bob.headers
    )
    assert gone.status_code == 200, gone.text
    # bob's like and comment on ana's trip went, and so did his trip with ana's like on it
    assert await counters(h, trip_id) == (1, 1, 1)
    assert await rows(h) == (1, 1)
    remaining = (await h.client.get(f"/trips/{trip_id}/comments")).json()["data"]["items"]
    assert [c["author"]["username"] for c in remaining] == ["carl"]


FANS = 22


async def _busy_world(h: AppHarness) -> tuple[Rider, str]:
    """Ana's trip with 22 likes, 22 comments and 6 POIs; 22 more liked trips of hers."""
    ana = await make_rider(h, "ana")
    fans = [await make_rider(h, f"fan{i:02d}") for i in range(FANS)]
    async with h.services.db.sessionmaker() as session:
        owner = await get_user_by_id(session, ana.id)
        assert owner is not None
        trip_ids = []
        for i in range(FANS + 1):
            body = TripCreate.model_validate(trip_body(title=f"Viaje {i}"))
            trip_ids.append((await trips_service.create_trip(session, owner, body)).trip.trip_id)
        trip_id, others = trip_ids[0], trip_ids[1:]
        await session.execute(update(Trip).values(status="published", published_at=Trip.created_at))
        for i in range(6):
            session.add(
                PointOfInterest(
                    trip_id=trip_id,
                    name=f"P{i}",
                    poi_type="viewpoint",
                    latitude=1,
                    longitude=2,
                    sequence=i,
                )
            )
        for fan, other in zip(fans, others, strict=True):
            session.add(Like(user_id=fan.id, trip_id=trip_id))
            session.add(Like(user_id=fan.id, trip_id=other))
            session.add(Comment(user_id=fan.id, trip_id=trip_id, content=f"de {fan.username}"))
        await session.commit()
    return ana, trip_id


@pytest.mark.parametrize(
    ("path", "small", "large", "pick"),
    [
        ("/trips/{trip}/likes?limit={n}", 1, 20, lambda b: b["data"]["likes"]),
        ("/trips/{trip}/comments?limit={n}", 1, 20, lambda b: b["data"]["items"]),
        ("/trips/{trip}/pois?poi_type={n}", "town", "viewpoint", lambda b: b["pois"]),
        ("/trips/public?limit={n}", 1, 20, lambda b: b["trips"]),
        ("/feed?limit={n}", 1, 20, lambda b: b["trips"]),
        ("/users/ana/trips?limit={n}&sort_by=popularity-desc", 1, 20, lambda b: b["data"]["trips"]),
    ],
)
async def test_lists_cost_a_constant_number_of_statements(
    harness: AppHarness, path: str, small: Any, large: Any, pick: Any
) -> None:
    h = harness
    _ana, trip_id = await _busy_world(h)
    viewer = await make_rider(h, "viewer")
    sizes, counts = [], []
    for n in (small, large):
        with count_statements(h) as counter:
            response = await h.client.get(path.format(trip=trip_id, n=n), headers=viewer.headers)
        assert response.status_code == 200, response.text
        sizes.append(len(pick(response.json())))
        counts.append(counter.count)
    assert sizes[0] < sizes[1], sizes
    if path.startswith("/feed"):
        # at most one page query (and its children's 3) per feed segment, never one per trip
        assert counts[0] <= counts[1] <= counts[0] + 2 * 4, (path, counts)
    else:
        assert counts[0] == counts[1], (path, counts)
