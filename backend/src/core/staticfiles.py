"""``/storage/...``: uploaded files served with safe headers."""

from __future__ import annotations

import os
from typing import Any

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

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
        response.headers["x-content-type-options"] = "nosniff"
        response.headers["content-security-policy"] = "default-src 'none'; sandbox"
        response.headers["cache-control"] = "public, max-age=604800, immutable"
        if extension not in SAFE_TYPES:
            response.headers["content-disposition"] = "attachment"
        return response

    def lookup_path(self, path: str) -> tuple[str, Any]:
        # hidden files (temporary uploads) are never served
        if any(part.startswith(".") for part in path.split("/")):
            return "", None
        return super().lookup_path(path)
