"""PostgreSQL restarted under writes: the API recovers by itself and loses nothing it
acknowledged.

Writers register accounts, create trips and publish them (an update that also recomputes the
rider's stats) through the production server command while the database server is restarted
twice, as its owner: ``pg_ctl restart -m
fast`` (sessions terminated, clean shutdown) and then ``-m immediate`` (every process killed
with no checkpoint: a crash, recovered from the write-ahead log).  scripts/testing/hostile.sh
runs that server with PostgreSQL's durable defaults (fsync, synchronous_commit on).

After each restart, without touching the API: writes are acknowledged again within
``RECOVERY_LIMIT`` seconds (stale pooled connections are replaced thanks to pre-ping).  At
the end: /health answers 200, the same gunicorn master and workers are serving, a new rider
can register and publish, no request hung, and every write that got a 2xx answer is in the
database.  Answers during the outage may be errors.

The data directory to restart comes from ``HOSTILE_PG_DATA`` (set by hostile.sh) and must be
the one of the server ``TEST_DATABASE_URL`` points at; otherwise the test fails (it never
restarts a server it was not given).
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import DATABASE_URL
from tests.hostile.conftest import ServerFactory
from tests.hostile.live import PASSWORD, TRIP_BODY, Rider, Server, worker_pids

WRITERS = 4
STEADY_S = 3.0  # writing before each restart, and again once writes resume
RECOVERY_LIMIT = 10.0
REQUEST_TIMEOUT = 20.0


async def _scalar(query: str) -> object:
    engine = create_async_engine(DATABASE_URL)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(query))).scalar()
    finally:
        await engine.dispose()


async def _present(table: str, column: str, values: list[str], where: str = "true") -> set[str]:
    engine = create_async_engine(DATABASE_URL)
    found: set[str] = set()
    query = f"SELECT {column} FROM {table} WHERE {column} = ANY(:v) AND {where}"  # noqa: S608
    try:
        async with engine.connect() as conn:
            for start in range(0, len(values), 500):
                rows = await conn.execute(text(query), {"v": values[start : start + 500]})
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


def _data_dir() -> Path:
    given = os.environ.get("HOSTILE_PG_DATA")
    assert given, (
        "HOSTILE_PG_DATA is not set: run scripts/testing/hostile.sh, which starts a "
        "throwaway PostgreSQL server this test may restart"
    )
    serving = Path(str(asyncio.run(_scalar("SHOW data_directory"))))
    assert serving.resolve() == Path(given).resolve(), (
        f"TEST_DATABASE_URL is served from {serving}, not HOSTILE_PG_DATA={given}: refusing "
        "to restart it"
    )
    return serving


def _restart(data_dir: Path, mode: str) -> float:
    argv = [_pg_ctl(), "-D", str(data_dir), "-l", str(data_dir.parent / "restart.log")]
    argv += ["-m", mode, "-w", "-t", "60", "restart"]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    assert done.returncode == 0, f"pg_ctl restart -m {mode} failed: {done.stdout}{done.stderr}"
    return time.monotonic() - started


class Writers:
    """Threads writing through the API, each recording what was acknowledged, and when."""

    def __init__(self, server: Server, token: str) -> None:
        self.server = server
        self.headers = {"Authorization": f"Bearer {token}"}
        self.users: list[str] = []
        self.trips: list[str] = []
        self.published: list[str] = []
        self.drafts: list[str] = []  # created, not yet published
        self.acked_at: list[float] = []
        self.errors: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(n,)) for n in range(WRITERS)]

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT * 3)

    @property
    def total(self) -> int:
        with self.lock:
            return len(self.acked_at)

    def acknowledged_after(self, moment: float) -> list[float]:
        with self.lock:
            return [t - moment for t in self.acked_at if t >= moment]

    def _acked(self, bucket: list[str], value: str) -> None:
        with self.lock:
            bucket.append(value)
            self.acked_at.append(time.monotonic())

    def _failed(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1

    def _one(self, client: httpx.Client, n: int, i: int) -> bool:
        """One write; False when it was not acknowledged."""
        if i % 3 == 0:
            name = f"rs{n}_{i}"
            body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
            r = client.post("/auth/register", json=body)
            if r.status_code == 201:
                self._acked(self.users, r.json()["data"]["user_id"])
                return True
        else:
            with self.lock:
                draft = self.drafts.pop(0) if i % 3 == 2 and self.drafts else None
            if draft is None:
                r = client.post("/trips", json=TRIP_BODY, headers=self.headers)
                if r.status_code == 201:
                    trip_id = r.json()["data"]["trip_id"]
                    self._acked(self.trips, trip_id)
                    with self.lock:
                        self.drafts.append(trip_id)
                    return True
            else:
                # publishing is idempotent: a draft whose answer was lost is tried again
                r = client.post(f"/trips/{draft}/publish", headers=self.headers)
                if r.status_code == 200:
                    self._acked(self.published, draft)
                    return True
                with self.lock:
                    self.drafts.append(draft)
        self._failed(str(r.status_code))
        return False

    def _write(self, n: int) -> None:
        with httpx.Client(base_url=self.server.url, timeout=REQUEST_TIMEOUT) as client:
            i = 0
            while not self.stop.is_set():
                try:
                    ok = self._one(client, n, i)
                except httpx.HTTPError as exc:
                    self._failed(type(exc).__name__)
                    ok = False
                if not ok:
                    time.sleep(0.05)
                i += 1


def test_api_survives_postgresql_restarts_without_losing_acknowledged_writes(
    start_server: ServerFactory,
) -> None:
    data_dir = _data_dir()
    server = start_server()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        writer = Rider.register(client, "restart_rider")
    assert server.process is not None
    pids = worker_pids(server)
    assert len(pids) == 2, pids
    report = []

    with Writers(server, writer.token) as writers:
        for mode in ("fast", "immediate"):
            time.sleep(STEADY_S)
            before = writers.total
            assert before > 0, f"nothing acknowledged before the {mode} restart: {writers.errors}"
            took = _restart(data_dir, mode)
            restarted_at = time.monotonic()
            deadline = restarted_at + RECOVERY_LIMIT
            while not writers.acknowledged_after(restarted_at) and time.monotonic() < deadline:
                time.sleep(0.1)
            resumed = writers.acknowledged_after(restarted_at)
            assert resumed, (
                f"no write acknowledged within {RECOVERY_LIMIT}s of the {mode} restart; "
                f"failures {writers.errors}; server log:\n{server.log.read_text()[-3000:]}"
            )
            report.append(f"{mode}: pg_ctl {took:.1f}s, writes again after {min(resumed):.2f}s")
        time.sleep(STEADY_S)
    assert not any(t.is_alive() for t in writers.threads), "a writer hung"
    assert "ReadTimeout" not in writers.errors, f"requests hung: {writers.errors}"
    # while PostgreSQL was away the API said so (503 + Retry-After), it did not crash
    assert not any(code.startswith("5") and code != "503" for code in writers.errors), (
        f"outage answered with something else than 503: {writers.errors}"
    )
    assert writers.errors.get("503"), f"no 503 seen during the restarts: {writers.errors}"

    # The same server, untouched, serves reads and new writes.
    assert server.process.poll() is None
    assert worker_pids(server) == pids, "a worker died or was replaced"
    with httpx.Client(base_url=server.url, timeout=20) as client:
        assert client.get("/health").status_code == 200
        fresh = Rider.register(client, "after_restart")
        published = fresh.create_trip(publish=True)
        assert client.get(f"/trips/{published}").status_code == 200

    # Nothing acknowledged was lost.
    for table, column, acked, where in (
        ("users", "id", writers.users, "true"),
        ("trips", "trip_id", writers.trips, "true"),
        ("trips", "trip_id", writers.published, "status = 'published'"),
    ):
        assert acked, f"no {table} ({where}) acknowledged"
        missing = set(acked) - asyncio.run(_present(table, column, acked, where))
        assert not missing, f"{len(missing)} of {len(acked)} acknowledged {table} ({where}) lost"
    print(
        f"restarts: {'; '.join(report)}; acknowledged {len(writers.users)} registrations, "
        f"{len(writers.trips)} trips, {len(writers.published)} publications, all present; "
        f"failed attempts {writers.errors}"
    )
