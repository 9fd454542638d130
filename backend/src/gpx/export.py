"""Writing a GPX 1.1 file from a parsed track, without the points that must stay hidden.

Used for downloads by anyone but the rider when the rider has privacy zones: the served file
is regenerated from the original's points (elevations and times as written), never the
original itself, so nothing inside a zone (nor the original's metadata) leaves the server.
A track segment that crosses a zone is split in two, so no line is drawn through it.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from src.gpx.parsing import Track, Waypoint
from src.gpx.privacy import BoolArray, Zone, is_outside

GPX_NAMESPACE = "http://www.topografix.com/GPX/1/1"


def _number(value: float) -> str:
    return repr(float(value))


def _point(tag: str, lat: float, lon: float, ele: float, time: str | None, indent: str) -> str:
    parts = [f"{indent}<{tag} lat={quoteattr(_number(lat))} lon={quoteattr(_number(lon))}>"]
    if not math.isnan(ele):
        parts.append(f"<ele>{_number(ele)}</ele>")
    if time:
        parts.append(f"<time>{escape(time)}</time>")
    parts.append(f"</{tag}>")
    return "".join(parts)


def _waypoint(point: Waypoint) -> str:
    parts = [
        f"  <wpt lat={quoteattr(_number(point.latitude))} "
        f"lon={quoteattr(_number(point.longitude))}>"
    ]
    if point.elevation is not None:
        parts.append(f"<ele>{_number(point.elevation)}</ele>")
    if point.time_text:
        parts.append(f"<time>{escape(point.time_text)}</time>")
    if point.name:
        parts.append(f"<name>{escape(point.name)}</name>")
    parts.append("</wpt>")
    return "".join(parts)


def write_gpx(track: Track, keep: BoolArray, title: str, zones: list[Zone]) -> bytes:
    """A GPX file with the points where ``keep`` is true (and the waypoints outside
    ``zones``), named ``title``."""
    name = escape(title)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="1.1" creator="ContraVento" xmlns="{GPX_NAMESPACE}">',
        f"  <metadata><name>{name}</name></metadata>",
    ]
    lines.extend(
        _waypoint(point)
        for point in track.waypoints
        if is_outside(point.latitude, point.longitude, zones)
    )
    lines.append(f"  <trk><name>{name}</name>")
    lat, lon, ele = track.lat.tolist(), track.lon.tolist(), track.ele.tolist()
    times = track.time_text
    for start, end in track.segments:
        visible = np.flatnonzero(keep[start:end]) + start
        if visible.size == 0:
            continue
        # runs of consecutive visible points become segments
        cuts = np.flatnonzero(np.diff(visible) != 1) + 1
        for run in np.split(visible, cuts):
            lines.append("    <trkseg>")
            lines.extend(
                _point("trkpt", lat[i], lon[i], ele[i], times[i], "      ") for i in run.tolist()
            )
            lines.append("    </trkseg>")
    lines.append("  </trk>")
    lines.append("</gpx>")
    return ("\n".join(lines) + "\n").encode("utf-8")
