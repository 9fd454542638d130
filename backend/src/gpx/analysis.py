"""The maths of a GPX track (contract §4.9 and §4.11), on a safely parsed :class:`Track`.

* Distance and elevation gain/loss of a processed track are gpxpy's: the 3-D length
  (``gpxpy.geo.distance`` between consecutive points, as ``length_3d``) and
  ``calculate_uphill_downhill`` (gpxpy's smoothed climb), per segment.
* The stored track is simplified with Ramer-Douglas-Peucker (epsilon 0.0001 degrees, about
  10 m) per segment; each kept point carries the cumulative haversine distance and the
  gradient against the previous kept point.
* Route statistics need timestamps.  ``max_gradient`` is a real measurement (the original
  wrote a fixed 15.0): the steepest gradient, up or down, over any
  :data:`GRADIENT_WINDOW_M` stretch of the elevation profile, after removing sensor jumps,
  resampling every :data:`PROFILE_STEP_M` and smoothing (a moving average over
  :data:`PROFILE_SMOOTHING` samples, so GPS noise does not read as a wall).  Climbs are found
  on the same profile.
* The wizard's telemetry is the quick variant: 2-D haversine distance and raw elevation sums.

Everything here is CPU work for a worker thread; nothing touches the database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

import numpy as np
import numpy.typing as npt
from gpxpy import geo

from src.gpx.parsing import Track

FloatArray = npt.NDArray[np.float64]

EARTH_RADIUS_M = 6_371_000.0
#: Ramer-Douglas-Peucker tolerance, in degrees of latitude/longitude (about 10 m)
SIMPLIFY_EPSILON_DEG = 0.0001
#: below this speed a stretch counts as stopped
MOVING_MIN_KMH = 1.0
#: fastest plausible speed, and the shortest stretch trusted for it
MAX_PLAUSIBLE_KMH = 100.0
MAX_SPEED_MIN_SECONDS = 2.0
PROFILE_STEP_M = 50.0
PROFILE_SMOOTHING = 5
GRADIENT_WINDOW_M = 100.0
#: a jump between two consecutive points larger than this and steeper than GLITCH_GRADIENT
#: is a sensor artefact, not terrain
GLITCH_MIN_M = 5.0
GLITCH_GRADIENT = 0.4
CLIMB_MIN_GAIN_M = 50.0
CLIMB_MAX_DROP_M = 10.0
CLIMB_MAX_FLAT_STEPS = 3
MAX_CLIMBS = 3

Difficulty = Literal["easy", "moderate", "difficult", "very_difficult", "extreme"]
GradientCategory = Literal["llano", "moderado", "empinado", "muy_empinado"]
GRADIENT_CATEGORIES: tuple[GradientCategory, ...] = (
    "llano",
    "moderado",
    "empinado",
    "muy_empinado",
)
#: upper bound of |gradient| (%) of each category but the last, and each one's midpoint
_CATEGORY_LIMITS = (3.0, 6.0, 10.0)
_CATEGORY_MIDPOINTS = (1.5, 4.5, 8.0, 12.0)


@dataclass(frozen=True)
class SimplePoint:
    latitude: float
    longitude: float
    elevation: float | None
    distance_km: float
    gradient: float | None


@dataclass(frozen=True)
class Climb:
    start_km: float
    end_km: float
    elevation_gain_m: float
    avg_gradient: float
    description: str


@dataclass(frozen=True)
class RouteStats:
    avg_speed_kmh: float | None
    max_speed_kmh: float | None
    total_time_minutes: float | None
    moving_time_minutes: float | None
    avg_gradient: float | None
    max_gradient: float | None
    top_climbs: list[Climb] | None


@dataclass(frozen=True)
class Processed:
    """What the upload path stores for a track."""

    distance_km: float
    elevation_gain: float | None
    elevation_loss: float | None
    max_elevation: float | None
    min_elevation: float | None
    has_elevation: bool
    has_timestamps: bool
    start: tuple[float, float]
    end: tuple[float, float]
    total_points: int
    points: list[SimplePoint]
    stats: RouteStats | None


@dataclass(frozen=True)
class Telemetry:
    """The wizard's quick analysis (``GPXTelemetry`` without the suggested title)."""

    distance_km: float
    elevation_gain: float | None
    elevation_loss: float | None
    max_elevation: float | None
    min_elevation: float | None
    has_elevation: bool
    has_timestamps: bool
    start_date: date | None
    end_date: date | None
    total_time_minutes: float | None
    moving_time_minutes: float | None
    difficulty: Difficulty
    trackpoints: list[SimplePoint]


@dataclass(frozen=True)
class GradientBucket:
    distance_km: float
    percentage: float


# --------------------------------------------------------------------------------------
# geometry helpers
# --------------------------------------------------------------------------------------
def haversine_steps(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Great-circle distances (m) between consecutive points; length ``n - 1``."""
    if lat.size < 2:
        return np.zeros(0)
    phi = np.radians(lat)
    d_phi = np.diff(phi)
    d_lambda = np.radians(np.diff(lon))
    a = np.sin(d_phi / 2) ** 2 + np.cos(phi[:-1]) * np.cos(phi[1:]) * np.sin(d_lambda / 2) ** 2
    result: FloatArray = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return result


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def _segment_breaks(track: Track) -> npt.NDArray[np.bool_]:
    """For each step i (between points i and i+1): True when i+1 starts a new segment."""
    breaks = np.zeros(max(0, track.size - 1), dtype=bool)
    for start, _end in track.segments[1:]:
        breaks[start - 1] = True
    return breaks


def rdp_indices(lat: FloatArray, lon: FloatArray, epsilon: float) -> list[int]:
    """Indices kept by Ramer-Douglas-Peucker on (lon, lat), iteratively.

    The work is bounded: past ``40 n`` distance evaluations (only reachable with crafted
    input) the remaining stretches keep every point farther than ``epsilon`` from the last
    kept one, which is linear.
    """
    n = lat.size
    if n < 3:
        return list(range(n))
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    budget = 40 * n
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        if budget <= 0:
            _radial_fill(lat, lon, first, last, epsilon, keep)
            continue
        budget -= last - first
        x0, y0 = lon[first], lat[first]
        dx, dy = lon[last] - x0, lat[last] - y0
        xs = lon[first + 1 : last] - x0
        ys = lat[first + 1 : last] - y0
        norm = math.hypot(dx, dy)
        # distance to the chord (to the first point when the stretch is a loop)
        distances = np.hypot(xs, ys) if norm == 0.0 else np.abs(dy * xs - dx * ys) / norm
        index = int(np.argmax(distances))
        if distances[index] > epsilon:
            middle = first + 1 + index
            keep[middle] = True
            stack.append((first, middle))
            stack.append((middle, last))
    return [int(i) for i in np.flatnonzero(keep)]


def _radial_fill(
    lat: FloatArray,
    lon: FloatArray,
    first: int,
    last: int,
    epsilon: float,
    keep: npt.NDArray[np.bool_],
) -> None:
    anchor = first
    for i in range(first + 1, last):
        if math.hypot(lon[i] - lon[anchor], lat[i] - lat[anchor]) > epsilon:
            keep[i] = True
            anchor = i


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


# --------------------------------------------------------------------------------------
# difficulty and titles (§4.11)
# --------------------------------------------------------------------------------------
def difficulty(distance_km: float | None, elevation_gain: float | None) -> Difficulty:
    km = max(0.0, distance_km or 0.0)
    gain = max(0.0, elevation_gain) if elevation_gain is not None else None

    def over(km_limit: float, gain_limit: float) -> bool:
        return km >= km_limit or (gain is not None and gain >= gain_limit)

    if over(150, 2500):
        return "extreme"
    if over(100, 1500):
        return "very_difficult"
    if over(60, 1000):
        return "difficult"
    if over(30, 500):
        return "moderate"
    return "easy"


_DATE_RE = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_NOISE_RE = re.compile(
    r"\b(?:v\d+|final|definitivo|export|copia|copy|backup|temp|tmp)\b", re.IGNORECASE
)
_LEADING_WORDS = {"track", "gps", "route", "ruta"}
_UPPER_WORDS = {"GPS", "POI", "GPX", "MTB", "BTT"}
#: roman numerals 1-89 (stage numbers); excludes words such as "Cid" or "Mi"
_ROMAN_RE = re.compile(r"^(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$", re.IGNORECASE)


def suggested_title(filename: str | None, fallback: str) -> str:
    """A trip title from the uploaded file's name (§4.11), or ``fallback``."""
    name = (filename or "").strip().replace("\\", "/").rsplit("/", 1)[-1]
    if not name or name.startswith("."):
        return fallback
    if "." in name:
        name = name.rsplit(".", 1)[0]
    name = _DATE_RE.sub(" ", name)
    name = name.replace("_", " ").replace("-", " ")
    name = _NOISE_RE.sub(" ", name)
    words = name.split()
    if len(words) > 2 and words[0].lower() in _LEADING_WORDS and len(words) - 1 >= 2:
        words = words[1:]

    def styled(word: str) -> str:
        if word.upper() in _UPPER_WORDS or _ROMAN_RE.match(word):
            return word.upper()
        return word[:1].upper() + word[1:].lower()

    title = " ".join(styled(word) for word in words if word)
    return title if len(title) >= 3 else fallback


# --------------------------------------------------------------------------------------
# gradients
# --------------------------------------------------------------------------------------
def _category(gradient: float) -> int:
    magnitude = abs(gradient)
    for index, limit in enumerate(_CATEGORY_LIMITS):
        if magnitude <= limit:
            return index
    return len(_CATEGORY_LIMITS)


def gradient_distribution(
    distances_km: Sequence[float], gradients: Sequence[float | None]
) -> dict[GradientCategory, GradientBucket]:
    """Distance per gradient category along a (stored) track; percentages of its length."""
    per_category = [0.0] * len(GRADIENT_CATEGORIES)
    for i in range(1, len(distances_km)):
        gradient = gradients[i]
        if gradient is None:
            continue
        step = distances_km[i] - distances_km[i - 1]
        if step > 0:
            per_category[_category(gradient)] += step
    total = distances_km[-1] if distances_km else 0.0
    return {
        name: GradientBucket(
            distance_km=round(per_category[i], 2),
            percentage=round(per_category[i] / total * 100, 1) if total > 0 else 0.0,
        )
        for i, name in enumerate(GRADIENT_CATEGORIES)
    }


def average_gradient(distances_km: Sequence[float], gradients: Sequence[float | None]) -> float:
    """Distance-weighted mean of the category midpoints (as the original defined it)."""
    weighted = covered = 0.0
    for i in range(1, len(distances_km)):
        gradient = gradients[i]
        step = distances_km[i] - distances_km[i - 1]
        if gradient is None or step <= 0:
            continue
        weighted += _CATEGORY_MIDPOINTS[_category(gradient)] * step
        covered += step
    return round(weighted / covered, 1) if covered > 0 else 0.0


def _without_jumps(elevations: FloatArray, steps: FloatArray) -> FloatArray:
    """Elevations with sensor jumps removed: a change of more than GLITCH_MIN_M between two
    consecutive points that is steeper than GLITCH_GRADIENT (a barometer recalibrating after
    a pause, a GPS fix) is taken out of the profile instead of being read as a wall."""
    deltas = np.diff(elevations)
    jumps = (np.abs(deltas) > GLITCH_MIN_M) & (
        np.abs(deltas) > GLITCH_GRADIENT * np.maximum(steps, 1.0)
    )
    jumps &= ~np.isnan(deltas)
    if not bool(jumps.any()):
        return elevations
    offsets = np.concatenate(([0.0], np.cumsum(np.where(jumps, deltas, 0.0))))
    repaired: FloatArray = elevations - offsets
    return repaired


def _profile(
    distances_m: FloatArray, elevations: FloatArray
) -> tuple[FloatArray, FloatArray] | None:
    """The elevation profile, without sensor jumps, resampled every PROFILE_STEP_M and
    smoothed (moving average of PROFILE_SMOOTHING samples); None without elevations."""
    known = ~np.isnan(elevations)
    if int(known.sum()) < 2:
        return None
    d = distances_m[known]
    e = _without_jumps(elevations[known], np.diff(d))
    if d[-1] - d[0] <= 0:
        return None
    grid = np.arange(d[0], d[-1], PROFILE_STEP_M)
    grid = np.append(grid, d[-1])
    return grid, _smooth(np.interp(grid, d, e), PROFILE_SMOOTHING)


def max_gradient(grid: FloatArray, profile: FloatArray) -> float | None:
    """Steepest |gradient| (%) over any stretch of at least GRADIENT_WINDOW_M."""
    span = float(grid[-1] - grid[0])
    if span <= 0:
        return None
    if span <= GRADIENT_WINDOW_M:
        return round(abs(float(profile[-1] - profile[0])) / span * 100, 1)
    steps = max(1, math.ceil(GRADIENT_WINDOW_M / PROFILE_STEP_M))
    rise = profile[steps:] - profile[:-steps]
    run = grid[steps:] - grid[:-steps]
    valid = run >= GRADIENT_WINDOW_M - 1e-6
    if not bool(valid.any()):
        return round(abs(float(profile[-1] - profile[0])) / span * 100, 1)
    return round(float(np.max(np.abs(rise[valid] / run[valid]))) * 100, 1)


def _smooth(values: FloatArray, window: int) -> FloatArray:
    if values.size < window:
        return values
    kernel = np.ones(window) / window
    padded = np.pad(values, (window // 2, window // 2), mode="edge")
    smoothed: FloatArray = np.convolve(padded, kernel, mode="valid")
    return smoothed


def top_climbs(grid: FloatArray, profile: FloatArray) -> list[Climb]:
    """The three hardest climbs (§4.9): each runs from its foot to its highest point and ends
    when the road drops more than 10 m below that top or stops rising for 3 samples."""
    e = profile
    n = e.size
    found: list[tuple[float, int, int]] = []
    i = 0
    while i < n - 1:
        if e[i + 1] <= e[i]:
            i += 1
            continue
        foot = top = i
        flat = 0
        j = i
        while j < n - 1:
            j += 1
            if e[j] > e[top]:
                top = j
            if e[j] > e[j - 1]:
                flat = 0
            else:
                flat += 1
            if e[top] - e[j] > CLIMB_MAX_DROP_M or flat >= CLIMB_MAX_FLAT_STEPS:
                break
        gain = float(e[top] - e[foot])
        length = float(grid[top] - grid[foot])
        if gain >= CLIMB_MIN_GAIN_M and length > 0:
            grade = gain / length * 100
            found.append((gain * (1 + grade / 10), foot, top))
        i = max(top, i + 1)
    found.sort(key=lambda item: item[0], reverse=True)
    climbs: list[Climb] = []
    for rank, (_score, foot, top) in enumerate(found[:MAX_CLIMBS], start=1):
        gain = float(e[top] - e[foot])
        grade = gain / float(grid[top] - grid[foot]) * 100
        climbs.append(
            Climb(
                start_km=round(float(grid[foot]) / 1000, 2),
                end_km=round(float(grid[top]) / 1000, 2),
                elevation_gain_m=round(gain, 1),
                avg_gradient=round(grade, 1),
                description=f"Subida {rank}: {gain:.0f}m gain, {grade:.1f}% avg gradient",
            )
        )
    return climbs


# --------------------------------------------------------------------------------------
# the track as arrays
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Arrays:
    lat: FloatArray
    lon: FloatArray
    ele: FloatArray  # NaN where unknown
    seconds: FloatArray  # POSIX seconds, NaN where unknown
    steps: FloatArray  # haversine metres to the next point; 0 across segment breaks
    cumulative: FloatArray  # metres from the start (segment gaps not counted)


def _arrays(track: Track) -> _Arrays:
    steps = haversine_steps(track.lat, track.lon)
    steps[_segment_breaks(track)] = 0.0
    cumulative = np.concatenate(([0.0], np.cumsum(steps)))
    return _Arrays(track.lat, track.lon, track.ele, track.seconds, steps, cumulative)


def _simplify(track: Track, arrays: _Arrays) -> list[SimplePoint]:
    kept: list[int] = []
    breaks: set[int] = set()
    for start, end in track.segments:
        if kept:
            breaks.add(len(kept))
        kept.extend(
            start + i
            for i in rdp_indices(arrays.lat[start:end], arrays.lon[start:end], SIMPLIFY_EPSILON_DEG)
        )
    index = np.asarray(kept, dtype=np.int64)
    lat, lon, ele = arrays.lat[index], arrays.lon[index], arrays.ele[index]
    steps = haversine_steps(lat, lon)
    for position in breaks:
        steps[position - 1] = 0.0
    cumulative = np.concatenate(([0.0], np.cumsum(steps)))
    points: list[SimplePoint] = []
    for i in range(index.size):
        elevation = None if math.isnan(ele[i]) else float(ele[i])
        gradient = None
        if i > 0 and steps[i - 1] > 0 and elevation is not None and not math.isnan(ele[i - 1]):
            gradient = round(float((ele[i] - ele[i - 1]) / steps[i - 1] * 100), 2)
        points.append(
            SimplePoint(
                latitude=float(lat[i]),
                longitude=float(lon[i]),
                elevation=elevation,
                distance_km=round(float(cumulative[i]) / 1000, 3),
                gradient=gradient,
            )
        )
    return points


def _elevation_range(arrays: _Arrays) -> tuple[float | None, float | None]:
    known = arrays.ele[~np.isnan(arrays.ele)]
    if known.size == 0:
        return None, None
    return round(float(known.max()), 1), round(float(known.min()), 1)


def _gpxpy_distance_and_climb(track: Track) -> tuple[float, float, float]:
    """gpxpy's 3-D length (m) and smoothed uphill/downhill (m), summed over segments."""
    length = uphill = downhill = 0.0
    lat: list[float] = track.lat.tolist()
    lon: list[float] = track.lon.tolist()
    ele: list[float | None] = [None if math.isnan(e) else e for e in track.ele.tolist()]
    for start, end in track.segments:
        length += sum(
            map(
                geo.distance,
                lat[start : end - 1],
                lon[start : end - 1],
                ele[start : end - 1],
                lat[start + 1 : end],
                lon[start + 1 : end],
                ele[start + 1 : end],
            )
        )
        up, down = geo.calculate_uphill_downhill(ele[start:end])
        uphill += up
        downhill += down
    return length, uphill, downhill


def _moving_seconds(arrays: _Arrays, *, threshold_kmh: float) -> tuple[float, float | None]:
    """Seconds spent at ``threshold_kmh`` or faster, and the fastest plausible speed."""
    dt = np.diff(arrays.seconds)
    valid = ~np.isnan(dt) & (dt > 0) & (arrays.steps > 0)
    if not bool(valid.any()):
        return 0.0, None
    speeds = np.zeros_like(dt)
    speeds[valid] = arrays.steps[valid] / dt[valid] * 3.6
    moving = valid & (speeds >= threshold_kmh)
    trusted = valid & (dt >= MAX_SPEED_MIN_SECONDS) & (speeds <= MAX_PLAUSIBLE_KMH)
    fastest = float(speeds[trusted].max()) if bool(trusted.any()) else None
    return float(dt[moving].sum()), fastest


def _time_span(arrays: _Arrays) -> float | None:
    known = arrays.seconds[~np.isnan(arrays.seconds)]
    if known.size == 0:
        return None
    return max(0.0, float(known[-1] - known[0]))


def _route_stats(arrays: _Arrays, points: list[SimplePoint]) -> RouteStats:
    total_seconds = _time_span(arrays) or 0.0
    moving_seconds, fastest = _moving_seconds(arrays, threshold_kmh=MOVING_MIN_KMH)
    moving_seconds = min(moving_seconds, total_seconds)
    distance_km = float(arrays.cumulative[-1]) / 1000
    avg_speed = distance_km / (moving_seconds / 3600) if moving_seconds > 0 else None
    avg_grad = max_grad = None
    climbs: list[Climb] | None = None
    profile = _profile(arrays.cumulative, arrays.ele)
    if profile is not None:
        grid, elevations = profile
        max_grad = max_gradient(grid, elevations)
        climbs = top_climbs(grid, elevations)
        distances = [p.distance_km for p in points]
        gradients = [p.gradient for p in points]
        avg_grad = average_gradient(distances, gradients)
    return RouteStats(
        avg_speed_kmh=_round(avg_speed, 2),
        max_speed_kmh=_round(fastest, 2),
        total_time_minutes=round(total_seconds / 60, 1),
        moving_time_minutes=round(moving_seconds / 60, 1),
        avg_gradient=avg_grad,
        max_gradient=max_grad,
        top_climbs=climbs,
    )


# --------------------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------------------
def process(track: Track) -> Processed:
    """Everything the upload path stores (§4.9)."""
    arrays = _arrays(track)
    has_elevation = track.has_elevation
    has_timestamps = track.has_timestamps
    length_m, uphill, downhill = _gpxpy_distance_and_climb(track)
    highest, lowest = _elevation_range(arrays)
    points = _simplify(track, arrays)
    return Processed(
        distance_km=round(length_m / 1000, 2),
        elevation_gain=round(uphill, 1) if has_elevation else None,
        elevation_loss=round(downhill, 1) if has_elevation else None,
        max_elevation=highest,
        min_elevation=lowest,
        has_elevation=has_elevation,
        has_timestamps=has_timestamps,
        start=(float(track.lat[0]), float(track.lon[0])),
        end=(float(track.lat[-1]), float(track.lon[-1])),
        total_points=track.size,
        points=points,
        stats=_route_stats(arrays, points) if has_timestamps else None,
    )


def telemetry(track: Track, points: list[SimplePoint] | None = None) -> Telemetry:
    """The wizard's quick analysis (§4.11): 2-D haversine distance, raw elevation sums."""
    arrays = _arrays(track)
    distance_km = round(float(arrays.cumulative[-1]) / 1000, 2)
    has_elevation = track.has_elevation
    gain = loss = None
    if has_elevation:
        deltas = np.diff(arrays.ele)
        deltas[_segment_breaks(track)] = math.nan
        deltas = deltas[~np.isnan(deltas)]
        gain = round(float(deltas[deltas > 0].sum()), 1)
        loss = round(float(np.abs(deltas[deltas < 0]).sum()), 1)
    highest, lowest = _elevation_range(arrays)
    known = arrays.seconds[~np.isnan(arrays.seconds)]
    has_timestamps = bool(known.size)
    total_minutes = moving_minutes = None
    start_date = end_date = None
    if known.size:
        # first and last in recording order: a stray point from another day is not the end
        first, last = float(known[0]), float(known[-1])
        start_date = datetime.fromtimestamp(first, UTC).date()
        end_date = max(start_date, datetime.fromtimestamp(last, UTC).date())
        total_seconds = max(0.0, last - first)
        moving_seconds, _fastest = _moving_seconds(arrays, threshold_kmh=MOVING_MIN_KMH)
        total_minutes = round(total_seconds / 60, 1)
        moving_minutes = round(min(moving_seconds, total_seconds) / 60, 1)
    return Telemetry(
        distance_km=distance_km,
        elevation_gain=gain,
        elevation_loss=loss,
        max_elevation=highest,
        min_elevation=lowest,
        has_elevation=has_elevation,
        has_timestamps=has_timestamps,
        start_date=start_date,
        end_date=end_date,
        total_time_minutes=total_minutes,
        moving_time_minutes=moving_minutes,
        difficulty=difficulty(distance_km, gain),
        trackpoints=points if points is not None else _simplify(track, arrays),
    )
