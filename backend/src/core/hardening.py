"""Security headers and trusted hosts, for deployments without nginx in front; requests
carrying NUL characters are refused."""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from src.config import Settings
from src.core.errors import error_body
from src.core.i18n import translate

DOC_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    """Adds the hardening headers and refuses requests for hosts not in ALLOWED_HOSTS."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.hsts = settings.HSTS_ENABLED
        hosts = [h.lower() for h in settings.ALLOWED_HOSTS]
        self.any_host = "*" in hosts
        self.exact = {h for h in hosts if not h.startswith("*.")}
        self.suffixes = tuple(h[1:] for h in hosts if h.startswith("*."))

    def _host_allowed(self, scope: Scope) -> bool:
        if self.any_host or scope["path"] in ("/health", "/metrics"):
            return True
        host = ""
        for name, value in scope.get("headers", []):
            if name == b"host":
                host = value.decode("latin-1").lower()
                break
        host = host.split("]")[0] + "]" if host.startswith("[") else host.split(":")[0]
        return host in self.exact or (bool(self.suffixes) and host.endswith(self.suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._host_allowed(scope):
            response = JSONResponse(
                status_code=400, content=error_body("INVALID_HOST", translate("invalid_host"))
            )
            await response(scope, receive, send)
            return
        is_docs = scope["path"].startswith(DOC_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
                if not is_docs:
                    # JSON and files only: nothing may run or be framed.
                    headers.setdefault(
                        "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
                    )
                if self.hsts:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: ``\u0000`` in JSON text, unless its backslash is itself escaped (``\\u0000`` is text)
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _is_json(scope: Scope) -> bool:
    """Whether FastAPI will parse the body as JSON (it does without a Content-Type too)."""
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            media_type = bytes(value).split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or (
                media_type.startswith(b"application/") and media_type.endswith(b"+json")
            )
    return True


class NulCharacterMiddleware:
    """Refuses (400 ``VALIDATION_ERROR``) a request whose path, query string or JSON body
    contains the NUL character (U+0000).

    No text of this API may contain it, and PostgreSQL cannot even compare a value holding it
    (``invalid byte sequence for encoding "UTF8": 0x00``), so it would otherwise surface as a
    500 from whichever query first met it.  Multipart bodies (uploads) are not scanned: their
    text fields go through sanitisers that drop control characters, and so do stored file
    names.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            await self._refuse(scope, receive, send)
            return
        if not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if b"\\u0000" in body and _JSON_NUL.search(body):
            await self._refuse(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        detail = translate("nul_character")
        response = JSONResponse(
            status_code=400,
            content=error_body(
                "VALIDATION_ERROR", translate("validation_error_no_field", detail=detail)
            ),
        )
        await response(scope, receive, send)
