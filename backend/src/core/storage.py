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

from src.config import Settings
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

    def key_for(self, url: str | None) -> str | None: ...


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

    def key_for(self, url: str | None) -> str | None:
        return key_from_url(url)


def _valid_key(key: str) -> str:
    if not _KEY_RE.match(key) or ".." in key:
        raise ValueError(f"invalid storage key: {key!r}")
    return key


class S3Storage:
    """Any S3-compatible service (AWS S3, MinIO, Ceph, ...), through boto3 in threads.

    Files are private objects; the API serves them at ``/storage/<key>``, or they are
    addressed at ``CDN_URL/<key>`` when a CDN (or a public bucket) fronts the bucket.
    """

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        cdn_url: str | None = None,
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.cdn_url = cdn_url.rstrip("/") if cdn_url else None
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=_valid_key(key),
            Body=data,
            ContentType=content_type,
            CacheControl="public, max-age=604800, immutable",
        )

    async def read(self, key: str) -> bytes:
        def _get() -> bytes:
            response = self.client.get_object(Bucket=self.bucket, Key=_valid_key(key))
            body: bytes = response["Body"].read()
            return body

        try:
            return await asyncio.to_thread(_get)
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=_valid_key(key))

    async def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            await asyncio.to_thread(
                self.client.head_object, Bucket=self.bucket, Key=_valid_key(key)
            )
        except ClientError:
            return False
        return True

    def url(self, key: str) -> str:
        if self.cdn_url:
            return f"{self.cdn_url}/{key}"
        return URL_PREFIX + key

    def key_for(self, url: str | None) -> str | None:
        if url and self.cdn_url and url.startswith(self.cdn_url + "/"):
            key = url[len(self.cdn_url) + 1 :]
            return key if _KEY_RE.match(key) and ".." not in key else None
        return key_from_url(url)


def build_storage(settings: Settings) -> Storage:
    if settings.STORAGE_BACKEND == "s3":
        return S3Storage(
            settings.S3_BUCKET or "",
            endpoint_url=settings.S3_ENDPOINT_URL,
            region=settings.S3_REGION,
            access_key_id=settings.S3_ACCESS_KEY_ID,
            secret_access_key=settings.S3_SECRET_ACCESS_KEY,
            cdn_url=settings.CDN_URL,
        )
    return LocalStorage(settings.STORAGE_PATH)


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
