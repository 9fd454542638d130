"""Shared bootstrapping for the operator scripts (run from backend/ or anywhere)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

BACKEND_DIR = Path(__file__).resolve().parents[1]
if str(BACKEND_DIR) not in sys.path:
    sys.path.insert(0, str(BACKEND_DIR))

from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from src import models  # noqa: E402,F401
from src.config import Settings, load_settings  # noqa: E402
from src.core.database import Database, unit_of_work  # noqa: E402

T = TypeVar("T")


def run(work: Callable[[AsyncSession, Settings], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction against the configured database."""

    async def main() -> T:
        settings = load_settings()
        db = Database(settings)
        try:
            async with unit_of_work(db.sessionmaker) as session:
                return await work(session, settings)
        finally:
            await db.dispose()

    return asyncio.run(main())
