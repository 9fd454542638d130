"""Password hashing runs in child processes below the event loop, answers correctly, keeps
making progress through a paced lane, and sheds load instead of hanging.

The queueing tests give their pools normal-priority "idle" children (``idle_mode="normal"``):
on a busy machine a real SCHED_IDLE process may not run for a while, which is its point but
would make those tests depend on the load.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from src.core import bcrypt_worker, security
from src.core.security import BcryptPool, PasswordCheckBusy, PasswordHasher, lane_pause
from tests.conftest import AppHarness
from tests.helpers import PASSWORD, register_verified


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[BcryptPool]:
    """A process pool of its own: one normal-priority idle child and a lane that waits a
    minute (tests lower ``lane_after`` once the idle child is busy)."""
    made = BcryptPool(idle_processes=1, lane_after=60, lane_share=0.5, idle_mode="normal")
    monkeypatch.setattr(security, "_bcrypt_pool", made)
    yield made
    made.close()


def probe(spin: float = 0, sleep: float = 0) -> dict[str, Any]:
    return {"op": "probe", "spin": spin, "sleep": sleep}


@asynccontextmanager
async def idle_child_busy(
    seconds: float = 1.5, wait: bool = True
) -> AsyncIterator[asyncio.Future[Any]]:
    """Keep the pool's only idle child busy (a probe sleeping ``seconds``); at exit wait for
    it, or leave it to the pool fixture's ``close()``."""
    held = asyncio.ensure_future(security._run_bcrypt(probe(sleep=seconds)))
    await asyncio.sleep(0.3)  # the child has taken it (it starts in well under that)
    yield held
    if wait:
        await held
    else:
        held.cancel()


async def test_hash_and_verify_in_the_bcrypt_processes() -> None:
    hasher = PasswordHasher(rounds=4)
    hashed = await hasher.hash("Correct horse 1!")
    assert hashed.startswith("$2b$04$")
    assert await hasher.verify("Correct horse 1!", hashed) is True
    assert await hasher.verify("wrong", hashed) is False
    assert await hasher.verify("Correct horse 1!", "not a bcrypt hash") is False
    # an unknown account costs a verification too, and never succeeds
    assert await hasher.verify("Correct horse 1!", None) is False


async def test_bcrypt_runs_in_another_process_below_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the real idle children, and a lane too patient to take the probe on a busy machine
    real = BcryptPool(idle_processes=1, lane_after=60, lane_share=0.5)
    monkeypatch.setattr(security, "_bcrypt_pool", real)
    try:
        answer = await security._run_bcrypt(probe())
    finally:
        real.close()
    assert answer["pid"] != os.getpid()
    if sys.platform.startswith("linux"):
        assert answer["policy"] == os.SCHED_IDLE
        # the web worker itself keeps the normal policy
        assert os.sched_getscheduler(0) == os.SCHED_OTHER
    else:  # elsewhere the processes are niced
        assert answer["nice"] == bcrypt_worker.LOW_NICE


async def test_a_password_the_child_cannot_encode_is_a_400_not_a_crash() -> None:
    hasher = PasswordHasher(rounds=4)
    with pytest.raises(security.DomainError) as raised:
        await hasher.hash("lone surrogate \ud800 Aa1!")
    assert raised.value.status_code == 400
    assert raised.value.field == "password"
    assert await hasher.verify("lone surrogate \ud800 Aa1!", await hasher.hash("Aa1!aaaa")) is False


async def test_a_killed_child_is_replaced_and_the_check_still_answers(pool: BcryptPool) -> None:
    first = await security._run_bcrypt(probe())
    os.kill(first["pid"], 9)
    await asyncio.sleep(0.2)
    second = await security._run_bcrypt(probe())
    assert second["pid"] != first["pid"]
    # dying in the middle of a request: a fresh child gets the same request again
    during = asyncio.ensure_future(security._run_bcrypt(probe(sleep=0.5)))
    await asyncio.sleep(0.2)
    os.kill(second["pid"], 9)
    third = await during
    assert third["pid"] not in (first["pid"], second["pid"])


async def test_a_check_no_process_can_start_is_shed_and_never_runs(
    pool: BcryptPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "BCRYPT_START_TIMEOUT", 0.3)
    async with idle_child_busy(seconds=1.5):
        started = time.monotonic()
        with pytest.raises(PasswordCheckBusy) as raised:
            await security._run_bcrypt(probe())
        assert time.monotonic() - started < 1.2
    assert raised.value.status_code == 503
    assert raised.value.headers == {"Retry-After": str(security.BCRYPT_RETRY_AFTER)}
    assert not pool._queue, "the shed check is still queued"


async def test_a_started_check_is_awaited_past_the_timeout(
    pool: BcryptPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "BCRYPT_START_TIMEOUT", 0.5)
    answer = await security._run_bcrypt(probe(sleep=1.5))
    assert answer["pid"] > 0


async def test_the_lane_takes_a_check_the_idle_processes_cannot(pool: BcryptPool) -> None:
    idle = await security._run_bcrypt(probe())
    async with idle_child_busy(seconds=60, wait=False) as held:
        pool.lane_after = 0.2
        queued = time.monotonic()
        answer = await security._run_bcrypt(probe())
        waited = time.monotonic() - queued
        assert not held.done(), "the idle child was free after all"
    assert waited >= 0.2
    assert answer["pid"] != idle["pid"]
    assert answer["nice"] == bcrypt_worker.LOW_NICE
    if sys.platform.startswith("linux"):
        assert answer["policy"] == os.SCHED_OTHER  # the lane is niced, not idle


def test_the_lane_rests_so_that_it_uses_its_share_of_a_core() -> None:
    assert lane_pause(0.25, 0.2) == pytest.approx(1.0)  # 0.25 s of work in every 1.25 s
    assert lane_pause(0.25, 0.5) == pytest.approx(0.25)
    assert lane_pause(0.25, 1.0) == 0


async def test_the_lane_keeps_its_pace_between_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    lane_only = BcryptPool(idle_processes=0, lane_after=0, lane_share=0.5)
    monkeypatch.setattr(security, "_bcrypt_pool", lane_only)
    try:
        first = await security._run_bcrypt(probe(spin=0.3))
        after_first = time.monotonic()
        second = await security._run_bcrypt(probe())
        after_second = time.monotonic()
    finally:
        lane_only.close()
    assert first["pid"] == second["pid"]
    assert first["cpu"] >= 0.3
    # at half a core the lane rests as long as it worked before taking the next check
    assert after_second - after_first >= lane_pause(first["cpu"], 0.5) * 0.9


async def test_login_answers_503_with_retry_after_when_no_bcrypt_process_is_free(
    harness: AppHarness, monkeypatch: pytest.MonkeyPatch, pool: BcryptPool
) -> None:
    await register_verified(harness, "busy_rider", "busy@example.com")
    credentials = {"login": "busy_rider", "password": PASSWORD}
    monkeypatch.setattr(security, "BCRYPT_START_TIMEOUT", 0.3)
    async with idle_child_busy(seconds=1.5):
        response = await harness.client.post("/auth/login", json=credentials)
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == str(security.BCRYPT_RETRY_AFTER)
    body = response.json()
    assert body["success"] is False
    assert body["data"] is None
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert body["error"]["message"]
    # once the process is free the same login succeeds
    response = await harness.client.post("/auth/login", json=credentials)
    assert response.status_code == 200, response.text


def test_the_child_answers_one_json_line_per_request() -> None:
    hashed = bcrypt_worker.answer({"op": "hash", "password": "Aa1!aaaa", "rounds": 4})
    assert hashed["hash"].startswith("$2b$04$")
    assert hashed["cpu"] >= 0
    ok = bcrypt_worker.answer({"op": "verify", "password": "Aa1!aaaa", "hash": hashed["hash"]})
    assert ok["ok"] is True
    assert bcrypt_worker.answer({"op": "nope"})["error"] == "unknown op"


def test_the_child_ignores_ctrl_c_and_exits_quietly_when_its_worker_goes() -> None:
    child = subprocess.Popen(  # noqa: S603 - this interpreter and our own script
        [sys.executable, "-I", str(security._WORKER_SCRIPT), "normal"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    child.stdin.write(b'{"op": "probe"}\n')
    child.stdin.flush()
    assert json.loads(child.stdout.readline())["pid"] == child.pid
    child.send_signal(signal.SIGINT)  # what a terminal's Ctrl-C sends the process group
    child.stdin.write(b'{"op": "probe"}\n')
    child.stdin.flush()
    assert json.loads(child.stdout.readline())["pid"] == child.pid
    _, errors = child.communicate(timeout=10)  # closes stdin: the web worker is gone
    assert child.returncode == 0
    assert errors == b""


async def test_a_bcrypt_process_that_cannot_run_is_a_503_never_a_wrong_password(
    harness: AppHarness,
    pool: BcryptPool,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await register_verified(harness, "broken_rider", "broken@example.com")
    pool.close()  # children start again with the script below: one that does not exist
    fresh = BcryptPool(idle_processes=1, lane_after=60, lane_share=0.5, idle_mode="normal")
    monkeypatch.setattr(security, "_bcrypt_pool", fresh)
    monkeypatch.setattr(security, "_WORKER_SCRIPT", tmp_path / "missing.py")
    try:
        for _ in range(6):  # past LOGIN_MAX_ATTEMPTS (5): no lockout counting either
            response = await harness.client.post(
                "/auth/login", json={"login": "broken_rider", "password": PASSWORD}
            )
            assert response.status_code == 503, response.text
            assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
            assert response.headers["Retry-After"] == str(security.BCRYPT_RETRY_AFTER)
    finally:
        fresh.close()
    assert "keeps dying" in caplog.text
    monkeypatch.undo()
    response = await harness.client.post(
        "/auth/login", json={"login": "broken_rider", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
