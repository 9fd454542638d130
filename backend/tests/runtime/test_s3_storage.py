"""STORAGE_BACKEND=s3 against a real S3-protocol server (moto) on loopback."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import pytest
from PIL import Image
from pydantic import ValidationError

from tests import images
from tests.conftest import AppHarness, make_settings
from tests.helpers import bearer, register_verified
from tests.servers import S3Server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    server = S3Server().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bucket(s3: S3Server) -> str:
    name = f"cv-{uuid.uuid4().hex[:12]}"
    s3.client().create_bucket(Bucket=name)
    return name


def _s3_settings(s3: S3Server, bucket: str, **extra: object) -> dict[str, object]:
    return {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": s3.endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        **extra,
    }


def _keys(s3: S3Server, bucket: str) -> list[str]:
    listing = s3.client().list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_s3_needs_a_bucket() -> None:
    with pytest.raises(ValidationError, match="S3_BUCKET"):
        make_settings(STORAGE_BACKEND="s3")


async def test_profile_photo_round_trip(make_app, s3: S3Server, bucket: str) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(**_s3_settings(s3, bucket))
    ana = await register_verified(h, "ana", "ana@example.com")
    headers = bearer(ana["access_token"])
    r = await h.client.post(
        "/users/ana/profile/photo",
        files={"photo": ("me.jpg", images.jpeg_with_gps(), "image/jpeg")},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    url = r.json()["data"]["photo_url"]
    [key] = _keys(s3, bucket)
    assert key.startswith("profile_photos/")
    assert url.endswith("/storage/" + key)
    obj = s3.client().get_object(Bucket=bucket, Key=key)
    assert obj["ContentType"] == "image/jpeg"
    stored = obj["Body"].read()
    assert not images.has_exif(stored)
    served = await h.client.get("/storage/" + key)
    assert served.status_code == 200
    assert served.content == stored
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert Image.open(io.BytesIO(served.content)).size == (400, 400)
    assert (await h.client.get("/storage/profile_photos/none.jpg")).status_code == 404
    # replace: the old object goes away after the commit
    r = await h.client.post(
        "/users/ana/profile/photo",
        files={"photo": ("me.png", images.png_rgba(), "image/png")},
        headers=headers,
    )
    [new_key] = _keys(s3, bucket)
    assert new_key != key
    r = await h.client.delete("/users/ana/profile/photo", headers=headers)
    assert r.status_code == 200
    assert _keys(s3, bucket) == []


async def test_cdn_urls(make_app, s3: S3Server, bucket: str) -> None:  # type: ignore[no-untyped-def]
    h: AppHarness = await make_app(
        **_s3_settings(s3, bucket, CDN_URL="https://cdn.contravento.test/media/")
    )
    ana = await register_verified(h, "ana", "ana@example.com")
    r = await h.client.post(
        "/users/ana/profile/photo",
        files={"photo": ("me.jpg", images.jpeg(), "image/jpeg")},
        headers=bearer(ana["access_token"]),
    )
    [key] = _keys(s3, bucket)
    assert r.json()["data"]["photo_url"] == f"https://cdn.contravento.test/media/{key}"
    profile = await h.client.get("/users/ana/profile")
    assert profile.json()["photo_url"] == f"https://cdn.contravento.test/media/{key}"
    await h.client.delete("/users/ana/profile/photo", headers=bearer(ana["access_token"]))
    assert _keys(s3, bucket) == []


async def test_failed_request_leaves_no_object(make_app, s3: S3Server, bucket: str) -> None:  # type: ignore[no-untyped-def]
    from src.users import service as users_service

    h: AppHarness = await make_app(**_s3_settings(s3, bucket))
    ana = await register_verified(h, "ana", "ana@example.com")
    original = users_service.get_or_create_profile

    async def failing(session, user_id):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    users_service.get_or_create_profile = failing  # type: ignore[assignment]
    try:
        r = await h.client.post(
            "/users/ana/profile/photo",
            files={"photo": ("me.jpg", images.jpeg(), "image/jpeg")},
            headers=bearer(ana["access_token"]),
        )
    finally:
        users_service.get_or_create_profile = original  # type: ignore[assignment]
    assert r.status_code == 500
    assert _keys(s3, bucket) == []


async def test_trip_photos_round_trip_through_a_cdn(make_app, s3: S3Server, bucket: str) -> None:  # type: ignore[no-untyped-def]
    from tests.trips.helpers import create_trip, make_rider, upload_photo

    h: AppHarness = await make_app(
        **_s3_settings(s3, bucket, CDN_URL="https://cdn.contravento.test")
    )
    ana = await make_rider(h, "ana")
    trip = await create_trip(h, ana)
    r = await upload_photo(h, ana, trip["trip_id"], images.jpeg_with_gps())
    assert r.status_code == 201, r.text
    keys = _keys(s3, bucket)
    assert len(keys) == 2  # web image and thumbnail
    photo = r.json()["data"]
    assert photo["photo_url"].startswith("https://cdn.contravento.test/trip_photos/")
    for key in keys:
        body = s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()
        assert not images.has_exif(body)
    r = await h.client.delete(f"/trips/{trip['trip_id']}/photos/{photo['id']}", headers=ana.headers)
    assert r.status_code == 200
    assert _keys(s3, bucket) == []


async def test_gpx_round_trip(make_app, s3: S3Server, bucket: str) -> None:  # type: ignore[no-untyped-def]
    """GPX originals live in the bucket too: upload, download, delete."""
    from tests.gpx.helpers import track, upload_ok
    from tests.trips.helpers import create_trip, make_rider

    h: AppHarness = await make_app(**_s3_settings(s3, bucket))
    ana = await make_rider(h, "ana")
    trip = await create_trip(h, ana)
    data = track("short_route.gpx")
    status = await upload_ok(h, ana, trip["trip_id"], data)
    keys = _keys(s3, bucket)
    assert len(keys) == 1
    assert keys[0].startswith("gpx_files/")
    download = await h.client.get(f"/gpx/{status['gpx_file_id']}/download", headers=ana.headers)
    assert download.status_code == 200
    assert b"<trkpt" in download.content
    r = await h.client.delete(f"/trips/{trip['trip_id']}/gpx", headers=ana.headers)
    assert r.status_code == 204
    assert _keys(s3, bucket) == []
