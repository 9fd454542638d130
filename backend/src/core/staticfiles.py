"""``/storage/...``: uploaded files served with safe headers."""

from __future__ import annotations

import os
from typing import Any

from fastapi import APIRouter, HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from src.core.storage import Storage

SAFE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gpx": "application/gpx+xml",
}


class StorageFiles(StaticFiles):
    """Only known file types, never sniffed, never rendered as a document."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        extension = os.path.splitext(str(full_path))[1].lower()
        response.headers["content-type"] = SAFE_TYPES.get(extension, "application/octet-stream")
        response.headers.update(storage_headers(str(full_path)))
        return response

    def lookup_path(self, path: str) -> tuple[str, Any]:
        # hidden files (temporary uploads) are never served
        if any(part.startswith(".") for part in path.split("/")):
            return "", None
        return super().lookup_path(path)


def storage_headers(key: str) -> dict[str, str]:
    extension = os.path.splitext(key)[1].lower()
    headers = {
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "cache-control": "public, max-age=604800, immutable",
    }
    if extension not in SAFE_TYPES:
        headers["content-disposition"] = "attachment"
    return headers


def object_storage_router(storage: Storage) -> APIRouter:
    """``GET /storage/{key}`` streamed from object storage (STORAGE_BACKEND=s3)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/storage/{key:path}")
    async def read_object(key: str) -> Response:
        if any(part.startswith(".") for part in key.split("/")):
            raise HTTPException(status_code=404)
        try:
            data = await storage.read(key)
        except (FileNotFoundError, ValueError):
            raise HTTPException(status_code=404) from None
        extension = os.path.splitext(key)[1].lower()
        return Response(
            content=data,
            media_type=SAFE_TYPES.get(extension, "application/octet-stream"),
            headers=storage_headers(key),
        )

    return router
