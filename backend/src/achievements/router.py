"""HTTP routes of the achievements domain."""

from __future__ import annotations

from fastapi import APIRouter

from src.core.responses import ERROR_RESPONSES

router = APIRouter(tags=["achievements"], responses=ERROR_RESPONSES)
