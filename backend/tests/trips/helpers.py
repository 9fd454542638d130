"""Helpers shared by the travel diary tests (trips, photos, tags, cycling types)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event, select

from src.auth.models import User
from src.auth.service import ensure_account
from src.social.models import Follow
from tests.conftest import AppHarness
from tests.helpers import PASSWORD, bearer

LONG_TEXT = (
    "Una ruta preciosa entre olivos centenarios, con viaductos de hierro y túneles "
    "excavados en la roca."
)


@dataclass
class Rider:
    id: str
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


async def make_rider(
    h: AppHarness,
    username: str,
    *,
    role: str = "user",
    profile_visibility: str = "public",
    trip_visibility: str = "public",
) -> Rider:
    """A verified account created directly (fast), with an access token."""
    async with h.services.db.sessionmaker() as session:
        user, _ = await ensure_account(
            session,
            h.services.hasher,
            username=username,
            email=f"{username}@example.com",
            password=PASSWORD,
            role=role,
        )
        user.profile_visibility = profile_visibility
        user.trip_visibility = trip_visibility
        await session.commit()
        token = h.services.tokens.create_access_token(user.id, user.username)
        return Rider(id=user.id, username=user.username, token=token)


async def follow(h: AppHarness, follower: Rider, target: Rider) -> None:
    async with h.services.db.sessionmaker() as session:
        session.add(Follow(follower_id=follower.id, following_id=target.id))
        await session.commit()


async def set_user(h: AppHarness, rider: Rider, **values: Any) -> None:
    async with h.services.db.sessionmaker() as session:
        user = (await session.execute(select(User).where(User.id == rider.id))).scalar_one()
        for name, value in values.items():
            setattr(user, name, value)
        await session.commit()


def trip_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Vía Verde del Aceite",
        "description": f"<p>{LONG_TEXT}</p>",
        "start_date": "2024-05-15",
        "end_date": "2024-05-17",
        "distance_km": 128.5,
        "difficulty": "moderate",
        "locations": [{"name": "Jaén", "latitude": 37.7796, "longitude": -3.7849}],
        "tags": ["Vías Verdes", "Andalucía"],
    }
    body.update(overrides)
    return body


async def create_trip(h: AppHarness, rider: Rider, **overrides: Any) -> dict[str, Any]:
    response = await h.client.post("/trips", json=trip_body(**overrides), headers=rider.headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def publish(h: AppHarness, rider: Rider, trip_id: str) -> dict[str, Any]:
    response = await h.client.post(f"/trips/{trip_id}/publish", headers=rider.headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def published_trip(h: AppHarness, rider: Rider, **overrides: Any) -> dict[str, Any]:
    trip = await create_trip(h, rider, **overrides)
    await publish(h, rider, trip["trip_id"])
    return trip


async def upload_photo(
    h: AppHarness, rider: Rider, trip_id: str, data: bytes, name: str = "photo.jpg"
) -> Any:
    return await h.client.post(
        f"/trips/{trip_id}/photos",
        files={"photo": (name, data, "image/jpeg")},
        headers=rider.headers,
    )


class StatementCounter:
    """Counts the SQL statements sent to the database while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_statements(h: AppHarness) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    engine = h.services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def today() -> date:
    return date.today()
