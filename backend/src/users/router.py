"""HTTP routes of the users domain."""

from __future__ import annotations

from fastapi import APIRouter

from src.core.responses import ERROR_RESPONSES

router = APIRouter(tags=["users"], responses=ERROR_RESPONSES)
