"""The GPX wizard (contract §2.15): analyse a file, then create a draft trip with it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from src.gpx.models import GPXFile
from src.gpx.parsing import MAX_FILE_BYTES
from src.trips.models import Trip
from tests.conftest import AppHarness
from tests.gpx.helpers import gpx, track
from tests.trips.helpers import LONG_TEXT, Rider, make_rider

TELEMETRY_KEYS = {
    "distance_km",
    "elevation_gain",
    "elevation_loss",
    "max_elevation",
    "min_elevation",
    "has_elevation",
    "has_timestamps",
    "start_date",
    "end_date",
    "total_time_minutes",
    "moving_time_minutes",
    "difficulty",
    "suggested_title",
    "trackpoints",
}


async def analyze(
    h: AppHarness,
    rider: Rider | None,
    data: bytes,
    name: str = "camino_del_cid.gpx",
    content_type: str = "application/gpx+xml",
) -> httpx.Response:
    return await h.client.post(
        "/gpx/analyze",
        files={"file": (name, data, content_type)},
        headers=rider.headers if rider else {},
    )


def form(**overrides: Any) -> dict[str, str]:
    values = {
        "title": "Camino del Cid",
        "description": f"<p>{LONG_TEXT}</p>",
        "start_date": "2024-06-01",
        "end_date": "2024-06-02",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


async def wizard(
    h: AppHarness,
    rider: Rider,
    data: bytes | None,
    name: str = "camino_del_cid.gpx",
    **fields: Any,
) -> httpx.Response:
    files = {"gpx_file": (name, data, "application/gpx+xml")} if data is not None else None
    return await h.client.post(
        "/trips/gpx-wizard", data=form(**fields), files=files, headers=rider.headers
    )


async def _trips(h: AppHarness) -> int:
    async with h.services.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Trip)) or 0)


async def test_analyze_returns_the_telemetry(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    response = await analyze(harness, ana, track("via-verde.gpx"), "2017-05-09_via_verde.gpx")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"success", "data", "error"}
    data = body["data"]
    assert set(data) == TELEMETRY_KEYS
    assert data["distance_km"] == 143.4
    assert data["elevation_gain"] == 696.5
    assert data["elevation_loss"] == 1007.3
    assert (data["max_elevation"], data["min_elevation"]) == (702.0, 264.3)
    assert data["has_elevation"] is True
    assert data["has_timestamps"] is True
    assert (data["start_date"], data["end_date"]) == ("2017-05-09", "2017-05-10")
    assert data["total_time_minutes"] == 1743.1
    assert data["moving_time_minutes"] == 571.4
    assert data["difficulty"] == "very_difficult"
    assert data["suggested_title"] == "Via Verde"
    points = data["trackpoints"]
    assert set(points[0]) == {"latitude", "longitude", "elevation", "distance_km"}
    assert points[0]["distance_km"] == 0.0
    assert 100 < len(points) < 11443
    # the simplified line cuts corners: a little shorter than the raw points
    assert points[-1]["distance_km"] == pytest.approx(143.4, rel=0.01)
    async with harness.services.db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(GPXFile)) == 0


async def test_analyze_errors(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    assert (await analyze(harness, None, track("short_route.gpx"))).status_code == 401

    missing = await harness.client.post("/gpx/analyze", headers=ana.headers)
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "MISSING_FILE"
    assert missing.json()["error"]["field"] == "file"

    wrong = await analyze(harness, ana, track("short_route.gpx"), "route.kml")
    assert wrong.status_code == 400
    assert wrong.json()["error"] == {
        "code": "INVALID_FILE_TYPE",
        "message": "Formato no válido. Solo se aceptan archivos .gpx (recibido: .kml)",
        "field": "file",
    }
    mime = await analyze(harness, ana, track("short_route.gpx"), content_type="image/png")
    assert mime.status_code == 400
    assert mime.json()["error"]["code"] == "INVALID_FILE_TYPE"
    for accepted in ("application/xml", "text/xml", "application/octet-stream"):
        ok = await analyze(harness, ana, track("short_route.gpx"), content_type=accepted)
        assert ok.status_code == 200, accepted

    large = await analyze(harness, ana, b"<gpx>" + b" " * MAX_FILE_BYTES)
    assert large.status_code == 413
    assert large.json()["error"]["code"] == "FILE_TOO_LARGE"
    assert large.json()["error"]["field"] == "file"

    empty = await analyze(harness, ana, b"")
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "FILE_READ_ERROR"

    no_points = await analyze(harness, ana, b"<gpx><trk><trkseg/></trk></gpx>")
    assert no_points.status_code == 400
    assert no_points.json()["error"] == {
        "code": "INVALID_GPX_FILE",
        "message": "El archivo GPX no contiene puntos de track",
        "field": "file",
    }
    anomalous = await analyze(harness, ana, gpx([(40.0, -3.0, 600.0), (40.01, -3.0, -500.0)]))
    assert anomalous.status_code == 400
    assert anomalous.json()["error"]["code"] == "INVALID_GPX_DATA"
    assert anomalous.json()["error"]["message"].startswith("Elevación anómala detectada: -500.0 m")
    broken = await analyze(harness, ana, track("invalid_gpx.xml"))
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "INVALID_GPX_FILE"


async def test_wizard_creates_a_draft_with_its_track(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    response = await wizard(harness, ana, track("camino_del_cid.gpx"))
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert set(data) == {
        "trip_id",
        "title",
        "description",
        "start_date",
        "end_date",
        "distance_km",
        "difficulty",
        "status",
        "gpx_file",
    }
    assert data["status"] == "draft"
    assert data["title"] == "Camino del Cid"
    assert data["distance_km"] == 8.4  # the 2-D telemetry distance (contract)
    assert data["difficulty"] == "easy"
    assert (data["start_date"], data["end_date"]) == ("2024-06-01", "2024-06-02")
    summary = data["gpx_file"]
    assert set(summary) == {
        "gpx_file_id",
        "total_distance_km",
        "elevation_gain",
        "elevation_loss",
        "max_elevation",
        "min_elevation",
        "has_elevation",
        "difficulty",
    }
    assert summary["total_distance_km"] == 8.4
    assert summary["elevation_gain"] == 380.0

    detail = (await harness.client.get(f"/trips/{data['trip_id']}", headers=ana.headers)).json()
    trip = detail["data"]
    assert trip["is_private"] is False
    assert trip["status"] == "draft"
    assert trip["gpx_file"]["gpx_file_id"] == summary["gpx_file_id"]
    assert trip["gpx_file"]["processing_status"] == "completed"
    track_data = await harness.client.get(
        f"/gpx/{summary['gpx_file_id']}/track", headers=ana.headers
    )
    assert track_data.status_code == 200
    # a draft: nobody else sees it, nor its track
    assert (await harness.client.get(f"/gpx/{summary['gpx_file_id']}/track")).status_code == 403
    # and it can be published as it is (the description is long enough)
    published = await harness.client.post(f"/trips/{data['trip_id']}/publish", headers=ana.headers)
    assert published.status_code == 200


async def test_wizard_large_file_is_processed_at_once_and_privacy_is_kept(
    harness: AppHarness,
) -> None:
    ana = await make_rider(harness, "ana")
    response = await wizard(harness, ana, track("via-verde.gpx"), privacy="private")
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["difficulty"] == "very_difficult"
    assert data["distance_km"] == 143.4
    trip = (await harness.client.get(f"/trips/{data['trip_id']}", headers=ana.headers)).json()
    assert trip["data"]["is_private"] is True
    assert trip["data"]["gpx_file"]["processing_status"] == "completed"


async def test_wizard_errors_leave_nothing_behind(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    data = track("short_route.gpx")

    missing = await wizard(harness, ana, None)
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "MISSING_FILE"
    assert missing.json()["error"]["field"] == "gpx_file"

    short = await wizard(harness, ana, data, description="Demasiado corta")
    assert short.status_code == 400
    assert short.json()["error"]["code"] == "VALIDATION_ERROR"
    assert short.json()["error"]["field"] == "description"
    assert "al menos 50 caracteres" in short.json()["error"]["message"]

    future = await wizard(harness, ana, data, start_date="2999-01-01")
    assert future.status_code == 400
    assert future.json()["error"]["field"] == "start_date"
    order = await wizard(harness, ana, data, end_date="2024-05-01")
    assert order.status_code == 400
    assert order.json()["error"]["field"] == "end_date"
    no_title = await wizard(harness, ana, data, title=None)
    assert no_title.status_code == 400
    assert no_title.json()["error"]["field"] == "title"
    long_title = await wizard(harness, ana, data, title="x" * 201)
    assert long_title.status_code == 400
    assert long_title.json()["error"]["field"] == "title"
    privacy = await wizard(harness, ana, data, privacy="secret")
    assert privacy.status_code == 400
    assert privacy.json()["error"]["field"] == "privacy"

    wrong = await wizard(harness, ana, data, name="track.txt")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "INVALID_FILE_TYPE"
    assert wrong.json()["error"]["field"] == "gpx_file"
    large = await wizard(harness, ana, b"<gpx>" + b" " * MAX_FILE_BYTES)
    assert large.status_code == 413
    assert large.json()["error"]["code"] == "FILE_TOO_LARGE"
    invalid = await wizard(harness, ana, b"<gpx><trk/></gpx>")
    assert invalid.status_code == 400
    assert invalid.json()["error"]["code"] == "INVALID_GPX_FILE"
    assert invalid.json()["error"]["field"] == "gpx_file"
    anomalous = await wizard(harness, ana, gpx([(40.0, -3.0, 99999.0)]))
    assert anomalous.status_code == 400
    assert anomalous.json()["error"]["code"] == "INVALID_GPX_DATA"
    assert await _trips(harness) == 0

    anonymous = await harness.client.post(
        "/trips/gpx-wizard",
        data=form(),
        files={"gpx_file": ("a.gpx", data, "application/gpx+xml")},
    )
    assert anonymous.status_code == 401
    assert await _trips(harness) == 0
