"""Password hashing (bcrypt, off the event loop), access JWTs and opaque random tokens.

* Passwords: bcrypt with ``BCRYPT_ROUNDS`` on :class:`BcryptPool`: child processes that only
  use CPU nothing else wants, plus one paced lane that guarantees progress, so a burst of
  logins does not slow every other request down; a check that cannot start within
  ``BCRYPT_START_TIMEOUT`` answers 503 with ``Retry-After``.
* Access tokens: HS256 JWT ``{sub, username, type: "access", iat, exp}``.
* Refresh, verification and reset tokens: 256-bit random strings, stored only as SHA-256
  digests; they are not JWTs, so they can never be presented as an access token.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import secrets
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt
import jwt

from src.config import Settings
from src.core.errors import DomainError

ACCESS_TOKEN_TYPE = "access"
logger = logging.getLogger("contravento.security")

#: seconds a password check waits for an idle-CPU bcrypt process before the paced lane may
#: take it
BCRYPT_LANE_AFTER = 1.0
#: fraction of one core the paced lane may use (per web worker)
BCRYPT_LANE_SHARE = 0.2
#: seconds a password check may wait for a bcrypt process before the request is answered
#: 503 with ``Retry-After`` instead (load shedding: a login never hangs on a saturated CPU)
BCRYPT_START_TIMEOUT = 20.0
#: the ``Retry-After`` sent with that 503
BCRYPT_RETRY_AFTER = 5
_WORKER_SCRIPT = Path(__file__).with_name("bcrypt_worker.py")


class PasswordCheckBusy(DomainError):
    """No bcrypt process could run this request's check: none started it within
    ``BCRYPT_START_TIMEOUT``, or the process cannot be started or keeps dying. Never
    reported as a wrong password (that would count towards the lockout)."""

    status_code = 503
    code = "SERVICE_UNAVAILABLE"
    message_key = "service_unavailable"

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": str(BCRYPT_RETRY_AFTER)})


class BcryptRefused(ValueError):
    """The bcrypt child answered that it cannot process the request (a password it cannot
    encode as UTF-8)."""


class _Child:
    """One ``bcrypt_worker.py`` process, started on first use and restarted if it dies."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._process: subprocess.Popen[bytes] | None = None
        self._retired = False

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        line = (json.dumps(request) + "\n").encode("ascii")
        for _attempt in range(2):
            process = self._running()
            try:
                stdin, stdout = process.stdin, process.stdout
                if stdin is None or stdout is None:  # pragma: no cover - always piped
                    raise OSError("no pipe to the bcrypt process")
                stdin.write(line)
                stdin.flush()
                reply = stdout.readline()
            except OSError:
                reply = b""
            if reply:
                answer: dict[str, Any] = json.loads(reply)
                if "error" in answer:
                    raise BcryptRefused(answer["error"])
                return answer
            self.close()  # died (killed, out of memory): a fresh one gets the request again
        logger.error("bcrypt process (%s) keeps dying; answering 503", self.mode)
        raise PasswordCheckBusy()

    def _running(self) -> subprocess.Popen[bytes]:
        if self._retired:
            raise PasswordCheckBusy()
        if self._process is not None and self._process.poll() is not None:
            self.close()  # died between two requests
        if self._process is None:
            # fixed argv: this interpreter, our own script, "idle", "lane" or "normal"
            try:
                self._process = subprocess.Popen(  # noqa: S603
                    [sys.executable, "-I", str(_WORKER_SCRIPT), self.mode],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    close_fds=True,
                )
            except OSError:  # out of processes or memory
                logger.exception("cannot start a bcrypt process; answering 503")
                raise PasswordCheckBusy() from None
        return self._process

    def close(self, retire: bool = False) -> None:
        """Kill the process (a later call starts a new one, unless ``retire``)."""
        self._retired = self._retired or retire
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            process.wait(timeout=5)
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError, ValueError):
                    pipe.close()


def lane_pause(cpu_seconds: float, share: float) -> float:
    """Seconds the paced lane rests after spending ``cpu_seconds`` so that, over time, it
    uses at most ``share`` of one core."""
    return cpu_seconds * (1.0 / share - 1.0)


@dataclass(eq=False)
class _Job:
    request: dict[str, Any]
    queued_at: float
    future: Future[dict[str, Any]] = field(default_factory=Future)

    def run(self, child: _Child) -> float:
        """Run on ``child``; returns the CPU seconds it spent."""
        if not self.future.set_running_or_notify_cancel():
            return 0.0
        try:
            answer = child.call(self.request)
        except BaseException as error:  # handed to the awaiting request
            self.future.set_exception(error)
            return 0.0
        self.future.set_result(answer)
        return float(answer.get("cpu", 0.0))


class BcryptPool:
    """Where password hashing runs: bcrypt child processes fed from one queue.

    * ``idle_processes`` children scheduled below everything else (``SCHED_IDLE`` on Linux,
      see ``bcrypt_worker.lower_priority``) take checks as soon as they are queued, so logins
      use the CPU the other requests leave and reads keep their latency.
    * Under saturating load those children get no CPU at all, so one lane child at nice 19
      takes any check that has waited ``lane_after`` seconds, and then rests
      (:func:`lane_pause`) so that it uses at most ``lane_share`` of a core: logins keep
      making progress, slowly, instead of starving.
    * Checks nobody starts within ``BCRYPT_START_TIMEOUT`` are shed (503) by
      :func:`_run_bcrypt`.

    Measured with the benchmark's read mix and logins both at 50 connections on 2 cores
    (docs/PERFORMANCE.md): bcrypt at nice 10 (or a paced lane at nice 0) left the reads
    24-58 % of their throughput; this arrangement leaves them 80 % and more, p95 within
    10 %. They are processes rather than threads of the web worker so that a low-priority
    hash can never hold the worker's GIL while the kernel keeps it off the CPU. Each child
    is driven by a thread of the web worker that only waits on a pipe (GIL released).
    Everything starts on first use, in the process that uses the pool (after the fork).
    """

    def __init__(
        self,
        idle_processes: int,
        lane_after: float,
        lane_share: float,
        idle_mode: str = "idle",
    ) -> None:
        self.idle_processes = idle_processes
        self.lane_after = lane_after
        self.lane_share = lane_share
        self.idle_mode = idle_mode
        self._ready = threading.Condition()
        self._queue: deque[_Job] = deque()
        self._children: list[_Child] = []
        self._started_in: int | None = None

    def submit(self, request: dict[str, Any]) -> _Job:
        job = _Job(request, time.monotonic())
        with self._ready:
            if self._started_in != os.getpid():
                self._start()
            self._queue.append(job)
            self._ready.notify_all()
        return job

    def withdraw(self, job: _Job) -> bool:
        """Take ``job`` out of the queue; False when a child has already taken it."""
        with self._ready:
            try:
                self._queue.remove(job)
            except ValueError:
                return False
        job.future.cancel()
        return True

    def close(self) -> None:
        """Stop the children (their driving threads end with the process)."""
        with self._ready:
            for child in self._children:
                child.close(retire=True)

    def _start(self) -> None:
        self._started_in = os.getpid()
        self._queue.clear()  # jobs inherited from a parent process have no thread any more
        self._children = []
        for number in range(self.idle_processes):
            child = _Child(self.idle_mode)
            self._children.append(child)
            threading.Thread(
                target=self._idle_loop, args=(child,), name=f"bcrypt-idle-{number}", daemon=True
            ).start()
        lane = _Child("lane")
        self._children.append(lane)
        threading.Thread(
            target=self._lane_loop, args=(lane,), name="bcrypt-lane", daemon=True
        ).start()

    def _idle_loop(self, child: _Child) -> None:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                job = self._queue.popleft()
            job.run(child)

    def _lane_loop(self, child: _Child) -> None:
        rested_until = 0.0
        while True:
            with self._ready:
                while True:
                    now = time.monotonic()
                    if not self._queue:
                        self._ready.wait()
                        continue
                    due = max(self._queue[0].queued_at + self.lane_after, rested_until)
                    if now >= due:
                        job = self._queue.popleft()
                        break
                    self._ready.wait(due - now)
            spent = job.run(child)
            rested_until = time.monotonic() + lane_pause(spent, self.lane_share)


_bcrypt_pool: BcryptPool | None = None


def bcrypt_pool() -> BcryptPool:
    global _bcrypt_pool
    if _bcrypt_pool is None:
        _bcrypt_pool = BcryptPool(
            idle_processes=os.cpu_count() or 2,
            lane_after=BCRYPT_LANE_AFTER,
            lane_share=BCRYPT_LANE_SHARE,
        )
    return _bcrypt_pool


async def _run_bcrypt(request: dict[str, Any]) -> dict[str, Any]:
    """Run ``request`` (see ``bcrypt_worker``) on the process's bcrypt pool.

    A request that no child has started within ``BCRYPT_START_TIMEOUT`` seconds is withdrawn
    from the queue and raises :class:`PasswordCheckBusy`; one already running is awaited.
    """
    pool = bcrypt_pool()
    job = pool.submit(request)
    waiting = asyncio.wrap_future(job.future)
    try:
        return await asyncio.wait_for(asyncio.shield(waiting), timeout=BCRYPT_START_TIMEOUT)
    except TimeoutError:
        if pool.withdraw(job):  # still queued: nobody will run it
            raise PasswordCheckBusy() from None
        return await waiting
    except asyncio.CancelledError:
        pool.withdraw(job)  # the request went away: do not spend a hash on it
        raise


class PasswordHasher:
    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        # A real hash to compare against when the user does not exist, so that an unknown
        # login costs the same bcrypt time as a known one.
        self._dummy_hash = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds)).decode(
            "ascii"
        )

    async def hash(self, password: str) -> str:
        try:
            answer = await _run_bcrypt({"op": "hash", "password": password, "rounds": self.rounds})
        except BcryptRefused:
            # the only request a live child refuses: a password it cannot encode
            raise DomainError(field="password") from None
        return str(answer["hash"])

    async def verify(self, password: str, hashed: str | None) -> bool:
        """Check a password; with ``hashed=None`` spend the same time and return False."""
        request = {"op": "verify", "password": password, "hash": hashed or self._dummy_hash}
        try:
            answer = await _run_bcrypt(request)
        except BcryptRefused:  # a password no account can have
            return False
        return bool(answer["ok"]) and hashed is not None


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    username: str
    issued_at: datetime
    #: the login session (refresh-token family) the token was issued for
    session_id: str | None = None


class TokenService:
    def __init__(self, settings: Settings) -> None:
        self._key = settings.SECRET_KEY
        self._algorithm = settings.ALGORITHM
        self.access_ttl = timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)

    def create_access_token(
        self,
        user_id: str,
        username: str,
        now: datetime | None = None,
        session_id: str | None = None,
    ) -> str:
        issued = now or datetime.now(UTC)
        payload: dict[str, Any] = {
            "sub": user_id,
            "username": username,
            "type": ACCESS_TOKEN_TYPE,
            "sid": session_id,
            "iat": round(issued.timestamp(), 3),
            "exp": int((issued + self.access_ttl).timestamp()),
        }
        return jwt.encode(payload, self._key, algorithm=self._algorithm)

    def decode_access_token(self, token: str) -> AccessClaims | None:
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[self._algorithm],
                options={"require": ["sub", "exp", "iat", "type"]},
            )
        except jwt.PyJWTError:
            return None
        if payload.get("type") != ACCESS_TOKEN_TYPE or not isinstance(payload.get("sub"), str):
            return None
        return AccessClaims(
            user_id=payload["sub"],
            username=str(payload.get("username", "")),
            issued_at=datetime.fromtimestamp(float(payload["iat"]), UTC),
            session_id=payload.get("sid") if isinstance(payload.get("sid"), str) else None,
        )


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def digest_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def caller_identity(
    authorization: str | None, client_host: str | None, tokens: TokenService
) -> str:
    """``user:<id>`` for a valid access token, else ``ip:<address>`` (no database access)."""
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token:
            claims = tokens.decode_access_token(token)
            if claims is not None:
                return f"user:{claims.user_id}"
    return f"ip:{client_host or 'unknown'}"
