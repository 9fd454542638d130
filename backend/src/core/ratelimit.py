"""Rate limits with the ``limits`` library.

Counters live in Redis when ``REDIS_URL`` is set (shared by every replica) and in process
memory otherwise.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from limits.storage import storage_from_string

from src.config import Settings

logger = logging.getLogger("contravento.ratelimit")


@dataclass(frozen=True)
class LimitState:
    allowed: bool
    retry_after: int


def hashed_key(*parts: str) -> str:
    """Keys never hold personal data in clear (emails, usernames)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _make_storage(settings: Settings) -> Storage:
    if settings.REDIS_URL:
        uri = settings.REDIS_URL.replace("redis://", "async+redis://", 1).replace(
            "rediss://", "async+rediss://", 1
        )
        storage = storage_from_string(uri)
        if not isinstance(storage, Storage):  # pragma: no cover - async URIs give async storage
            raise TypeError("expected an asynchronous limits storage")
        return storage
    return MemoryStorage()


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.storage = _make_storage(settings)
        self.moving = MovingWindowRateLimiter(self.storage)
        self.fixed = FixedWindowRateLimiter(self.storage)
        self.verification_emails = RateLimitItemPerHour(settings.VERIFICATION_EMAIL_MAX_PER_HOUR)
        self.login_failures = RateLimitItemPerMinute(
            settings.LOGIN_MAX_ATTEMPTS, settings.LOGIN_LOCKOUT_MINUTES
        )

    async def hit(self, item: RateLimitItem, namespace: str, key: str) -> LimitState:
        """Count one event; ``allowed`` is False when the limit was already reached."""
        allowed = await self.moving.hit(item, namespace, key)
        retry = 0
        if not allowed:
            stats = await self.moving.get_window_stats(item, namespace, key)
            retry = max(1, int(stats.reset_time - time.time()))
        return LimitState(allowed=allowed, retry_after=retry)

    async def count_failure(self, namespace: str, key: str) -> LimitState:
        """Count one failure in the fixed lockout window; not allowed once at the limit."""
        await self.fixed.hit(self.login_failures, namespace, key)
        return await self.failure_state(namespace, key)

    async def failure_state(self, namespace: str, key: str) -> LimitState:
        stats = await self.fixed.get_window_stats(self.login_failures, namespace, key)
        if stats.remaining > 0:
            return LimitState(allowed=True, retry_after=0)
        retry = max(1, int(stats.reset_time - time.time()))
        return LimitState(allowed=False, retry_after=retry)

    async def clear(self, item: RateLimitItem, namespace: str, key: str) -> None:
        await self.moving.clear(item, namespace, key)

    async def reset(self) -> None:
        await self.storage.reset()
