"""Read-replica routing with read-your-own-writes.

Read-only requests (GET/HEAD) go to the replica when ``DATABASE_READ_URL`` is set, except for
callers who wrote something in the last ``READ_YOUR_WRITES_SECONDS``: their reads stay on the
primary, so nobody misses their own change while the replica catches up.  Recent writers are
remembered in Redis when available (shared by every API instance) and in process memory
otherwise.
"""

from __future__ import annotations

import logging
import time
from typing import Any

logger = logging.getLogger("contravento.replica")


class RecentWriters:
    def __init__(self, window_seconds: int, redis: Any = None) -> None:
        self.window = window_seconds
        self.redis = redis
        self._memory: dict[str, float] = {}

    def _prune(self, now: float) -> None:
        if len(self._memory) > 10_000:
            self._memory = {k: v for k, v in self._memory.items() if v > now}

    async def mark(self, caller: str) -> None:
        now = time.monotonic()
        self._memory[caller] = now + self.window
        self._prune(now)
        if self.redis is not None:
            try:
                await self.redis.set(f"contravento:ryw:{caller}", "1", ex=max(1, self.window))
            except Exception as exc:
                logger.debug("could not record a recent writer in Redis: %s", type(exc).__name__)

    async def is_recent(self, caller: str) -> bool:
        if self._memory.get(caller, 0.0) > time.monotonic():
            return True
        if self.redis is not None:
            try:
                return bool(await self.redis.exists(f"contravento:ryw:{caller}"))
            except Exception:
                return False
        return False
