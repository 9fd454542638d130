"""Trips: create, read, update, publish, delete (contract §2.6, §4.10, §4.7)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import AppHarness
from tests.trips.helpers import (
    LONG_TEXT,
    create_trip,
    make_rider,
    publish,
    trip_body,
)

TRIP_KEYS = {
    "trip_id",
    "user_id",
    "author",
    "title",
    "description",
    "status",
    "start_date",
    "end_date",
    "distance_km",
    "difficulty",
    "is_private",
    "created_at",
    "updated_at",
    "published_at",
    "photos",
    "locations",
    "tags",
    "like_count",
    "is_liked",
    "gpx_file",
}


async def test_create_returns_a_draft_with_the_contract_shape(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    body = trip_body(
        locations=[
            {"name": "Jaén", "country": "España", "latitude": 37.7796123456, "longitude": -3.78},
            {"name": "Baeza"},
        ],
        tags=["Vías Verdes", "vías verdes ", "Andalucía"],
        is_private=True,  # cannot be set at creation: ignored
        status="published",  # ignored: always a draft
    )
    r = await harness.client.post("/trips", json=body, headers=ana.headers)
    assert r.status_code == 201, r.text
    envelope = r.json()
    assert envelope["success"] is True
    assert envelope["error"] is None
    data = envelope["data"]
    assert set(data) == TRIP_KEYS
    assert data["status"] == "draft"
    assert data["is_private"] is False
    assert data["published_at"] is None
    assert data["user_id"] == ana.id
    assert data["author"] == {
        "user_id": ana.id,
        "username": "ana",
        "full_name": None,
        "profile_photo_url": None,
        "is_following": None,
    }
    assert data["like_count"] == 0
    assert data["is_liked"] is None  # the author
    assert data["gpx_file"] is None
    assert data["photos"] == []
    assert data["start_date"] == "2024-05-15"
    assert data["created_at"].endswith("Z")
    assert data["distance_km"] == 128.5
    assert data["difficulty"] == "moderate"
    places = data["locations"]
    assert [(p["name"], p["sequence"]) for p in places] == [("Jaén", 0), ("Baeza", 1)]
    assert places[0]["latitude"] == 37.779612  # rounded to 6 decimals
    assert places[1]["latitude"] is None
    assert set(places[0]) == {"location_id", "name", "latitude", "longitude", "sequence"}
    # duplicates (by normalized form) collapse; the first spelling is the display name
    tags = {t["normalized"]: t for t in data["tags"]}
    assert set(tags) == {"vías verdes", "andalucía"}  # accents kept
    assert tags["vías verdes"]["name"] == "Vías Verdes"
    assert tags["vías verdes"]["usage_count"] == 1
    assert set(tags["andalucía"]) == {"tag_id", "name", "normalized", "usage_count", "created_at"}


async def test_create_needs_a_token(harness: AppHarness) -> None:
    r = await harness.client.post("/trips", json=trip_body())
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "UNAUTHORIZED"


async def test_description_is_sanitised_and_title_is_plain_text(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    description = (
        f'<p onclick="steal()">{LONG_TEXT}</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)" title="t">bad</a> <a href="https://ok.example" '
        'target="_blank">ok</a><a href="mailto:a@b.c">mail</a><img src=x onerror=alert(1)>'
        "<blockquote><b>b</b><i>i</i><em>e</em><strong>s</strong><u>u</u></blockquote>"
        "<ul><li>1</li></ul><ol><li>2</li></ol><br><h1>big</h1><style>p{}</style>"
    )
    trip = await create_trip(
        harness,
        ana,
        title="Jaén & Córdoba <b>ruta</b> <script>x()</script>",
        description=description,
        locations=[{"name": "<i>Baeza</i> & Úbeda"}],
        tags=["<b>gravel</b>"],
    )
    html = trip["description"]
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "onclick" not in html
    assert "onerror" not in html
    assert "<img" not in html
    assert "javascript:" not in html
    assert "target" not in html
    assert "<style" not in html
    assert '<a title="t">bad</a>' in html
    assert '<a href="https://ok.example">ok</a>' in html
    assert '<a href="mailto:a@b.c">mail</a>' in html
    assert "<blockquote><b>b</b><i>i</i><em>e</em><strong>s</strong><u>u</u></blockquote>" in html
    assert "<ul><li>1</li></ul><ol><li>2</li></ol><br>" in html
    assert "<h1>" not in html
    assert "big" in html
    assert trip["title"] == "Jaén & Córdoba ruta"
    assert trip["locations"][0]["name"] == "Baeza & Úbeda"
    assert trip["tags"][0]["name"] == "gravel"


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"title": ""}, "title", "al menos 1"),
        ({"title": "x" * 201}, "title", "como máximo 200"),
        ({"title": "<script>x</script>"}, "title", "El título no puede estar vacío"),
        ({"description": ""}, "description", "al menos 1"),
        ({"description": "<script>only</script>"}, "description", "no puede estar vacía"),
        ({"start_date": None}, "start_date", ""),
        ({"start_date": "2024-13-01"}, "start_date", "Fecha no válida"),
        ({"start_date": "FUTURE"}, "start_date", "La fecha de inicio no puede ser futura"),
        (
            {"start_date": "2024-05-15", "end_date": "2024-05-14"},
            "end_date",
            "La fecha de fin debe ser posterior o igual a la fecha de inicio",
        ),
        ({"distance_km": 0.05}, "distance_km", "mayor o igual que 0.1"),
        ({"distance_km": 10000.5}, "distance_km", "menor o igual que 10000"),
        ({"distance_km": "lejos"}, "distance_km", "número"),
        ({"difficulty": "brutal"}, "difficulty", "Debe ser uno de"),
        ({"tags": [f"t{i}" for i in range(11)]}, "tags", "como máximo 10"),
        ({"tags": ["x" * 51]}, "tags", f"La etiqueta '{'x' * 51}' excede 50 caracteres"),
        ({"tags": ["  "]}, "tags", "Las etiquetas no pueden estar vacías"),
        (
            {"locations": [{"name": "A", "latitude": 90.5, "longitude": 0}]},
            "locations.0.latitude",
            "menor o igual que 90",
        ),
        (
            {"locations": [{"name": "A", "latitude": 0, "longitude": -180.01}]},
            "locations.0.longitude",
            "mayor o igual que -180",
        ),
        (
            {"locations": [{"name": "A", "latitude": 10}]},
            "locations.0",
            "deben indicarse juntas",
        ),
        ({"locations": [{"name": ""}]}, "locations.0.name", "al menos 1"),
        ({"locations": [{"name": "A"}] * 51}, "locations", "como máximo 50"),
    ],
)
async def test_create_validation_errors(
    harness: AppHarness, changes: dict[str, Any], field: str, fragment: str
) -> None:
    ana = await make_rider(harness, "ana")
    if changes.get("start_date") == "FUTURE":
        changes = {"start_date": (date.today() + timedelta(days=2)).isoformat(), "end_date": None}
    body = trip_body(**changes)
    if changes.get("start_date", "") is None:
        del body["start_date"]
    r = await harness.client.post("/trips", json=body, headers=ana.headers)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["field"] == field
    assert fragment in error["message"]


async def test_today_is_a_valid_start_date(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await create_trip(harness, ana, start_date=date.today().isoformat(), end_date=None)
    assert trip["start_date"] == date.today().isoformat()


async def test_validation_messages_in_english(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    r = await harness.client.post(
        "/trips",
        json=trip_body(tags=["y" * 60]),
        headers={**ana.headers, "Accept-Language": "en"},
    )
    assert r.status_code == 400
    assert "The tag 'yyyy" in r.json()["error"]["message"]
    assert "longer than 50 characters" in r.json()["error"]["message"]


async def test_malformed_json_is_a_400(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    r = await harness.client.post(
        "/trips", content=b"{not json", headers={**ana.headers, "Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "VALIDATION_ERROR"
    nan = await harness.client.post(
        "/trips",
        content=b'{"title": "t", "description": "d", "start_date": "2024-01-01", '
        b'"distance_km": NaN}',
        headers={**ana.headers, "Content-Type": "application/json"},
    )
    assert nan.status_code == 400


async def test_get_trip_and_404(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await create_trip(harness, ana)
    r = await harness.client.get(f"/trips/{trip['trip_id']}", headers=ana.headers)
    assert r.status_code == 200
    assert r.json()["data"] == trip | {"updated_at": r.json()["data"]["updated_at"]}
    missing = await harness.client.get("/trips/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["error"] == {"code": "NOT_FOUND", "message": "Viaje no encontrado"}
    odd = await harness.client.get("/trips/" + "x" * 65)
    assert odd.status_code == 400


async def test_drafts_are_for_their_author_only(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    bob = await make_rider(harness, "bob")
    trip = await create_trip(harness, ana)
    for headers in ({}, bob.headers, {"Authorization": "Bearer not-a-token"}):
        r = await harness.client.get(f"/trips/{trip['trip_id']}", headers=headers)
        assert r.status_code == 403
        assert r.json()["error"] == {
            "code": "FORBIDDEN",
            "message": "No tienes permiso para ver este viaje en borrador",
        }


async def test_publish_rules_and_idempotency(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    short = await create_trip(harness, ana, description="<p>" + "x" * 40 + "</p>")
    # 47 characters of HTML: the markup counts, and it is still too short
    r = await harness.client.post(f"/trips/{short['trip_id']}/publish", headers=ana.headers)
    assert r.status_code == 400
    assert r.json()["error"] == {
        "code": "VALIDATION_ERROR",
        "message": "La descripción debe tener al menos 50 caracteres para publicar el viaje",
        "field": "description",
    }
    trip = await create_trip(harness, ana)
    first = await publish(harness, ana, trip["trip_id"])
    assert set(first) == {"trip_id", "status", "published_at"}
    assert first["status"] == "published"
    assert first["published_at"].endswith("Z")
    again = await publish(harness, ana, trip["trip_id"])
    assert again == first  # published_at kept
    detail = await harness.client.get(f"/trips/{trip['trip_id']}")
    assert detail.json()["data"]["status"] == "published"
    assert detail.json()["data"]["published_at"] == first["published_at"]


async def test_publish_errors(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    bob = await make_rider(harness, "bob")
    trip = await create_trip(harness, ana)
    c = harness.client
    assert (await c.post(f"/trips/{trip['trip_id']}/publish")).status_code == 401
    r = await c.post(f"/trips/{trip['trip_id']}/publish", headers=bob.headers)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == "No tienes permiso para publicar este viaje"
    r = await c.post("/trips/nope/publish", headers=ana.headers)
    assert r.status_code == 404


async def test_update_fields_lists_and_nulls(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await create_trip(harness, ana)
    tid = trip["trip_id"]
    c = harness.client
    r = await c.put(
        f"/trips/{tid}",
        json={
            "title": "Nuevo título",
            "description": None,  # null: unchanged
            "end_date": None,
            "distance_km": 130.25,
            "difficulty": "difficult",
            "is_private": True,
            "client_updated_at": "2020-01-01T00:00:00Z",  # accepted, ignored
        },
        headers=ana.headers,
    )
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert set(data) == TRIP_KEYS
    assert data["title"] == "Nuevo título"
    assert data["description"] == trip["description"]
    assert data["end_date"] == trip["end_date"]
    assert data["distance_km"] == 130.25
    assert data["difficulty"] == "difficult"
    assert data["is_private"] is True
    assert data["tags"] == trip["tags"]  # omitted: unchanged
    assert data["locations"] == trip["locations"]
    r = await c.put(
        f"/trips/{tid}",
        json={"tags": ["Gravel", "andalucía"], "locations": [{"name": "Córdoba"}]},
        headers=ana.headers,
    )
    data = r.json()["data"]
    assert sorted(t["normalized"] for t in data["tags"]) == ["andalucía", "gravel"]
    assert [p["name"] for p in data["locations"]] == ["Córdoba"]
    r = await c.put(f"/trips/{tid}", json={"tags": [], "locations": []}, headers=ana.headers)
    assert r.json()["data"]["tags"] == []
    assert r.json()["data"]["locations"] == []


async def test_update_errors(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    bob = await make_rider(harness, "bob")
    trip = await create_trip(harness, ana)
    tid = trip["trip_id"]
    c = harness.client
    r = await c.put(f"/trips/{tid}", json={"end_date": "2024-05-01"}, headers=ana.headers)
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "end_date"
    r = await c.put(f"/trips/{tid}", json={"title": ""}, headers=ana.headers)
    assert r.status_code == 400
    r = await c.put(f"/trips/{tid}", json={"title": "x"}, headers=bob.headers)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == "No tienes permiso para editar este viaje"
    assert (await c.put(f"/trips/{tid}", json={"title": "x"})).status_code == 401
    assert (await c.put("/trips/nope", json={"title": "x"}, headers=ana.headers)).status_code == 404
    await publish(harness, ana, tid)
    # a published trip must keep meeting the publishing rules
    r = await c.put(f"/trips/{tid}", json={"description": "corta"}, headers=ana.headers)
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "description"
    unchanged = await c.get(f"/trips/{tid}")
    assert unchanged.json()["data"]["title"] == trip["title"]


async def test_delete(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    bob = await make_rider(harness, "bob")
    trip = await create_trip(harness, ana)
    tid = trip["trip_id"]
    c = harness.client
    assert (await c.delete(f"/trips/{tid}")).status_code == 401
    r = await c.delete(f"/trips/{tid}", headers=bob.headers)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == "No tienes permiso para eliminar este viaje"
    r = await c.delete(f"/trips/{tid}", headers=ana.headers)
    assert r.status_code == 200
    assert r.json() == {
        "success": True,
        "data": {"message": "Viaje eliminado correctamente"},
        "error": None,
    }
    assert (await c.get(f"/trips/{tid}", headers=ana.headers)).status_code == 404
    assert (await c.delete(f"/trips/{tid}", headers=ana.headers)).status_code == 404


async def test_seed_curl_flow(harness: AppHarness) -> None:
    """Seed 002's curl session: log in as testuser, POST /trips with tags, publish, and see
    the trip in the public feed."""
    from tests.helpers import register_verified

    await register_verified(harness, "testuser", "test@example.com")
    c = harness.client
    login = await c.post("/auth/login", json={"username": "testuser", "password": "Sup3r!Secret"})
    token = login.json()["data"]["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    r = await c.post(
        "/trips",
        headers=headers,
        json={
            "title": "Test Trip PostgreSQL",
            "description": "Testing trip creation with PostgreSQL database instead of SQLite",
            "start_date": "2025-01-10",
            "distance_km": 50.5,
            "tags": ["test", "postgresql"],
        },
    )
    assert r.status_code == 201, r.text
    trip = r.json()["data"]
    assert trip["status"] == "draft"
    assert sorted(t["name"] for t in trip["tags"]) == ["postgresql", "test"]
    assert (await c.get("/trips/public")).json()["trips"] == []
    r = await c.post(f"/trips/{trip['trip_id']}/publish", headers=headers)
    assert r.status_code == 200
    feed = (await c.get("/trips/public")).json()
    assert [t["trip_id"] for t in feed["trips"]] == [trip["trip_id"]]
    assert feed["trips"][0]["author"]["username"] == "testuser"
    assert feed["pagination"] == {"total": 1, "page": 1, "limit": 8, "total_pages": 1}
