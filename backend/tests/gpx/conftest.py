"""GPX tests get a storage directory of their own, so they can assert on every file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import AppFactory, AppHarness


@pytest.fixture
async def harness(make_app: AppFactory, tmp_path: Path) -> AppHarness:
    app: AppHarness = await make_app(STORAGE_PATH=tmp_path / "storage")
    return app
