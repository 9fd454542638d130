"""Helpers shared by the POI tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import AppHarness
from tests.trips.helpers import Rider

POI_KEYS = {
    "poi_id",
    "trip_id",
    "name",
    "description",
    "poi_type",
    "latitude",
    "longitude",
    "distance_from_start_km",
    "photo_url",
    "sequence",
    "created_at",
}


def poi_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Mirador del Pico",
        "description": "Vistas al valle",
        "poi_type": "viewpoint",
        "latitude": 42.6312345678,
        "longitude": -0.0876543219,
        "distance_from_start_km": 12.5,
        "sequence": 0,
    }
    body.update(overrides)
    return body


async def create_poi(h: AppHarness, rider: Rider, trip_id: str, **overrides: Any) -> dict[str, Any]:
    response = await h.client.post(
        f"/trips/{trip_id}/pois", json=poi_body(**overrides), headers=rider.headers
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert body["success"] is False, body
    assert body["data"] is None, body
    return dict(body["error"])


def poi_files(h: AppHarness) -> set[Path]:
    root = Path(h.services.settings.STORAGE_PATH) / "poi_photos"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def upload(
    h: AppHarness, rider: Rider | None, poi_id: str, data: bytes, name: str = "foto.jpg"
) -> Any:
    return await h.client.post(
        f"/pois/{poi_id}/photo",
        files={"photo": (name, data, "image/jpeg")},
        headers=rider.headers if rider else {},
    )
