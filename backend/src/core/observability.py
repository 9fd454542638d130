"""Logging (JSON or text, LOG_LEVEL), request context and the last-resort 500 handler.

Log records never carry passwords, tokens, Authorization headers or cookies: the request
middleware logs only method, route, status, duration and request id, and a filter redacts
secret-looking keys in any ``extra`` a caller adds.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from src.config import Settings
from src.core import metrics
from src.core.errors import (
    database_unavailable,
    internal_error_response,
    service_unavailable_response,
)
from src.core.i18n import parse_accept_language, set_language

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_SECRET_KEYS = re.compile(r"pass(word)?|token|secret|authorization|cookie|api[_-]?key", re.I)
_RESERVED = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: ("[redacted]" if _SECRET_KEYS.search(str(k)) else _redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    return value


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {
        k: ("[redacted]" if _SECRET_KEYS.search(k) else _redact(v))
        for k, v in record.__dict__.items()
        if k not in _RESERVED and not k.startswith("_")
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id_var.get()
        if rid:
            payload["request_id"] = rid
        payload.update(_extras(record))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = (
            f"{datetime.fromtimestamp(record.created, UTC).strftime('%Y-%m-%d %H:%M:%S')} "
            f"{record.levelname:<7} {record.name}: {record.getMessage()}"
        )
        extras = _extras(record)
        rid = request_id_var.get()
        if rid:
            extras = {"request_id": rid, **extras}
        if extras:
            base += " " + " ".join(f"{k}={v}" for k, v in extras.items())
        if record.exc_info:
            base += "\n" + self.formatException(record.exc_info)
        return base


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.LOG_FORMAT == "json" else TextFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_contravento", False):
            root.removeHandler(existing)
    handler._contravento = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.LOG_LEVEL)
    logging.getLogger("contravento").setLevel(settings.LOG_LEVEL)
    # uvicorn's access log repeats what our middleware logs, with full query strings
    # (which may carry tokens); silence it.
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("sqlalchemy.engine").setLevel("INFO" if settings.DEBUG else "WARNING")
    logging.getLogger("aiosqlite").setLevel("WARNING")


access_logger = logging.getLogger("contravento.access")
error_logger = logging.getLogger("contravento.errors")


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(path) if path else "<unmatched>"


class RequestContextMiddleware:
    """Request id, language, ``X-Timestamp``, access log line, metrics and the 500 envelope."""

    def __init__(self, app: ASGIApp, engine: AsyncEngine | None = None) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        set_language(parse_accept_language(headers.get("accept-language")))
        started = time.perf_counter()
        status_holder = {"status": 500, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                extra = [
                    (b"x-request-id", request_id.encode()),
                    (
                        b"x-timestamp",
                        datetime.now(UTC).isoformat().replace("+00:00", "Z").encode(),
                    ),
                ]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as error:
            where = {"method": scope["method"], "route": _route_template(scope)}
            if database_unavailable(error):
                # not a bug: PostgreSQL is restarting or unreachable; the pool reconnects
                # on its own once it is back (pool_pre_ping), so the client retries
                error_logger.warning("database unavailable: %s", type(error).__name__, extra=where)
                status, response = 503, service_unavailable_response()
            else:
                error_logger.exception("unhandled error", extra=where)
                status, response = 500, internal_error_response()
            if not status_holder["started"]:
                await response(scope, receive, send_wrapper)
            status_holder["status"] = status
        finally:
            elapsed = time.perf_counter() - started
            duration_ms = round(elapsed * 1000, 2)
            route = _route_template(scope)
            if route not in ("/metrics",):
                metrics.observe_request(scope["method"], route, status_holder["status"], elapsed)
            if self.engine is not None:
                metrics.observe_pool(self.engine)
            if route not in ("/health", "/metrics"):
                access_logger.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "route": route,
                        "status": status_holder["status"],
                        "duration_ms": duration_ms,
                    },
                )
            request_id_var.reset(token)
