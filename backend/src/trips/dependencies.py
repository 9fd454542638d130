"""Annotated aliases for the trip routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

TripIdPath = Annotated[str, Path(min_length=1, max_length=64, description="The trip's id")]

#: Pages beyond this are refused (400) rather than sent to the database as huge offsets.
MAX_PAGE = 1_000_000
MAX_OFFSET = 1_000_000_000
