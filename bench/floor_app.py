"""The floor: the least any Python server can do for the public feed and a trip's detail.

A bare Starlette app on asyncpg that runs the *same SQL statements* our API sends for
``GET /trips/public`` and ``GET /trips/{id}`` (anonymous viewer; captured from SQLAlchemy, see
``capture_sql.py``, which checks at every benchmark run that the API still sends them) and
writes a response of the same shape with the standard json module.  No ORM, no validation,
no middleware, no auth.  It is served like the API (gunicorn + uvicorn workers), so the ratio
API / floor is what our framework layers cost.

    FLOOR_DSN=postgresql://... gunicorn -k uvicorn.workers.UvicornWorker -w 2 floor_app:app
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

VISIBLE = (
    "trips.status = $1::VARCHAR AND trips.is_private IS false AND (EXISTS (SELECT $2::INTEGER "
    "AS anon_1 FROM users AS trip_author WHERE trip_author.id = trips.user_id "
    "AND trip_author.is_active IS true AND trip_author.trip_visibility = $3::VARCHAR{discovery}))"
)
ROW_COLUMNS = (
    "SELECT trips.trip_id, trips.user_id, trips.title, trips.description, trips.status, "
    "trips.start_date, trips.end_date, trips.distance_km, trips.difficulty, trips.is_private, "
    "trips.created_at, trips.updated_at, trips.published_at, trips.like_count, "
    "trips.comment_count, users.username, user_profiles.full_name, "
    "user_profiles.profile_photo_url, users.trip_visibility"
)
ROW_FROM = (
    " FROM trips JOIN users ON users.id = trips.user_id LEFT OUTER JOIN user_profiles ON "
    "user_profiles.user_id = trips.user_id"
)
DISCOVERY = " AND trip_author.profile_visibility = $4::VARCHAR"

#: The statements, in the order the API sends them (whitespace-normalised).
SQL = {
    "feed_count": "SELECT count(*) AS count_1 FROM trips WHERE "
    + VISIBLE.format(discovery=DISCOVERY),
    "feed_rows": ROW_COLUMNS
    + ROW_FROM
    + " WHERE "
    + VISIBLE.format(discovery=DISCOVERY)
    + " ORDER BY trips.published_at DESC, trips.trip_id DESC LIMIT $5::INTEGER OFFSET "
    "$6::INTEGER",
    "locations": "SELECT trip_locations.trip_id, trip_locations.location_id, "
    "trip_locations.name, trip_locations.latitude, trip_locations.longitude, "
    "trip_locations.sequence, trip_locations.created_at FROM trip_locations WHERE "
    "trip_locations.trip_id IN ({ids}) ORDER BY trip_locations.sequence, "
    "trip_locations.location_id",
    "photos": "SELECT trip_photos.trip_id, trip_photos.photo_id, trip_photos.photo_url, "
    'trip_photos.thumb_url, trip_photos.caption, trip_photos."order", trip_photos.file_size, '
    "trip_photos.width, trip_photos.height, trip_photos.uploaded_at FROM trip_photos WHERE "
    'trip_photos.trip_id IN ({ids}) ORDER BY trip_photos."order", trip_photos.photo_id',
    "detail_row": ROW_COLUMNS
    + ", "
    + VISIBLE.format(discovery="")
    + " AS visible"
    + ROW_FROM
    + " WHERE trips.trip_id = $4::VARCHAR",
    "tags": "SELECT trip_tags.trip_id, tags.tag_id, tags.name, tags.normalized, "
    "tags.usage_count, tags.created_at FROM trip_tags JOIN tags ON tags.tag_id = "
    "trip_tags.tag_id WHERE trip_tags.trip_id IN ({ids}) ORDER BY tags.normalized",
    "gpx": "SELECT gpx_files.gpx_file_id, gpx_files.trip_id, gpx_files.user_id, "
    "gpx_files.file_key, gpx_files.file_name, gpx_files.file_size, gpx_files.distance_km, "
    "gpx_files.elevation_gain, gpx_files.elevation_loss, gpx_files.max_elevation, "
    "gpx_files.min_elevation, gpx_files.start_lat, gpx_files.start_lon, gpx_files.end_lat, "
    "gpx_files.end_lon, gpx_files.total_points, gpx_files.simplified_points, "
    "gpx_files.has_elevation, gpx_files.has_timestamps, gpx_files.processing_status, "
    "gpx_files.error_message, gpx_files.attempts, gpx_files.lease_expires_at, "
    "gpx_files.fills_trip_distance, gpx_files.uploaded_at, gpx_files.processed_at FROM "
    "gpx_files WHERE gpx_files.trip_id = $1::VARCHAR",
}

#: Which statements each endpoint sends, in order (compared with the API's by capture_sql.py).
ENDPOINTS = {
    "public_feed": ["feed_count", "feed_rows", "locations", "photos"],
    "trip_detail": ["detail_row", "locations", "tags", "photos", "gpx"],
}

PAGE_SIZE = 8
BACKEND_URL = os.environ.get("FLOOR_BACKEND_URL", "http://localhost:8000")


def in_list(n: int) -> str:
    return ", ".join(f"${i}::VARCHAR" for i in range(1, n + 1))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def json_response(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, default=_default, separators=(",", ":")).encode(),
        status_code=status,
        media_type="application/json",
    )


def url(path: str | None) -> str | None:
    if path and path.startswith("/storage/"):
        return BACKEND_URL + path
    return path


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(
        os.environ["FLOOR_DSN"],
        min_size=5,
        max_size=int(os.environ.get("FLOOR_POOL", "20")),
    )
    try:
        yield
    finally:
        await app.state.pool.close()


async def public_feed(request: Request) -> Response:
    page = max(1, int(request.query_params.get("page", "1")))
    offset = (page - 1) * PAGE_SIZE
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        total = await conn.fetchval(SQL["feed_count"], "published", 1, "public", "public")
        trips: list[dict[str, Any]] = []
        if offset < total:
            rows = await conn.fetch(
                SQL["feed_rows"], "published", 1, "public", "public", PAGE_SIZE, offset
            )
            ids = [r["trip_id"] for r in rows]
            places = await conn.fetch(SQL["locations"].format(ids=in_list(len(ids))), *ids)
            photos = await conn.fetch(SQL["photos"].format(ids=in_list(len(ids))), *ids)
            first_place = {}
            for p in places:
                first_place.setdefault(p["trip_id"], p)
            first_photo = {}
            for p in photos:
                first_photo.setdefault(p["trip_id"], p)
            for r in rows:
                photo = first_photo.get(r["trip_id"])
                place = first_place.get(r["trip_id"])
                trips.append(
                    {
                        "trip_id": r["trip_id"],
                        "title": r["title"],
                        "start_date": r["start_date"],
                        "distance_km": r["distance_km"],
                        "photo": {
                            "photo_url": url(photo["photo_url"]),
                            "thumbnail_url": url(photo["thumb_url"]),
                        }
                        if photo
                        else None,
                        "location": {"name": place["name"]} if place else None,
                        "author": {
                            "user_id": r["user_id"],
                            "username": r["username"],
                            "profile_photo_url": url(r["profile_photo_url"]),
                            "is_following": None,
                        },
                        "published_at": r["published_at"],
                        "like_count": r["like_count"],
                        "comment_count": r["comment_count"],
                        "is_liked": None,
                    }
                )
    return json_response(
        {
            "trips": trips,
            "pagination": {
                "total": total,
                "page": page,
                "limit": PAGE_SIZE,
                "total_pages": -(-total // PAGE_SIZE),
            },
        }
    )


async def trip_detail(request: Request) -> Response:
    trip_id = request.path_params["trip_id"]
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        r = await conn.fetchrow(SQL["detail_row"], "published", 1, "public", trip_id)
        if r is None or not r["visible"]:
            return json_response(
                {"success": False, "data": None, "error": {"code": "NOT_FOUND"}}, 404
            )
        one = in_list(1)
        places = await conn.fetch(SQL["locations"].format(ids=one), trip_id)
        tags = await conn.fetch(SQL["tags"].format(ids=one), trip_id)
        photos = await conn.fetch(SQL["photos"].format(ids=one), trip_id)
        gpx = await conn.fetchrow(SQL["gpx"], trip_id)
    data = {
        "trip_id": r["trip_id"],
        "user_id": r["user_id"],
        "author": {
            "user_id": r["user_id"],
            "username": r["username"],
            "full_name": r["full_name"],
            "profile_photo_url": url(r["profile_photo_url"]),
            "is_following": None,
        },
        "title": r["title"],
        "description": r["description"],
        "status": r["status"],
        "start_date": r["start_date"],
        "end_date": r["end_date"],
        "distance_km": r["distance_km"],
        "difficulty": r["difficulty"],
        "is_private": r["is_private"],
        "created_at": r["created_at"],
        "updated_at": r["updated_at"],
        "published_at": r["published_at"],
        "photos": [
            {
                "id": p["photo_id"],
                "photo_url": url(p["photo_url"]),
                "thumbnail_url": url(p["thumb_url"]),
                "caption": p["caption"],
                "order": p["order"],
                "width": p["width"],
                "height": p["height"],
            }
            for p in photos
        ],
        "locations": [
            {
                "location_id": p["location_id"],
                "name": p["name"],
                "latitude": p["latitude"],
                "longitude": p["longitude"],
                "sequence": p["sequence"],
            }
            for p in places
        ],
        "tags": [
            {
                "tag_id": t["tag_id"],
                "name": t["name"],
                "normalized": t["normalized"],
                "usage_count": t["usage_count"],
            }
            for t in tags
        ],
        "like_count": r["like_count"],
        "comment_count": r["comment_count"],
        "is_liked": None,
        "gpx_file": dict(gpx) if gpx else None,
    }
    return json_response({"success": True, "data": data, "error": None})


app = Starlette(
    routes=[
        Route("/trips/public", public_feed),
        Route("/trips/{trip_id}", trip_detail),
    ],
    lifespan=lifespan,
)
