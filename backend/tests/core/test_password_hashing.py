"""Password hashing runs off the event loop, on threads that only get the CPU nobody else
wants, and still answers correctly."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from src.core import security
from src.core.security import PasswordHasher


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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_IDLE is Linux-only")
async def test_bcrypt_threads_are_scheduled_idle_on_linux() -> None:
    policy = await security._run_bcrypt(os.sched_getscheduler, 0)
    assert policy == os.SCHED_IDLE
    # the event loop's own thread keeps the normal policy
    assert os.sched_getscheduler(0) == os.SCHED_OTHER
