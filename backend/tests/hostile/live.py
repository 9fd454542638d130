"""Helpers for the hostile-input suite: a real gunicorn server (the production command, see
tests/runtime/test_server.py), riders and trips created over HTTP, worker memory."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from tests.runtime.test_server import Server

PASSWORD = "Sup3r!Secret"

__all__ = [
    "PASSWORD",
    "TRIP_BODY",
    "Rider",
    "Server",
    "small_gpx",
    "small_jpeg",
    "worker_pids",
    "worker_rss",
]


def small_jpeg(width: int = 320, height: int = 240) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def small_gpx(points: int = 30) -> bytes:
    rows = "".join(
        f'<trkpt lat="{40.4 + i * 0.0005:.5f}" lon="{-3.7 + i * 0.0005:.5f}">'
        f"<ele>{650 + i}</ele><time>2025-06-01T08:{i // 60:02d}:{i % 60:02d}Z</time></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="hostile" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>r</name><trkseg>{rows}</trkseg></trk></gpx>"
    ).encode()


TRIP_BODY: dict[str, Any] = {
    "title": "Vuelta al embalse",
    "description": "Una salida tranquila alrededor del embalse, con parada para comer en el "
    "pueblo y vuelta por la vía verde antes de que anochezca.",
    "start_date": "2025-05-10",
    "end_date": "2025-05-11",
    "distance_km": 84.5,
    "difficulty": "moderate",
    "locations": [{"name": "Burgos", "latitude": 42.34, "longitude": -3.69}],
    "tags": ["embalse", "gravel"],
}


@dataclass
class Rider:
    """A registered, logged-in rider of a running server (APP_ENV=testing auto-verifies)."""

    client: httpx.Client
    username: str
    token: str = ""
    user_id: str = ""
    trips: list[str] = field(default_factory=list)

    @classmethod
    def register(cls, client: httpx.Client, username: str) -> Rider:
        body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
        r = client.post("/auth/register", json=body)
        assert r.status_code == 201, r.text
        login = client.post("/auth/login", json={"login": username, "password": PASSWORD})
        assert login.status_code == 200, login.text
        data = login.json()["data"]
        return cls(client, username, data["access_token"], data["user"]["user_id"])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def create_trip(self, publish: bool = True, **overrides: Any) -> str:
        r = self.client.post("/trips", json={**TRIP_BODY, **overrides}, headers=self.auth)
        assert r.status_code == 201, r.text
        trip_id: str = r.json()["data"]["trip_id"]
        if publish:
            p = self.client.post(f"/trips/{trip_id}/publish", headers=self.auth)
            assert p.status_code == 200, p.text
        self.trips.append(trip_id)
        return trip_id

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.post(path, headers=self.auth, **kwargs)


def worker_pids(server: Server) -> list[int]:
    """The gunicorn master's children (the uvicorn workers)."""
    assert server.process is not None
    pid = server.process.pid
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return sorted(int(p) for p in text.split())


def worker_rss(pid: int) -> int:
    """Resident set size of a process in bytes (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
