"""Upload fixtures for the benchmark, generated deterministically.

    python bench/fixtures.py DIR     -> DIR/photo_5mb.jpg, DIR/track_10mb.gpx

* ``photo_5mb.jpg``: a 4000 x 3000 (12 Mpx, a phone camera's size) photo-like JPEG of just
  under 5 000 000 bytes, with EXIF orientation, so the whole image pipeline runs.
* ``track_10mb.gpx``: a GPX 1.1 track of just under 10 000 000 bytes (about 105 000 points
  with elevation and time, one per second, like a bike computer's log of a long day).
"""

from __future__ import annotations

import io
import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

PHOTO_BYTES = 5_000_000
GPX_BYTES = 10_000_000


def make_photo(path: Path) -> None:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(5)
    width, height = 4000, 3000
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    sky = np.stack(
        [
            90 + 80 * (y / height) + 20 * np.sin(x / 170.0),
            130 + 60 * (y / height) + 25 * np.cos(y / 90.0),
            200 - 90 * (y / height) + 15 * np.sin((x + y) / 230.0),
        ],
        axis=-1,
    )
    base = sky + rng.normal(0, 1, size=(height, width, 3)).astype(np.float32)
    image = None
    data = b""
    # Texture until the file is just under the target size (more noise = bigger file).
    for sigma in (4, 6, 8, 10, 12, 14, 16, 18, 20, 24, 28, 32):
        noisy = base + rng.normal(0, sigma, size=(height, width, 3)).astype(np.float32)
        image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")
        exif = Image.Exif()
        exif[0x0112] = 1  # orientation
        exif[0x010F] = "ContraVento bench"
        for quality in (95, 93, 91, 89, 87, 85, 80):
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=quality, exif=exif)
            if buffer.tell() <= PHOTO_BYTES:
                data = buffer.getvalue()
                break
        if len(data) >= 0.95 * PHOTO_BYTES:
            break
    path.write_bytes(data)


def make_gpx(path: Path) -> None:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="ContraVento bench" '
        'xmlns="http://www.topografix.com/GPX/1/1">\n'
        "<metadata><name>Bench track</name></metadata>\n"
        "<trk><name>Bench track</name><trkseg>\n"
    )
    tail = "</trkseg></trk>\n</gpx>\n"
    lat, lon, ele = 42.3439, -3.6969, 850.0
    when = datetime(2025, 6, 1, 6, 0, 0, tzinfo=UTC)
    parts = [head]
    size = len(head) + len(tail)
    i = 0
    while True:
        heading = 0.7 + 0.5 * math.sin(i / 900.0)
        lat += 0.000045 * math.cos(heading)
        lon += 0.000060 * math.sin(heading)
        ele += 0.8 * math.sin(i / 400.0) + 0.1 * math.cos(i / 37.0)
        point = (
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele>'
            f"<time>{(when + timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
            "</trkpt>\n"
        )
        if size + len(point) > GPX_BYTES:
            break
        parts.append(point)
        size += len(point)
        i += 1
    parts.append(tail)
    path.write_text("".join(parts), encoding="ascii")


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    photo, gpx = out / "photo_5mb.jpg", out / "track_10mb.gpx"
    if not photo.exists():
        make_photo(photo)
    if not gpx.exists():
        make_gpx(gpx)
    print(f"{photo}: {photo.stat().st_size} bytes; {gpx}: {gpx.stat().st_size} bytes")


if __name__ == "__main__":
    main()
