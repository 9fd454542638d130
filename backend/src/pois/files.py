"""POI photo files: how they are named, which files a POI owns, and which files go when
trips go.

A POI's uploaded photo is stored at ``poi_photos/YYYY/MM/{poi_id}_{32 hex}.jpg``.  A POI owns
a file only when its key has exactly that shape *with its own id*: ``photo_url`` can also be
set by the client (``PUT /pois/{id}``), and a URL pointing at somebody else's file must never
make us delete that file.

This module imports nothing but this domain's models, so the trips domain can use it from
its delete paths while the POI service uses the trips service (no import cycle).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.core.storage import Storage
from src.pois.models import PointOfInterest

FOLDER = "poi_photos"
EXTENSION = "jpg"


def new_photo_key(poi_id: str) -> str:
    now = datetime.now(UTC)
    return f"{FOLDER}/{now:%Y}/{now:%m}/{poi_id}_{uuid.uuid4().hex}.{EXTENSION}"


def owned_key(storage: Storage, poi_id: str, url: str | None) -> str | None:
    """The storage key of ``url`` if it is a photo uploaded for this POI, else None."""
    key = storage.key_for(url)
    if key is None:
        return None
    pattern = rf"{FOLDER}/\d{{4}}/\d{{2}}/{re.escape(poi_id)}_[0-9a-f]{{32}}\.{EXTENSION}"
    return key if re.fullmatch(pattern, key) else None


async def photo_keys_of_trips(
    session: AsyncSession, storage: Storage, trip_ids: Select[Any]
) -> list[str]:
    """The uploaded photo files of every POI of these trips (to delete after the commit)."""
    result = await session.execute(
        select(PointOfInterest.poi_id, PointOfInterest.photo_url).where(
            PointOfInterest.trip_id.in_(trip_ids), PointOfInterest.photo_url.is_not(None)
        )
    )
    keys = (owned_key(storage, poi_id, url) for poi_id, url in result.all())
    return [key for key in keys if key is not None]
