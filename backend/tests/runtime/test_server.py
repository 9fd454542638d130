"""The production server command: gunicorn + uvicorn workers, metrics across workers,
JSON logs without secrets, graceful shutdown."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import images
from tests.conftest import DATABASE_URL, TEST_SECRET, _truncate
from tests.servers import free_port
from tests.trips.helpers import trip_body

BACKEND = Path(__file__).resolve().parents[2]


class Server:
    def __init__(self, **env: str) -> None:
        self.port = free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="cv-gunicorn-"))
        self.log = self.tmp / "server.log"
        self.env = {
            **os.environ,
            "APP_ENV": "testing",
            "SECRET_KEY": TEST_SECRET,
            "DATABASE_URL": DATABASE_URL,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
            "BCRYPT_ROUNDS": "4",
            "RATE_LIMIT_ENABLED": "false",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "STORAGE_PATH": str(self.tmp / "storage"),
            "PROMETHEUS_MULTIPROC_DIR": str(self.tmp / "metrics"),
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        handle = open(self.log, "wb")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "src.main:app"],
            cwd=BACKEND,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    """These tests write through a real server process: clean up like make_app does."""
    yield
    asyncio.run(_truncate(DATABASE_URL))


@pytest.fixture
def server() -> Iterator[Server]:
    instance = Server().start()
    try:
        yield instance
    finally:
        instance.stop()


def _metric_total(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_are_aggregated_across_workers(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for _ in range(30):
            assert client.get("/achievements").status_code == 200
        for _ in range(3):
            assert client.get("/nope-nothing-here").status_code == 404
        readings = []
        for _ in range(6):  # several scrapes, served by either worker
            r = client.get("/metrics")
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/plain")
            readings.append(
                _metric_total(r.text, "http_requests_total", route="/achievements", status="200")
            )
        assert readings == [30.0] * 6, readings
        text = client.get("/metrics").text
        assert _metric_total(text, "http_requests_total", route="<unmatched>", status="404") == 3
        assert "http_request_duration_seconds_bucket{" in text
        assert "db_pool_connections_in_use" in text
        assert "contravento_registrations_total" in text
        # two workers really served the traffic
        workers = set(Path(server.env["PROMETHEUS_MULTIPROC_DIR"]).glob("counter_*.db"))
        assert len(workers) >= 2


def test_business_counters(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        body = {
            "username": "metric_ana",
            "email": "metric_ana@example.com",
            "password": "Sup3r!Secret",
        }
        assert client.post("/auth/register", json=body).status_code == 201
        login = client.post("/auth/login", json={"login": "metric_ana", "password": "Sup3r!Secret"})
        assert login.status_code == 200  # testing environment: auto-verified
        token = {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
        trip = client.post("/trips", json=trip_body(), headers=token)
        assert trip.status_code == 201, trip.text
        trip_id = trip.json()["data"]["trip_id"]
        photo = client.post(
            f"/trips/{trip_id}/photos",
            files={"photo": ("p.jpg", images.jpeg(), "image/jpeg")},
            headers=token,
        )
        assert photo.status_code == 201, photo.text
        assert client.post(f"/trips/{trip_id}/publish", headers=token).status_code == 200
        assert client.post(f"/trips/{trip_id}/publish", headers=token).status_code == 200
        text = client.get("/metrics").text
        assert _metric_total(text, "contravento_registrations_total") == 1
        assert _metric_total(text, "contravento_logins_total") == 1
        assert _metric_total(text, "contravento_trips_published_total") == 1  # once
        assert _metric_total(text, "contravento_photos_uploaded_total") == 1


def test_json_logs_have_context_and_no_secrets(server: Server) -> None:
    password = "Sup3r!Secret"
    with httpx.Client(base_url=server.url, timeout=10) as client:
        body = {"username": "log_ana", "email": "log_ana@example.com", "password": password}
        client.post("/auth/register", json=body, headers={"X-Request-ID": "trace-me-123"})
        login = client.post("/auth/login", json={"login": "log_ana", "password": password}).json()[
            "data"
        ]
        client.post("/auth/refresh", params={"refresh_token": login["refresh_token"]})
        client.get(
            "/auth/me",
            headers={
                "Authorization": f"Bearer {login['access_token']}",
                "Cookie": "session=abc123cookie",
            },
        )
    time.sleep(0.5)
    server.stop()
    lines = [line for line in server.log.read_text().splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    requests = [r for r in records if r.get("message") == "request"]
    assert requests, server.log.read_text()
    for record in requests:
        assert {"time", "level", "request_id", "method", "route", "status", "duration_ms"} <= set(
            record
        )
        assert record["time"].endswith("Z")
    traced = [r for r in requests if r["request_id"] == "trace-me-123"]
    assert traced
    assert traced[0]["route"] == "/auth/register"
    assert traced[0]["status"] == 201
    everything = server.log.read_text()
    for secret in (password, login["access_token"], login["refresh_token"], "abc123cookie"):
        assert secret not in everything


def test_graceful_shutdown_finishes_in_flight_requests() -> None:
    instance = Server(BCRYPT_ROUNDS="15").start()  # a login that takes seconds
    results: list[int | str] = []

    def slow_login() -> None:
        try:
            r = httpx.post(
                f"{instance.url}/auth/login",
                json={"login": "nobody-here", "password": "Whatever1!"},
                timeout=60,
            )
            results.append(r.status_code)
        except httpx.HTTPError as exc:
            results.append(type(exc).__name__)

    try:
        thread = threading.Thread(target=slow_login)
        thread.start()
        time.sleep(0.7)  # the request is now inside bcrypt
        assert instance.process is not None
        instance.process.send_signal(signal.SIGTERM)
        thread.join(timeout=60)
        assert results == [401]  # answered, not cut off
        assert instance.process.wait(timeout=40) == 0
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{instance.url}/health", timeout=2)
    finally:
        instance.stop()
