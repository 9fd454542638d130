"""A child process that runs bcrypt for one web worker (see ``security.BcryptPool``).

Why a process and not a thread: a thread of the web worker that is scheduled below the
event loop still needs the worker's GIL to start and to finish every hash, and when the
kernel preempts it while it holds the GIL, the event loop stops with it (priority
inversion). A process has its own GIL, so how low it is scheduled only decides how much CPU
it gets, never whether the event loop can run.

Started as ``python -I bcrypt_worker.py idle|lane|normal``; it imports nothing of the app. It reads
one JSON request per line on stdin and answers one JSON line on stdout; it exits when stdin
closes (its web worker exited). Requests:

* ``{"op": "hash", "password": str, "rounds": int}`` -> ``{"hash": str, "cpu": float}``
* ``{"op": "verify", "password": str, "hash": str}`` -> ``{"ok": bool, "cpu": float}``
* ``{"op": "probe", "spin": float, "sleep": float}`` -> ``{"pid", "policy", "nice", "cpu"}``:
  burns ``spin`` seconds of CPU and sleeps ``sleep`` seconds first (tests and diagnostics).

Passwords are never written anywhere else.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
from typing import Any

import bcrypt

#: nice value of the paced lane, and of the idle processes where SCHED_IDLE is not available
LOW_NICE = 19


def lower_priority(mode: str) -> None:
    """``idle``: run only on CPU time nothing else wants (Linux ``SCHED_IDLE``, which a waking
    normal task preempts at once; nice 19 elsewhere). ``lane``: normal policy at nice 19.
    ``normal``: leave it."""
    if mode == "idle":
        with contextlib.suppress(OSError, AttributeError):
            if sys.platform.startswith("linux"):
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
                return
    if mode in ("idle", "lane"):
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, 0, LOW_NICE)


def answer(request: dict[str, Any]) -> dict[str, Any]:
    started = time.process_time()
    op = request.get("op")
    reply: dict[str, Any]
    if op == "hash":
        salt = bcrypt.gensalt(int(request["rounds"]))
        reply = {"hash": bcrypt.hashpw(request["password"].encode("utf-8"), salt).decode("ascii")}
    elif op == "verify":
        try:
            ok = bcrypt.checkpw(
                request["password"].encode("utf-8"), request["hash"].encode("ascii")
            )
        except ValueError:  # not a bcrypt hash
            ok = False
        reply = {"ok": ok}
    elif op == "probe":
        deadline = started + float(request.get("spin", 0))
        while time.process_time() < deadline:
            pass
        time.sleep(float(request.get("sleep", 0)))
        policy = os.sched_getscheduler(0) if hasattr(os, "sched_getscheduler") else None
        reply = {"pid": os.getpid(), "policy": policy, "nice": os.getpriority(os.PRIO_PROCESS, 0)}
    else:
        reply = {"error": "unknown op"}
    reply["cpu"] = time.process_time() - started
    return reply


def main() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the web worker decides when to
    # stop, and this process follows when its stdin closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lower_priority(sys.argv[1] if len(sys.argv) > 1 else "idle")
    try:
        for line in sys.stdin.buffer:
            try:
                reply = answer(json.loads(line))
            except (ValueError, KeyError, TypeError):
                reply = {"error": "bad request"}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
    except BrokenPipeError:  # the web worker went away mid-request
        with contextlib.suppress(OSError):
            sys.stdout.close()


if __name__ == "__main__":
    main()
