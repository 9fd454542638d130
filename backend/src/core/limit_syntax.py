"""The notation of rate-limit settings (no project imports: used by config and ratelimit)."""

from __future__ import annotations

from limits import RateLimitItem, parse

_UNITS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def parse_limit(value: str) -> RateLimitItem:
    """``5/15m``, ``3/1h``, ``100/1m`` (the deployment guides' notation) or any notation of
    the ``limits`` library (``100/minute``, ``5 per 15 minutes``)."""
    text = value.strip()
    if "/" in text:
        count, _, period = text.partition("/")
        period = period.strip()
        if period and period[-1] in _UNITS and period[:-1].isdigit():
            text = f"{count.strip()} per {int(period[:-1])} {_UNITS[period[-1]]}"
    return parse(text)
