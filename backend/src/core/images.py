"""The image pipeline shared by profile photos, trip photos and POI photos.

* The file is identified by its content with Pillow, never by its name or Content-Type:
  only JPEG, PNG and WebP are accepted.
* Decompression bombs and oversized dimensions are refused before pixels are decoded.
* EXIF (GPS included) is dropped: outputs are re-encoded from pixels only, after applying the
  EXIF orientation.
* All work runs in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from src.core.errors import ValidationFailed

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # about 7300 x 5500
MAX_SIDE = 12_000
PROFILE_SIZE = 400
WEB_MAX_SIDE = 1200
THUMB_MAX_SIDE = 400

# Pillow raises DecompressionBombError above 2 x this; we refuse anything above it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class InvalidImage(ValidationFailed):
    """400 VALIDATION_ERROR for an upload that is not an acceptable image."""


@dataclass(frozen=True)
class EncodedImage:
    data: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"
    extension: str = "jpg"


@dataclass(frozen=True)
class TripImages:
    web: EncodedImage
    thumbnail: EncodedImage


def _open_verified(data: bytes, field: str, at_least: int | None = None) -> Image.Image:
    """The decoded image.  ``at_least``: the caller only needs both sides >= this many
    pixels, so a JPEG is decoded at the smallest 1/2, 1/4 or 1/8 scale that still gives
    them (libjpeg's DCT scaling): a 12 Mpx photo for a 1200 px web image decodes 4 times
    fewer pixels, and is resized from there."""
    if not data:
        raise InvalidImage("image_empty", field=field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise InvalidImage("image_format", field=field)
            width, height = probe.size
            if width <= 0 or height <= 0 or width > MAX_SIDE or height > MAX_SIDE:
                raise InvalidImage("image_dimensions", field=field, max_side=MAX_SIDE)
            if width * height > MAX_PIXELS:
                raise InvalidImage("image_dimensions", field=field, max_side=MAX_SIDE)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if at_least is not None and image.format == "JPEG":
                image.draft(image.mode, (at_least, at_least))
            image.load()
    except InvalidImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidImage("image_dimensions", field=field, max_side=MAX_SIDE) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise InvalidImage("image_invalid", field=field) from None
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image, quality: int) -> EncodedImage:
    buffer = io.BytesIO()
    # No exif= argument: nothing of the original metadata is written.
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return EncodedImage(data=buffer.getvalue(), width=image.width, height=image.height)


def _profile(data: bytes, field: str) -> EncodedImage:
    image = _to_rgb(_open_verified(data, field, at_least=PROFILE_SIZE))
    square = ImageOps.fit(image, (PROFILE_SIZE, PROFILE_SIZE), Image.Resampling.LANCZOS)
    return _encode(square, quality=85)


def _trip(data: bytes, field: str) -> TripImages:
    web = _to_rgb(_open_verified(data, field, at_least=WEB_MAX_SIDE))
    web.thumbnail((WEB_MAX_SIDE, WEB_MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = web.copy()
    thumb.thumbnail((THUMB_MAX_SIDE, THUMB_MAX_SIDE), Image.Resampling.LANCZOS)
    return TripImages(web=_encode(web, quality=85), thumbnail=_encode(thumb, quality=80))


def _plain(data: bytes, field: str) -> EncodedImage:
    image = _to_rgb(_open_verified(data, field, at_least=WEB_MAX_SIDE))
    image.thumbnail((WEB_MAX_SIDE, WEB_MAX_SIDE), Image.Resampling.LANCZOS)
    return _encode(image, quality=85)


async def process_profile_photo(data: bytes, field: str = "photo") -> EncodedImage:
    """Square-cropped 400x400 JPEG."""
    return await asyncio.to_thread(_profile, data, field)


async def process_trip_photo(data: bytes, field: str = "photo") -> TripImages:
    """A web image (longest side 1200) and a thumbnail (longest side 400), both JPEG."""
    return await asyncio.to_thread(_trip, data, field)


async def process_plain_photo(data: bytes, field: str = "photo") -> EncodedImage:
    """One re-encoded JPEG, longest side at most 1200 (POI photos)."""
    return await asyncio.to_thread(_plain, data, field)
