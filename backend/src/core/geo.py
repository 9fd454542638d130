"""Offline geography: the country of a coordinate and country names in Spanish and English.

Countries come from the ``reverse-geocode`` package (GeoNames places shipped inside the
package: no network call); names come from Babel's CLDR data.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Iterable
from typing import Any

from babel import Locale

from src.core.i18n import Language, get_language

_lock = threading.Lock()
_module: Any = None


def _geocoder() -> Any:
    global _module
    with _lock:
        if _module is None:
            import reverse_geocode

            # the first search builds the KD-tree; do it once, here
            reverse_geocode.search([(0.0, 0.0)])
            _module = reverse_geocode
    return _module


def _countries(coordinates: list[tuple[float, float]]) -> list[str]:
    if not coordinates:
        return []
    results = _geocoder().search(coordinates)
    return sorted({str(r["country_code"]).upper() for r in results if r.get("country_code")})


async def countries_for(coordinates: Iterable[tuple[float, float]]) -> list[str]:
    """ISO 3166-1 alpha-2 codes of the countries of these points, sorted and unique."""
    points = [
        (float(lat), float(lon))
        for lat, lon in coordinates
        if -90 <= lat <= 90 and -180 <= lon <= 180
    ]
    return await asyncio.to_thread(_countries, points)


async def warm_up() -> None:
    await asyncio.to_thread(_geocoder)


@functools.lru_cache(maxsize=2)
def _territories(language: Language) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def country_name(code: str, language: Language | None = None) -> str:
    """'ES' -> 'España' (es) or 'Spain' (en); unknown codes are returned as they are."""
    return _territories(language or get_language()).get(code.upper(), code)
