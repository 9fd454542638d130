"""Settings: parsing, *_FILE secrets and the staging/production guards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from src.config import Settings, load_settings

GOOD_PROD: dict[str, Any] = {
    "APP_ENV": "production",
    "SECRET_KEY": "Kq8" * 50,
    "DEBUG": False,
    "CORS_ORIGINS": "https://contravento.com,https://www.contravento.com",
    "DATABASE_URL": "postgresql+asyncpg://app:pw@db:5432/contravento",
    "BCRYPT_ROUNDS": 12,
    "SMTP_TLS": True,
    "SMTP_HOST": "smtp.example.org",
}
GOOD_STAGING = {**GOOD_PROD, "APP_ENV": "staging", "SECRET_KEY": "Zx9" * 22, "SMTP_TLS": False}


def build(**values: Any) -> Settings:
    return load_settings(**values)


def test_defaults_and_csv_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "http://a.test, http://b.test")
    monkeypatch.setenv("APP_ENV", "Development")
    s = build(SECRET_KEY="k" * 32)
    assert s.CORS_ORIGINS == ["http://a.test", "http://b.test"]
    assert s.APP_ENV == "development"
    assert s.ACCESS_TOKEN_EXPIRE_MINUTES == 15
    assert s.REFRESH_TOKEN_EXPIRE_DAYS == 30
    assert s.LOGIN_MAX_ATTEMPTS == 5
    assert s.LOGIN_LOCKOUT_MINUTES == 15
    assert s.is_sqlite
    assert s.docs_enabled


def test_secret_key_is_required_and_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        build(SECRET_KEY="short")


def test_file_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("f" * 40 + "\n")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    db = tmp_path / "db_url"
    db.write_text("postgresql+asyncpg://u:p@h/db")
    monkeypatch.setenv("DATABASE_URL_FILE", str(db))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    s = build()
    assert s.SECRET_KEY == "f" * 40
    assert s.DATABASE_URL == "postgresql+asyncpg://u:p@h/db"
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="SECRET_KEY_FILE cannot be read"):
        build()


def test_good_production_and_staging_settings_start() -> None:
    assert build(**GOOD_PROD).APP_ENV == "production"
    assert build(**GOOD_STAGING).APP_ENV == "staging"


@pytest.mark.parametrize(
    ("base", "override", "variable"),
    [
        (GOOD_PROD, {"SECRET_KEY": "x" * 127}, "SECRET_KEY"),
        (GOOD_STAGING, {"SECRET_KEY": "x" * 63}, "SECRET_KEY"),
        (GOOD_PROD, {"SECRET_KEY": "change-me-" * 20}, "SECRET_KEY"),
        (GOOD_STAGING, {"SECRET_KEY": "CHANGE_ME_" * 8}, "SECRET_KEY"),
        (GOOD_PROD, {"DEBUG": True}, "DEBUG"),
        (GOOD_STAGING, {"DEBUG": True}, "DEBUG"),
        (GOOD_PROD, {"CORS_ORIGINS": "*"}, "CORS_ORIGINS"),
        (GOOD_STAGING, {"CORS_ORIGINS": "https://a.test,*"}, "CORS_ORIGINS"),
        (GOOD_PROD, {"CORS_ORIGINS": "https://a.test,http://localhost:5173"}, "CORS_ORIGINS"),
        (GOOD_PROD, {"DATABASE_URL": "sqlite+aiosqlite:///./x.db"}, "DATABASE_URL"),
        (GOOD_STAGING, {"DATABASE_URL": "sqlite+aiosqlite:///./x.db"}, "DATABASE_URL"),
        (GOOD_PROD, {"BCRYPT_ROUNDS": 11}, "BCRYPT_ROUNDS"),
        (GOOD_STAGING, {"BCRYPT_ROUNDS": 10}, "BCRYPT_ROUNDS"),
        (GOOD_PROD, {"SMTP_TLS": False}, "SMTP_TLS"),
        (GOOD_PROD, {"SMTP_HOST": ""}, "SMTP_HOST"),
    ],
)
def test_unsafe_settings_refuse_to_start(
    base: dict[str, Any], override: dict[str, Any], variable: str
) -> None:
    with pytest.raises(ValidationError) as info:
        build(**{**base, **override})
    assert variable in str(info.value)
    assert "Refusing to start" in str(info.value)


def test_staging_allows_localhost_cors_but_local_allows_everything() -> None:
    assert build(**{**GOOD_STAGING, "CORS_ORIGINS": "http://localhost:5173"})
    local = build(APP_ENV="local", SECRET_KEY="k" * 32, DEBUG=True, CORS_ORIGINS="*")
    assert local.unsafe_settings() == []


def test_app_refuses_unsafe_env_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """``src.main:app`` built from the environment fails fast, naming the variable."""
    import src.config as config

    for key, value in {**GOOD_PROD, "DEBUG": "true"}.items():
        monkeypatch.setenv(key, str(value))
    config.get_settings.cache_clear()
    try:
        with pytest.raises(ValidationError, match="DEBUG must be false"):
            config.get_settings()
    finally:
        config.get_settings.cache_clear()
