"""Reading untrusted GPX files safely.

The file is read in one streaming pass of the expat parser (the C parser of the standard
library), with the same defences as ``defusedxml``:

* any document type declaration is refused as soon as it starts, so no DTD is read, no entity
  can be declared (no "billion laughs" expansion) and no external entity or DTD can be
  fetched (no XXE); parameter entities are never parsed;
* the nesting depth (:data:`MAX_DEPTH`), the number of track points (:data:`MAX_POINTS`) and
  the size (:data:`MAX_FILE_BYTES`, checked before parsing) are bounded;
* no tree is built: only the values we need are kept, so memory stays proportional to the
  number of points.

Every refusal is a :class:`GPXError` (never another exception), which the service turns into
the contract's 4xx answer.  The GPS maths happen in :mod:`src.gpx.analysis`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from xml.parsers import expat

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_POINTS = 200_000
MAX_DEPTH = 32
#: the Dead Sea shore and the top of Everest: anything outside is a broken recording
MIN_ELEVATION = -420.0
MAX_ELEVATION = 8850.0

ErrorKind = Literal["format", "elevation"]


class GPXError(Exception):
    """A file we refuse: ``kind`` selects the error code, ``key`` and ``params`` the message."""

    def __init__(self, kind: ErrorKind, key: str, **params: Any) -> None:
        super().__init__(key)
        self.kind: ErrorKind = kind
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Waypoint:
    latitude: float
    longitude: float
    elevation: float | None
    #: as written in the file
    time_text: str | None
    name: str | None


@dataclass
class Track:
    """Every track point of the file, in order, as parallel arrays.

    ``segments`` are ``[start, end)`` index ranges: each ``<trkseg>`` (and each ``<trk>``)
    starts a new one, so a gap between two segments is never counted as distance.
    """

    lat: FloatArray
    lon: FloatArray
    #: metres; NaN where the point has no elevation
    ele: FloatArray
    #: POSIX seconds; NaN where the point has no (readable) time
    seconds: FloatArray
    #: each point's time as written in the file (kept for regenerated files)
    time_text: list[str | None]
    segments: list[tuple[int, int]]
    waypoints: list[Waypoint] = field(default_factory=list)

    @property
    def size(self) -> int:
        return int(self.lat.size)

    @property
    def has_elevation(self) -> bool:
        return bool((~np.isnan(self.ele)).any())

    @property
    def has_timestamps(self) -> bool:
        return bool((~np.isnan(self.seconds)).any())


class _Refused(Exception):
    """Raised inside expat callbacks; carries the GPXError out of the parser."""

    def __init__(self, error: GPXError) -> None:
        super().__init__(error.key)
        self.error = error


def _refuse_declaration(*_args: Any) -> None:
    raise _Refused(GPXError("format", "gpx_dtd_forbidden"))


def _refuse_external(*_args: Any) -> int:
    raise _Refused(GPXError("format", "gpx_dtd_forbidden"))


def _floats(values: list[str | None], key: str) -> FloatArray:
    """Numbers as written in the file (None: NaN), converted in one vectorised pass."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            array = np.array(values, dtype=np.float64)
    except (ValueError, TypeError, OverflowError, RuntimeWarning):
        raise GPXError("format", key) from None
    return array


def _coordinates(values: list[str | None], limit: float) -> FloatArray:
    if any(value is None for value in values):
        raise GPXError("format", "gpx_bad_coordinates")
    array = _floats(values, "gpx_bad_coordinates")
    if not bool((np.abs(array) <= limit).all()):  # NaN compares false as well
        raise GPXError("format", "gpx_bad_coordinates")
    return array


def _elevations(values: list[str | None]) -> FloatArray:
    cleaned = [None if value is None or not value.strip() else value for value in values]
    array = _floats(cleaned, "gpx_bad_elevation")
    known = array[~np.isnan(array)]
    if known.size < sum(value is not None for value in cleaned):  # "NaN" as an elevation
        raise GPXError("format", "gpx_bad_elevation")
    if not bool(np.isfinite(known).all()):
        raise GPXError("format", "gpx_bad_elevation")
    outside = known[(known < MIN_ELEVATION) | (known > MAX_ELEVATION)]
    if outside.size:
        raise GPXError(
            "elevation",
            "gpx_elevation_anomaly",
            value=round(float(outside[0]), 1),
            low=MIN_ELEVATION,
            high=MAX_ELEVATION,
        )
    return array


def parse_time(text: str | None) -> float:
    """ISO 8601 (``2024-06-01T08:00:00Z``, fractions, offsets) to POSIX seconds; NaN when
    missing or unreadable (an unreadable time is dropped, not refused)."""
    if not text:
        return math.nan
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return math.nan
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _seconds(values: list[str | None]) -> FloatArray:
    """Times to POSIX seconds: vectorised for the usual UTC form, one by one otherwise."""
    if not any(values):
        return np.full(len(values), math.nan)
    utc: list[str] = []
    for value in values:
        if not value:
            utc.append("NaT")
            continue
        value = value.strip()
        utc.append(value[:-1] if value.endswith(("Z", "z")) else value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            stamps = np.array(utc, dtype="datetime64[ms]")
    except (ValueError, TypeError, OverflowError, Warning):
        return np.array([parse_time(value) for value in values], dtype=np.float64)
    result = stamps.astype(np.int64).astype(np.float64) / 1000.0
    result[np.isnat(stamps)] = math.nan
    return result


# element kinds we react to (the text-bearing ones first: ``kind <= _NAME``)
_ELE, _TIME, _NAME, _TRKPT, _WPT, _TRKSEG, _TRK = range(1, 8)
_KINDS = {
    "ele": _ELE,
    "time": _TIME,
    "name": _NAME,
    "trkpt": _TRKPT,
    "wpt": _WPT,
    "trkseg": _TRKSEG,
    "trk": _TRK,
}


def read_gpx(data: bytes, *, waypoints: bool = False) -> Track:
    """The track points (and, when asked, the waypoints) of a GPX file.

    Raises :class:`GPXError` for anything that is not a safe, well-formed GPX file with
    plausible values.  Routes (``<rte>``) are ignored, as in the original.  The callbacks
    only collect the text of the values (the common case first: a point's ``<ele>`` and
    ``<time>``); numbers and times are converted afterwards in vectorised passes.
    """
    if len(data) > MAX_FILE_BYTES:
        raise GPXError("format", "gpx_too_large", mb=MAX_FILE_BYTES // (1024 * 1024))
    lat: list[str | None] = []
    lon: list[str | None] = []
    ele: list[str | None] = []
    times: list[str | None] = []
    segments: list[tuple[int, int]] = []
    #: (lat, lon, ele, time, name) as written
    wpts: list[tuple[str | None, str | None, str | None, str | None, str | None]] = []
    kinds = _KINDS.get

    depth = 0
    root_seen = False
    points = 0
    segment_start = 0
    #: 0 outside points, else _TRKPT or _WPT
    in_point = 0
    point_depth = 0
    #: the child of the point whose text is being collected (_ELE, _TIME, _NAME) or 0
    capture = 0
    point_ele: str | None = None
    point_time: str | None = None
    point_name: str | None = None
    wpt_lat: str | None = None
    wpt_lon: str | None = None

    def close_segment() -> None:
        nonlocal segment_start
        if len(lat) > segment_start:
            segments.append((segment_start, len(lat)))
        segment_start = len(lat)

    def root(name: str, _attrs: dict[str, str]) -> None:
        nonlocal depth, root_seen
        if name[name.rfind(":") + 1 :] != "gpx":
            raise _Refused(GPXError("format", "gpx_not_gpx"))
        depth = 1
        root_seen = True
        parser.StartElementHandler = start

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, points, in_point, point_depth, capture
        nonlocal point_ele, point_time, point_name, wpt_lat, wpt_lon
        depth += 1
        if depth > MAX_DEPTH:
            raise _Refused(GPXError("format", "gpx_too_deep", limit=MAX_DEPTH))
        kind = kinds(name)
        if kind is None:
            if ":" not in name:
                return
            kind = kinds(name[name.rfind(":") + 1 :])
            if kind is None:
                return
        if kind <= _NAME:  # <ele>, <time> or <name>: collected when a child of a point
            if in_point and depth == point_depth + 1:
                capture = kind
                if kind == _ELE:
                    point_ele = None
                elif kind == _TIME:
                    point_time = None
                else:
                    point_name = None
        elif kind == _TRKPT:
            if in_point:  # a point inside a point: ignored
                return
            points += 1
            if points > MAX_POINTS:
                raise _Refused(GPXError("format", "gpx_too_many_points", limit=MAX_POINTS))
            lat.append(attrs.get("lat"))
            lon.append(attrs.get("lon"))
            in_point = _TRKPT
            point_depth = depth
            point_ele = point_time = None
        elif kind == _WPT:
            if waypoints and not in_point:
                wpt_lat = attrs.get("lat")
                wpt_lon = attrs.get("lon")
                in_point = _WPT
                point_depth = depth
                point_ele = point_time = point_name = None
        elif not in_point:  # <trkseg> or <trk>: a new segment
            close_segment()

    def end(_name: str) -> None:
        nonlocal depth, in_point, capture
        depth -= 1
        if capture:
            capture = 0
        elif in_point and depth < point_depth:
            if in_point == _TRKPT:
                ele.append(point_ele)
                times.append(point_time)
            else:
                wpts.append((wpt_lat, wpt_lon, point_ele, point_time, point_name))
            in_point = 0

    def characters(chunk: str) -> None:
        nonlocal point_ele, point_time, point_name
        if capture == _ELE:
            point_ele = chunk if point_ele is None else point_ele + chunk
        elif capture == _TIME:
            point_time = chunk if point_time is None else point_time + chunk
        elif capture == _NAME:
            point_name = chunk if point_name is None else point_name + chunk

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.UnparsedEntityDeclHandler = _refuse_declaration
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = root
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as exc:
        raise GPXError(
            "format", "gpx_malformed", detail=expat.ErrorString(exc.code), line=exc.lineno
        ) from None
    if not root_seen:  # pragma: no cover - expat refuses a document without elements
        raise GPXError("format", "gpx_not_gpx")
    close_segment()
    if not lat:
        raise GPXError("format", "gpx_no_points")
    return Track(
        lat=_coordinates(lat, 90.0),
        lon=_coordinates(lon, 180.0),
        ele=_elevations(ele),
        seconds=_seconds(times),
        time_text=[value.strip() if value else None for value in times],
        segments=segments,
        waypoints=[_waypoint(*values) for values in wpts],
    )


def _waypoint(
    lat: str | None, lon: str | None, ele: str | None, time: str | None, name: str | None
) -> Waypoint:
    return Waypoint(
        latitude=float(_coordinates([lat], 90.0)[0]),
        longitude=float(_coordinates([lon], 180.0)[0]),
        elevation=None if not (ele and ele.strip()) else float(_elevations([ele])[0]),
        time_text=time.strip() if time else None,
        name=name.strip() if name and name.strip() else None,
    )


def check_gpx_head(data: bytes) -> None:
    """A quick look before a large file is queued: safe XML whose root element is ``<gpx>``.

    Parses only up to the root element (a document type declaration, which must come
    before it, is refused as in :func:`read_gpx`), so a large upload is answered at once;
    the full validation happens when the job runs.
    """
    if len(data) > MAX_FILE_BYTES:
        raise GPXError("format", "gpx_too_large", mb=MAX_FILE_BYTES // (1024 * 1024))

    class _Root(Exception):
        def __init__(self, name: str) -> None:
            super().__init__(name)
            self.name = name

    def start(name: str, _attrs: dict[str, str]) -> None:
        raise _Root(name)

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.UnparsedEntityDeclHandler = _refuse_declaration
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = start
    chunk = 64 * 1024
    try:
        for offset in range(0, len(data), chunk):
            parser.Parse(data[offset : offset + chunk], False)
        parser.Parse(b"", True)
    except _Root as root:
        if root.name[root.name.rfind(":") + 1 :] != "gpx":
            raise GPXError("format", "gpx_not_gpx") from None
        return
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as exc:
        raise GPXError(
            "format", "gpx_malformed", detail=expat.ErrorString(exc.code), line=exc.lineno
        ) from None
    raise GPXError("format", "gpx_not_gpx")
