"""The migrations round-trip (head -> base -> head) and match the models exactly."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import DATABASE_URL, IS_POSTGRES, alembic_config

EXPECTED_REVISIONS = [
    "001_initial_auth_schema",
    "002_add_privacy_settings",
    "003_stats_and_achievements",
    "004_social_features",
    "005_travel_diary_trips",
    "006_trip_tags_association",
    "007_social_interactions",
    "008_gpx_routes",
]
CORE_TABLES = {
    "users",
    "user_profiles",
    "password_resets",
    "user_stats",
    "achievements",
    "user_achievements",
    "follows",
    "cycling_types",
    "email_outbox",
    "trips",
    "trip_photos",
    "trip_locations",
    "tags",
    "trip_tags",
    "likes",
    "comments",
    "points_of_interest",
    "gpx_files",
    "track_points",
    "route_statistics",
    "privacy_zones",
}


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the suite's."""
    if not IS_POSTGRES:
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(DATABASE_URL)
    name = f"{url.database}_migrations"
    admin = url.set(drivername="postgresql+asyncpg", database="postgres")

    async def recreate(drop_only: bool = False) -> None:
        engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            if not drop_only:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
        await engine.dispose()

    asyncio.run(recreate())
    yield url.set(database=name).render_as_string(hide_password=False)
    asyncio.run(recreate(drop_only=True))


def _tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        await engine.dispose()
        return names

    return asyncio.run(read())


def test_revisions_are_named_as_the_deployment_guide_lists_them() -> None:
    script = ScriptDirectory.from_config(alembic_config(DATABASE_URL))
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert chain[: len(EXPECTED_REVISIONS)] == EXPECTED_REVISIONS
    files = {p.stem for p in Path(script.versions).glob("*.py")}
    assert set(EXPECTED_REVISIONS) <= files


def test_upgrade_downgrade_upgrade_and_no_drift(scratch_url: str) -> None:
    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "head")
    assert _tables(scratch_url) >= CORE_TABLES
    command.check(cfg)  # raises when the models and the migrations disagree
    command.downgrade(cfg, "base")
    assert _tables(scratch_url) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    assert _tables(scratch_url) >= CORE_TABLES
    command.check(cfg)


def test_step_by_step_upgrade_and_downgrade(scratch_url: str) -> None:
    cfg = alembic_config(scratch_url)
    for revision in EXPECTED_REVISIONS:
        command.upgrade(cfg, revision)
    for _ in EXPECTED_REVISIONS:
        command.downgrade(cfg, "-1")
    assert _tables(scratch_url) <= {"alembic_version"}
