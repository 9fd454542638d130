"""Tags: normalisation, atomic get-or-create, and usage counts that stay true.

``usage_count`` is the number of trips carrying a tag (drafts included).  Every change of a
trip's tags adds or removes associations and moves the counts by exactly those changes, and
deleting trips releases their tags first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic_core import PydanticCustomError
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from src.core.sanitize import plain_text
from src.tags import repository
from src.tags.models import TAG_MAX_LENGTH, Tag

MAX_TAGS_PER_TRIP = 10


def clean_tag(raw: str) -> tuple[str, str]:
    """(display name, normalized) of one tag: markup removed, stripped; normalized lower-cased.

    Raises the contract's validation errors for a blank or too long tag.
    """
    name = plain_text(raw)
    if not name:
        raise PydanticCustomError("tag_blank", "tags cannot be blank")
    normalized = name.lower().strip()
    if len(name) > TAG_MAX_LENGTH or len(normalized) > TAG_MAX_LENGTH:
        raise PydanticCustomError(
            "tag_too_long",
            "tag '{tag}' is longer than {max_length} characters",
            {"tag": raw, "max_length": TAG_MAX_LENGTH},
        )
    return name, normalized


def normalize_tag(value: str) -> str:
    """The ``normalized`` form used for lookups and filters (``?tag=``)."""
    return plain_text(value).lower().strip()


def unique_tags(raw_tags: Iterable[str]) -> list[tuple[str, str]]:
    """Cleaned tags without duplicates (by normalized form); the first spelling wins."""
    seen: dict[str, str] = {}
    for raw in raw_tags:
        name, normalized = clean_tag(raw)
        seen.setdefault(normalized, name)
    return [(name, normalized) for normalized, name in seen.items()]


async def get_or_create(session: AsyncSession, tags: list[tuple[str, str]]) -> dict[str, Tag]:
    """The tags for these (name, normalized) pairs, created when missing; keyed by normalized."""
    wanted = [normalized for _, normalized in tags]
    found = await repository.by_normalized(session, wanted)
    missing = [(name, normalized) for name, normalized in tags if normalized not in found]
    if missing:
        await repository.insert_missing(session, missing)
        found = await repository.by_normalized(session, wanted)
    return found


async def set_trip_tags(session: AsyncSession, trip_id: str, tags: list[tuple[str, str]]) -> None:
    """Make the trip carry exactly these tags (already cleaned, see :func:`unique_tags`).

    The caller holds the trip's row lock, so two updates of one trip cannot interleave.
    """
    current = await repository.tag_ids_of_trip(session, trip_id)
    wanted = {tag.tag_id for tag in (await get_or_create(session, tags)).values()}
    added = wanted - current
    removed = current - wanted
    await repository.unlink(session, trip_id, removed)
    await repository.link(session, trip_id, sorted(added))
    deltas = {tag_id: 1 for tag_id in added}
    deltas.update({tag_id: -1 for tag_id in removed})
    await repository.adjust_usage(session, deltas)


async def release_trips(session: AsyncSession, trip_ids: Select[Any]) -> None:
    """Before trips are deleted: take them out of their tags' usage counts.

    ``trip_ids`` is a select of the trips' ids; the associations themselves go with the trips
    (ON DELETE CASCADE).
    """
    usage = await repository.usage_of_trips(session, trip_ids)
    await repository.adjust_usage(session, {tag_id: -count for tag_id, count in usage.items()})


async def list_tags(session: AsyncSession, limit: int, offset: int) -> list[Tag]:
    return await repository.list_in_use(session, limit, offset)


def trips_tagged(value: str) -> Select[Any]:
    """A select of the ids of the trips carrying the tag ``value`` (any case), for filters."""
    return repository.trips_tagged(normalize_tag(value))
