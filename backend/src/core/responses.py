"""The success and error envelopes of the API (contract §1.1-1.2), as Pydantic models so that
the OpenAPI schema documents them."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """E1 without a message: ``{"success": true, "data": ..., "error": null}``."""

    success: Literal[True] = True
    data: T
    error: None = None


class MessageEnvelope(BaseModel, Generic[T]):
    """E1 with a message: ``{"success": true, "data": ..., "error": null, "message": "..."}``."""

    success: Literal[True] = True
    data: T
    error: None = None
    message: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    field: str | None = None


class ErrorEnvelope(BaseModel):
    success: Literal[False] = False
    data: None = None
    error: ErrorDetail


def ok(data: Any) -> Envelope[Any]:
    return Envelope[Any](data=data)


def ok_message(data: Any, message: str) -> MessageEnvelope[Any]:
    return MessageEnvelope[Any](data=data, message=message)


#: Error responses documented on every router, so schema-driven clients know the envelope.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorEnvelope, "description": "Validation or domain error"},
    401: {"model": ErrorEnvelope, "description": "Missing or invalid credentials"},
    403: {"model": ErrorEnvelope, "description": "Not allowed"},
    404: {"model": ErrorEnvelope, "description": "Not found"},
    429: {"model": ErrorEnvelope, "description": "Too many requests"},
    500: {"model": ErrorEnvelope, "description": "Internal error"},
}
