"""HTTP routes of the stats domain."""

from __future__ import annotations

from fastapi import APIRouter

from src.core.responses import ERROR_RESPONSES

router = APIRouter(tags=["stats"], responses=ERROR_RESPONSES)
