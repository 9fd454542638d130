"""How long processing a 10 MB GPX file takes (not part of the test suite).

    backend/.venv/bin/python bench/gpx_processing.py [--repeat 5] [--size-mb 10]

Builds a GPX file of just under ``--size-mb`` MB from the real two-day Wikiloc recording in
``backend/tests/gpx/data/via-verde.gpx`` (the recording repeated, shifted two days and 0.01
degrees east each time: about 107 000 points, a 2 200 km track) and measures:

1. ``parse``: the safe streaming read (``src.gpx.parsing.read_gpx``);
2. ``analyse``: gpxpy's 3-D distance and climb, simplification, route statistics
   (``src.gpx.analysis.process``);
3. ``job``: the whole background job, end to end, as the worker runs it: the upload
   (``POST /trips/{id}/gpx`` answering 202) is not timed; then ``GPXJobRunner.run_pending``
   reads the stored original, parses and analyses it in a worker thread, and stores the
   simplified track, the statistics, the trip's distance and the rider's stats in a SQLite
   database (a fresh one, migrated with Alembic).

Wall-clock and CPU times are printed per run, with the minimum and the median, and the load
average of the machine (the numbers only mean something on a quiet machine).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BACKEND = Path(__file__).resolve().parents[1] / "backend"
sys.path.insert(0, str(BACKEND))

SOURCE = BACKEND / "tests" / "gpx" / "data" / "via-verde.gpx"
_POINT = re.compile(
    r'<trkpt lat="([^"]+)" lon="([^"]+)"><ele>([^<]+)</ele><time>([^<]+)</time></trkpt>'
)


def build_gpx(size_bytes: int) -> bytes:
    """The reference recording, repeated (shifted in time and place) up to ``size_bytes``."""
    source = SOURCE.read_text(encoding="utf-8")
    head = source[: source.index("<trkseg>") + len("<trkseg>")]
    tail = "</trkseg></trk></gpx>"
    points = _POINT.findall(source)
    parts = [head]
    size = len(head) + len(tail)
    copy = 0
    while True:
        for lat, lon, ele, when in points:
            moment = datetime.fromisoformat(when.replace("Z", "+00:00")) + timedelta(days=2 * copy)
            point = (
                f'<trkpt lat="{float(lat):.6f}" lon="{float(lon) + 0.01 * copy:.6f}">'
                f"<ele>{ele}</ele><time>{moment:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
            )
            if size + len(point) > size_bytes:
                parts.append(tail)
                return "".join(parts).encode("utf-8")
            parts.append(point)
            size += len(point)
        copy += 1


def timed(function: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


async def timed_async(function: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = await function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def summary(name: str, runs: list[tuple[float, float]]) -> str:
    walls = [wall for wall, _cpu in runs]
    cpus = [cpu for _wall, cpu in runs]
    return (
        f"{name:8s} wall min {min(walls):.3f} s  median {statistics.median(walls):.3f} s | "
        f"cpu min {min(cpus):.3f} s  median {statistics.median(cpus):.3f} s"
    )


async def job_runs(data: bytes, repeat: int) -> list[tuple[float, float]]:
    """The background job end to end against a fresh, migrated SQLite database."""
    from alembic import command
    from alembic.config import Config
    from src.auth.service import ensure_account
    from src.config import load_settings
    from src.main import create_app

    workdir = Path(tempfile.mkdtemp(prefix="contravento-gpx-bench-"))
    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    cfg = Config(str(BACKEND / "alembic.ini"))
    cfg.set_main_option("script_location", str(BACKEND / "migrations"))
    cfg.attributes["url"] = url
    cfg.attributes["skip_logging"] = True
    await asyncio.to_thread(command.upgrade, cfg, "head")

    settings = load_settings(
        APP_ENV="testing",
        SECRET_KEY="bench-secret-key-that-is-long-enough-for-hs256-0123456789",
        DATABASE_URL=url,
        STORAGE_PATH=workdir / "storage",
        BCRYPT_ROUNDS=4,
        RATE_LIMIT_ENABLED=False,
        LOG_LEVEL="WARNING",
        LOG_FORMAT="text",
    )
    app = create_app(settings, start_workers=False)
    import httpx

    runs: list[tuple[float, float]] = []
    async with app.router.lifespan_context(app):
        services = app.state.services
        async with services.db.sessionmaker() as session:
            user, _ = await ensure_account(
                session,
                services.hasher,
                username="bench_rider",
                email="bench@example.com",
                password="BenchPass123!",
                role="user",
            )
            await session.commit()
            token = services.tokens.create_access_token(user.id, user.username)
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for i in range(repeat):
                trip = await client.post(
                    "/trips",
                    json={
                        "title": f"Bench {i}",
                        "description": "A benchmark trip with a long GPX track " * 3,
                        "start_date": "2017-05-09",
                    },
                    headers=headers,
                )
                trip_id = trip.json()["data"]["trip_id"]
                upload = await client.post(
                    f"/trips/{trip_id}/gpx",
                    files={"file": ("big.gpx", data, "application/gpx+xml")},
                    headers=headers,
                )
                if upload.status_code != 202:
                    raise SystemExit(f"upload failed: {upload.status_code} {upload.text}")
                outcomes, wall, cpu = await timed_async(app.state.gpx_jobs.run_pending)
                if [o.result for o in outcomes] != ["completed"]:
                    raise SystemExit(f"the job did not complete: {outcomes}")
                runs.append((wall, cpu))
                print(f"  job run {i + 1}: wall {wall:.3f} s, cpu {cpu:.3f} s")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size-mb", type=float, default=10.0)
    args = parser.parse_args()

    from src.gpx import analysis
    from src.gpx.parsing import MAX_FILE_BYTES, read_gpx

    size = min(int(args.size_mb * 1024 * 1024), MAX_FILE_BYTES)
    data = build_gpx(size)
    print(f"file: {len(data) / 1024 / 1024:.2f} MB (limit {MAX_FILE_BYTES / 1024 / 1024:.0f} MB)")
    print(f"load average before: {os.getloadavg()}  cpus: {os.cpu_count()}")

    parses: list[tuple[float, float]] = []
    analyses: list[tuple[float, float]] = []
    totals: list[tuple[float, float]] = []
    for i in range(args.repeat):
        parsed, parse_wall, parse_cpu = timed(lambda: read_gpx(data))
        processed, wall, cpu = timed(lambda parsed=parsed: analysis.process(parsed))
        parses.append((parse_wall, parse_cpu))
        analyses.append((wall, cpu))
        totals.append((parse_wall + wall, parse_cpu + cpu))
        print(
            f"  run {i + 1}: {parsed.size} points -> {len(processed.points)} kept, "
            f"{processed.distance_km} km; parse {parse_wall:.3f} s + analyse {wall:.3f} s "
            f"= {parse_wall + wall:.3f} s wall ({parse_cpu + cpu:.3f} s cpu)"
        )
    jobs = asyncio.run(job_runs(data, args.repeat))
    print(summary("parse", parses))
    print(summary("analyse", analyses))
    print(summary("both", totals))
    print(summary("job", jobs))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
