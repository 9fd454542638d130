"""Likes, comments and POIs follow the trip's visibility exactly as ``GET /trips/{id}`` does.

For every kind of trip and every kind of viewer, each route either works or answers what the
trip detail answers (403 with the same message, in the ``HTTP_403`` family), so none of them
reveals more about a hidden trip than the trip detail already does.  A missing trip is 404.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import AppHarness
from tests.pois.helpers import create_poi
from tests.trips.helpers import Rider, create_trip, follow, make_rider, published_trip

KINDS = ("draft", "public", "is_private", "followers", "private")
VIEWERS = ("anonymous", "stranger", "follower", "owner")
AUTHOR = {
    "draft": "alice",
    "public": "alice",
    "is_private": "alice",
    "followers": "fiona",
    "private": "piotr",
}


async def _world(h: AppHarness, kind: str) -> tuple[dict[str, Rider | None], str, str]:
    riders: dict[str, Rider | None] = {
        "alice": await make_rider(h, "alice"),
        "fiona": await make_rider(h, "fiona", trip_visibility="followers"),
        "piotr": await make_rider(h, "piotr", trip_visibility="private"),
        "stranger": await make_rider(h, "stranger"),
        "follower": await make_rider(h, "follower"),
        "anonymous": None,
    }
    for name in ("alice", "fiona", "piotr"):
        author = riders[name]
        follower = riders["follower"]
        assert author is not None
        assert follower is not None
        await follow(h, follower, author)
    owner = riders[AUTHOR[kind]]
    assert owner is not None
    riders["owner"] = owner
    if kind == "draft":
        trip_id = (await create_trip(h, owner))["trip_id"]
    else:
        trip_id = (await published_trip(h, owner))["trip_id"]
    if kind == "is_private":
        response = await h.client.put(
            f"/trips/{trip_id}", json={"is_private": True}, headers=owner.headers
        )
        assert response.status_code == 200
    poi_id = (await create_poi(h, owner, trip_id))["poi_id"]
    return riders, trip_id, poi_id


def _headers(rider: Rider | None) -> dict[str, str]:
    return rider.headers if rider else {}


def _answer(response: Any) -> tuple[int, str | None]:
    if response.status_code >= 400:
        error = response.json()["error"]
        return response.status_code, f"{error['code']}: {error['message']}"
    return response.status_code, None


@pytest.mark.parametrize("kind", KINDS)
async def test_every_route_answers_like_the_trip_detail(harness: AppHarness, kind: str) -> None:
    h = harness
    riders, trip_id, poi_id = await _world(h, kind)
    for who in VIEWERS:
        viewer = riders[who]
        headers = _headers(viewer)
        detail = await h.client.get(f"/trips/{trip_id}", headers=headers)
        visible = detail.status_code == 200
        if visible:
            hidden: tuple[int, str | None] = (200, None)
        else:
            assert detail.status_code == 403, (kind, who)
            hidden = (403, f"HTTP_403: {detail.json()['error']['message']}")

        for path in (
            f"/trips/{trip_id}/likes",
            f"/trips/{trip_id}/comments",
            f"/trips/{trip_id}/pois",
            f"/pois/{poi_id}",
        ):
            assert _answer(await h.client.get(path, headers=headers)) == hidden, (kind, who, path)

        if viewer is None:
            continue
        like = await h.client.post(f"/trips/{trip_id}/like", headers=headers)
        comment = await h.client.post(
            f"/trips/{trip_id}/comments", json={"content": "¡Bonita!"}, headers=headers
        )
        unlike = await h.client.delete(f"/trips/{trip_id}/like", headers=headers)
        if not visible:
            for response in (like, comment, unlike):
                assert _answer(response) == hidden, (kind, who)
        elif who == "owner":
            # visible to its author: the like rules decide (own trip / not published)
            assert like.status_code == 400
            assert comment.status_code == (400 if kind == "draft" else 201)
            assert unlike.status_code == 400
        else:
            assert (like.status_code, comment.status_code, unlike.status_code) == (201, 201, 200)


async def test_unknown_trips_and_pois_are_404_everywhere(harness: AppHarness) -> None:
    h = harness
    rider = await make_rider(h, "ana")
    for method, path, body in (
        ("GET", "/trips/nope/likes", None),
        ("POST", "/trips/nope/like", None),
        ("DELETE", "/trips/nope/like", None),
        ("GET", "/trips/nope/comments", None),
        ("POST", "/trips/nope/comments", {"content": "hola"}),
        ("GET", "/trips/nope/pois", None),
        ("GET", "/pois/nope", None),
        ("PUT", "/comments/nope", {"content": "hola"}),
        ("DELETE", "/comments/nope", None),
        ("PUT", "/pois/nope", {"name": "x"}),
        ("DELETE", "/pois/nope", None),
    ):
        response = await h.client.request(method, path, json=body, headers=rider.headers)
        assert response.status_code == 404, (method, path)
        assert response.json()["error"]["code"] == "HTTP_404", (method, path)
