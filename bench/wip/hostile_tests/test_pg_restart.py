"""PostgreSQL restarted under writes: the API recovers by itself and loses nothing it
acknowledged.

Writers register accounts and create trips through the production server command while the
database server is restarted (``pg_ctl restart -m fast``, as its owner).  Afterwards, without
restarting the API: /health answers 200 again within seconds (stale pooled connections are
replaced thanks to pre-ping), new writes succeed, no worker died, and every write that got a
2xx answer is in the database.  Answers during the outage may be errors; none may hang.

PostgreSQL pass only.  It restarts the throwaway server that ./run-tests.sh started
(scripts/testing/pg.sh); pointed at any other server it refuses (and fails under CI=true).
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import DATABASE_URL, IS_POSTGRES, _truncate
from tests.hostile.live import TRIP_BODY, Rider, Server, worker_pids

WRITERS = 4
BEFORE_S = 3.0
AFTER_S = 6.0


async def _scalar(query: str) -> object:
    engine = create_async_engine(DATABASE_URL)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(query))).scalar()
    finally:
        await engine.dispose()


async def _present(table: str, column: str, values: list[str]) -> set[str]:
    engine = create_async_engine(DATABASE_URL)
    found: set[str] = set()
    try:
        async with engine.connect() as conn:
            for start in range(0, len(values), 500):
                chunk = values[start : start + 500]
                rows = await conn.execute(
                    text(f"SELECT {column} FROM {table} WHERE {column} = ANY(:v)"),  # noqa: S608
                    {"v": chunk},
                )
                found.update(str(r[0]) for r in rows)
    finally:
        await engine.dispose()
    return found


def _pg_ctl() -> str:
    found = shutil.which("pg_ctl") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))), None
    )
    assert found, "pg_ctl not found (install postgresql)"
    return found


def _restart(data_dir: Path) -> float:
    argv = [
        _pg_ctl(),
        "-D",
        str(data_dir),
        "-l",
        str(data_dir.parent / "restart.log"),
        "-m",
        "fast",
        "-w",
        "-t",
        "60",
        "restart",
    ]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    assert done.returncode == 0, f"pg_ctl restart failed: {done.stdout}{done.stderr}"
    return time.monotonic() - started


def _throwaway_data_dir() -> Path:
    data_dir = Path(str(asyncio.run(_scalar("SHOW data_directory"))))
    tmp = Path(tempfile.gettempdir()).resolve()
    if not data_dir.resolve().is_relative_to(tmp):
        message = (
            f"refusing to restart PostgreSQL at {data_dir}: not a throwaway server under {tmp} "
            "(run ./run-tests.sh, which starts one)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return data_dir


if IS_POSTGRES:

    def test_api_survives_a_postgresql_restart_without_losing_acknowledged_writes() -> None:
        data_dir = _throwaway_data_dir()
        server = Server(LOG_LEVEL="WARNING").start()
        try:
            _restart_under_writes(server, data_dir)
        finally:
            server.stop()
            asyncio.run(_truncate(DATABASE_URL))


def _restart_under_writes(server: Server, data_dir: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        writer = Rider.register(client, "restart_rider")
    pids = worker_pids(server)
    acked_users: list[str] = []
    acked_trips: list[str] = []
    acked_at: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def write(n: int) -> None:
        with httpx.Client(base_url=server.url, timeout=20) as client:
            for i in range(100_000):
                if stop.is_set():
                    return
                try:
                    if i % 2 == 0:
                        name = f"rs{n}_{i}"
                        r = client.post(
                            "/auth/register",
                            json={
                                "username": name,
                                "email": f"{name}@example.com",
                                "password": "Sup3r!Secret",
                            },
                        )
                        ok = r.status_code == 201
                        if ok:
                            with lock:
                                acked_users.append(r.json()["data"]["user_id"])
                                acked_at.append(time.monotonic())
                    else:
                        r = client.post(
                            "/trips",
                            json=TRIP_BODY,
                            headers={"Authorization": f"Bearer {writer.token}"},
                        )
                        ok = r.status_code == 201
                        if ok:
                            with lock:
                                acked_trips.append(r.json()["data"]["trip_id"])
                                acked_at.append(time.monotonic())
                    if not ok:
                        with lock:
                            errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
                        time.sleep(0.05)
                except httpx.HTTPError as exc:
                    with lock:
                        errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    time.sleep(0.05)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    try:
        time.sleep(BEFORE_S)
        with lock:
            before = len(acked_users) + len(acked_trips)
        restart_s = _restart(data_dir)
        restarted_at = time.monotonic()
        time.sleep(AFTER_S)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer hung"

    # The API answers again, by itself: writes were acknowledged soon after the restart.
    resumed = [t - restarted_at for t in acked_at if t >= restarted_at]
    assert resumed, f"no write acknowledged after the restart; failures {errors}"
    recovered_after = min(resumed)
    assert recovered_after < AFTER_S, recovered_after
    assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200
    assert server.process is not None
    assert server.process.poll() is None
    assert worker_pids(server) == pids, "a worker died or was replaced"
    with httpx.Client(base_url=server.url, timeout=20) as client:
        fresh = Rider.register(client, "after_restart")
        assert fresh.create_trip(publish=True)

    total = len(acked_users) + len(acked_trips)
    assert before > 0, f"no write before the restart: {errors}"
    assert total > before, f"writes did not resume: {before} -> {total} {errors}"
    missing_users = set(acked_users) - asyncio.run(_present("users", "id", acked_users))
    missing_trips = set(acked_trips) - asyncio.run(_present("trips", "trip_id", acked_trips))
    assert not missing_users, f"acknowledged registrations lost: {len(missing_users)}"
    assert not missing_trips, f"acknowledged trips lost: {len(missing_trips)}"
    print(
        f"restart took {restart_s:.1f}s; first write acknowledged {recovered_after:.2f}s after; "
        f"{total} acknowledged writes ({before} before), all present; failures {errors}"
    )
