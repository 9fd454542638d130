"""Security headers and trusted hosts, for deployments without nginx in front."""

from __future__ import annotations

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
