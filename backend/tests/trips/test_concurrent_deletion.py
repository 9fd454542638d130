"""A trip (or POI) deleted by another request between a writer's first read and its trip
lock is a 404, not a 500.

Writers of a trip's children read the trip, check ownership, then take the trip's row lock
and re-read it.  When a concurrent ``DELETE`` committed in between, the re-read used to fail
(``InvalidRequestError: Could not refresh instance``) and the request answered 500: the
hostile-input suite hit it with ``DELETE /pois/{poi_id}`` racing ``DELETE /trips/{id}``.
Here the other request runs exactly in that window: the trips repository's ``lock`` is
wrapped so that its first call first lets a second, real request delete the row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from src.trips import repository as trips_repository
from tests import images
from tests.conftest import AppHarness
from tests.pois.helpers import create_poi, poi_body
from tests.trips.helpers import Rider, create_trip, make_rider, published_trip


def _race_before_the_lock(
    monkeypatch: pytest.MonkeyPatch, concurrent: Callable[[], Awaitable[Any]]
) -> list[int]:
    """Run ``concurrent`` (once) just before the next trip lock is taken; returns the
    status codes it got."""
    original = trips_repository.lock
    statuses: list[int] = []

    async def lock(session: Any, trip_id: str) -> None:
        if not statuses:
            statuses.append(0)  # mark as started: the concurrent request locks too
            statuses[0] = (await concurrent()).status_code
        await original(session, trip_id)

    monkeypatch.setattr(trips_repository, "lock", lock)
    return statuses


async def _rider_with_trip(h: AppHarness) -> tuple[Rider, str]:
    ana = await make_rider(h, "ana")
    trip = await published_trip(h, ana)
    return ana, str(trip["trip_id"])


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "expected"),
    [
        ("PUT", "/trips/{trip}", {"json": {"title": "Otro título"}}, 404),
        ("POST", "/trips/{trip}/publish", {}, 404),
        # the original answers a POI creation for a missing trip with 400
        ("POST", "/trips/{trip}/pois", {"json": poi_body(name="Fuente")}, 400),
        ("DELETE", "/pois/{poi}", {}, 404),
        ("PUT", "/pois/{poi}", {"json": {"name": "Mirador nuevo"}}, 404),
        ("POST", "/trips/{trip}/photos", {"photo": True}, 404),
        ("DELETE", "/trips/{trip}", {}, 404),
    ],
)
async def test_a_trip_deleted_meanwhile_is_not_found(
    harness: AppHarness,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    expected: int,
) -> None:
    ana, trip_id = await _rider_with_trip(harness)
    if path.endswith("/publish"):
        trip_id = str((await create_trip(harness, ana))["trip_id"])  # a draft
    poi = await create_poi(harness, ana, trip_id)
    if kwargs.get("photo"):
        kwargs = {"files": {"photo": ("p.jpg", images.jpeg(), "image/jpeg")}}
    statuses = _race_before_the_lock(
        monkeypatch,
        lambda: harness.client.delete(f"/trips/{trip_id}", headers=ana.headers),
    )
    response = await harness.client.request(
        method,
        path.format(trip=trip_id, poi=poi["poi_id"]),
        headers=ana.headers,
        **kwargs,
    )
    assert statuses == [200], statuses  # the trip really was deleted in the window
    assert response.status_code == expected, response.text
    monkeypatch.undo()
    gone = await harness.client.get(f"/trips/{trip_id}", headers=ana.headers)
    assert gone.status_code == 404


async def test_a_poi_deleted_meanwhile_is_not_found(
    harness: AppHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, trip_id = await _rider_with_trip(harness)
    poi = await create_poi(harness, ana, trip_id)
    statuses = _race_before_the_lock(
        monkeypatch,
        lambda: harness.client.delete(f"/pois/{poi['poi_id']}", headers=ana.headers),
    )
    response = await harness.client.put(
        f"/pois/{poi['poi_id']}", json={"name": "Mirador nuevo"}, headers=ana.headers
    )
    assert statuses == [204], statuses
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "HTTP_404"
    monkeypatch.undo()
    trip = await harness.client.get(f"/trips/{trip_id}", headers=ana.headers)
    assert trip.status_code == 200  # the trip itself is untouched
