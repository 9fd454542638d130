"""Application settings.

Every variable the backend reads is declared here, and nothing else in the code reads
``os.environ``.  ``NAME_FILE`` variants read a secret from a file (Docker and Kubernetes
secrets).  Staging and production refuse to start with unsafe values and name the variable.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from src.core.limit_syntax import parse_limit

Environment = Literal["local", "development", "testing", "staging", "production"]

#: Variables that may be given as ``<NAME>_FILE`` pointing at a file with the secret.
SECRET_VARIABLES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_READ_URL",
    "REDIS_URL",
    "SMTP_PASSWORD",
    "SENTRY_DSN",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
)

#: Values that are never acceptable as a SECRET_KEY outside local development.
PLACEHOLDER_MARKERS = ("change", "changeme", "placeholder", "secret", "example", "dev-", "test")


class SettingsError(ValueError):
    """Raised when the configuration is unsafe for the selected environment."""


def _split_csv(value: Any) -> Any:
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            import json

            return json.loads(stripped)
        return [item.strip() for item in stripped.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        case_sensitive=False,
        extra="ignore",
    )

    # --- application -------------------------------------------------------------------
    APP_NAME: str = "ContraVento"
    APP_ENV: Environment = "local"
    #: SQL echo and verbose logging.  Refused in staging and production.
    DEBUG: bool = False
    HOST: str = "0.0.0.0"  # noqa: S104 - the server binds inside its container
    PORT: int = Field(default=8000, ge=1, le=65535)
    #: Public URL of this API, used to build absolute URLs (profile photos).
    BACKEND_URL: str = "http://localhost:8000"
    #: Public URL of the web app, used in links sent by email.
    FRONTEND_URL: str = "http://localhost:5173"
    CORS_ORIGINS: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://localhost:5173", "http://localhost:3000"]
    )

    # --- security ----------------------------------------------------------------------
    SECRET_KEY: str = Field(min_length=32)
    ALGORITHM: Literal["HS256", "HS384", "HS512"] = "HS256"
    ACCESS_TOKEN_EXPIRE_MINUTES: int = Field(default=15, ge=1)
    REFRESH_TOKEN_EXPIRE_DAYS: int = Field(default=30, ge=1)
    VERIFICATION_TOKEN_EXPIRE_HOURS: int = Field(default=24, ge=1)
    PASSWORD_RESET_TOKEN_EXPIRE_HOURS: int = Field(default=1, ge=1)
    BCRYPT_ROUNDS: int = Field(default=12, ge=4, le=31)
    LOGIN_MAX_ATTEMPTS: int = Field(default=5, ge=1)
    LOGIN_LOCKOUT_MINUTES: int = Field(default=15, ge=1)
    VERIFICATION_EMAIL_MAX_PER_HOUR: int = Field(default=3, ge=1)
    #: Registration marks accounts verified at once.  Defaults to true only in testing,
    #: as the original ContraVento did for its load-test client.
    AUTO_VERIFY_EMAIL: bool | None = None

    # --- database ----------------------------------------------------------------------
    DATABASE_URL: str = "sqlite+aiosqlite:///./contravento_dev.db"
    #: Optional read replica for read-only requests (GET/HEAD).
    DATABASE_READ_URL: str | None = None
    #: After a write, the same caller's reads stay on the primary for this long.
    READ_YOUR_WRITES_SECONDS: int = Field(default=10, ge=0)
    DATABASE_POOL_SIZE: int = Field(default=20, ge=1)
    DATABASE_MAX_OVERFLOW: int = Field(default=10, ge=0)
    DATABASE_POOL_TIMEOUT: int = Field(default=30, ge=1)
    DATABASE_POOL_RECYCLE: int = Field(default=3600, ge=-1)

    # --- redis -------------------------------------------------------------------------
    REDIS_URL: str | None = None
    #: Cache public feed pages, public profiles and stats in Redis.
    CACHE_ENABLED: bool = True
    CACHE_DEFAULT_TTL: int = Field(default=300, ge=1)

    # --- email -------------------------------------------------------------------------
    #: Empty: messages are written to the console instead of being sent.
    SMTP_HOST: str = ""
    SMTP_PORT: int = Field(default=587, ge=1, le=65535)
    SMTP_USER: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_FROM: str = "noreply@contravento.com"
    #: STARTTLS (or implicit TLS on port 465).  Required in production.
    SMTP_TLS: bool = False
    SMTP_TIMEOUT_SECONDS: float = Field(default=15.0, gt=0)
    EMAIL_MAX_ATTEMPTS: int = Field(default=8, ge=1)

    # --- files -------------------------------------------------------------------------
    #: ``local`` (files under STORAGE_PATH) or ``s3`` (any S3-compatible service)
    STORAGE_BACKEND: Literal["local", "s3"] = "local"
    STORAGE_PATH: Path = Path("./storage")
    S3_BUCKET: str | None = None
    #: e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000 (empty: AWS default)
    S3_ENDPOINT_URL: str | None = None
    S3_REGION: str | None = None
    S3_ACCESS_KEY_ID: str | None = None
    S3_SECRET_ACCESS_KEY: str | None = None
    #: Public base URL of the files (a CDN in front of the bucket); empty: served at /storage
    CDN_URL: str | None = None

    # --- travel diary ------------------------------------------------------------------
    #: Default page size of GET /trips/public; larger ``limit`` values are clamped to the max.
    PUBLIC_FEED_PAGE_SIZE: int = Field(default=8, ge=1)
    PUBLIC_FEED_MAX_PAGE_SIZE: int = Field(default=50, ge=1)

    # --- rate limits (shared through Redis when REDIS_URL is set) -------------------------
    RATE_LIMIT_ENABLED: bool = True
    #: per client IP
    RATE_LIMIT_LOGIN: str = "5/15m"
    #: per client IP
    RATE_LIMIT_REGISTER: str = "3/1h"
    #: per user (or per client IP when anonymous), every request
    RATE_LIMIT_API: str = "100/1m"
    #: per user (or IP), multipart uploads
    RATE_LIMIT_UPLOAD: str = "10/1m"

    # --- HTTP hardening ------------------------------------------------------------------
    #: Host names the API answers to ("*" = any; "*.example.com" for subdomains).
    #: /health and /metrics answer any host (probes and scrapers use IP addresses).
    ALLOWED_HOSTS: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])
    #: Strict-Transport-Security on every response (set it when the API is served over HTTPS)
    HSTS_ENABLED: bool = False

    # --- observability -------------------------------------------------------------------
    #: Serve Prometheus metrics at /metrics (keep it off the public proxy).
    METRICS_ENABLED: bool = True
    #: Shared directory for multi-worker metrics (gunicorn.conf.py creates and sets it).
    PROMETHEUS_MULTIPROC_DIR: str | None = None
    #: Sentry error tracking; empty disables it.  Personal data is scrubbed before sending.
    SENTRY_DSN: str | None = None
    SENTRY_ENVIRONMENT: str | None = None
    SENTRY_TRACES_SAMPLE_RATE: float = Field(default=0.0, ge=0.0, le=1.0)

    # --- logging -----------------------------------------------------------------------
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    LOG_FORMAT: Literal["json", "text"] = "json"

    # --- production server (gunicorn.conf.py) --------------------------------------------
    WEB_CONCURRENCY: int = Field(default=2, ge=1)
    WORKER_TIMEOUT: int = Field(default=120, ge=1)
    #: Proxies whose X-Forwarded-For / X-Forwarded-Proto are trusted ("*" behind nginx).
    FORWARDED_ALLOW_IPS: str = "127.0.0.1"

    @field_validator("CORS_ORIGINS", "ALLOWED_HOSTS", mode="before")
    @classmethod
    def _parse_lists(cls, value: Any) -> Any:
        return _split_csv(value)

    @field_validator(
        "RATE_LIMIT_LOGIN", "RATE_LIMIT_REGISTER", "RATE_LIMIT_API", "RATE_LIMIT_UPLOAD"
    )
    @classmethod
    def _valid_limit(cls, value: str) -> str:
        try:
            parse_limit(value)
        except ValueError:
            raise ValueError(
                f"not a rate limit: {value!r} (use e.g. 5/15m or 100/minute)"
            ) from None
        return value

    @field_validator("APP_ENV", mode="before")
    @classmethod
    def _normalise_env(cls, value: Any) -> Any:
        if isinstance(value, str):
            aliases = {"dev": "development", "prod": "production", "test": "testing"}
            lowered = value.strip().lower()
            return aliases.get(lowered, lowered)
        return value

    @field_validator("LOG_LEVEL", "LOG_FORMAT", mode="before")
    @classmethod
    def _normalise_case(cls, value: Any, info: Any) -> Any:
        if isinstance(value, str):
            return value.upper() if info.field_name == "LOG_LEVEL" else value.lower()
        return value

    @field_validator(
        "DATABASE_READ_URL",
        "REDIS_URL",
        "SENTRY_DSN",
        "SENTRY_ENVIRONMENT",
        "PROMETHEUS_MULTIPROC_DIR",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @model_validator(mode="after")
    def _guard_environment(self) -> Settings:
        if self.STORAGE_BACKEND == "s3" and not self.S3_BUCKET:
            raise SettingsError("S3_BUCKET is required when STORAGE_BACKEND=s3")
        problems = self.unsafe_settings()
        if problems:
            raise SettingsError(
                f"Refusing to start in APP_ENV={self.APP_ENV}: " + "; ".join(problems)
            )
        return self

    # ------------------------------------------------------------------------------------
    def unsafe_settings(self) -> list[str]:
        """Return one message per unsafe value for staging and production."""
        if self.APP_ENV not in ("staging", "production"):
            return []
        prod = self.APP_ENV == "production"
        problems: list[str] = []
        key = self.SECRET_KEY
        min_len = 128 if prod else 64
        if any(marker in key.lower() for marker in PLACEHOLDER_MARKERS):
            problems.append("SECRET_KEY looks like a placeholder")
        if len(key) < min_len:
            problems.append(f"SECRET_KEY must be at least {min_len} characters")
        if self.DEBUG:
            problems.append("DEBUG must be false")
        if any(origin == "*" or "*" in origin for origin in self.CORS_ORIGINS):
            problems.append("CORS_ORIGINS must not contain '*'")
        if prod and any(
            host in origin for origin in self.CORS_ORIGINS for host in ("localhost", "127.0.0.1")
        ):
            problems.append("CORS_ORIGINS must not contain localhost in production")
        if self.DATABASE_URL.startswith("sqlite"):
            problems.append("DATABASE_URL must not be SQLite")
        if self.DATABASE_READ_URL and self.DATABASE_READ_URL.startswith("sqlite"):
            problems.append("DATABASE_READ_URL must not be SQLite")
        if self.BCRYPT_ROUNDS < 12:
            problems.append("BCRYPT_ROUNDS must be at least 12")
        if prod and not self.SMTP_TLS:
            problems.append("SMTP_TLS must be true in production")
        if prod and not self.SMTP_HOST:
            problems.append("SMTP_HOST must be set in production (emails carry secrets)")
        return problems

    # --- derived -------------------------------------------------------------------------
    @property
    def is_sqlite(self) -> bool:
        return self.DATABASE_URL.startswith("sqlite")

    @property
    def docs_enabled(self) -> bool:
        return self.APP_ENV != "production"

    @property
    def auto_verify_email(self) -> bool:
        if self.AUTO_VERIFY_EMAIL is not None:
            return self.AUTO_VERIFY_EMAIL
        return self.APP_ENV == "testing"


def _file_overrides(environ: dict[str, str]) -> dict[str, str]:
    """Read ``NAME_FILE`` secrets.  An explicit ``NAME`` wins over ``NAME_FILE``."""
    values: dict[str, str] = {}
    for name in SECRET_VARIABLES:
        path = environ.get(f"{name}_FILE") or environ.get(f"{name.lower()}_file")
        if path and name not in environ and name.lower() not in environ:
            try:
                values[name] = Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(f"{name}_FILE cannot be read: {exc.strerror}") from None
    return values


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, ``.env`` and ``*_FILE`` secrets."""
    values: dict[str, Any] = dict(_file_overrides(dict(os.environ)))
    values.update(overrides)
    return Settings(**values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


class _LazySettings:
    """``src.config.settings``: the process settings, loaded on first attribute access."""

    def __getattr__(self, name: str) -> Any:
        return getattr(get_settings(), name)


settings: Settings = _LazySettings()  # type: ignore[assignment]
