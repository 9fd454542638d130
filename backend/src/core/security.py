"""Password hashing (bcrypt, off the event loop), access JWTs and opaque random tokens.

* Passwords: bcrypt with ``BCRYPT_ROUNDS``; every call runs on a dedicated thread pool (one
  thread per core) scheduled as ``SCHED_IDLE`` on Linux, so a burst of logins uses the idle
  CPU instead of slowing down every other request; a check that cannot start within
  ``BCRYPT_START_TIMEOUT`` answers 503 with ``Retry-After``.
* Access tokens: HS256 JWT ``{sub, username, type: "access", iat, exp}``.
* Refresh, verification and reset tokens: 256-bit random strings, stored only as SHA-256
  digests; they are not JWTs, so they can never be presented as an access token.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import secrets
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import jwt

from src.config import Settings
from src.core.errors import DomainError

ACCESS_TOKEN_TYPE = "access"

#: nice value of the bcrypt threads where SCHED_IDLE is not available
BCRYPT_NICE = 10
#: seconds a password check may wait for a bcrypt thread before the request is answered
#: 503 with ``Retry-After`` instead (load shedding: a login never hangs on a saturated CPU)
BCRYPT_START_TIMEOUT = 20.0
#: the ``Retry-After`` sent with that 503
BCRYPT_RETRY_AFTER = 5
_bcrypt_pool: ThreadPoolExecutor | None = None


class PasswordCheckBusy(DomainError):
    """No bcrypt thread could start this request's hash within ``BCRYPT_START_TIMEOUT``."""

    status_code = 503
    code = "SERVICE_UNAVAILABLE"
    message_key = "service_unavailable"

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": str(BCRYPT_RETRY_AFTER)})


def _below_the_event_loop() -> None:
    """Run this bcrypt thread only on CPU time nothing else wants (Linux ``SCHED_IDLE``).

    Measured on 2 cores with the benchmark's read mix (50 connections) next to logins at
    full load (50 connections), see docs/PERFORMANCE.md: with the threads at nice 10 the
    reads kept 30-58 % of their throughput (p95 x2.3-3.3) and logins ran at 1.2-1.4/s;
    with ``SCHED_IDLE`` (which a waking normal task preempts at once) the reads kept their
    throughput and p95.  The price is that logins only get the CPU the reads leave: on a
    saturated machine they may not start at all, which ``BCRYPT_START_TIMEOUT`` turns into
    a prompt 503 instead of a hung request.  Logins alone still reach the full bcrypt
    capacity (8 per second on those 2 cores).
    """
    with contextlib.suppress(OSError, AttributeError):
        if sys.platform.startswith("linux"):
            os.sched_setscheduler(threading.get_native_id(), os.SCHED_IDLE, os.sched_param(0))
            return
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BCRYPT_NICE)


async def _run_bcrypt(function: Callable[..., object], *args: object) -> object:
    """Run ``function`` on the process's bcrypt threads (created on first use, after fork).

    A call that no thread has started within ``BCRYPT_START_TIMEOUT`` seconds is withdrawn
    from the queue and raises :class:`PasswordCheckBusy`; one already running is awaited.
    """
    global _bcrypt_pool
    if _bcrypt_pool is None:
        _bcrypt_pool = ThreadPoolExecutor(
            max_workers=os.cpu_count() or 2,
            thread_name_prefix="bcrypt",
            initializer=_below_the_event_loop,
        )
    job = _bcrypt_pool.submit(function, *args)
    waiting = asyncio.wrap_future(job)
    try:
        return await asyncio.wait_for(asyncio.shield(waiting), timeout=BCRYPT_START_TIMEOUT)
    except TimeoutError:
        if job.cancel():  # still queued: nobody will run it
            raise PasswordCheckBusy() from None
        return await waiting
    except asyncio.CancelledError:
        job.cancel()  # the request went away: do not spend a hash on it
        raise


class PasswordHasher:
    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        # A real hash to compare against when the user does not exist, so that an unknown
        # login costs the same bcrypt time as a known one.
        self._dummy_hash = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds))

    def _hash(self, password: str) -> str:
        return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(self.rounds)).decode("ascii")

    @staticmethod
    def _verify(password: str, hashed: bytes) -> bool:
        try:
            return bcrypt.checkpw(password.encode("utf-8"), hashed)
        except ValueError:
            return False

    async def hash(self, password: str) -> str:
        return str(await _run_bcrypt(self._hash, password))

    async def verify(self, password: str, hashed: str | None) -> bool:
        """Check a password; with ``hashed=None`` spend the same time and return False."""
        target = hashed.encode("ascii") if hashed else self._dummy_hash
        result = bool(await _run_bcrypt(self._verify, password, target))
        return result and hashed is not None


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
