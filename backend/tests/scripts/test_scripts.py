"""The operator scripts are idempotent and produce accounts that can log in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from src.achievements.definitions import ACHIEVEMENTS
from src.achievements.models import Achievement
from src.auth.models import User
from src.cycling.models import CyclingType
from tests.conftest import DATABASE_URL, TEST_SECRET, AppHarness, _truncate

BACKEND = Path(__file__).resolve().parents[2]


def run_script(*args: str) -> str:
    env = {
        **os.environ,
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": DATABASE_URL,
        "BCRYPT_ROUNDS": "4",
        "APP_ENV": "testing",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=BACKEND, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
async def clean_db() -> AsyncIterator[None]:
    yield
    await _truncate(DATABASE_URL)


async def test_seed_is_idempotent(harness: AppHarness, clean_db: None) -> None:
    first = run_script("scripts/seed.py")
    assert "achievements: 9 added" in first
    assert "cycling types: 6 added" in first
    second = run_script("scripts/seed.py")
    assert "achievements: 0 added" in second
    assert "already present" in second
    async with harness.services.db.sessionmaker() as session:
        assert await session.scalar(select(func.count(Achievement.id))) == 9
        assert await session.scalar(select(func.count(CyclingType.id))) == 6
        codes = set((await session.execute(select(Achievement.code))).scalars())
        assert codes == {a["code"] for a in ACHIEVEMENTS}
        users = (await session.execute(select(User).order_by(User.username))).scalars().all()
        assert [(u.username, u.email, u.is_verified) for u in users] == [
            ("maria_garcia", "maria@example.com", True),
            ("testuser", "test@example.com", True),
        ]
    for login, password in (("testuser", "TestPass123!"), ("maria@example.com", "SecurePass456!")):
        r = await harness.client.post("/auth/login", json={"login": login, "password": password})
        assert r.status_code == 200, r.text


async def test_create_admin_and_verified_user(harness: AppHarness, clean_db: None) -> None:
    out = run_script("scripts/create_admin.py", "--password", "AdminPass123!")
    assert "admin admin created" in out
    out = run_script("scripts/create_admin.py", "--password", "AdminPass123!")
    assert "already exists" in out
    out = run_script("scripts/create_admin.py", "--password", "NewAdmin456!", "--force")
    assert "updated" in out
    out = run_script(
        "scripts/create_verified_user.py",
        "--username",
        "ana",
        "--email",
        "ana@example.com",
        "--password",
        "Secret123!x",
    )
    assert "user ana: created" in out
    async with harness.services.db.sessionmaker() as session:
        admin = (await session.execute(select(User).where(User.username == "admin"))).scalar_one()
        assert admin.role == "admin"
        assert admin.is_verified
    r = await harness.client.post(
        "/auth/login", json={"login": "admin", "password": "NewAdmin456!"}
    )
    assert r.status_code == 200
    r = await harness.client.post("/auth/login", json={"login": "ana", "password": "Secret123!x"})
    assert r.status_code == 200


def test_weak_password_is_refused_by_scripts() -> None:
    env = {**os.environ, "SECRET_KEY": TEST_SECRET, "DATABASE_URL": DATABASE_URL}
    result = subprocess.run(
        [sys.executable, "scripts/create_admin.py", "--password", "weak"],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
