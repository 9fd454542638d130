"""Who sees what: every trip, photo and listing route, for every kind of viewer and trip.

Viewers: anonymous, a stranger, a follower (of every author), the trip's author, an admin.
Trips: a draft; a published trip of an author with public trips; one whose author shows
trips to followers only; one whose author keeps trips private; an ``is_private`` trip; and a
trip of an author whose *profile* is private (trips public).

The decisions (docs/api/travel-diary.md): drafts and ``is_private`` trips are for their
author only (403 for anyone else); ``trip_visibility`` applies everywhere; admins get no
special read access; the public feed shows only what an anonymous visitor may discover
(author profile public too); the personal feed's community part follows the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from src.auth.models import User
from src.auth.service import ensure_account
from src.photos.models import TripPhoto
from src.social.models import Follow
from src.trips import service as trips_service
from src.trips.schemas import TripCreate, TripUpdate
from tests import images
from tests.conftest import AppHarness
from tests.helpers import PASSWORD
from tests.trips.helpers import Rider, trip_body, upload_photo

KINDS = ("draft", "public", "followers", "private", "is_private", "private_profile")
VIEWERS = ("anonymous", "stranger", "follower", "owner", "admin")
EVERYONE = frozenset(VIEWERS)

#: GET /trips/{id}: who gets 200 (everyone else: 403)
CAN_SEE: dict[str, frozenset[str]] = {
    "draft": frozenset({"owner"}),
    "public": EVERYONE,
    "followers": frozenset({"follower", "owner"}),
    "private": frozenset({"owner"}),
    "is_private": frozenset({"owner"}),
    "private_profile": EVERYONE,
}
#: which author writes each kind of trip
AUTHOR_OF = {
    "draft": "alice",
    "public": "alice",
    "is_private": "alice",
    "followers": "fiona",
    "private": "piotr",
    "private_profile": "paula",
}
AUTHORS = ("alice", "fiona", "piotr", "paula")
#: GET /trips/public: the same for every viewer
PUBLIC_FEED = {"public"}
#: GET /feed, per viewer (for authors: per author)
FEED: dict[str, set[str]] = {
    "stranger": {"public"},
    "follower": {"public", "followers", "private_profile"},
    "admin": {"public"},
    "alice": {"public", "is_private"},
    "fiona": {"public", "followers"},
    "piotr": {"public", "private"},
    "paula": {"public", "private_profile"},
}


@dataclass
class World:
    h: AppHarness
    riders: dict[str, Rider] = field(default_factory=dict)
    trips: dict[str, str] = field(default_factory=dict)  # kind -> trip_id
    photos: dict[str, str] = field(default_factory=dict)  # kind -> photo_id

    def viewer(self, who: str, kind: str | None = None, author: str | None = None) -> Rider | None:
        if who == "anonymous":
            return None
        if who == "owner":
            name = author or AUTHOR_OF[kind or ""]
            return self.riders[name]
        return self.riders[who]

    def headers(self, rider: Rider | None) -> dict[str, str]:
        return rider.headers if rider else {}

    def kinds_of(self, ids: list[str]) -> set[str]:
        by_id = {trip_id: kind for kind, trip_id in self.trips.items()}
        return {by_id[trip_id] for trip_id in ids}


async def build_world(h: AppHarness) -> World:
    """Everyone and every kind of trip, written through the services in one transaction."""
    world = World(h)
    accounts = {
        "alice": {},
        "fiona": {"trip_visibility": "followers"},
        "piotr": {"trip_visibility": "private"},
        "paula": {"profile_visibility": "private"},
        "stranger": {},
        "follower": {},
        "admin": {"role": "admin"},
    }
    async with h.services.db.sessionmaker() as session:
        users: dict[str, User] = {}
        for name, attrs in accounts.items():
            user, _ = await ensure_account(
                session,
                h.services.hasher,
                username=name,
                email=f"{name}@example.com",
                password=PASSWORD,
                role=attrs.pop("role", "user"),
            )
            for attr, value in attrs.items():
                setattr(user, attr, value)
            users[name] = user
        for author in AUTHORS:
            session.add(Follow(follower_id=users["follower"].id, following_id=users[author].id))
        await session.flush()
        for kind in KINDS:
            author = users[AUTHOR_OF[kind]]
            body = TripCreate.model_validate(trip_body(title=f"Viaje {kind}", tags=[kind, "común"]))
            row = await trips_service.create_trip(session, author, body)
            trip_id = row.trip.trip_id
            world.trips[kind] = trip_id
            if kind != "draft":
                await trips_service.publish_trip(session, author, trip_id)
            if kind == "is_private":
                await trips_service.update_trip(
                    session, author, trip_id, TripUpdate(is_private=True)
                )
            photo = TripPhoto(
                trip_id=trip_id,
                photo_url=f"/storage/trip_photos/test/{kind}.jpg",
                thumb_url=f"/storage/trip_photos/test/{kind}_thumb.jpg",
                order=0,
                file_size=10,
                width=10,
                height=10,
            )
            session.add(photo)
            await session.flush()
            world.photos[kind] = photo.photo_id
        await session.commit()
    for name, user in users.items():
        token = h.services.tokens.create_access_token(user.id, user.username)
        world.riders[name] = Rider(id=user.id, username=name, token=token)
    return world


def owner_only(who: str, success: int) -> int:
    return {"owner": success, "anonymous": 401}.get(who, 403)


async def _call(world: World, route: str, kind: str, rider: Rider | None) -> Any:
    c = world.h.client
    trip_id = world.trips[kind]
    headers = world.headers(rider)
    if route == "get":
        return await c.get(f"/trips/{trip_id}", headers=headers)
    if route == "put":
        return await c.put(f"/trips/{trip_id}", json={"title": "Cambiado"}, headers=headers)
    if route == "delete":
        return await c.delete(f"/trips/{trip_id}", headers=headers)
    if route == "publish":
        return await c.post(f"/trips/{trip_id}/publish", headers=headers)
    if route == "photo_upload":
        return await c.post(
            f"/trips/{trip_id}/photos",
            files={"photo": ("p.jpg", images.jpeg(32, 24), "image/jpeg")},
            headers=headers,
        )
    if route == "photo_delete":
        return await c.delete(f"/trips/{trip_id}/photos/{world.photos[kind]}", headers=headers)
    if route == "photo_reorder":
        return await c.put(
            f"/trips/{trip_id}/photos/reorder",
            json={"photo_order": [world.photos[kind]]},
            headers=headers,
        )
    raise AssertionError(route)


EXPECTED_SUCCESS = {
    "get": 200,
    "put": 200,
    "delete": 200,
    "publish": 200,
    "photo_upload": 201,
    "photo_delete": 200,
    "photo_reorder": 200,
}


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("route", list(EXPECTED_SUCCESS))
async def test_trip_and_photo_routes(harness: AppHarness, route: str, who: str) -> None:
    world = await build_world(harness)
    for kind in KINDS:
        rider = world.viewer(who, kind)
        response = await _call(world, route, kind, rider)
        if route == "get":
            expected = 200 if who in CAN_SEE[kind] else 403
        else:
            expected = owner_only(who, EXPECTED_SUCCESS[route])
        assert response.status_code == expected, (route, who, kind, response.text)
        body = response.json()
        if expected >= 400:
            assert body["success"] is False
            assert body["data"] is None
            assert body["error"]["code"] in {"FORBIDDEN", "UNAUTHORIZED"}
            assert f"Viaje {kind}" not in response.text
    if who != "owner" and route != "get":
        # refused writes changed nothing
        for kind in KINDS:
            author = world.riders[AUTHOR_OF[kind]]
            detail = await harness.client.get(f"/trips/{world.trips[kind]}", headers=author.headers)
            data = detail.json()["data"]
            assert data["title"] == f"Viaje {kind}"
            assert [p["id"] for p in data["photos"]] == [world.photos[kind]]
            assert data["status"] == ("draft" if kind == "draft" else "published")


@pytest.mark.parametrize("who", VIEWERS)
async def test_user_trip_lists(harness: AppHarness, who: str) -> None:
    world = await build_world(harness)
    for author in AUTHORS:
        rider = world.viewer(who, author=author)
        response = await harness.client.get(f"/users/{author}/trips", headers=world.headers(rider))
        assert response.status_code == 200
        seen = world.kinds_of([t["trip_id"] for t in response.json()["data"]["trips"]])
        expected = {k for k in KINDS if AUTHOR_OF[k] == author and who in CAN_SEE[k]}
        assert seen == expected, (who, author)
        assert response.json()["data"]["total"] == len(expected)
        # filters never widen what a viewer may see
        for query in ("status=draft", "visibility=private", "tag=draft", "tag=is_private"):
            filtered = await harness.client.get(
                f"/users/{author}/trips?{query}", headers=world.headers(rider)
            )
            kinds = world.kinds_of([t["trip_id"] for t in filtered.json()["data"]["trips"]])
            assert kinds <= expected, (who, author, query)


@pytest.mark.parametrize("who", VIEWERS)
async def test_public_feed(harness: AppHarness, who: str) -> None:
    world = await build_world(harness)
    viewers = (
        [world.viewer(who, author=a) for a in AUTHORS] if who == "owner" else [world.viewer(who)]
    )
    for rider in viewers:
        response = await harness.client.get("/trips/public", headers=world.headers(rider))
        assert response.status_code == 200
        trips = response.json()["trips"]
        assert world.kinds_of([t["trip_id"] for t in trips]) == PUBLIC_FEED
        assert response.json()["pagination"]["total"] == len(PUBLIC_FEED)


@pytest.mark.parametrize("who", VIEWERS)
async def test_personal_feed(harness: AppHarness, who: str) -> None:
    world = await build_world(harness)
    if who == "anonymous":
        response = await harness.client.get("/feed")
        assert response.status_code == 401
        return
    names = list(AUTHORS) if who == "owner" else [who]
    for name in names:
        rider = world.riders[name]
        response = await harness.client.get("/feed?limit=50", headers=rider.headers)
        assert response.status_code == 200
        trips = response.json()["trips"]
        assert world.kinds_of([t["trip_id"] for t in trips]) == FEED[name], name
        assert response.json()["total_count"] == len(FEED[name])


async def test_admin_has_no_special_read_access_to_drafts_of_others(harness: AppHarness) -> None:
    world = await build_world(harness)
    admin = world.riders["admin"]
    r = await harness.client.get(f"/trips/{world.trips['draft']}", headers=admin.headers)
    assert r.status_code == 403
    lists = await harness.client.get("/users/alice/trips?status=draft", headers=admin.headers)
    assert lists.json()["data"]["trips"] == []


async def test_forbidden_messages(harness: AppHarness) -> None:
    world = await build_world(harness)
    c = harness.client
    stranger = world.riders["stranger"].headers

    async def message(kind: str, headers: dict[str, str]) -> str:
        r = await c.get(f"/trips/{world.trips[kind]}", headers=headers)
        assert r.status_code == 403
        text: str = r.json()["error"]["message"]
        return text

    assert await message("followers", {}) == "Debes iniciar sesión para ver este viaje"
    assert (
        await message("followers", stranger)
        == "Este viaje solo es visible para seguidores del usuario"
    )
    assert (
        await message("private", stranger)
        == "Este viaje es privado y solo el propietario puede verlo"
    )
    assert (
        await message("is_private", stranger)
        == "Este viaje es privado y solo el propietario puede verlo"
    )


async def test_deactivated_authors_trips_disappear(harness: AppHarness) -> None:
    from tests.trips.helpers import set_user

    world = await build_world(harness)
    await set_user(harness, world.riders["alice"], is_active=False)
    r = await harness.client.get(f"/trips/{world.trips['public']}")
    assert r.status_code == 403
    assert (await harness.client.get("/trips/public")).json()["trips"] == []
    assert (await harness.client.get("/users/alice/trips")).status_code == 404


async def test_upload_by_owner_really_stores_a_photo(harness: AppHarness) -> None:
    world = await build_world(harness)
    alice = world.riders["alice"]
    r = await upload_photo(harness, alice, world.trips["public"], images.jpeg(40, 30))
    assert r.status_code == 201
    detail = await harness.client.get(f"/trips/{world.trips['public']}")
    assert len(detail.json()["data"]["photos"]) == 2
