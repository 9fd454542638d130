"""File storage behind one interface.

Files are addressed by keys such as ``profile_photos/2026/11/<uuid>.jpg`` (random ids, never
the client's filename) and served publicly at ``/storage/<key>``.  The local backend writes
under ``STORAGE_PATH`` atomically (temporary file + rename).

Transaction rules (see :func:`store_for_request`): a file written during a request is removed
if the request's transaction rolls back, and a file replaced or deleted by a request is
removed only after its transaction commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from src.core.database import after_commit, on_rollback

logger = logging.getLogger("contravento.storage")

URL_PREFIX = "/storage/"
_KEY_RE = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-.]+)*$")


class Storage(Protocol):
    async def save(self, key: str, data: bytes, content_type: str) -> None: ...

    async def read(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

    def url(self, key: str) -> str: ...


def new_key(folder: str, extension: str, *parts: str) -> str:
    """``folder/YYYY/MM[/parts...]/<uuid>.<extension>``."""
    now = datetime.now(UTC)
    segments = [folder, f"{now:%Y}", f"{now:%m}", *parts, f"{uuid.uuid4().hex}.{extension}"]
    return "/".join(segments)


def key_from_url(url: str | None) -> str | None:
    """The storage key of a URL we produced (relative ``/storage/...`` or absolute)."""
    if not url:
        return None
    index = url.find(URL_PREFIX)
    if index < 0:
        return None
    key = url[index + len(URL_PREFIX) :]
    return key if _KEY_RE.match(key) and ".." not in key else None


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        if not _KEY_RE.match(key) or ".." in key:
            raise ValueError(f"invalid storage key: {key!r}")
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"invalid storage key: {key!r}")
        return path

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with open(temp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, key, data)

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        def _unlink() -> None:
            with contextlib.suppress(FileNotFoundError):
                self._path(key).unlink()

        await asyncio.to_thread(_unlink)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    def url(self, key: str) -> str:
        return URL_PREFIX + key


async def save_for_request(
    storage: Storage, session: AsyncSession, key: str, data: bytes, content_type: str
) -> str:
    """Write a file that belongs to this request: removed again if the request fails."""
    await storage.save(key, data, content_type)

    async def _undo() -> None:
        await storage.delete(key)

    on_rollback(session, _undo)
    return key


def delete_after_commit(storage: Storage, session: AsyncSession, key: str | None) -> None:
    """Remove a file once the request's transaction has committed (never before)."""
    if not key:
        return

    async def _delete() -> None:
        await storage.delete(key)

    after_commit(session, _delete)


def absolute_url(url: str | None, base_url: str) -> str | None:
    """Stored ``/storage/...`` URLs served as absolute URLs (``BACKEND_URL`` + path)."""
    if url and url.startswith(URL_PREFIX):
        return base_url.rstrip("/") + url
    return url
