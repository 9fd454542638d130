"""Likes and comments as SQL expressions other domains embed in their own queries.

The trips domain shows whether the viewer liked a trip on every trip payload: it adds this
correlated ``EXISTS`` to the statement that loads its page, so a page costs the same number
of queries whatever its size.  The counts themselves (``trips.like_count`` and
``trips.comment_count``) are kept by database triggers on this domain's tables, in the same
transaction as the rows they count (migration 009), so they cannot drift.

This module imports nothing but this domain's models, so the trips domain can use it while
this domain's service uses the trips service (no import cycle).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, exists

from src.interactions.models import Like


def liked_by(user_id: str, trip_id: SQLColumnExpression[Any]) -> ColumnElement[bool]:
    """True when ``user_id`` likes the trip (uses the unique (user_id, trip_id) index)."""
    return exists().where(Like.user_id == user_id, Like.trip_id == trip_id)
