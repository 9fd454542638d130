"""The benchmark driver (bench/run.sh starts PostgreSQL and Redis, then runs this).

For every scale it seeds the database (seed.py), starts the API with the production server
command (gunicorn -c backend/gunicorn.conf.py src.main:app, APP_ENV=production) and the floor
(floor_app.py under the same gunicorn/uvicorn workers), drives each scenario with wrk at
BENCH_CONNECTIONS connections, and writes bench/results/latest.json and latest.md.

Everything it talks to is on 127.0.0.1; every run and wait is bounded in time.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BACKEND = ROOT / "backend"
#: where the server code comes from (an A/B experiment can point at a patched copy)
SERVER_BACKEND = Path(os.environ.get("BENCH_BACKEND", str(BACKEND)))
LUA = HERE / "wrk" / "scenario.lua"
PY = sys.executable

SCALES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
GROUPS = ("reads", "floor", "login", "writes", "photo", "gpx")
#: run only some scenario groups while iterating (the full report needs all of them)
ONLY = {g.strip() for g in os.environ.get("BENCH_ONLY", ",".join(GROUPS)).split(",") if g.strip()}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, str(default)))


QUICK = os.environ.get("BENCH_QUICK") == "1"
DURATION = env_int("BENCH_DURATION", 5 if QUICK else 20)
WARMUP = env_int("BENCH_WARMUP", 2 if QUICK else 3)
CONNECTIONS = env_int("BENCH_CONNECTIONS", 50)
WORKERS = env_int("BENCH_WORKERS", 2)
WRK_THREADS = 2
#: minimum length of the login runs (see login_check)
LOGIN_DURATION = env_int("BENCH_LOGIN_DURATION", 30)
WORK = Path(os.environ["BENCH_WORK"])
PG_PORT = env_int("BENCH_PG_PORT", 5432)
DB_NAME = "contravento_bench"
DSN = f"postgresql://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"
SA_URL = f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"
REDIS_URL = os.environ["BENCH_REDIS_URL"]
SECRET = os.environ["BENCH_SECRET_KEY"]
RESULTS = Path(os.environ.get("BENCH_RESULTS", str(HERE / "results")))
PASSWORD = "BenchPass123!"

TARGETS = {
    "read_p95_ms": 50.0,
    "read_rps": 1000.0,
    "floor_ratio": 1.5,
    "feed_scaling": 1.3,
    "login_capacity": 0.90,
    "read_keep_during_login": 0.5,
    "photo_s": 0.5,
    "gpx_s": 2.0,
}


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load1() -> float:
    return os.getloadavg()[0]


def busy_processes() -> list[str]:
    """Other heavy processes (test runs, node) that share the cores, for the report."""
    found = []
    me = os.getpid()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == me:
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if re.search(r"\bpytest\b|\bnode\b|\bvite\b|\bplaywright\b|\bchromium\b", cmd):
            found.append(cmd.strip()[:120])
    return found


# ------------------------------------------------------------------------------------------
# servers
# ------------------------------------------------------------------------------------------
class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.port = int(env["PORT"])
        self.log = WORK / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, health: str = "/health") -> Server:
        handle = open(self.log, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(self.url + health, timeout=2).status_code < 500:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        tail = self.log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{self.name} did not start:\n{tail}")

    def workers(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def api_server(storage: Path, name: str = "api", **extra: str) -> Server:
    port = free_port()
    run_dir = WORK / "run"  # no backend/.env here: every setting comes from this environment
    run_dir.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(SERVER_BACKEND),
        "APP_ENV": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": SA_URL,
        "REDIS_URL": REDIS_URL,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(WORKERS),
        "BCRYPT_ROUNDS": "12",
        # The benchmark hammers one endpoint from one address: the per-IP/per-user request
        # limits (100/min by default) would answer 429 to almost everything.
        "RATE_LIMIT_ENABLED": "false",
        # production refuses to start without SMTP; nothing listens there and no scenario
        # sends email
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(free_port()),
        "SMTP_TLS": "true",
        "CORS_ORIGINS": "https://bench.contravento.invalid",
        "FRONTEND_URL": "https://bench.contravento.invalid",
        "BACKEND_URL": f"http://127.0.0.1:{port}",
        "STORAGE_PATH": str(storage),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "PROMETHEUS_MULTIPROC_DIR": str(WORK / f"metrics-{name}"),
        **extra,
    }
    argv = [
        PY,
        "-m",
        "gunicorn",
        "-c",
        str(SERVER_BACKEND / "gunicorn.conf.py"),
        "src.main:app",
    ]
    return Server(name, argv, env, run_dir)


def floor_server() -> Server:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PORT": str(port),
        "FLOOR_DSN": DSN,
        "FLOOR_BACKEND_URL": f"http://127.0.0.1:{port}",
    }
    argv = [
        PY,
        "-m",
        "gunicorn",
        "-k",
        "uvicorn.workers.UvicornWorker",
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
        "floor_app:app",
    ]
    return Server("floor", argv, env, HERE)


# ------------------------------------------------------------------------------------------
# wrk
# ------------------------------------------------------------------------------------------
@dataclass
class Scenario:
    name: str
    mode: str = "get"
    paths: str = "/"
    entries: Path | None = None
    body: str | None = None
    form_field: str | None = None
    ctype: str | None = None
    filename: str | None = None
    slice: bool = False
    count: bool = False
    timeout: str = "10s"
    extra: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        values = {
            "BENCH_MODE": self.mode,
            "BENCH_PATHS": self.paths,
            "BENCH_THREADS": str(WRK_THREADS),
            "BENCH_PASSWORD": PASSWORD,
            "BENCH_SLICE": "1" if self.slice else "0",
            "BENCH_COUNT": "1" if self.count else "0",
        }
        if self.entries is not None:
            values["BENCH_LIST"] = str(self.entries)
        for key, value in (
            ("BENCH_BODY", self.body),
            ("BENCH_FIELD", self.form_field),
            ("BENCH_CTYPE", self.ctype),
            ("BENCH_FILENAME", self.filename),
        ):
            if value is not None:
                values[key] = value
        values.update(self.extra)
        return values


def wrk(url: str, scenario: Scenario, duration: int, connections: int) -> dict[str, Any]:
    threads = min(WRK_THREADS, connections)
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={scenario.timeout}",
        "-s",
        str(LUA),
        url,
    ]
    env = {**os.environ, **scenario.env(), "BENCH_THREADS": str(threads)}
    started_load = load1()
    done = subprocess.run(
        argv,
        env=env,
        capture_output=True,
        text=True,
        timeout=duration + 120,
        check=False,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    raw = json.loads(line[len("BENCH_JSON ") :])
    seconds = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    errors = raw["errors"]
    if raw["requests"] == 0:
        # Nothing answered within the run: every latency is at least the run's length.
        floor_us = raw["duration_us"]
        latency = {k: floor_us for k in ("p50", "p90", "p95", "p99", "max")}
    return {
        "none_completed": raw["requests"] == 0,
        "connections": connections,
        "duration_s": round(seconds, 2),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(latency["p50"] / 1000, 2),
        "p90_ms": round(latency["p90"] / 1000, 2),
        "p95_ms": round(latency["p95"] / 1000, 2),
        "p99_ms": round(latency["p99"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        "errors": errors["connect"]
        + errors["read"]
        + errors["write"]
        + errors["status"]
        + errors["timeout"],
        "error_detail": {k: v for k, v in errors.items() if v},
        "statuses": raw.get("statuses") or None,
        "load1_at_start": round(started_load, 2),
    }


def measure(
    url: str,
    scenario: Scenario,
    *,
    duration: int = DURATION,
    warmup: int = WARMUP,
    connections: int = CONNECTIONS,
    warm_scenario: Scenario | None = None,
) -> dict[str, Any]:
    if warmup > 0:
        wrk(url, warm_scenario or scenario, warmup, connections)
    result = wrk(url, scenario, duration, connections)
    log(
        f"  {scenario.name:<24} c={connections:<3} p50 {result['p50_ms']:>8.1f} ms  "
        f"p95 {result['p95_ms']:>8.1f} ms  p99 {result['p99_ms']:>8.1f} ms  "
        f"{result['rps']:>8.1f} req/s  errors {result['errors']}"
        + (f" {result['statuses']}" if result["statuses"] else "")
    )
    return result


def split_pool(path: Path, warm_fraction: float = 0.15) -> tuple[Path, Path]:
    lines = [ln for ln in path.read_text().splitlines() if ln.strip()]
    cut = max(WRK_THREADS, int(len(lines) * warm_fraction))
    warm, main = path.with_suffix(".warm.txt"), path.with_suffix(".main.txt")
    warm.write_text("\n".join(lines[:cut]) + "\n")
    main.write_text("\n".join(lines[cut:]) + "\n")
    return warm, main


def run_parallel(jobs: list[Callable[[], dict[str, Any]]]) -> list[dict[str, Any]]:
    results: list[dict[str, Any] | BaseException] = [RuntimeError("not run")] * len(jobs)

    def runner(i: int, job: Callable[[], dict[str, Any]]) -> None:
        try:
            results[i] = job()
        except BaseException as exc:
            results[i] = exc

    threads = [threading.Thread(target=runner, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=DURATION + 300)
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results  # type: ignore[return-value]


# ------------------------------------------------------------------------------------------
# helpers around the database and bcrypt
# ------------------------------------------------------------------------------------------
def sql(query: str) -> list[tuple[Any, ...]]:
    import asyncpg

    async def go() -> list[tuple[Any, ...]]:
        conn = await asyncpg.connect(DSN)
        try:
            return [tuple(r) for r in await conn.fetch(query)]
        finally:
            await conn.close()

    return asyncio.run(go())


def bcrypt_capacity(seconds: float = 8.0) -> dict[str, Any]:
    """How many 12-round bcrypt verifications per second the cores allow (one per core)."""
    import bcrypt

    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(12))
    cores = os.cpu_count() or 1
    counts = [0] * cores
    stop = time.monotonic() + seconds

    def spin(i: int) -> None:
        while time.monotonic() < stop:
            bcrypt.checkpw(PASSWORD.encode(), hashed)
            counts[i] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=spin, args=(i,)) for i in range(cores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    single = time.perf_counter()
    bcrypt.checkpw(PASSWORD.encode(), hashed)
    return {
        "threads": cores,
        "verifications": sum(counts),
        "seconds": round(elapsed, 2),
        "per_second": round(sum(counts) / elapsed, 2),
        "one_verification_ms": round((time.perf_counter() - single) * 1000, 1),
    }


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "p50_s": round(pick(0.50), 3),
        "p95_s": round(pick(0.95), 3),
        "max_s": round(ordered[-1], 3),
    }


def gpx_end_to_end(url: str, pool: list[str], data: bytes, runs: int) -> dict[str, Any]:
    """One rider at a time: upload the 10 MB file, then poll its status until processed."""
    timings: list[float] = []
    acks: list[float] = []
    outcomes: list[str] = []
    with httpx.Client(base_url=url, timeout=120) as client:
        for line in pool[:runs]:
            trip_id, token = line.split()
            headers = {"Authorization": f"Bearer {token}"}
            started = time.perf_counter()
            r = client.post(
                f"/trips/{trip_id}/gpx",
                files={"file": ("track.gpx", data, "application/gpx+xml")},
                headers=headers,
            )
            acks.append(time.perf_counter() - started)
            if r.status_code not in (201, 202):
                outcomes.append(f"upload {r.status_code}")
                continue
            gpx_id = r.json()["data"]["gpx_file_id"]
            status = r.json()["data"].get("processing_status")
            deadline = time.monotonic() + 120
            while status not in ("completed", "failed") and time.monotonic() < deadline:
                time.sleep(0.05)
                s = client.get(f"/gpx/{gpx_id}/status", headers=headers)
                status = s.json()["data"]["processing_status"] if s.status_code == 200 else "?"
            timings.append(time.perf_counter() - started)
            outcomes.append(status or "?")
    return {
        "upload_ack": percentiles(acks),
        "processed": percentiles(timings),
        "outcomes": outcomes,
    }


def drain_gpx(limit_s: float) -> dict[str, Any]:
    started = time.monotonic()
    pending = -1
    while time.monotonic() - started < limit_s:
        pending = sql(
            "SELECT count(*) FROM gpx_files WHERE processing_status IN ('pending','processing')"
        )[0][0]
        if pending == 0:
            break
        time.sleep(2)
    rows = sql(
        "SELECT processing_status, extract(epoch FROM processed_at - uploaded_at) FROM gpx_files"
    )
    done = [float(r[1]) for r in rows if r[0] == "completed" and r[1] is not None]
    return {
        "waited_s": round(time.monotonic() - started, 1),
        "still_queued": pending,
        "completed": len(done),
        "failed": sum(1 for r in rows if r[0] == "failed"),
        "upload_to_processed": percentiles(done),
    }


# ------------------------------------------------------------------------------------------
# one scale
# ------------------------------------------------------------------------------------------
def run_scale(label: str, trips: int) -> dict[str, Any]:
    out: dict[str, Any] = {"trips": trips, "endpoints": {}, "floor": {}}
    ids = WORK / "ids" / label
    storage = WORK / "storage"
    shutil.rmtree(storage, ignore_errors=True)
    log(f"scale {label}: seeding {trips} trips")
    started = time.monotonic()
    seeded = subprocess.run(
        [
            PY,
            str(HERE / "seed.py"),
            "dataset",
            "--dsn",
            DSN,
            "--trips",
            str(trips),
            "--out",
            str(ids),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    )
    out["seed"] = {
        "seconds": round(time.monotonic() - started, 1),
        "summary": seeded.stdout.strip(),
    }
    log("  " + seeded.stdout.strip().replace("\n", "\n  "))
    counts = sql(
        "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM trips), "
        "(SELECT count(*) FROM trips WHERE status = 'published'), "
        "(SELECT count(*) FROM trip_photos), (SELECT count(*) FROM trip_tags), "
        "(SELECT count(*) FROM follows), (SELECT count(*) FROM likes), "
        "(SELECT count(*) FROM comments), pg_size_pretty(pg_database_size(current_database()))"
    )[0]
    out["rows"] = dict(
        zip(
            (
                "users",
                "trips",
                "published",
                "photos",
                "trip_tags",
                "follows",
                "likes",
                "comments",
                "database_size",
            ),
            counts,
            strict=True,
        )
    )
    subprocess.run(
        ["redis-cli", "-u", REDIS_URL, "--no-auth-warning", "FLUSHALL"],
        capture_output=True,
        timeout=30,
        check=False,
    )

    first_trip = (ids / "trips.txt").read_text().split()[0]
    check = WORK / f"sqlcheck-{label}.json"
    subprocess.run(
        [
            PY,
            str(HERE / "capture_sql.py"),
            "--database-url",
            SA_URL,
            "--trip",
            first_trip,
            "--out",
            str(check),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env={**os.environ, "BENCH_STORAGE": str(WORK / "capture-storage")},
    )
    out["floor_sql_matches_api"] = json.loads(check.read_text())["match"]

    api = api_server(storage).start()
    try:
        out["gpx_endpoint_present"] = _has_gpx_upload(api.url)
        reads = read_scenarios(ids)
        if "reads" in ONLY:
            log("  reads (API)")
            out["endpoints"].update({name: measure(api.url, s) for name, s in reads.items()})
        if "floor" in ONLY:
            compared = ("public_feed_p1", "public_feed_p50", "trip_detail")
            # The anonymous public feed is served from Redis; the floor has no cache, so the
            # comparison runs the API with CACHE_ENABLED=false: both execute the same SQL.
            uncached = api_server(storage, "api-nocache", CACHE_ENABLED="false").start()
            try:
                log("  API without the Redis cache (same SQL as the floor)")
                out["endpoints_nocache"] = {
                    name: measure(uncached.url, reads[name]) for name in compared
                }
            finally:
                uncached.stop()
            floor = floor_server().start(health="/trips/public")
            try:
                log("  floor (Starlette + asyncpg, same SQL)")
                out["floor"] = {name: measure(floor.url, reads[name]) for name in compared}
            finally:
                floor.stop()
        if "login" in ONLY:
            login_check(api, ids, out)
        if ONLY & {"writes", "photo", "gpx"}:
            write_pools(ids)
        if "writes" in ONLY:
            writes(api, ids, out)
        if "photo" in ONLY:
            photo_uploads(api, ids, out)
        if "gpx" in ONLY:
            gpx_uploads(api, ids, out)
        out["server_log_5xx"] = _count_5xx(api.log)
    finally:
        api.stop()
    return out


def read_scenarios(ids: Path) -> dict[str, Scenario]:
    return {
        "profile": Scenario("profile", paths="/users/%s/profile", entries=ids / "profiles.txt"),
        "trip_detail": Scenario("trip_detail", paths="/trips/%s", entries=ids / "trips.txt"),
        "public_feed_p1": Scenario("public_feed_p1", paths="/trips/public?page=1"),
        "public_feed_p50": Scenario("public_feed_p50", paths="/trips/public?page=50"),
        "rider_trips": Scenario(
            "rider_trips", paths="/users/%s/trips", entries=ids / "profiles.txt"
        ),
        "personal_feed": Scenario("personal_feed", paths="/feed", entries=ids / "feed_tokens.txt"),
    }


def login_check(api: Server, ids: Path, out: dict[str, Any]) -> None:
    """Login at full load alone, the read mix alone, then both at once."""
    log("  login and reads under login")
    out["bcrypt_capacity"] = bcrypt_capacity()
    log(f"  bcrypt capacity: {out['bcrypt_capacity']}")
    mix = Scenario(
        "read_mix",
        paths="/users/%s/profile|/trips/public?page=1|/users/%s/trips|/trips/public?page=2",
        entries=ids / "profiles.txt",
    )
    login = Scenario(
        "login",
        mode="login",
        paths="/auth/login",
        entries=ids / "logins.txt",
        count=True,
        timeout="30s",
    )
    # At 50 connections a login waits for the ~50 verifications queued before it (about
    # 10 s on 2 cores), so a short run would count almost nothing: login runs get at least
    # LOGIN_DURATION seconds and no warm-up (a warm-up would leave its own queue of
    # verifications behind it), and the queue is left to drain after each run.
    seconds = max(DURATION, LOGIN_DURATION)
    out["endpoints"]["login"] = measure(api.url, login, duration=seconds, warmup=0)
    drain_logins(out["endpoints"]["login"]["rps"])
    # warm-up as long as the run: at 100k the first pass over 10k riders' profiles fills the
    # cache, and a colder "alone" run would make the reads look faster during the logins
    mix_alone = measure(api.url, mix, duration=seconds, warmup=seconds)
    mixed = run_parallel(
        [
            lambda: wrk(api.url, mix, seconds, CONNECTIONS),
            lambda: wrk(api.url, login, seconds, CONNECTIONS),
        ]
    )
    log(
        f"  read_mix with login: p95 {mixed[0]['p95_ms']} ms, {mixed[0]['rps']} req/s, "
        f"errors {mixed[0]['errors']}; login {logins_under_reads(mixed[1])}"
    )
    out["login_check"] = {
        "read_mix_alone": mix_alone,
        "read_mix_with_login": mixed[0],
        "login_with_reads": mixed[1],
    }
    drain_logins(mixed[1]["rps"])
    settle()


def logins_under_reads(run: dict[str, Any]) -> str:
    """Successful logins per second, and what happened to the rest (503 = shed by the
    server because no bcrypt process could start the check in time)."""
    statuses = run.get("statuses") or {}
    ok = int(statuses.get("200", 0))
    shed = int(statuses.get("503", 0))
    rate = ok / run["duration_s"] if run.get("duration_s") else 0.0
    return f"{rate:.2f} logins/s succeeded ({ok} answered 200, {shed} answered 503)"


def drain_logins(rps: float) -> None:
    """Wait for the logins wrk left queued in the server (bcrypt does not show in
    pg_stat_activity, so :func:`settle` cannot see them)."""
    time.sleep(min(120.0, CONNECTIONS / max(rps, 1.0) + 2.0))


def settle(limit_s: float = 60) -> None:
    """Let requests still queued in the server (slow logins) finish before the next run."""
    time.sleep(1)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        busy = sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state <> 'idle' AND pid <> pg_backend_pid()"
        )[0][0]
        if busy == 0:
            return
        time.sleep(1)


def write_pools(ids: Path) -> None:
    pools = {"publish": 12000 if QUICK else 30000, "photo": 1500, "gpx": 1200}
    subprocess.run(
        [
            PY,
            str(HERE / "seed.py"),
            "writepool",
            "--dsn",
            DSN,
            "--out",
            str(ids),
            "--publish",
            str(pools["publish"]),
            "--photo",
            str(pools["photo"]),
            "--gpx",
            str(pools["gpx"]),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )


TRIP_BODY = json.dumps(
    {
        "title": "Bench ride to the coast",
        "description": "Two days along the old railway line, with a night in a small village "
        "and a long climb before the descent to the sea.",
        "start_date": "2025-06-01",
        "end_date": "2025-06-02",
        "distance_km": 142.5,
        "difficulty": "moderate",
        "locations": [{"name": "Burgos", "latitude": 42.3439, "longitude": -3.6969}],
        "tags": ["bikepacking", "costa"],
    }
)


def writes(api: Server, ids: Path, out: dict[str, Any]) -> None:
    log("  writes")
    out["endpoints"]["create_trip"] = measure(
        api.url,
        Scenario(
            "create_trip",
            mode="json_post",
            paths="/trips",
            entries=ids / "writers.txt",
            body=TRIP_BODY,
            count=True,
        ),
    )
    warm, main = split_pool(ids / "publish.txt")
    out["endpoints"]["publish"] = measure(
        api.url,
        Scenario(
            "publish",
            mode="post",
            paths="/trips/%s/publish",
            entries=main,
            slice=True,
            count=True,
        ),
        warm_scenario=Scenario(
            "publish", mode="post", paths="/trips/%s/publish", entries=warm, slice=True
        ),
    )
    out["endpoints"]["publish"]["pool"] = len(main.read_text().split()) // 2


def photo_uploads(api: Server, ids: Path, out: dict[str, Any]) -> None:
    log("  photo uploads")
    photo = WORK / "fixtures" / "photo_5mb.jpg"
    photo_lines = (ids / "photo.txt").read_text().splitlines()
    single = ids / "photo_single.txt"
    single.write_text("\n".join(photo_lines[:200]) + "\n")
    loaded = ids / "photo_loaded.txt"
    loaded.write_text("\n".join(photo_lines[200:]) + "\n")
    upload = {
        "mode": "upload",
        "paths": "/trips/%s/photos",
        "body": str(photo),
        "form_field": "photo",
        "ctype": "image/jpeg",
        "filename": "ride.jpg",
        "slice": True,
        "count": True,
        "timeout": "60s",
    }
    out["endpoints"]["photo_upload_5mb_c1"] = measure(
        api.url,
        Scenario("photo_upload_5mb_c1", entries=single, **upload),
        connections=1,
        warmup=0,
        duration=max(10, DURATION // 2),
    )
    out["endpoints"]["photo_upload_5mb"] = measure(
        api.url,
        Scenario("photo_upload_5mb", entries=loaded, **upload),
        warmup=0,
    )
    settle()


def gpx_uploads(api: Server, ids: Path, out: dict[str, Any]) -> None:
    log("  GPX uploads")
    gpx = WORK / "fixtures" / "track_10mb.gpx"
    if not out.get("gpx_endpoint_present"):
        out["endpoints"]["gpx_upload_10mb"] = {"not_measured": "endpoint missing"}
        return
    gpx_lines = (ids / "gpx.txt").read_text().splitlines()
    out["gpx_single"] = gpx_end_to_end(api.url, gpx_lines[:10], gpx.read_bytes(), 3 if QUICK else 5)
    log(f"  gpx one at a time: {out['gpx_single']}")
    loaded_gpx = ids / "gpx_loaded.txt"
    loaded_gpx.write_text("\n".join(gpx_lines[10:]) + "\n")
    out["endpoints"]["gpx_upload_10mb"] = measure(
        api.url,
        Scenario(
            "gpx_upload_10mb",
            mode="upload",
            paths="/trips/%s/gpx",
            entries=loaded_gpx,
            body=str(gpx),
            form_field="file",
            ctype="application/gpx+xml",
            filename="track.gpx",
            slice=True,
            count=True,
            timeout="60s",
        ),
        warmup=0,
        duration=5,
    )
    out["gpx_queue"] = drain_gpx(90 if QUICK else 300)
    log(f"  gpx queue after the burst: {out['gpx_queue']}")


def _has_gpx_upload(url: str) -> bool:
    try:
        schema = httpx.get(url + "/openapi.json", timeout=10).json()
    except (httpx.HTTPError, ValueError):
        return False
    return "post" in schema.get("paths", {}).get("/trips/{trip_id}/gpx", {})


def _count_5xx(path: Path) -> int:
    n = 0
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{") and '"status": 5' in line.replace('"status":5', '"status": 5'):
            n += 1
    return n


# ------------------------------------------------------------------------------------------
# report
# ------------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    def run(argv: list[str]) -> str:
        try:
            return subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in run(["lscpu"]).splitlines()
            if ln.startswith("Model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            ln.split()[1]
            for ln in Path("/proc/meminfo").read_text().splitlines()
            if ln.startswith("MemTotal")
        ),
        "0",
    )
    os_name = next(
        (
            ln.split("=", 1)[1].strip('"')
            for ln in Path("/etc/os-release").read_text().splitlines()
            if ln.startswith("PRETTY_NAME")
        ),
        "",
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem) / 1024 / 1024, 1),
        "os": os_name,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": sql("SHOW server_version")[0][0],
        "redis": run(["redis-server", "--version"]).split(" v=")[-1].split()[0]
        if run(["redis-server", "--version"])
        else "",
        "wrk": run(["wrk", "--version"]).splitlines()[0] if run(["wrk", "--version"]) else "",
    }


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def evaluate(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(target: str, scale: str, measured: str, met: bool | None, note: str = "") -> None:
        rows.append(
            {
                "target": target,
                "scale": scale,
                "measured": measured,
                "met": met,
                "note": note,
            }
        )

    reads = (
        "profile",
        "trip_detail",
        "public_feed_p1",
        "public_feed_p50",
        "rider_trips",
        "personal_feed",
    )
    scales = report["scales"]
    for label, s in scales.items():
        for name in reads:
            if name not in s["endpoints"]:
                continue
            r = s["endpoints"][name]
            add(
                f"{name} p95 ≤ {TARGETS['read_p95_ms']:.0f} ms",
                label,
                f"{r['p95_ms']} ms",
                r["p95_ms"] <= TARGETS["read_p95_ms"] and r["errors"] == 0,
                f"×{r['p95_ms'] / TARGETS['read_p95_ms']:.1f} of target"
                if r["p95_ms"] > TARGETS["read_p95_ms"]
                else "",
            )
            add(
                f"{name} ≥ {TARGETS['read_rps']:.0f} req/s",
                label,
                f"{r['rps']} req/s",
                r["rps"] >= TARGETS["read_rps"],
                f"{r['rps'] / TARGETS['read_rps'] * 100:.0f} % of target"
                if r["rps"] < TARGETS["read_rps"]
                else "",
            )
        for name, f in s["floor"].items():
            r = s.get("endpoints_nocache", {}).get(name)
            if r is None:
                continue
            lat = ratio(r["p95_ms"], f["p95_ms"])
            thr = ratio(f["rps"], r["rps"])
            add(
                f"{name} within {TARGETS['floor_ratio']}× of the floor",
                label,
                f"p95 ×{lat:.2f}, throughput ×{ratio(r['rps'], f['rps']):.2f} of floor",
                lat <= TARGETS["floor_ratio"] and thr <= TARGETS["floor_ratio"],
            )
        if "login_check" not in s:
            continue
        cap = s["bcrypt_capacity"]["per_second"]
        login = s["endpoints"]["login"]["rps"]
        add(
            f"login ≥ {TARGETS['login_capacity'] * 100:.0f} % of bcrypt capacity",
            label,
            f"{login} req/s of {cap}/s ({ratio(login, cap) * 100:.0f} %)",
            login >= TARGETS["login_capacity"] * cap,
        )
        check = s["login_check"]
        alone, mixed = check["read_mix_alone"], check["read_mix_with_login"]
        add(
            "reads' p95 not raised by login at full load",
            label,
            f"{alone['p95_ms']} → {mixed['p95_ms']} ms",
            mixed["p95_ms"] <= alone["p95_ms"] * 1.1,
            "10 % tolerance for run-to-run noise",
        )
        add(
            f"reads keep ≥ {TARGETS['read_keep_during_login'] * 100:.0f} % throughput during login",
            label,
            f"{alone['rps']} → {mixed['rps']} req/s "
            f"({ratio(mixed['rps'], alone['rps']) * 100:.0f} %)",
            mixed["rps"] >= TARGETS["read_keep_during_login"] * alone["rps"],
        )
        if "photo_upload_5mb_c1" not in s["endpoints"]:
            continue
        p1 = s["endpoints"]["photo_upload_5mb_c1"]
        add(
            f"5 MB photo upload ≤ {TARGETS['photo_s']} s (one at a time, p95)",
            label,
            f"{p1['p95_ms'] / 1000:.2f} s",
            p1["p95_ms"] / 1000 <= TARGETS["photo_s"],
        )
        p50c = s["endpoints"]["photo_upload_5mb"]
        add(
            f"5 MB photo upload ≤ {TARGETS['photo_s']} s (50 connections, p95)",
            label,
            f"{p50c['p95_ms'] / 1000:.2f} s",
            p50c["p95_ms"] / 1000 <= TARGETS["photo_s"],
        )
        if "gpx_single" in s:
            g = s["gpx_single"]["processed"]
            add(
                f"10 MB GPX upload + processing ≤ {TARGETS['gpx_s']} s (one at a time, p95)",
                label,
                f"{g.get('p95_s')} s",
                (g.get("p95_s") or 99) <= TARGETS["gpx_s"],
            )
            gl = s["endpoints"]["gpx_upload_10mb"]
            add(
                f"10 MB GPX upload acknowledged ≤ {TARGETS['gpx_s']} s (50 connections, p95)",
                label,
                f"{gl['p95_ms'] / 1000:.2f} s",
                gl["p95_ms"] / 1000 <= TARGETS["gpx_s"],
            )
        else:
            add("10 MB GPX ≤ 2 s", label, "not measured: endpoint missing", None)
    if "1k" in scales and "100k" in scales:
        for key, how in (("endpoints", "cached"), ("endpoints_nocache", "cache off")):
            a = scales["1k"].get(key, {})
            b = scales["100k"].get(key, {})
            for name in ("public_feed_p1", "public_feed_p50"):
                if name not in a or name not in b:
                    continue
                growth = ratio(b[name]["p95_ms"], a[name]["p95_ms"])
                add(
                    f"{name} ({how}) p95 at 100k ≤ {TARGETS['feed_scaling']}× p95 at 1k",
                    "1k→100k",
                    f"{a[name]['p95_ms']} → {b[name]['p95_ms']} ms (×{growth:.2f})",
                    growth <= TARGETS["feed_scaling"],
                )
    return rows


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        "# ContraVento benchmark results",
        "",
        f"Generated {report['generated_at']} by `bench/run.sh` "
        f"(scales {', '.join(report['scales'])}; {report['config']['duration_s']} s per "
        f"scenario after a {report['config']['warmup_s']} s warm-up; wrk, "
        f"{report['config']['connections']} connections, {WRK_THREADS} threads).",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']} "
        f"(kernel {m['kernel']}), Python {m['python']}, PostgreSQL {m['postgresql']}, "
        f"Redis {m['redis']}, {m['wrk']}. Server, database, Redis and load generator share the "
        "cores.",
        "",
        f"Quiet machine: {'yes' if report['quiet']['quiet'] else 'NO'} (load average "
        f"{report['quiet']['load1_start']} at the start, {report['quiet']['load1_end']} at the "
        f"end; other busy processes at the start: {len(report['quiet']['busy_start'])}, at the "
        f"end: {len(report['quiet']['busy_end'])}).",
        "",
    ]
    for label, s in report["scales"].items():
        rows = s["rows"]
        lines += [
            f"## Scale {label}: {rows['trips']} trips, {rows['users']} users, "
            f"{rows['photos']} photos, {rows['follows']} follows, {rows['likes']} likes "
            f"({rows['database_size']})",
            "",
            f"Seeded in {s['seed']['seconds']} s. Floor SQL identical to the API's: "
            f"{'yes' if s['floor_sql_matches_api'] else '**NO**'}. "
            f"5xx lines in the server log: {s.get('server_log_5xx')}.",
            "",
            "| endpoint | conns | p50 ms | p95 ms | p99 ms | req/s | requests | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, r in s["endpoints"].items():
            if "not_measured" in r:
                lines.append(
                    f"| {name} | – | – | – | – | – | – | not measured: {r['not_measured']} |"
                )
                continue
            errors = str(r["errors"])
            if r.get("none_completed"):
                errors += " (none completed: every request took longer than the run)"
            if r.get("statuses"):
                errors += " " + ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
            lines.append(
                f"| {name} | {r['connections']} | {_fmt(r['p50_ms'])} | {_fmt(r['p95_ms'])} | "
                f"{_fmt(r['p99_ms'])} | {_fmt(r['rps'])} | {r['requests']} | {errors} |"
            )
        if s["floor"]:
            lines += [
                "",
                "Floor (Starlette + asyncpg, the same SQL, same gunicorn/uvicorn workers) "
                "against the API with its Redis cache off (`CACHE_ENABLED=false`), so that both "
                "run the same queries for every request:",
                "",
                "| endpoint | API p95 ms | floor p95 ms | p95 ratio | API req/s | "
                "floor req/s | throughput ratio |",
                "|---|---:|---:|---:|---:|---:|---:|",
            ]
        for name, f in s["floor"].items():
            r = s.get("endpoints_nocache", {}).get(name)
            if r is None:
                continue
            lines.append(
                f"| {name} | {_fmt(r['p95_ms'])} | {_fmt(f['p95_ms'])} | "
                f"{ratio(r['p95_ms'], f['p95_ms']):.2f} | {_fmt(r['rps'])} | {_fmt(f['rps'])} | "
                f"{ratio(r['rps'], f['rps']):.2f} |"
            )
        c = s.get("login_check")
        cap = s.get("bcrypt_capacity")
        lines += (
            []
            if c is None or cap is None
            else [
                "",
                f"Login: bcrypt capacity {cap['per_second']} verifications/s "
                f"({cap['threads']} threads, one 12-round verification "
                f"{cap['one_verification_ms']} ms). Login alone "
                f"{s['endpoints']['login']['rps']} req/s; with the reads "
                f"{logins_under_reads(c['login_with_reads'])} (login runs and the read mix "
                f"beside them last {max(report['config']['duration_s'], LOGIN_DURATION)} s, "
                "without warm-up: at 50 connections a login queues behind ~50 verifications; "
                "the read mix alone is measured after a warm-up as long as the run).",
                "",
                "| read mix (profile, public feed p1/p2, rider's trips) | p50 ms | p95 ms | p99 ms "
                "| req/s | errors |",
                "|---|---:|---:|---:|---:|---:|",
            ]
        )
        pairs = (
            []
            if c is None
            else [
                ("alone", c["read_mix_alone"]),
                ("while login runs at full load", c["read_mix_with_login"]),
            ]
        )
        for title, r in pairs:
            lines.append(
                f"| {title} | {_fmt(r['p50_ms'])} | {_fmt(r['p95_ms'])} | "
                f"{_fmt(r['p99_ms'])} | {_fmt(r['rps'])} | {r['errors']} |"
            )
        if "gpx_single" in s:
            g = s["gpx_single"]
            q = s["gpx_queue"]
            lines += [
                "",
                f"GPX 10 MB, one rider at a time (upload, then poll the status until processed):"
                f" acknowledged p50 {g['upload_ack'].get('p50_s')} s; processed p50 "
                f"{g['processed'].get('p50_s')} s, p95 {g['processed'].get('p95_s')} s "
                f"({g['outcomes']}). After the 50-connection burst the queue took "
                f"{q['waited_s']} s to drain ({q['completed']} completed, {q['failed']} failed, "
                f"{q['still_queued']} still queued); upload-to-processed "
                f"{q['upload_to_processed']}.",
            ]
        lines.append("")
    lines += [
        "## Targets",
        "",
        "| target | scale | measured | met |",
        "|---|---|---|---|",
    ]
    for t in report["targets"]:
        met = "–" if t["met"] is None else ("yes" if t["met"] else "**no**")
        note = f" ({t['note']})" if t["note"] else ""
        lines.append(f"| {t['target']} | {t['scale']} | {t['measured']}{note} | {met} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    labels = [s.strip() for s in os.environ.get("BENCH_SCALES", "1k").split(",") if s.strip()]
    for label in labels:
        if label not in SCALES:
            raise SystemExit(f"unknown scale {label!r} (choose from {', '.join(SCALES)})")
    RESULTS.mkdir(parents=True, exist_ok=True)
    quiet_wait = env_int("BENCH_QUIET_WAIT", 0)
    deadline = time.monotonic() + quiet_wait
    while load1() >= 1.5 and time.monotonic() < deadline:
        time.sleep(10)
    report: dict[str, Any] = {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "config": {
            "scales": labels,
            "duration_s": DURATION,
            "warmup_s": WARMUP,
            "connections": CONNECTIONS,
            "gunicorn_workers": WORKERS,
            "app_env": "production",
            "rate_limits": "disabled (RATE_LIMIT_ENABLED=false)",
            "bcrypt_rounds": 12,
            "cache": "Redis (CACHE_ENABLED default true)",
            "postgresql_settings": dict(
                sql(
                    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', "
                    "'synchronous_commit', 'shared_buffers', 'max_connections', 'work_mem', "
                    "'full_page_writes', 'effective_cache_size')"
                )
            ),
        },
        "quiet": {"load1_start": round(load1(), 2), "busy_start": busy_processes()},
        "scales": {},
    }
    log(
        f"machine: {report['machine']}; load {report['quiet']['load1_start']}; "
        f"busy processes: {len(report['quiet']['busy_start'])}"
    )
    subprocess.run(
        [PY, str(HERE / "fixtures.py"), str(WORK / "fixtures")],
        check=True,
        timeout=600,
    )
    for label in labels:
        report["scales"][label] = run_scale(label, SCALES[label])
        # partial results survive an interrupted run
        (RESULTS / "latest.partial.json").write_text(json.dumps(report, indent=2, default=str))
    report["quiet"]["load1_end"] = round(load1(), 2)
    report["quiet"]["busy_end"] = busy_processes()
    report["quiet"]["quiet"] = (
        report["quiet"]["load1_start"] < 1.5
        and not report["quiet"]["busy_start"]
        and not report["quiet"]["busy_end"]
    )
    report["targets"] = evaluate(report)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    (RESULTS / "latest.md").write_text(markdown(report))
    (RESULTS / "latest.partial.json").unlink(missing_ok=True)
    log(f"wrote {RESULTS / 'latest.json'} and {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
