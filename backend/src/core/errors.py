"""Typed domain errors and the handlers that turn every error into the API's envelope.

Every error body is ``{"success": false, "data": null, "error": {"code", "message"[, "field"]}}``.
Services raise :class:`DomainError` subclasses carrying a message key; the handler renders the
message in the request's language.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from src.core.i18n import translate, translate_pydantic

logger = logging.getLogger("contravento.errors")

_UNSET: Any = object()


class DomainError(Exception):
    """An expected failure with an HTTP status, an error code and a translatable message."""

    status_code: int = 400
    code: str = "VALIDATION_ERROR"
    message_key: str = "validation_error_no_field"
    #: Commit the work done before raising (for example a failed-login counter).
    persist: bool = False

    def __init__(
        self,
        message_key: str | None = None,
        *,
        code: str | None = None,
        status_code: int | None = None,
        field: Any = _UNSET,
        headers: dict[str, str] | None = None,
        persist: bool | None = None,
        message: str | None = None,
        **params: Any,
    ) -> None:
        self.message_key = message_key or self.message_key
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.field = field
        self.headers = headers
        if persist is not None:
            self.persist = persist
        self.params = params
        self._message = message
        super().__init__(self.code)

    @property
    def message(self) -> str:
        if self._message is not None:
            return self._message
        return translate(self.message_key, **self.params)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not _UNSET:
            error["field"] = self.field
        return {"success": False, "data": None, "error": error}


class ValidationFailed(DomainError):
    status_code = 400
    code = "VALIDATION_ERROR"


class Unauthorized(DomainError):
    status_code = 401
    code = "UNAUTHORIZED"
    message_key = "unauthorized"

    def __init__(self, message_key: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message_key, **kwargs)


class Forbidden(DomainError):
    status_code = 403
    code = "FORBIDDEN"
    message_key = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "NOT_FOUND"
    message_key = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "CONFLICT"


class TooManyRequests(DomainError):
    status_code = 429
    code = "RATE_LIMIT_EXCEEDED"
    message_key = "rate_limited"

    def __init__(self, message_key: str | None = None, *, retry_after: int, **kwargs: Any) -> None:
        retry_after = max(1, int(retry_after))
        headers = {"Retry-After": str(retry_after)}
        kwargs.setdefault("minutes", max(1, -(-retry_after // 60)))
        super().__init__(message_key, headers=headers, **kwargs)


class HTTPError(DomainError):
    """The original's string-detail errors (likes, comments, POIs): ``HTTP_<status>``,
    no ``field`` (contract §1.2)."""

    def __init__(self, status_code: int, message_key: str, **params: Any) -> None:
        super().__init__(message_key, code=f"HTTP_{status_code}", status_code=status_code, **params)


def error_body(code: str, message: str, field: Any = _UNSET) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if field is not _UNSET:
        error["field"] = field
    return {"success": False, "data": None, "error": error}


def internal_error_response() -> JSONResponse:
    return JSONResponse(
        status_code=500, content=error_body("INTERNAL_ERROR", translate("internal_error"))
    )


#: seconds a client is asked to wait when the database cannot be reached
DATABASE_RETRY_AFTER = 5


def _connection_lost(error: BaseException) -> bool:
    # asyncpg is imported lazily: SQLite-only installs work without touching it
    if isinstance(error, ConnectionError | TimeoutError):
        return True
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(
        error,
        asyncpg.exceptions.ConnectionDoesNotExistError
        | asyncpg.exceptions.PostgresConnectionError
        | asyncpg.exceptions.CannotConnectNowError
        | asyncpg.exceptions.AdminShutdownError
        | asyncpg.exceptions.CrashShutdownError,
    )


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached right now (server down or
    restarting, connection dropped, pool exhausted) rather than a fault of this request or
    of the code: such requests get 503 with ``Retry-After`` instead of 500."""
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection freed in time
        return True
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if _connection_lost(current):
            return True
        orig = getattr(current, "orig", None)
        if isinstance(orig, BaseException) and _connection_lost(orig):
            return True
        current = current.__cause__ or current.__context__
    return False


def service_unavailable_response() -> JSONResponse:
    return JSONResponse(
        status_code=503,
        content=error_body("SERVICE_UNAVAILABLE", translate("service_unavailable")),
        headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
    )


def _field_of(loc: list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts)


async def domain_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, DomainError):  # pragma: no cover - registered for this type
        raise exc
    return JSONResponse(status_code=exc.status_code, content=exc.body(), headers=exc.headers)


async def validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):  # pragma: no cover
        raise exc
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid", "type": "value_error"}
    field = _field_of(list(first.get("loc", ())))
    ctx = first.get("ctx")
    detail = translate_pydantic(
        str(first.get("type", "")),
        str(first.get("msg", "")),
        ctx if isinstance(ctx, dict) else None,
    )
    if field:
        message = translate("validation_error", field=field, detail=detail)
    else:
        message = translate("validation_error_no_field", detail=detail)
    return JSONResponse(status_code=400, content=error_body("VALIDATION_ERROR", message, field))


async def http_exception_handler(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):  # pragma: no cover
        raise exc
    detail = exc.detail
    headers = dict(exc.headers or {})
    if isinstance(detail, dict) and "success" in detail and "error" in detail:
        content = detail
    elif isinstance(detail, dict):
        content = {"success": False, "data": None, "error": detail}
    else:
        key = f"http_{exc.status_code}"
        known = {404: "Not Found", 405: "Method Not Allowed", 413: None, 415: None}
        message = str(detail)
        if exc.status_code in known and (
            known[exc.status_code] is None or detail == known[exc.status_code]
        ):
            message = translate(key)
        content = error_body(f"HTTP_{exc.status_code}", message)
    return JSONResponse(status_code=exc.status_code, content=content, headers=headers or None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
