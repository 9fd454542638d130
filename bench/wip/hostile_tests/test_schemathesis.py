"""Schemathesis over every operation of the OpenAPI schema, against the production server
command (gunicorn + uvicorn workers), anonymously and as a logged-in rider.

Checks: no response >= 500 (``not_a_server_error``), every response matches its documented
schema (``response_schema_conformance``) and status code (``status_code_conformance``).
Path parameters are drawn half of the time from real ids (a rider's published trip and
draft, another rider's trip, a photo, a POI, a comment, a GPX track, usernames, cycling
types), so the fuzzing reaches the code behind the 404s.  Bounded: ``HOSTILE_MAX_EXAMPLES``
cases per operation and phase (default 8), fixed seed; it runs in both database passes.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DATABASE_URL, _truncate
from tests.hostile.live import Rider, Server, small_gpx, small_jpeg

MAX_EXAMPLES = int(os.environ.get("HOSTILE_MAX_EXAMPLES", "8"))
SEED = int(os.environ.get("HOSTILE_SEED", "20261122"))
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
RUN_TIMEOUT = 900


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[Server, dict[str, list[str]], str]]:
    server = Server(LOG_LEVEL="WARNING").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            ana = Rider.register(client, "fuzz_ana")
            ben = Rider.register(client, "fuzz_ben")
            published = ana.create_trip()
            draft = ana.create_trip(publish=False, title="Borrador")
            other = ben.create_trip()
            photo = ana.post(
                f"/trips/{published}/photos",
                files={"photo": ("ride.jpg", small_jpeg(), "image/jpeg")},
            )
            assert photo.status_code == 201, photo.text
            poi = ana.post(
                f"/trips/{published}/pois",
                json={
                    "name": "Mirador",
                    "poi_type": "viewpoint",
                    "latitude": 40.41,
                    "longitude": -3.70,
                    "sequence": 0,
                },
            )
            assert poi.status_code == 201, poi.text
            comment = ben.post(f"/trips/{published}/comments", json={"content": "¡Qué ruta!"})
            assert comment.status_code == 201, comment.text
            assert ben.post(f"/trips/{published}/like").status_code == 201
            assert ben.post("/users/fuzz_ana/follow").status_code == 200
            gpx = ana.post(
                f"/trips/{draft}/gpx",
                files={"file": ("ruta.gpx", small_gpx(), "application/gpx+xml")},
            )
            assert gpx.status_code in (201, 202), gpx.text
            codes = [c["code"] for c in client.get("/cycling-types").json()]
        ids = {
            "trip_id": [published, draft, other],
            "username": ["fuzz_ana", "fuzz_ben"],
            "photo_id": [photo.json()["data"]["photo_id"]],
            "poi_id": [poi.json()["poi_id"]],
            "comment_id": [comment.json()["data"]["id"]],
            "gpx_file_id": [gpx.json()["data"]["gpx_file_id"]],
            "code": codes or ["road"],
        }
        yield server, ids, ana.token
    finally:
        server.stop()
        asyncio.run(_truncate(DATABASE_URL))


def _config(ids: dict[str, list[str]], path: Path) -> Path:
    lines = []
    for name, values in ids.items():
        lines.append(f"[dictionaries.{name}]")
        lines.append(f"values = {json.dumps(values)}")
        lines.append("")
    lines.append("[parameters]")
    for name in ids:
        lines.append(f'"path.{name}" = {{ dictionary = "{name}", probability = 0.5 }}')
    path.write_text("\n".join(lines) + "\n")
    return path


def _schemathesis(
    server: Server, ids: dict[str, list[str]], tmp_path: Path, headers: list[str]
) -> subprocess.CompletedProcess[str]:
    config = _config(ids, tmp_path / "schemathesis.toml")
    argv = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{server.url}/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "2",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path / "report"),
    ]
    for header in headers:
        argv += ["-H", header]
    return subprocess.run(  # noqa: S603
        argv, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )


def _verdict(done: subprocess.CompletedProcess[str]) -> Any:
    summary = done.stdout[-12000:]
    assert done.returncode == 0, f"schemathesis found problems:\n{summary}\n{done.stderr[-3000:]}"
    assert " passed" in done.stdout, summary
    assert "Selected: " in done.stdout, summary
    print(summary[summary.find("SUMMARY") :])  # shown with -s / -rP
    return summary


def test_every_operation_anonymous(
    live: tuple[Server, dict[str, list[str]], str], tmp_path: Path
) -> None:
    server, ids, _token = live
    _verdict(_schemathesis(server, ids, tmp_path, []))


def test_every_operation_authenticated(
    live: tuple[Server, dict[str, list[str]], str], tmp_path: Path
) -> None:
    server, ids, token = live
    _verdict(_schemathesis(server, ids, tmp_path, [f"Authorization: Bearer {token}"]))
