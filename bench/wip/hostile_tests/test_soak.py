"""Soak: several minutes of moderate, mixed load against the production server command, after
which the workers' memory must have stopped growing.

Readers and writers (public feed pages, trip details, profiles, rider lists, personal feed,
/auth/me, logins, trip creation and publishing, likes, comments, photo uploads) run at about
``HOSTILE_SOAK_RPS`` requests per second for ``HOSTILE_SOAK_SECONDS`` (default 40/s for
180 s; far below gunicorn's max_requests, so no worker is recycled).  Every worker's RSS is
sampled every 2 seconds.  The first third is warm-up (caches, pools, compiled statements);
over the last third each worker's fitted growth must stay under ``GROWTH_LIMIT`` (a leak of a
few kilobytes per request would exceed it).  Also: no 5xx, no worker died or was replaced.

PostgreSQL pass only (the production database); it never skips there.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import threading
import time
from collections.abc import Callable

import httpx

from tests.conftest import DATABASE_URL, IS_POSTGRES, _truncate
from tests.hostile.live import Rider, Server, small_jpeg, worker_pids, worker_rss

SOAK_SECONDS = float(os.environ.get("HOSTILE_SOAK_SECONDS", "180"))
SOAK_RPS = float(os.environ.get("HOSTILE_SOAK_RPS", "40"))
SAMPLE_EVERY = 2.0
THREADS = 8
#: allowed growth of one worker over the last third of the run (fitted, not max - min)
GROWTH_LIMIT = 4 * 1024 * 1024


def _slope(points: list[tuple[float, int]]) -> float:
    """Least-squares slope (bytes per second) of (time, rss) points."""
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_r = sum(r for _, r in points) / n
    num = sum((t - mean_t) * (r - mean_r) for t, r in points)
    den = sum((t - mean_t) ** 2 for t, _ in points) or 1.0
    return num / den


def _mix(riders: list[Rider], trips: list[str], photo: bytes) -> list[Callable[[], httpx.Response]]:
    """One request factory per kind; the soak cycles through them at random."""
    rng = random.Random(7)
    counter = itertools.count()

    def rider() -> Rider:
        return rng.choice(riders)

    def create_and_publish() -> httpx.Response:
        r = rider()
        created = r.post(
            "/trips",
            json={
                "title": f"Soak {next(counter)}",
                "description": "x" * 60,
                "start_date": "2025-04-01",
                "tags": ["soak"],
            },
        )
        if created.status_code != 201:
            return created
        trip_id = created.json()["data"]["trip_id"]
        trips.append(trip_id)
        return r.post(f"/trips/{trip_id}/publish")

    def like_or_unlike() -> httpx.Response:
        r, trip = rider(), rng.choice(trips)
        liked = r.post(f"/trips/{trip}/like")
        if liked.status_code == 400:  # already liked (or own trip): take it back
            return r.client.delete(f"/trips/{trip}/like", headers=r.auth)
        return liked

    def photo_upload() -> httpx.Response:
        r = rider()
        created = r.post(
            "/trips", json={"title": "Fotos", "description": "y" * 60, "start_date": "2025-04-02"}
        )
        if created.status_code != 201:
            return created
        trip_id = created.json()["data"]["trip_id"]
        return r.post(f"/trips/{trip_id}/photos", files={"photo": ("p.jpg", photo, "image/jpeg")})

    def get(path: Callable[[], str], auth: bool = False) -> Callable[[], httpx.Response]:
        def call() -> httpx.Response:
            r = rider()
            return r.client.get(path(), headers=r.auth if auth else None)

        return call

    return [
        get(lambda: f"/trips/public?page={rng.randint(1, 5)}"),
        get(lambda: f"/trips/public?page={rng.randint(1, 5)}"),
        get(lambda: f"/trips/{rng.choice(trips)}"),
        get(lambda: f"/trips/{rng.choice(trips)}", auth=True),
        get(lambda: f"/users/{rider().username}/profile"),
        get(lambda: f"/users/{rider().username}/profile", auth=True),
        get(lambda: f"/users/{rider().username}/trips"),
        get(lambda: f"/users/{rider().username}/stats"),
        get(lambda: "/feed", auth=True),
        get(lambda: "/auth/me", auth=True),
        get(lambda: f"/trips/{rng.choice(trips)}/comments"),
        lambda: rider().client.post(
            "/auth/login", json={"login": rider().username, "password": "Sup3r!Secret"}
        ),
        create_and_publish,
        like_or_unlike,
        lambda: rider().post(
            f"/trips/{rng.choice(trips)}/comments", json={"content": f"Comentario {next(counter)}"}
        ),
        photo_upload,
    ]


if IS_POSTGRES:

    def test_worker_memory_stops_growing_under_steady_load() -> None:
        server = Server(LOG_LEVEL="WARNING").start()
        try:
            _soak(server)
        finally:
            server.stop()
            asyncio.run(_truncate(DATABASE_URL))


def _soak(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as setup:
        riders = [Rider.register(setup, f"soak_{i}") for i in range(6)]
        for r in riders[:3]:
            r.client.post(f"/users/{riders[-1].username}/follow", headers=r.auth)
        trips = [r.create_trip() for r in riders for _ in range(3)]
    photo = small_jpeg(1200, 900)
    pids = worker_pids(server)
    assert len(pids) >= 1

    stop = time.monotonic() + SOAK_SECONDS
    statuses: dict[int, int] = {}
    failures: list[str] = []
    lock = threading.Lock()
    interval = THREADS / SOAK_RPS

    def load(seed: int) -> None:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            mine = [Rider(client, r.username, r.token, r.user_id) for r in riders]
            mix = _mix(mine, trips, photo)
            rng = random.Random(seed)
            next_at = time.monotonic()
            while time.monotonic() < stop:
                try:
                    status = rng.choice(mix)().status_code
                except httpx.HTTPError as exc:
                    with lock:
                        failures.append(type(exc).__name__)
                    status = -1
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                next_at += interval
                time.sleep(max(0.0, next_at - time.monotonic()))

    threads = [threading.Thread(target=load, args=(i,)) for i in range(THREADS)]
    samples: dict[int, list[tuple[float, int]]] = {pid: [] for pid in pids}
    started = time.monotonic()
    for t in threads:
        t.start()
    while time.monotonic() < stop:
        now = time.monotonic() - started
        for pid in pids:
            samples[pid].append((now, worker_rss(pid)))
        time.sleep(SAMPLE_EVERY)
    for t in threads:
        t.join(timeout=60)

    total = sum(statuses.values())
    server_errors = {s: n for s, n in statuses.items() if s >= 500 or s < 0}
    report = {
        pid: [round(r / 2**20, 1) for _, r in points[:: max(1, len(points) // 12)]]
        for pid, points in samples.items()
    }
    assert total >= SOAK_SECONDS * SOAK_RPS * 0.25, f"load too low: {total} requests {statuses}"
    assert not server_errors, f"{server_errors} of {statuses}"
    assert not failures, f"{failures[:5]} of {statuses}"
    assert worker_pids(server) == pids, "a worker died or was replaced during the soak"
    for pid, points in samples.items():
        assert all(r > 0 for _, r in points), f"worker {pid} vanished"
        last_third = [p for p in points if p[0] >= SOAK_SECONDS * 2 / 3]
        growth = _slope(last_third) * (SOAK_SECONDS / 3)
        assert growth < GROWTH_LIMIT, (
            f"worker {pid} still growing: {growth / 2**20:.1f} MiB over the last third "
            f"(RSS MiB over time: {report[pid]}; {total} requests {statuses})"
        )
    print(f"soak: {total} requests {statuses}; RSS MiB per worker over time: {report}")
