"""A Redis cache for public, viewer-independent responses (public feed, public profiles,
stats), with invalidation that cannot miss a write.

Every cached entry's key embeds a *generation* number kept in Redis.  Any request that commits
a write bumps the generation (after its commit), so every entry cached before it becomes
unreachable at once: no reader can see a deleted, edited or newly private item from the cache.
Entries also expire after ``CACHE_DEFAULT_TTL`` seconds (covering writes made outside the API,
such as operator scripts).  Without Redis, or with ``CACHE_ENABLED=false``, nothing is cached.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger("contravento.cache")

GENERATION_KEY = "contravento:cache:generation"


class Cache:
    def __init__(self, redis: Any, enabled: bool, ttl: int, settle_seconds: float = 0) -> None:
        self.redis: Any = redis if enabled else None
        self.ttl = ttl
        #: with a read replica, a second invalidation once the replica has caught up, so an
        #: entry filled from a lagging replica right after a write does not survive
        self.settle_seconds = settle_seconds
        self.hits = 0
        self.misses = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def enabled(self) -> bool:
        return self.redis is not None

    async def _generation(self) -> str:
        value = await self.redis.get(GENERATION_KEY)
        return value.decode() if isinstance(value, bytes) else str(value or "0")

    @staticmethod
    def _key(generation: str, parts: tuple[str, ...]) -> str:
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:40]
        return f"contravento:cache:{generation}:{digest}"

    async def get_or_set(
        self, parts: tuple[str, ...], produce: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        """The cached bytes for ``parts``, or ``produce()``'s, stored for next time."""
        if self.redis is None:
            return await produce()
        try:
            key = self._key(await self._generation(), parts)
            cached = await self.redis.get(key)
        except Exception as exc:
            logger.warning("cache unavailable: %s", type(exc).__name__)
            return await produce()
        if cached is not None:
            self.hits += 1
            return bytes(cached)
        self.misses += 1
        value = await produce()
        try:
            await self.redis.set(key, value, ex=self.ttl)
        except Exception as exc:
            logger.warning("cache write failed: %s", type(exc).__name__)
        return value

    async def _bump(self) -> None:
        try:
            await self.redis.incr(GENERATION_KEY)
        except Exception as exc:
            # Redis is down: nothing can be served from it either, so nothing is stale.
            logger.warning("cache invalidation failed: %s", type(exc).__name__)

    async def invalidate(self) -> None:
        """Make every cached entry unreachable (called after each committed write)."""
        if self.redis is None:
            return
        await self._bump()
        if self.settle_seconds > 0:

            async def later() -> None:
                await asyncio.sleep(self.settle_seconds)
                await self._bump()

            task = asyncio.create_task(later())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
