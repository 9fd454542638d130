"""Sentry error tracking (when ``SENTRY_DSN`` is set), with personal data scrubbed before an
event leaves the process."""

from __future__ import annotations

import re
from typing import Any

from src.config import Settings

_SECRET = re.compile(r"pass(word)?|token|secret|authorization|cookie|api[_-]?key|email|dsn", re.I)
_QUERY_SECRET = re.compile(r"((?:refresh_)?token|email|password)=[^&\s]*", re.I)
REDACTED = "[redacted]"


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (REDACTED if isinstance(k, str) and _SECRET.search(k) else _scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return _QUERY_SECRET.sub(lambda m: f"{m.group(1)}={REDACTED}", value)
    return value


def scrub_event(event: dict[str, Any], _hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Remove credentials, cookies, bodies and identities from a Sentry event."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)  # request bodies may hold passwords
        if "headers" in request:
            request["headers"] = _scrub(request["headers"])
        for key in ("query_string", "url"):
            if isinstance(request.get(key), str):
                request[key] = _scrub(request[key])
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for key in ("extra", "contexts", "tags"):
        if key in event:
            event[key] = _scrub(event[key])
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict) and isinstance(breadcrumbs.get("values"), list):
        breadcrumbs["values"] = [_scrub(b) for b in breadcrumbs["values"]]
    for exception in (event.get("exception") or {}).get("values", []) or []:
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            if "vars" in frame:
                frame["vars"] = _scrub(frame["vars"])
    return event


def init_sentry(settings: Settings, transport: Any = None) -> bool:
    if not settings.SENTRY_DSN:
        return False
    import sentry_sdk

    from src.core.system import VERSION

    options: dict[str, Any] = {
        "dsn": settings.SENTRY_DSN,
        "environment": settings.SENTRY_ENVIRONMENT or settings.APP_ENV,
        "traces_sample_rate": settings.SENTRY_TRACES_SAMPLE_RATE,
        # Local variables can hold passwords and tokens (as strings): never send them.
        "include_local_variables": False,
        "before_send": scrub_event,
        "before_send_transaction": scrub_event,
        "release": f"contravento@{VERSION}",
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    return True
