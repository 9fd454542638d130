"""Schemathesis over every operation of the OpenAPI schema, against the production server
command (gunicorn + uvicorn workers on PostgreSQL and Redis): anonymously, as a logged-in
rider, and (for the /admin operations, which only an admin gets past) as an admin.

Checks: no response >= 500 (``not_a_server_error``), every response matches its documented
schema (``response_schema_conformance``), status code (``status_code_conformance``) and
content type (``content_type_conformance``).  All phases run: explicit examples, coverage
(boundary and invalid values of every parameter), fuzzing, and stateful sequences that
follow the links between operations.  Path parameters are drawn half of the time from real
ids (a rider's published trip and draft, another rider's trip, a photo, a POI, a comment, a
GPX track, usernames, cycling types), so the fuzzing reaches the code behind the 404s.

Bounded and reproducible: ``HOSTILE_MAX_EXAMPLES`` cases per operation and phase (default
8) and a fixed seed (``HOSTILE_SEED``); a failure prints schemathesis' report with a curl
command that reproduces it.  The JUnit report is checked too: every operation of the live
schema was tested, none failed, none was skipped.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import DATABASE_URL, _truncate
from tests.hostile.live import Rider, Server, small_gpx, small_jpeg

MAX_EXAMPLES = int(os.environ.get("HOSTILE_MAX_EXAMPLES", "8"))
SEED = int(os.environ.get("HOSTILE_SEED", "20261122"))
CHECKS = (
    "not_a_server_error,response_schema_conformance,status_code_conformance,"
    "content_type_conformance"
)
RUN_TIMEOUT = 420
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass
class Live:
    server: Server
    ids: dict[str, list[str]]
    rider_token: str
    admin_token: str
    operations: set[str]


async def _make_admin(username: str) -> None:
    engine = create_async_engine(DATABASE_URL)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("UPDATE users SET role = 'admin' WHERE username = :u"), {"u": username}
            )
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def live(redis_url: str) -> Iterator[Live]:
    server = Server(REDIS_URL=redis_url, LOG_LEVEL="WARNING").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            ana = Rider.register(client, "fuzz_ana")
            ben = Rider.register(client, "fuzz_ben")
            boss = Rider.register(client, "fuzz_admin")
            asyncio.run(_make_admin(boss.username))
            assert client.get("/admin/cycling-types", headers=boss.auth).status_code == 200
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
            schema = client.get("/openapi.json").json()
        operations = {
            f"{method.upper()} {path}"
            for path, item in schema["paths"].items()
            for method in item
            if method in METHODS
        }
        ids = {
            "trip_id": [published, draft, other],
            "username": ["fuzz_ana", "fuzz_ben"],
            "photo_id": [photo.json()["data"]["photo_id"]],
            "poi_id": [poi.json()["poi_id"]],
            "comment_id": [comment.json()["data"]["id"]],
            "gpx_file_id": [gpx.json()["data"]["gpx_file_id"]],
            "code": codes or ["road"],
        }
        yield Live(server, ids, ana.token, boss.token, operations)
    finally:
        server.stop()
        shutil.rmtree(server.tmp, ignore_errors=True)
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


def _run(live: Live, tmp_path: Path, extra: list[str]) -> tuple[str, Path]:
    """Run schemathesis; return its output and its JUnit report."""
    config = _config(live.ids, tmp_path / "schemathesis.toml")
    junit = tmp_path / "junit.xml"
    argv = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{live.server.url}/openapi.json",
        "--url",
        live.server.url,
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
        "--report-junit-path",
        str(junit),
        *extra,
    ]
    done = subprocess.run(  # noqa: S603
        argv, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )
    output = done.stdout[-15000:]
    assert done.returncode == 0, (
        f"schemathesis found problems:\n{output}\n{done.stderr[-3000:]}\n"
        f"server log (tail):\n{live.server.log.read_text()[-4000:]}"
    )
    print(output[output.find("SUMMARY") :])  # shown with -rA
    return output, junit


def _tested(junit: Path) -> set[str]:
    """The operations of a JUnit report, after checking that none failed or was skipped."""
    root = ET.parse(junit).getroot()  # noqa: S314 - our own report
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    counts = {key: int(suite.get(key, "0")) for key in ("errors", "failures", "skipped")}
    assert counts == {"errors": 0, "failures": 0, "skipped": 0}, counts
    return {
        name
        for case in suite.iter("testcase")
        if (name := case.get("name", "")).split(" ", 1)[0] in {m.upper() for m in METHODS}
    }


def test_every_operation_anonymous(live: Live, tmp_path: Path) -> None:
    _output, junit = _run(live, tmp_path, [])
    assert _tested(junit) == live.operations


def test_every_operation_as_a_rider(live: Live, tmp_path: Path) -> None:
    _output, junit = _run(live, tmp_path, ["-H", f"Authorization: Bearer {live.rider_token}"])
    assert _tested(junit) == live.operations


def test_admin_operations_as_an_admin(live: Live, tmp_path: Path) -> None:
    admin = {op for op in live.operations if op.split(" ", 1)[1].startswith("/admin/")}
    assert len(admin) >= 5, admin
    _output, junit = _run(
        live,
        tmp_path,
        ["-H", f"Authorization: Bearer {live.admin_token}", "--include-path-regex", "^/admin/"],
    )
    assert _tested(junit) == admin
