"""Password hashing (bcrypt, off the event loop), access JWTs and opaque random tokens.

* Passwords: bcrypt with ``BCRYPT_ROUNDS``; every call runs on a dedicated thread pool (one
  thread per core) scheduled as ``SCHED_IDLE`` on Linux, so a burst of logins uses the idle
  CPU instead of slowing down every other request.
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

ACCESS_TOKEN_TYPE = "access"

#: nice value of the bcrypt threads where SCHED_IDLE is not available
BCRYPT_NICE = 10
_bcrypt_pool: ThreadPoolExecutor | None = None


def _below_the_event_loop() -> None:
    """Run this bcrypt thread only on CPU time nothing else wants (Linux ``SCHED_IDLE``).

    Measured with the benchmark's read mix at 50 connections next to logins at full load
    (10k trips, 2 cores): with the threads at nice 10 the reads fell from ~1,800 to 290-390
    requests/s and their p95 rose from 110 to 275-390 ms; at ``SCHED_IDLE`` (which every
    normal task preempts as soon as it wakes up) they kept 900 of 1,230 requests/s, p95 164
    -> 178 ms.  Logins alone still reach the full bcrypt capacity (8 per second), and under
    saturating reads they run in the gaps (3 per second in the same test).
    """
    with contextlib.suppress(OSError, AttributeError):
        if sys.platform.startswith("linux"):
            os.sched_setscheduler(threading.get_native_id(), os.SCHED_IDLE, os.sched_param(0))
            return
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BCRYPT_NICE)


async def _run_bcrypt(function: Callable[..., object], *args: object) -> object:
    """Run ``function`` on the process's bcrypt threads (created on first use, after fork)."""
    global _bcrypt_pool
    if _bcrypt_pool is None:
        _bcrypt_pool = ThreadPoolExecutor(
            max_workers=os.cpu_count() or 2,
            thread_name_prefix="bcrypt",
            initializer=_below_the_event_loop,
        )
    return await asyncio.get_running_loop().run_in_executor(_bcrypt_pool, function, *args)


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
