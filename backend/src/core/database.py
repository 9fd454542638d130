"""Engines, sessions and the unit of work.

* One write engine (SQLite through aiosqlite with foreign keys and WAL, or PostgreSQL through
  asyncpg with a tuned pool and pre-ping) and an optional read-replica engine.
* One transaction per request: :func:`get_session` commits when the path operation returns
  and rolls back when it raises, *before* the response is sent, so nothing is acknowledged
  that was not committed.  Side effects that leave the process run after the commit through
  :func:`after_commit`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, String, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

from src.config import Settings

logger = logging.getLogger("contravento.db")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite stores no offset, so values come back naive; this type stores UTC and always
    returns aware UTC datetimes, which removes naive/aware comparison errors.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


UUIDStr = String(36)


# --------------------------------------------------------------------------------------
# engines
# --------------------------------------------------------------------------------------
def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def build_engine(url: str, settings: Settings) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url,
            echo=settings.DEBUG,
            connect_args={"timeout": 10},
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        echo=settings.DEBUG,
        pool_size=settings.DATABASE_POOL_SIZE,
        max_overflow=settings.DATABASE_MAX_OVERFLOW,
        pool_timeout=settings.DATABASE_POOL_TIMEOUT,
        pool_recycle=settings.DATABASE_POOL_RECYCLE,
        pool_pre_ping=True,
    )


class Database:
    """The process's engines and session factories."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = build_engine(settings.DATABASE_URL, settings)
        self.read_engine = (
            build_engine(settings.DATABASE_READ_URL, settings)
            if settings.DATABASE_READ_URL
            else None
        )
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = (
            async_sessionmaker(self.read_engine, expire_on_commit=False)
            if self.read_engine is not None
            else self.sessionmaker
        )

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not None:
            await self.read_engine.dispose()


# --------------------------------------------------------------------------------------
# unit of work
# --------------------------------------------------------------------------------------
AfterCommit = Callable[[], Awaitable[None]]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` once the request's transaction has committed (never on rollback)."""
    session.info.setdefault("after_commit", []).append(callback)


def on_rollback(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` if the request's transaction is rolled back (undo side effects)."""
    session.info.setdefault("on_rollback", []).append(callback)


async def _run_callbacks(session: AsyncSession, key: str) -> None:
    callbacks: list[AfterCommit] = session.info.pop(key, [])
    session.info.pop("on_rollback" if key == "after_commit" else "after_commit", None)
    for callback in callbacks:
        try:
            await callback()
        except Exception:
            logger.exception("post-transaction callback failed")


async def commit(session: AsyncSession) -> None:
    await session.commit()
    await _run_callbacks(session, "after_commit")


async def rollback(session: AsyncSession) -> None:
    await session.rollback()
    await _run_callbacks(session, "on_rollback")


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Yield a session; commit on success, roll back on error.

    A :class:`~src.core.errors.DomainError` whose ``persist`` flag is set (a failed login
    counting an attempt, a reused refresh token revoking its family) commits the work done
    before it was raised and is then re-raised for the error handler.
    """
    async with sessionmaker() as session:
        try:
            yield session
        except BaseException as exc:
            if getattr(exc, "persist", False):
                await commit(session)
            else:
                await rollback(session)
            raise
        else:
            await commit(session)
