"""Cycling types: the public list and admin management (contract §2.9)."""

from __future__ import annotations

from typing import Any

import pytest

from src.cycling.service import ensure_default_types
from tests.conftest import AppHarness
from tests.trips.helpers import Rider, make_rider

FULL_KEYS = {"id", "code", "display_name", "description", "is_active", "created_at", "updated_at"}


async def _setup(h: AppHarness) -> tuple[Rider, Rider]:
    async with h.services.db.sessionmaker() as session:
        await ensure_default_types(session)
        await session.commit()
    admin = await make_rider(h, "admin", role="admin")
    user = await make_rider(h, "rider")
    return admin, user


async def test_public_list_is_raw_active_and_ordered_by_name(harness: AppHarness) -> None:
    admin, _ = await _setup(harness)
    c = harness.client
    await c.delete("/admin/cycling-types/gravel", headers=admin.headers)
    r = await c.get("/cycling-types")
    assert r.status_code == 200
    body = r.json()
    assert isinstance(body, list)  # raw array
    assert [t["display_name"] for t in body] == [
        "Bikepacking",
        "Carretera",
        "Cicloturismo",
        "Desplazamiento Urbano",
        "Montaña (MTB)",
    ]
    assert set(body[0]) == {"code", "display_name", "description"}
    assert body[0] == {
        "code": "bikepacking",
        "display_name": "Bikepacking",
        "description": "Viajes de varios días en bicicleta con equipaje completo",
    }
    page = (await c.get("/cycling-types?limit=2&offset=1")).json()
    assert [t["code"] for t in page] == ["road", "touring"]
    assert (await c.get("/cycling-types?limit=0")).status_code == 400


async def test_admin_list_and_get(harness: AppHarness) -> None:
    admin, _ = await _setup(harness)
    c = harness.client
    await c.delete("/admin/cycling-types/gravel", headers=admin.headers)
    everything = (await c.get("/admin/cycling-types", headers=admin.headers)).json()
    assert len(everything) == 6
    assert set(everything[0]) == FULL_KEYS
    active = (await c.get("/admin/cycling-types?active_only=true", headers=admin.headers)).json()
    assert [t["code"] for t in active] == [t["code"] for t in everything if t["is_active"]]
    assert len(active) == 5
    one = await c.get("/admin/cycling-types/road", headers=admin.headers)
    assert one.status_code == 200
    assert one.json()["code"] == "road"  # raw object
    assert set(one.json()) == FULL_KEYS
    missing = await c.get("/admin/cycling-types/unicycle", headers=admin.headers)
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "code": "NOT_FOUND",
        "message": "No se encontró el tipo de ciclismo 'unicycle'",
    }


async def test_create(harness: AppHarness) -> None:
    admin, _ = await _setup(harness)
    c = harness.client
    r = await c.post(
        "/admin/cycling-types",
        json={"code": "  Fat-Bike ", "display_name": "  Fat bike ", "description": "Ruedas gordas"},
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True
    assert body["message"] == "Tipo de ciclismo creado correctamente"
    created = body["data"]
    assert set(created) == FULL_KEYS
    assert (created["code"], created["display_name"], created["is_active"]) == (
        "fat-bike",
        "Fat bike",
        True,
    )
    listed = [t["code"] for t in (await c.get("/cycling-types")).json()]
    assert "fat-bike" in listed
    again = await c.post(
        "/admin/cycling-types",
        json={"code": "FAT-BIKE", "display_name": "Otra"},
        headers=admin.headers,
    )
    assert again.status_code == 400
    assert again.json()["error"] == {
        "code": "VALIDATION_ERROR",
        "message": "Ya existe un tipo de ciclismo con el código 'fat-bike'",
    }
    hidden = await c.post(
        "/admin/cycling-types",
        json={"code": "hidden", "display_name": "Oculto", "is_active": False},
        headers=admin.headers,
    )
    assert hidden.json()["data"]["is_active"] is False
    assert "hidden" not in [t["code"] for t in (await c.get("/cycling-types")).json()]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "x", "display_name": "Corto"}, "code"),
        ({"code": "x" * 51, "display_name": "Largo"}, "code"),
        ({"code": "-gravel", "display_name": "Guion"}, "code"),
        ({"code": "gravel_", "display_name": "Guion"}, "code"),
        ({"code": "grá vel", "display_name": "Acento"}, "code"),
        ({"code": "ok-code", "display_name": " a "}, "display_name"),
        ({"code": "ok-code", "display_name": "n" * 101}, "display_name"),
        ({"code": "ok-code", "display_name": "Bien", "description": "d" * 501}, "description"),
        ({"display_name": "Sin código"}, "code"),
    ],
)
async def test_create_validation(harness: AppHarness, body: dict[str, Any], field: str) -> None:
    admin, _ = await _setup(harness)
    r = await harness.client.post("/admin/cycling-types", json=body, headers=admin.headers)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "VALIDATION_ERROR"
    assert r.json()["error"]["field"] == field


async def test_update(harness: AppHarness) -> None:
    admin, _ = await _setup(harness)
    c = harness.client
    r = await c.put(
        "/admin/cycling-types/ROAD",
        json={"display_name": "Ruta", "is_active": False},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["message"] == "Tipo de ciclismo actualizado correctamente"
    data = r.json()["data"]
    assert (data["code"], data["display_name"], data["is_active"]) == ("road", "Ruta", False)
    assert data["description"] == "Rutas por carretera con bicicleta de carretera"  # kept
    r = await c.put("/admin/cycling-types/road", json={"description": None}, headers=admin.headers)
    assert r.json()["data"]["description"] is None
    assert r.json()["data"]["display_name"] == "Ruta"
    missing = await c.put("/admin/cycling-types/nope", json={}, headers=admin.headers)
    assert missing.status_code == 404
    bad = await c.put(
        "/admin/cycling-types/road", json={"display_name": "x"}, headers=admin.headers
    )
    assert bad.status_code == 400


async def test_delete_soft_and_hard(harness: AppHarness) -> None:
    admin, _ = await _setup(harness)
    c = harness.client
    r = await c.delete("/admin/cycling-types/touring", headers=admin.headers)
    assert r.status_code == 204
    assert r.content == b""
    soft = (await c.get("/admin/cycling-types/touring", headers=admin.headers)).json()
    assert soft["is_active"] is False
    r = await c.delete("/admin/cycling-types/touring?hard=true", headers=admin.headers)
    assert r.status_code == 204
    gone = await c.get("/admin/cycling-types/touring", headers=admin.headers)
    assert gone.status_code == 404
    again = await c.delete("/admin/cycling-types/touring", headers=admin.headers)
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/admin/cycling-types", None),
        ("GET", "/admin/cycling-types/road", None),
        ("POST", "/admin/cycling-types", {"code": "new-one", "display_name": "Nuevo"}),
        ("PUT", "/admin/cycling-types/road", {"display_name": "Otro"}),
        ("DELETE", "/admin/cycling-types/road", None),
    ],
)
async def test_admin_routes_need_an_admin(
    harness: AppHarness, method: str, path: str, body: dict[str, Any] | None
) -> None:
    _, user = await _setup(harness)
    c = harness.client
    anonymous = await c.request(method, path, json=body)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "UNAUTHORIZED"
    r = await c.request(method, path, json=body, headers=user.headers)
    assert r.status_code == 403
    assert r.json()["error"] == {
        "code": "FORBIDDEN",
        "message": "Acceso denegado. Se requiere rol de administrador.",
    }
    # nothing changed
    road = [t for t in (await c.get("/cycling-types")).json() if t["code"] == "road"]
    assert road == [
        {
            "code": "road",
            "display_name": "Carretera",
            "description": "Rutas por carretera con bicicleta de carretera",
        }
    ]
