"""GPX routes (contract §2.14): shapes, envelopes, success and error paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from src.gpx.models import GPXFile, RouteStatistics, TrackPoint
from src.gpx.parsing import MAX_FILE_BYTES
from tests.conftest import AppHarness
from tests.gpx.helpers import gpx as make_gpx
from tests.gpx.helpers import gpx_row, line, storage_file, track, upload, upload_ok
from tests.gpx.test_parsing import HOSTILE
from tests.trips.helpers import Rider, make_rider, published_trip

UPLOAD_KEYS = {
    "gpx_file_id",
    "trip_id",
    "distance_km",
    "elevation_gain",
    "elevation_loss",
    "max_elevation",
    "min_elevation",
    "total_points",
    "simplified_points",
    "has_elevation",
    "has_timestamps",
    "processing_status",
    "error_message",
    "uploaded_at",
    "processed_at",
}
METADATA_KEYS = UPLOAD_KEYS | {"file_name", "file_size"}
STATUS_KEYS = {
    "gpx_file_id",
    "processing_status",
    "distance_km",
    "elevation_gain",
    "total_points",
    "simplified_points",
    "uploaded_at",
    "processed_at",
    "error_message",
}
TRACK_KEYS = {
    "gpx_file_id",
    "trip_id",
    "distance_km",
    "elevation_gain",
    "simplified_points_count",
    "has_elevation",
    "start_point",
    "end_point",
    "trackpoints",
    "route_statistics",
}
POINT_KEYS = {
    "point_id",
    "latitude",
    "longitude",
    "elevation",
    "distance_km",
    "sequence",
    "gradient",
}
STATS_KEYS = {
    "stats_id",
    "gpx_file_id",
    "avg_speed_kmh",
    "max_speed_kmh",
    "total_time_minutes",
    "moving_time_minutes",
    "avg_gradient",
    "max_gradient",
    "top_climbs",
    "created_at",
    "gradient_distribution",
}


async def _setup(h: AppHarness) -> tuple[Rider, str]:
    """Ana and a published trip of hers without a distance."""
    ana = await make_rider(h, "ana")
    trip = await published_trip(h, ana, distance_km=None)
    return ana, trip["trip_id"]


def _stored_gpx_files(h: AppHarness) -> list[Path]:
    return list(Path(h.services.settings.STORAGE_PATH).rglob("*.gpx"))


async def _count(h: AppHarness, model: type) -> int:
    async with h.services.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_small_upload_is_processed_at_once(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    response = await upload(harness, ana, trip_id, track("camino_del_cid.gpx"), "Camino.GPX")
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"success", "data", "message"}  # E2: no "error" key
    assert body["success"] is True
    assert body["message"] is None
    data = body["data"]
    assert set(data) == UPLOAD_KEYS
    assert data["trip_id"] == trip_id
    assert data["processing_status"] == "completed"
    assert data["distance_km"] == 8.42
    assert data["elevation_gain"] == 380.0
    assert data["total_points"] == 20
    assert data["simplified_points"] == 3
    assert data["has_elevation"] is True
    assert data["has_timestamps"] is True
    assert data["processed_at"] is not None
    assert data["error_message"] is None
    assert data["uploaded_at"].endswith("Z")

    # the original is stored in a hidden folder: /storage never serves it
    row = await gpx_row(harness, data["gpx_file_id"])
    assert "/.originals/" in row.file_key
    assert storage_file(harness, row.file_key).read_bytes() == track("camino_del_cid.gpx")
    served = await harness.client.get(f"/storage/{row.file_key}")
    assert served.status_code == 404

    metadata = await harness.client.get(f"/trips/{trip_id}/gpx")
    assert metadata.status_code == 200
    assert set(metadata.json()) == {"success", "data"}
    meta = metadata.json()["data"]
    assert set(meta) == METADATA_KEYS
    assert meta["file_name"] == "Camino.GPX"
    assert meta["file_size"] == len(track("camino_del_cid.gpx"))

    status = await harness.client.get(f"/gpx/{data['gpx_file_id']}/status")
    assert set(status.json()) == {"success", "data"}
    assert set(status.json()["data"]) == STATUS_KEYS
    assert status.json()["data"]["processing_status"] == "completed"
    assert status.json()["data"]["simplified_points"] == 3

    # the trip detail carries the same metadata
    detail = await harness.client.get(f"/trips/{trip_id}", headers=ana.headers)
    assert detail.json()["data"]["gpx_file"] == meta


async def test_track_shape(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    uploaded = await upload_ok(harness, ana, trip_id, track("camino_del_cid.gpx"))
    response = await harness.client.get(f"/gpx/{uploaded['gpx_file_id']}/track")
    assert response.status_code == 200
    assert set(response.json()) == {"success", "data"}
    data = response.json()["data"]
    assert set(data) == TRACK_KEYS
    assert data["simplified_points_count"] == len(data["trackpoints"]) == 3
    assert data["start_point"] == {"latitude": 41.6488, "longitude": -0.8891}
    assert [p["sequence"] for p in data["trackpoints"]] == [0, 1, 2]
    assert all(set(p) == POINT_KEYS for p in data["trackpoints"])
    assert data["trackpoints"][0]["gradient"] is None
    stats = data["route_statistics"]
    assert set(stats) == STATS_KEYS
    assert stats["total_time_minutes"] == 95.0
    assert stats["max_gradient"] is not None
    assert 4 < stats["max_gradient"] < 7
    distribution = stats["gradient_distribution"]
    assert set(distribution) == {"llano", "moderado", "empinado", "muy_empinado"}
    assert sum(b["percentage"] for b in distribution.values()) == pytest.approx(100, abs=0.2)


async def test_track_without_elevation_or_times(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    uploaded = await upload_ok(harness, ana, trip_id, track("no_elevation.gpx"))
    data = (await harness.client.get(f"/gpx/{uploaded['gpx_file_id']}/track")).json()["data"]
    assert data["has_elevation"] is False
    assert data["elevation_gain"] is None
    assert data["route_statistics"]["gradient_distribution"] is None
    assert data["route_statistics"]["max_gradient"] is None

    other = await published_trip(harness, ana)
    plain = make_gpx(line(40.0, -3.0, north_m=100, count=5), start=None)
    uploaded = await upload_ok(harness, ana, other["trip_id"], plain)
    data = (await harness.client.get(f"/gpx/{uploaded['gpx_file_id']}/track")).json()["data"]
    assert data["route_statistics"] is None


async def test_download_gives_the_author_the_original(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    await harness.client.put(
        f"/trips/{trip_id}", json={"title": "Vía Verde: día 1/2"}, headers=ana.headers
    )
    uploaded = await upload_ok(harness, ana, trip_id, track("short_route.gpx"))
    response = await harness.client.get(
        f"/gpx/{uploaded['gpx_file_id']}/download", headers=ana.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gpx+xml"
    assert response.content == track("short_route.gpx")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Via-Verde-dia-12.gpx"')
    assert "filename*=UTF-8''V%C3%ADa-Verde-d%C3%ADa-12.gpx" in disposition


async def test_delete_removes_everything(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    uploaded = await upload_ok(harness, ana, trip_id, track("camino_del_cid.gpx"))
    row = await gpx_row(harness, uploaded["gpx_file_id"])
    path = storage_file(harness, row.file_key)
    assert path.exists()
    response = await harness.client.delete(f"/trips/{trip_id}/gpx", headers=ana.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert not path.exists()
    for model in (GPXFile, TrackPoint, RouteStatistics):
        assert await _count(harness, model) == 0
    missing = await harness.client.get(f"/trips/{trip_id}/gpx")
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "code": "NOT_FOUND",
        "message": "No se encontró archivo GPX para este viaje",
    }
    again = await harness.client.delete(f"/trips/{trip_id}/gpx", headers=ana.headers)
    assert again.status_code == 404
    # a new track may be uploaded after the delete
    assert (await upload(harness, ana, trip_id, track("short_route.gpx"))).status_code == 201


async def test_deleting_the_trip_deletes_the_gpx_file(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    uploaded = await upload_ok(harness, ana, trip_id, track("camino_del_cid.gpx"))
    path = storage_file(harness, (await gpx_row(harness, uploaded["gpx_file_id"])).file_key)
    response = await harness.client.delete(f"/trips/{trip_id}", headers=ana.headers)
    assert response.status_code == 200
    assert not path.exists()
    assert await _count(harness, GPXFile) == 0
    assert await _count(harness, TrackPoint) == 0


async def test_upload_errors(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    bob = await make_rider(harness, "bob")
    data = track("short_route.gpx")

    anonymous = await harness.client.post(
        f"/trips/{trip_id}/gpx", files={"file": ("a.gpx", data, "application/gpx+xml")}
    )
    assert anonymous.status_code == 401
    missing_trip = await upload(harness, ana, "no-such-trip", data)
    assert missing_trip.status_code == 404
    assert missing_trip.json()["error"]["code"] == "NOT_FOUND"
    not_yours = await upload(harness, bob, trip_id, data)
    assert not_yours.status_code == 403
    assert not_yours.json()["error"]["code"] == "FORBIDDEN"

    wrong_type = await upload(harness, ana, trip_id, data, "route.kml")
    assert wrong_type.status_code == 400
    assert wrong_type.json()["error"] == {
        "code": "INVALID_FILE_TYPE",
        "message": "Solo se permiten archivos .gpx",
        "field": "file",
    }
    no_file = await harness.client.post(f"/trips/{trip_id}/gpx", headers=ana.headers)
    assert no_file.status_code == 400
    assert no_file.json()["error"]["field"] == "file"

    too_large = await upload(harness, ana, trip_id, b"<gpx>" + b" " * MAX_FILE_BYTES)
    assert too_large.status_code == 400
    assert too_large.json()["error"]["code"] == "FILE_TOO_LARGE"
    assert "10MB" in too_large.json()["error"]["message"]

    for bad, detail in (
        (track("invalid_gpx.xml"), "no es un XML válido"),
        (b"", "vacío"),
        (b"<gpx><trk><trkseg></trkseg></trk></gpx>", "El archivo GPX no contiene puntos de track"),
        (make_gpx([(40.0, -3.0, 600.0), (40.01, -3.0, 9100.0)]), "Elevación anómala"),
        (b"<kml/>", "no es un GPX"),
    ):
        refused = await upload(harness, ana, trip_id, bad)
        assert refused.status_code == 400, refused.text
        error = refused.json()["error"]
        assert error["code"] == "INVALID_GPX_FORMAT"
        assert error["message"].startswith("Error al procesar archivo GPX: ")
        assert detail in error["message"]
    assert await _count(harness, GPXFile) == 0
    assert _stored_gpx_files(harness) == []

    assert (await upload(harness, ana, trip_id, data)).status_code == 201
    twice = await upload(harness, ana, trip_id, data)
    assert twice.status_code == 400
    assert twice.json()["error"]["code"] == "TRIP_ALREADY_HAS_GPX"


@pytest.mark.parametrize("name", sorted(HOSTILE))
async def test_hostile_xml_is_refused_by_every_route(harness: AppHarness, name: str) -> None:
    ana, trip_id = await _setup(harness)
    data = HOSTILE[name]
    response = await upload(harness, ana, trip_id, data)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_GPX_FORMAT"
    assert "DTD" in response.json()["error"]["message"]
    # also when the file is large enough to be queued
    padded = data.replace(b"<trk>", b"<trk>" + b" " * (1024 * 1024 + 1), 1)
    response = await upload(harness, ana, trip_id, padded)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_GPX_FORMAT"
    analyzed = await harness.client.post(
        "/gpx/analyze",
        files={"file": ("evil.gpx", data, "application/gpx+xml")},
        headers=ana.headers,
    )
    assert analyzed.status_code == 400
    assert analyzed.json()["error"]["code"] == "INVALID_GPX_FILE"
    assert "root:" not in analyzed.text
    assert await _count(harness, GPXFile) == 0


async def test_unknown_gpx_and_unprocessed_tracks(harness: AppHarness) -> None:
    for path in ("/gpx/nope/status", "/gpx/nope/track", "/gpx/nope/download"):
        response = await harness.client.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == {
            "code": "NOT_FOUND",
            "message": "Archivo GPX no encontrado",
        }
    assert (await harness.client.get("/trips/nope/gpx")).status_code == 404

    ana, trip_id = await _setup(harness)
    queued = await upload(harness, ana, trip_id, track("via-verde.gpx"))
    assert queued.status_code == 202
    gpx_id = queued.json()["data"]["gpx_file_id"]
    response = await harness.client.get(f"/gpx/{gpx_id}/track")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "NOT_PROCESSED",
        "message": "Archivo GPX aún no procesado. Estado: processing",
    }
    # others may not download a file that has not been processed; its author may
    assert (await harness.client.get(f"/gpx/{gpx_id}/download")).status_code == 404
    own = await harness.client.get(f"/gpx/{gpx_id}/download", headers=ana.headers)
    assert own.status_code == 200
    assert own.content == track("via-verde.gpx")


async def test_download_of_a_lost_file(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    uploaded = await upload_ok(harness, ana, trip_id, track("short_route.gpx"))
    row = await gpx_row(harness, uploaded["gpx_file_id"])
    storage_file(harness, row.file_key).unlink()
    response = await harness.client.get(
        f"/gpx/{uploaded['gpx_file_id']}/download", headers=ana.headers
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "FILE_NOT_FOUND"


async def test_messages_follow_the_request_language(harness: AppHarness) -> None:
    ana, trip_id = await _setup(harness)
    response = await harness.client.post(
        f"/trips/{trip_id}/gpx",
        files={"file": ("x.gpx", b"<gpx/>", "application/gpx+xml")},
        headers={**ana.headers, "Accept-Language": "en"},
    )
    assert response.json()["error"]["message"] == (
        "Error processing the GPX file: The GPX file contains no track points"
    )


async def test_control_characters_are_dropped_from_the_stored_file_name(
    harness: AppHarness,
) -> None:
    """A multipart file name with a raw NUL byte was stored as is: a 500 on PostgreSQL
    (found by the hostile-input suite).  The name keeps its printable characters."""
    ana = await make_rider(harness, "ana")
    trip = await published_trip(harness, ana)
    data = make_gpx(line(40.4, -3.7, north_m=100, count=20))
    boundary = b"cv-boundary"
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="ru\x00ta\x07.gpx"\r\n'
        b"Content-Type: application/gpx+xml\r\n\r\n" + data + b"\r\n--" + boundary + b"--\r\n"
    )
    response = await harness.client.post(
        f"/trips/{trip['trip_id']}/gpx",
        content=body,
        headers={**ana.headers, "Content-Type": "multipart/form-data; boundary=cv-boundary"},
    )
    assert response.status_code in (201, 202), response.text
    row = await gpx_row(harness, response.json()["data"]["gpx_file_id"])
    assert row.file_name == "ruta.gpx"
