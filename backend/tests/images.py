"""Hostile and ordinary images for upload tests, built in memory."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image


def jpeg(width: int = 640, height: int = 480, color: str = "orange") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def png_rgba(width: int = 300, height: int = 200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 255, 100)).save(buffer, "PNG")
    return buffer.getvalue()


def webp(width: int = 320, height: int = 320) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, "WEBP")
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), "blue")
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Orientation] = 6  # rotated: width and height swap when applied
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (40.0, 25.0, 1.5),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (3.0, 42.0, 7.25),
    }
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def truncated_jpeg() -> bytes:
    data = jpeg(1200, 900)
    return data[: len(data) // 3]


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
    )


def text_as_jpeg() -> bytes:
    return b"this is plain text pretending to be a photo.jpg\n" * 20


def png_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A tiny PNG file whose header claims width x height pixels (a decompression bomb)."""
    raw = zlib.compress(b"\x00" * (1 + 1), 9)  # far less data than the header promises

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def has_exif(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    return bool(image.getexif()) or b"Exif" in data[:4096] or b"SpyCam" in data


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (16, 16), 1).save(buffer, "GIF")
    return buffer.getvalue()
