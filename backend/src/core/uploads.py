"""Reading uploaded files with a hard size limit (never more than limit + 1 bytes in memory)."""

from __future__ import annotations

from fastapi import UploadFile

from src.core.errors import ValidationFailed

CHUNK = 1024 * 1024


async def read_limited(upload: UploadFile, max_bytes: int, field: str = "file") -> bytes:
    """The upload's bytes; 400 ``file_too_large`` past ``max_bytes``."""
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = await upload.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise ValidationFailed("file_too_large", field=field, mb=max_bytes // (1024 * 1024))
        parts.append(chunk)
    return b"".join(parts)
