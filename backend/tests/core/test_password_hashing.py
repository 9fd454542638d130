"""Password hashing runs off the event loop, on threads that only get the CPU nobody else
wants, answers correctly, and sheds load instead of hanging when no thread can start it."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from src.core import security
from src.core.security import PasswordCheckBusy, PasswordHasher
from tests.conftest import AppHarness
from tests.helpers import PASSWORD, register_verified


async def test_hash_and_verify_on_the_bcrypt_threads() -> None:
    hasher = PasswordHasher(rounds=4)
    hashed = await hasher.hash("Correct horse 1!")
    assert hashed.startswith("$2b$04$")
    assert await hasher.verify("Correct horse 1!", hashed) is True
    assert await hasher.verify("wrong", hashed) is False
    # an unknown account costs a verification too, and never succeeds
    assert await hasher.verify("Correct horse 1!", None) is False


async def test_bcrypt_runs_off_the_event_loop_thread() -> None:
    loop_thread = threading.get_native_id()
    ran_on = await security._run_bcrypt(threading.get_native_id)
    assert ran_on != loop_thread


async def test_bcrypt_threads_are_below_the_event_loop() -> None:
    if sys.platform.startswith("linux"):
        policy = await security._run_bcrypt(os.sched_getscheduler, 0)
        assert policy == os.SCHED_IDLE
        # the event loop's own thread keeps the normal policy
        assert os.sched_getscheduler(0) == os.SCHED_OTHER
    else:  # elsewhere the threads are niced
        niceness = await security._run_bcrypt(os.getpriority, os.PRIO_PROCESS, 0)
        assert niceness == security.BCRYPT_NICE


@asynccontextmanager
async def every_bcrypt_thread_busy(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """Hold every bcrypt thread in a blocker (with a 0.3 s start timeout) until exit."""
    monkeypatch.setattr(security, "BCRYPT_START_TIMEOUT", 0.3)
    threads = os.cpu_count() or 2
    release = threading.Event()
    inside = threading.Semaphore(0)

    def blocker() -> str:
        inside.release()
        release.wait(timeout=30)
        return "done"

    blockers = [asyncio.ensure_future(security._run_bcrypt(blocker)) for _ in range(threads)]
    try:
        for _ in range(threads):
            assert await asyncio.to_thread(inside.acquire, True, 10), "a blocker never started"
        yield
    finally:
        release.set()
        # the blockers outlived the start timeout but had started: they are awaited, not shed
        assert await asyncio.gather(*blockers) == ["done"] * threads


async def test_a_check_no_thread_can_start_is_shed_and_never_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran = threading.Event()
    async with every_bcrypt_thread_busy(monkeypatch):
        started = time.monotonic()
        with pytest.raises(PasswordCheckBusy) as raised:
            await security._run_bcrypt(ran.set)
        assert time.monotonic() - started < 5
    assert raised.value.status_code == 503
    assert raised.value.headers == {"Retry-After": str(security.BCRYPT_RETRY_AFTER)}
    await security._run_bcrypt(lambda: None)  # the queue has been worked through since
    assert not ran.is_set(), "the shed check still ran a hash"


async def test_a_started_check_is_awaited_past_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(security, "BCRYPT_START_TIMEOUT", 0.05)
    assert await security._run_bcrypt(lambda: time.sleep(0.3) or "finished") == "finished"


async def test_login_answers_503_with_retry_after_when_no_bcrypt_thread_is_free(
    harness: AppHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register_verified(harness, "busy_rider", "busy@example.com")
    credentials = {"login": "busy_rider", "password": PASSWORD}
    async with every_bcrypt_thread_busy(monkeypatch):
        response = await harness.client.post("/auth/login", json=credentials)
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == str(security.BCRYPT_RETRY_AFTER)
    body = response.json()
    assert body["success"] is False
    assert body["data"] is None
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert body["error"]["message"]
    # once the threads are free the same login succeeds
    response = await harness.client.post("/auth/login", json=credentials)
    assert response.status_code == 200, response.text
