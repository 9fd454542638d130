"""Trip photos: upload through the image pipeline, hostile files, limits, reorder, delete
(contract §2.7, §4.8, §8)."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select

from src.core.storage import key_from_url
from src.photos.models import TripPhoto
from tests import images
from tests.conftest import AppHarness
from tests.trips.helpers import Rider, create_trip, make_rider, upload_photo

PHOTO_KEYS = {
    "id",
    "photo_id",
    "trip_id",
    "photo_url",
    "thumbnail_url",
    "thumb_url",
    "caption",
    "order",
    "width",
    "height",
    "file_size",
    "uploaded_at",
}


def stored_path(h: AppHarness, url: str) -> Path:
    key = key_from_url(url)
    assert key is not None
    return Path(h.services.settings.STORAGE_PATH) / key


def stored_files(h: AppHarness) -> set[Path]:
    root = Path(h.services.settings.STORAGE_PATH) / "trip_photos"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@functools.cache
def pillow_png_bomb() -> bytes:
    """A 20000 x 20000 PNG made by Pillow: 1-bit pixels compress to about 50 KB."""
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


async def _trip(h: AppHarness, name: str = "ana") -> tuple[Rider, str]:
    rider = await make_rider(h, name)
    trip = await create_trip(h, rider)
    return rider, trip["trip_id"]


async def test_upload_returns_both_names_and_stores_two_jpegs(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    r = await harness.client.post(
        f"/trips/{trip_id}/photos",
        files={"photo": ("big.png", images.jpeg(2400, 1200), "image/png")},
        data={"caption": "ignored"},
        headers=ana.headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True
    assert body["error"] is None
    photo = body["data"]
    assert set(photo) == PHOTO_KEYS
    assert photo["id"] == photo["photo_id"]
    assert photo["thumb_url"] == photo["thumbnail_url"]
    assert photo["trip_id"] == trip_id
    assert photo["caption"] is None  # the form's caption is ignored
    assert photo["order"] == 0
    assert (photo["width"], photo["height"]) == (1200, 600)
    assert photo["uploaded_at"].endswith("Z")
    assert photo["photo_url"].startswith("/storage/trip_photos/")
    assert trip_id in photo["photo_url"]
    web = stored_path(harness, photo["photo_url"])
    thumb = stored_path(harness, photo["thumb_url"])
    assert web != thumb
    assert photo["file_size"] == web.stat().st_size
    with Image.open(web) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 600))
    with Image.open(thumb) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 400
    # served from /storage
    served = await harness.client.get(photo["photo_url"])
    assert served.status_code == 200
    second = await upload_photo(harness, ana, trip_id, images.png_rgba(300, 200))
    assert second.json()["data"]["order"] == 1
    third = await upload_photo(harness, ana, trip_id, images.webp(320, 320))
    assert third.json()["data"]["order"] == 2
    detail = (await harness.client.get(f"/trips/{trip_id}", headers=ana.headers)).json()["data"]
    assert [p["order"] for p in detail["photos"]] == [0, 1, 2]
    assert all(
        set(p) == PHOTO_KEYS and p["id"] == p["photo_id"] and p["thumbnail_url"] == p["thumb_url"]
        for p in detail["photos"]
    )
    # PUT answers with the same photo shape
    put = await harness.client.put(f"/trips/{trip_id}", json={"title": "x"}, headers=ana.headers)
    assert put.json()["data"]["photos"] == detail["photos"]


async def test_gps_exif_is_gone_from_both_stored_images(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    original = images.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    r = await upload_photo(harness, ana, trip_id, original)
    assert r.status_code == 201, r.text
    photo = r.json()["data"]
    for url in (photo["photo_url"], photo["thumb_url"]):
        data = stored_path(harness, url).read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
            assert len(exif) == 0
        assert not images.has_exif(data)
        assert b"GPS" not in data
    # the EXIF orientation was applied before it was dropped (800x600 rotated)
    assert (photo["width"], photo["height"]) == (600, 800)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", images.text_as_jpeg(), "El archivo no es una imagen válida"),
        ("vector.svg", images.svg(), "El archivo no es una imagen válida"),
        ("cut.jpg", images.truncated_jpeg(), "El archivo no es una imagen válida"),
        ("anim.gif", images.gif(), "Formato de archivo no soportado. Usa JPG, PNG o WebP"),
        ("empty.jpg", b"", "El archivo está vacío"),
        ("bomb.png", images.png_bomb(), "La imagen es demasiado grande"),
        ("pillow-bomb.png", "PILLOW_BOMB", "La imagen es demasiado grande"),
    ],
)
async def test_hostile_files_are_refused_and_nothing_is_kept(
    harness: AppHarness, name: str, content: Any, message: str
) -> None:
    ana, trip_id = await _trip(harness)
    data = pillow_png_bomb() if content == "PILLOW_BOMB" else content
    r = await upload_photo(harness, ana, trip_id, data, name=name)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["field"] == "photo"
    assert error["message"].startswith(message)
    assert stored_files(harness) == set()
    async with harness.services.db.sessionmaker() as session:
        assert await session.scalar(select(func.count(TripPhoto.photo_id))) == 0


async def test_files_over_10_mb_are_refused(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    data = images.jpeg(64, 64) + b"\0" * (10 * 1024 * 1024)
    r = await upload_photo(harness, ana, trip_id, data)
    assert r.status_code == 400
    assert r.json()["error"] == {
        "code": "VALIDATION_ERROR",
        "message": "La foto excede el tamaño máximo de 10MB",
        "field": "photo",
    }


async def test_six_photos_per_trip(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    for _ in range(6):
        assert (await upload_photo(harness, ana, trip_id, images.jpeg(30, 20))).status_code == 201
    r = await upload_photo(harness, ana, trip_id, images.jpeg(30, 20))
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Has alcanzado el límite de 6 fotos por viaje"
    assert len(stored_files(harness)) == 12  # 6 web images + 6 thumbnails


async def test_upload_errors(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    bob = await make_rider(harness, "bob")
    c = harness.client
    files = {"photo": ("p.jpg", images.jpeg(20, 20), "image/jpeg")}
    assert (await c.post(f"/trips/{trip_id}/photos", files=files)).status_code == 401
    r = await c.post(f"/trips/{trip_id}/photos", files=files, headers=bob.headers)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == "No tienes permiso para subir fotos a este viaje"
    r = await c.post("/trips/nope/photos", files=files, headers=ana.headers)
    assert r.status_code == 404
    r = await c.post(
        f"/trips/{trip_id}/photos",
        files={"file": ("p.jpg", images.jpeg(20, 20), "image/jpeg")},
        headers=ana.headers,
    )
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "photo"
    r = await c.post(f"/trips/{trip_id}/photos", json={"photo": "x"}, headers=ana.headers)
    assert r.status_code == 400
    assert stored_files(harness) == set()


async def test_delete_renumbers_and_removes_files(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    ids = []
    for _ in range(4):
        ids.append((await upload_photo(harness, ana, trip_id, images.jpeg(30, 20))).json()["data"])
    c = harness.client
    doomed = ids[1]
    r = await c.delete(f"/trips/{trip_id}/photos/{doomed['id']}", headers=ana.headers)
    assert r.status_code == 200
    assert r.json() == {
        "success": True,
        "data": {"message": "Foto eliminada correctamente"},
        "error": None,
    }
    assert not stored_path(harness, doomed["photo_url"]).exists()
    assert not stored_path(harness, doomed["thumb_url"]).exists()
    detail = (await c.get(f"/trips/{trip_id}", headers=ana.headers)).json()["data"]
    assert [(p["id"], p["order"]) for p in detail["photos"]] == [
        (ids[0]["id"], 0),
        (ids[2]["id"], 1),
        (ids[3]["id"], 2),
    ]
    assert len(stored_files(harness)) == 6


async def test_delete_errors(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    bob, other_trip = await _trip(harness, "bob")
    mine = (await upload_photo(harness, ana, trip_id, images.jpeg(30, 20))).json()["data"]
    theirs = (await upload_photo(harness, bob, other_trip, images.jpeg(30, 20))).json()["data"]
    c = harness.client
    r = await c.delete(f"/trips/{trip_id}/photos/{theirs['id']}", headers=ana.headers)
    assert r.status_code == 404
    assert r.json()["error"] == {
        "code": "NOT_FOUND",
        "message": "La foto no pertenece a este viaje",
    }
    r = await c.delete(f"/trips/{trip_id}/photos/unknown", headers=ana.headers)
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "Foto no encontrada"
    r = await c.delete(f"/trips/{trip_id}/photos/{mine['id']}", headers=bob.headers)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == "No tienes permiso para eliminar fotos de este viaje"
    assert (await c.delete(f"/trips/{trip_id}/photos/{mine['id']}")).status_code == 401
    assert stored_path(harness, mine["photo_url"]).exists()


async def test_reorder(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    bob = await make_rider(harness, "bob")
    ids = [
        (await upload_photo(harness, ana, trip_id, images.jpeg(30, 20))).json()["data"]["id"]
        for _ in range(3)
    ]
    c = harness.client
    new_order = [ids[2], ids[0], ids[1]]
    r = await c.put(
        f"/trips/{trip_id}/photos/reorder", json={"photo_order": new_order}, headers=ana.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"message": "Fotos reordenadas correctamente"}
    detail = (await c.get(f"/trips/{trip_id}", headers=ana.headers)).json()["data"]
    assert [p["id"] for p in detail["photos"]] == new_order
    assert [p["order"] for p in detail["photos"]] == [0, 1, 2]

    async def refused(order: Any) -> dict[str, Any]:
        response = await c.put(
            f"/trips/{trip_id}/photos/reorder", json={"photo_order": order}, headers=ana.headers
        )
        assert response.status_code == 400, response.text
        error: dict[str, Any] = response.json()["error"]
        return error

    error = await refused(ids[:2])
    assert error["message"] == (
        "Cantidad inválida de fotos. El viaje tiene 3 fotos pero se proporcionaron 2"
    )
    assert (await refused([ids[0], ids[0], ids[1]]))["message"].startswith("Cantidad inválida")
    error = await refused([ids[0], ids[1], "someone-else"])
    assert error["message"] == (
        "ID de foto inválido: la lista contiene fotos que no pertenecen a este viaje"
    )
    assert (await refused("not-a-list"))["field"] == "photo_order"
    r = await c.put(
        f"/trips/{trip_id}/photos/reorder", json={"photo_order": ids}, headers=bob.headers
    )
    assert r.status_code == 403
    assert r.json()["error"]["message"] == "No tienes permiso para reordenar fotos de este viaje"
    r = await c.put("/trips/nope/photos/reorder", json={"photo_order": ids}, headers=ana.headers)
    assert r.status_code == 404
    unchanged = (await c.get(f"/trips/{trip_id}", headers=ana.headers)).json()["data"]
    assert [p["id"] for p in unchanged["photos"]] == new_order


async def test_deleting_a_trip_deletes_its_photo_files(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    for _ in range(2):
        await upload_photo(harness, ana, trip_id, images.jpeg(30, 20))
    assert len(stored_files(harness)) == 4
    r = await harness.client.delete(f"/trips/{trip_id}", headers=ana.headers)
    assert r.status_code == 200
    assert stored_files(harness) == set()


async def test_a_refused_trip_delete_keeps_the_files(harness: AppHarness) -> None:
    ana, trip_id = await _trip(harness)
    bob = await make_rider(harness, "bob")
    await upload_photo(harness, ana, trip_id, images.jpeg(30, 20))
    r = await harness.client.delete(f"/trips/{trip_id}", headers=bob.headers)
    assert r.status_code == 403
    assert len(stored_files(harness)) == 2
