"""Likes and comments as SQL expressions other domains embed in their own queries.

The trips domain shows ``like_count``, ``comments_count`` and whether the viewer liked a
trip on every trip payload, and orders the feed's community part by likes + comments.  It
adds these correlated subqueries to the statement that loads its page, so a page costs the
same number of queries whatever its size, and the numbers are always counted from the rows
(never a denormalised counter that could drift).

This module imports nothing but this domain's models, so the trips domain can use it while
this domain's service uses the trips service (no import cycle).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, SQLColumnExpression, exists, func, select

from src.interactions.models import Comment, Like


def like_count(trip_id: SQLColumnExpression[Any]) -> ScalarSelect[int]:
    """How many riders like the trip whose id is ``trip_id`` (a column of the outer query)."""
    return select(func.count(Like.id)).where(Like.trip_id == trip_id).scalar_subquery()


def comment_count(trip_id: SQLColumnExpression[Any]) -> ScalarSelect[int]:
    return select(func.count(Comment.id)).where(Comment.trip_id == trip_id).scalar_subquery()


def liked_by(user_id: str, trip_id: SQLColumnExpression[Any]) -> ColumnElement[bool]:
    """True when ``user_id`` likes the trip (uses the unique (user_id, trip_id) index)."""
    return exists().where(Like.user_id == user_id, Like.trip_id == trip_id)
