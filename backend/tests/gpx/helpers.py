"""Helpers of the GPX tests: the reference tracks, hand-made GPX files, uploads, and an
independent reading of the raw points (a regular expression, not the parser under test)."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx

from src.gpx.models import GPXFile
from tests.conftest import AppHarness
from tests.trips.helpers import Rider

DATA = Path(__file__).resolve().parent / "data"
GPX_NS = "http://www.topografix.com/GPX/1/1"


@cache
def track(name: str) -> bytes:
    """A reference track from ``tests/gpx/data`` (copies of shared/reference/gpx)."""
    return (DATA / name).read_bytes()


def gpx(
    points: list[tuple[float, float, float | None]],
    *,
    start: datetime | None = datetime(2024, 6, 1, 8, 0, 0),
    step_seconds: int = 30,
    prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n',
    waypoints: str = "",
) -> bytes:
    """A GPX 1.1 file with one segment of ``(lat, lon, ele)`` points, ``step_seconds`` apart
    (no times when ``start`` is None)."""
    lines = [prolog + f'<gpx version="1.1" creator="tests" xmlns="{GPX_NS}">', waypoints]
    lines.append("<trk><name>t</name><trkseg>")
    for i, (lat, lon, ele) in enumerate(points):
        parts = [f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}">']
        if ele is not None:
            parts.append(f"<ele>{ele}</ele>")
        if start is not None:
            moment = start + timedelta(seconds=i * step_seconds)
            parts.append(f"<time>{moment:%Y-%m-%dT%H:%M:%S}Z</time>")
        parts.append("</trkpt>")
        lines.append("".join(parts))
    lines.append("</trkseg></trk></gpx>")
    return "\n".join(lines).encode()


def line(
    lat: float, lon: float, *, north_m: float, count: int, ele: float | None = 100.0
) -> list[tuple[float, float, float | None]]:
    """``count`` points going north from (lat, lon), ``north_m`` metres apart."""
    step = north_m / 111_194.9  # metres per degree of latitude on a 6371 km sphere
    return [(lat + i * step, lon, ele) for i in range(count)]


_TRKPT = re.compile(
    rb'<trkpt lat="([-0-9.]+)" lon="([-0-9.]+)">\s*(?:<ele>([-0-9.]+)</ele>)?', re.S
)


def raw_points(data: bytes) -> list[tuple[float, float, float | None]]:
    """The points of a (trusted, simple) GPX file read with a regular expression."""
    return [
        (float(lat), float(lon), float(ele) if ele else None)
        for lat, lon, ele in _TRKPT.findall(data)
    ]


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance on a 6371 km sphere, written out independently of the app."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return haversine_km(a, b) * 1000


async def upload(
    h: AppHarness, rider: Rider, trip_id: str, data: bytes, name: str = "ruta.gpx"
) -> httpx.Response:
    return await h.client.post(
        f"/trips/{trip_id}/gpx",
        files={"file": (name, data, "application/gpx+xml")},
        headers=rider.headers,
    )


async def upload_ok(
    h: AppHarness, rider: Rider, trip_id: str, data: bytes, name: str = "ruta.gpx"
) -> dict[str, Any]:
    """Upload and, for a queued file, run the job; return the status payload."""
    response = await upload(h, rider, trip_id, data, name)
    assert response.status_code in (201, 202), response.text
    gpx_id: str = response.json()["data"]["gpx_file_id"]
    if response.status_code == 202:
        await h.app.state.gpx_jobs.run_pending()
    status = await h.client.get(f"/gpx/{gpx_id}/status", headers=rider.headers)
    assert status.json()["data"]["processing_status"] == "completed", status.text
    data_: dict[str, Any] = status.json()["data"]
    return data_


async def gpx_row(h: AppHarness, gpx_file_id: str) -> GPXFile:
    async with h.services.db.sessionmaker() as session:
        row = await session.get(GPXFile, gpx_file_id)
        assert row is not None
        return row


def storage_file(h: AppHarness, key: str) -> Path:
    return Path(h.services.settings.STORAGE_PATH) / key
