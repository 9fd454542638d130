"""Rate limits with the ``limits`` library.

Counters live in Redis when ``REDIS_URL`` is set, so every replica shares them.  When Redis
cannot be reached the limiter keeps serving with per-process counters, logs the outage once,
reports itself degraded (``/health`` shows ``"redis": "degraded"``) and tries Redis again
after a short pause.

:class:`RateLimitMiddleware` applies the request limits of the deployment guides
(``RATE_LIMIT_LOGIN``, ``RATE_LIMIT_REGISTER``, ``RATE_LIMIT_API`` per user or IP,
``RATE_LIMIT_UPLOAD``), answering 429 with the API's envelope and ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

import jwt
from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from src.config import Settings
from src.core.errors import TooManyRequests
from src.core.limit_syntax import parse_limit

logger = logging.getLogger("contravento.ratelimit")

RETRY_REDIS_AFTER = 15.0  # seconds between attempts to get back to Redis
EXEMPT_PREFIXES = ("/health", "/metrics", "/docs", "/redoc", "/openapi.json", "/storage/")


@dataclass(frozen=True)
class LimitState:
    allowed: bool
    retry_after: int


def hashed_key(*parts: str) -> str:
    """Keys never hold personal data in clear (emails, usernames)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


class _Backend:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.moving = MovingWindowRateLimiter(storage)
        self.fixed = FixedWindowRateLimiter(storage)


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.memory = _Backend(MemoryStorage())
        self.redis: _Backend | None = None
        if settings.REDIS_URL:
            uri = settings.REDIS_URL.replace("redis://", "async+redis://", 1).replace(
                "rediss://", "async+rediss://", 1
            )
            self.redis = _Backend(
                RedisStorage(
                    uri,
                    implementation="redispy",
                    wrap_exceptions=True,
                    socket_timeout=1,
                    socket_connect_timeout=1,
                    key_prefix="contravento-rl",
                )
            )
        self._redis_down_since: float | None = None
        self.verification_emails = RateLimitItemPerHour(settings.VERIFICATION_EMAIL_MAX_PER_HOUR)
        self.login_failures = RateLimitItemPerMinute(
            settings.LOGIN_MAX_ATTEMPTS, settings.LOGIN_LOCKOUT_MINUTES
        )
        self.login = parse_limit(settings.RATE_LIMIT_LOGIN)
        self.register = parse_limit(settings.RATE_LIMIT_REGISTER)
        self.api = parse_limit(settings.RATE_LIMIT_API)
        self.upload = parse_limit(settings.RATE_LIMIT_UPLOAD)

    # ---------------------------------------------------------------------------------
    @property
    def degraded(self) -> bool:
        """True while Redis is configured but unreachable (per-process counters in use)."""
        return self.redis is not None and self._redis_down_since is not None

    def _backends(self) -> list[_Backend]:
        if self.redis is None:
            return [self.memory]
        if self._redis_down_since is not None:
            if time.monotonic() - self._redis_down_since < RETRY_REDIS_AFTER:
                return [self.memory]
            return [self.redis, self.memory]
        return [self.redis, self.memory]

    async def _call(self, operation: str, *args: Any) -> Any:
        for backend in self._backends():
            try:
                strategy_name, method = operation.split(".")
                strategy = getattr(backend, strategy_name)
                result = await getattr(strategy, method)(*args)
            except Exception as exc:
                if backend is self.memory:
                    raise
                if self._redis_down_since is None:
                    logger.error(
                        "Redis is unreachable; rate limits fall back to per-process counters",
                        extra={"error": type(exc).__name__},
                    )
                self._redis_down_since = time.monotonic()
                continue
            if backend is self.redis and self._redis_down_since is not None:
                logger.warning("Redis is reachable again; shared rate limits restored")
                self._redis_down_since = None
            return result
        raise RuntimeError("no rate-limit backend available")  # pragma: no cover

    # ---------------------------------------------------------------------------------
    async def hit(self, item: RateLimitItem, namespace: str, key: str) -> LimitState:
        """Count one event (moving window); ``allowed`` is False once over the limit."""
        allowed = await self._call("moving.hit", item, namespace, key)
        if allowed:
            return LimitState(allowed=True, retry_after=0)
        stats = await self._call("moving.get_window_stats", item, namespace, key)
        return LimitState(allowed=False, retry_after=max(1, int(stats.reset_time - time.time())))

    async def count_failure(self, namespace: str, key: str) -> LimitState:
        """Count one failure in the fixed lockout window; not allowed once at the limit."""
        await self._call("fixed.hit", self.login_failures, namespace, key)
        return await self.failure_state(namespace, key)

    async def failure_state(self, namespace: str, key: str) -> LimitState:
        stats = await self._call("fixed.get_window_stats", self.login_failures, namespace, key)
        if stats.remaining > 0:
            return LimitState(allowed=True, retry_after=0)
        return LimitState(allowed=False, retry_after=max(1, int(stats.reset_time - time.time())))

    async def reset(self) -> None:
        for backend in self._backends():
            try:
                await backend.storage.reset()
            except Exception:
                logger.warning("could not reset rate-limit storage")


def _client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimitMiddleware:
    """Per-request limits; the 429 answer is the API's error envelope with Retry-After."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, settings: Settings) -> None:
        self.app = app
        self.limiter = limiter
        self.settings = settings

    def _caller(self, scope: Scope) -> str:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer" and token:
                    try:
                        claims = jwt.decode(
                            token,
                            self.settings.SECRET_KEY,
                            algorithms=[self.settings.ALGORITHM],
                            options={"require": ["sub", "exp"]},
                        )
                    except jwt.PyJWTError:
                        break
                    if claims.get("type") == "access":
                        return f"user:{claims['sub']}"
                break
        return f"ip:{_client_ip(scope)}"

    def _checks(self, scope: Scope) -> list[tuple[RateLimitItem, str, str]]:
        method = scope["method"]
        path: str = scope["path"]
        caller = self._caller(scope)
        checks = [(self.limiter.api, "api", caller)]
        if method == "POST" and path == "/auth/login":
            checks.append((self.limiter.login, "login", f"ip:{_client_ip(scope)}"))
        elif method == "POST" and path == "/auth/register":
            checks.append((self.limiter.register, "register", f"ip:{_client_ip(scope)}"))
        if method in ("POST", "PUT"):
            for name, value in scope.get("headers", []):
                if name == b"content-type" and value.startswith(b"multipart/form-data"):
                    checks.append((self.limiter.upload, "upload", caller))
                    break
        return checks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.settings.RATE_LIMIT_ENABLED
            or scope["method"] == "OPTIONS"
            or scope["path"].startswith(EXEMPT_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        for item, namespace, key in self._checks(scope):
            state = await self.limiter.hit(item, namespace, key)
            if not state.allowed:
                error = TooManyRequests("rate_limited", retry_after=state.retry_after)
                response = JSONResponse(
                    status_code=429, content=error.body(), headers=error.headers
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
