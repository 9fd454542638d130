"""POI photos: the image pipeline, hostile files, replacement, and the files that go with
deleted POIs, trips and accounts (contract §2.16, §4.8)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import ExifTags, Image
from sqlalchemy import func, select

from src.core.storage import key_from_url
from src.pois.models import PointOfInterest
from tests import images
from tests.conftest import AppHarness
from tests.helpers import PASSWORD
from tests.pois.helpers import create_poi, error, poi_files, upload
from tests.trips.helpers import Rider, create_trip, make_rider, published_trip


def stored(h: AppHarness, url: str) -> Path:
    key = key_from_url(url)
    assert key is not None
    return Path(h.services.settings.STORAGE_PATH) / key


async def _poi(h: AppHarness, rider: Rider | None = None) -> tuple[Rider, str, str]:
    owner = rider or await make_rider(h, "ana")
    trip_id = (await published_trip(h, owner))["trip_id"]
    return owner, trip_id, (await create_poi(h, owner, trip_id))["poi_id"]


async def test_upload_goes_through_the_image_pipeline(harness: AppHarness) -> None:
    h = harness
    ana, _, poi_id = await _poi(h)
    response = await upload(h, ana, poi_id, images.jpeg_with_gps())
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"success", "data", "error"}
    assert body["data"] == {
        "poi_id": poi_id,
        "photo_url": body["data"]["photo_url"],
        "name": "Mirador del Pico",
        "poi_type": "viewpoint",
    }
    url = body["data"]["photo_url"]
    assert re.fullmatch(rf"/storage/poi_photos/\d{{4}}/\d{{2}}/{poi_id}_[0-9a-f]{{32}}\.jpg", url)
    image = Image.open(io.BytesIO(stored(h, url).read_bytes()))
    assert image.format == "JPEG"
    assert image.size == (600, 800)  # EXIF orientation applied, then dropped
    exif = image.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in exif
    assert (await h.client.get(f"/pois/{poi_id}")).json()["photo_url"] == url

    # PNG and WebP are accepted and stored as JPEG; the replaced file is deleted
    png = await upload(h, ana, poi_id, images.png_rgba(), name="foto.png")
    assert png.status_code == 200
    assert not stored(h, url).exists()
    webp = await upload(h, ana, poi_id, images.webp(), name="foto.webp")
    assert webp.status_code == 200
    assert poi_files(h) == {stored(h, webp.json()["data"]["photo_url"])}
    assert Image.open(io.BytesIO(next(iter(poi_files(h))).read_bytes())).format == "JPEG"


async def test_upload_errors(harness: AppHarness) -> None:
    h = harness
    ana, _, poi_id = await _poi(h)
    bob = await make_rider(h, "bob")
    for data, message in (
        (images.gif(), "Solo se permiten archivos JPEG, PNG y WebP"),
        (images.svg(), "El archivo no es una imagen válida"),
        (images.truncated_jpeg(), "El archivo no es una imagen válida"),
        (images.png_bomb(), "La imagen es demasiado grande (máximo 12000 píxeles por lado)"),
        (b"", "El archivo está vacío"),
        (b"x" * (5 * 1024 * 1024 + 1), "El archivo no puede superar 5MB"),
    ):
        bad = await upload(h, ana, poi_id, data)
        assert bad.status_code == 400, message
        assert error(bad) == {"code": "VALIDATION_ERROR", "message": message, "field": "photo"}
    no_file = await h.client.post(f"/pois/{poi_id}/photo", headers=ana.headers)
    assert (no_file.status_code, error(no_file)["field"]) == (400, "photo")

    unknown = await upload(h, ana, "nope", images.jpeg())
    assert (unknown.status_code, error(unknown)) == (
        404,
        {"code": "NOT_FOUND", "message": "Punto de interés no encontrado"},
    )
    other = await upload(h, bob, poi_id, images.jpeg())
    assert (other.status_code, error(other)) == (
        403,
        {"code": "FORBIDDEN", "message": "Solo el autor del viaje puede gestionar sus POIs"},
    )
    assert (await upload(h, None, poi_id, images.jpeg())).status_code == 401
    assert poi_files(h) == set()
    assert (await h.client.get(f"/pois/{poi_id}")).json()["photo_url"] is None


async def test_files_of_deleted_or_replaced_photos_go_after_commit(harness: AppHarness) -> None:
    h = harness
    ana, trip_id, poi_id = await _poi(h)
    second = (await create_poi(h, ana, trip_id, sequence=1))["poi_id"]
    first_url = (await upload(h, ana, poi_id, images.jpeg())).json()["data"]["photo_url"]
    second_url = (await upload(h, ana, second, images.jpeg())).json()["data"]["photo_url"]
    assert len(poi_files(h)) == 2

    # pointing a POI at another POI's file never makes us delete that file
    borrowed = await h.client.put(
        f"/pois/{second}", json={"photo_url": first_url}, headers=ana.headers
    )
    assert borrowed.json()["photo_url"] == first_url
    assert not stored(h, second_url).exists()  # second's own file was replaced
    assert (await h.client.delete(f"/pois/{second}", headers=ana.headers)).status_code == 204
    assert stored(h, first_url).exists()

    cleared = await h.client.put(f"/pois/{poi_id}", json={"photo_url": None}, headers=ana.headers)
    assert cleared.json()["photo_url"] is None
    assert poi_files(h) == set()

    third_url = (await upload(h, ana, poi_id, images.jpeg())).json()["data"]["photo_url"]
    assert (await h.client.delete(f"/pois/{poi_id}", headers=ana.headers)).status_code == 204
    assert not stored(h, third_url).exists()


async def test_trip_and_account_deletion_take_pois_and_their_photos(harness: AppHarness) -> None:
    h = harness
    ana = await make_rider(h, "ana")
    bob = await make_rider(h, "bob")
    _, trip_id, poi_id = await _poi(h, ana)
    await upload(h, ana, poi_id, images.jpeg())
    draft = (await create_trip(h, ana))["trip_id"]
    draft_poi = (await create_poi(h, ana, draft))["poi_id"]
    await upload(h, ana, draft_poi, images.jpeg())
    _, _, bob_poi = await _poi(h, bob)
    bob_url = (await upload(h, bob, bob_poi, images.jpeg())).json()["data"]["photo_url"]
    assert len(poi_files(h)) == 3

    deleted = await h.client.delete(f"/trips/{trip_id}", headers=ana.headers)
    assert deleted.status_code == 200
    assert (await h.client.get(f"/pois/{poi_id}")).status_code == 404
    assert len(poi_files(h)) == 2

    gone = await h.client.request(
        "DELETE", "/auth/me", json={"password": PASSWORD}, headers=ana.headers
    )
    assert gone.status_code == 200, gone.text
    assert poi_files(h) == {stored(h, bob_url)}
    async with h.services.db.sessionmaker() as session:
        left = await session.scalar(select(func.count(PointOfInterest.poi_id)))
    assert left == 1
