"""HTTP routes of the social domain."""

from __future__ import annotations

from fastapi import APIRouter

from src.core.responses import ERROR_RESPONSES

router = APIRouter(tags=["social"], responses=ERROR_RESPONSES)
