"""The maths of real and hand-made tracks, checked against independent computations.

* 2-D distances: a haversine sum written in the test over points read with a regular
  expression (not the app's parser);
* 3-D distance and smoothed elevation gain: gpxpy's own parser and ``length_3d`` /
  ``get_uphill_downhill`` on the same (trusted) reference file;
* raw elevation gain: the sum of the positive differences, written in the test.
The expected numbers are also written down (docs/api/gpx.md explains them).
"""

from __future__ import annotations

import itertools
import math
from datetime import date

import gpxpy
import pytest

from src.gpx import analysis
from src.gpx.analysis import SIMPLIFY_EPSILON_DEG, difficulty, suggested_title
from src.gpx.parsing import read_gpx
from tests.gpx.helpers import gpx, haversine_km, line, raw_points, track

#: name -> (3-D km, 2-D km, smoothed gain, smoothed loss, raw gain, raw loss, max, min)
EXPECTED = {
    "via-verde.gpx": (143.66, 143.40, 632.0, 942.8, 696.5, 1007.3, 702.0, 264.3),
    "camino_del_cid.gpx": (8.42, 8.40, 380.0, 0.0, 380.0, 0.0, 625.0, 245.0),
    "short_route.gpx": (1.26, 1.26, 45.0, 0.0, 45.0, 0.0, 695.0, 650.0),
    "no_elevation.gpx": (0.56, 0.56, None, None, None, None, None, None),
}


def _haversine_sum_km(points: list[tuple[float, float, float | None]]) -> float:
    return sum(haversine_km(points[i - 1][:2], points[i][:2]) for i in range(1, len(points)))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reference_tracks_match_independent_computations(name: str) -> None:
    data = track(name)
    points = raw_points(data)
    parsed = read_gpx(data)
    processed = analysis.process(parsed)
    telemetry = analysis.telemetry(parsed, processed.points)
    km3d, km2d, gain, loss, raw_gain, raw_loss, highest, lowest = EXPECTED[name]

    # 2-D: our own haversine over the raw points
    assert telemetry.distance_km == round(_haversine_sum_km(points), 2) == km2d
    # 3-D and the smoothed climb: gpxpy parsing the file itself
    oracle = gpxpy.parse(data.decode("utf-8"))
    assert processed.distance_km == round(oracle.length_3d() / 1000, 2) == km3d
    uphill, downhill = oracle.get_uphill_downhill()
    if gain is None:
        assert processed.elevation_gain is None
        assert processed.elevation_loss is None
        assert telemetry.elevation_gain is None
    else:
        assert processed.elevation_gain == round(uphill, 1) == gain
        assert processed.elevation_loss == round(downhill, 1) == loss
        elevations = [p[2] for p in points if p[2] is not None]
        deltas = [b - a for a, b in itertools.pairwise(elevations)]
        assert telemetry.elevation_gain == round(sum(d for d in deltas if d > 0), 1) == raw_gain
        assert telemetry.elevation_loss == round(-sum(d for d in deltas if d < 0), 1) == raw_loss
    assert (processed.max_elevation, processed.min_elevation) == (highest, lowest)
    assert processed.total_points == len(points)
    assert processed.start == points[0][:2]
    assert processed.end == points[-1][:2]
    assert processed.has_timestamps
    assert telemetry.has_timestamps


def test_via_verde_is_a_two_day_ride() -> None:
    parsed = read_gpx(track("via-verde.gpx"))
    processed = analysis.process(parsed)
    telemetry = analysis.telemetry(parsed, processed.points)
    # the recording runs from 2017-05-09 09:56:50 to 2017-05-10 14:59:54 (one stray point of
    # another day in the middle does not move the end)
    assert (telemetry.start_date, telemetry.end_date) == (date(2017, 5, 9), date(2017, 5, 10))
    stats = processed.stats
    assert stats is not None
    assert stats.total_time_minutes == 1743.1
    assert stats.moving_time_minutes == telemetry.moving_time_minutes == 571.4
    assert stats.avg_speed_kmh == pytest.approx(15.06, abs=0.01)
    assert telemetry.difficulty == "very_difficult"  # 143 km
    # a railway path: a few percent at most, not the 30 % a barometer jump would suggest
    assert stats.max_gradient is not None
    assert 2.0 < stats.max_gradient < 8.0
    assert stats.top_climbs
    assert len(stats.top_climbs) <= 3
    assert all(climb.elevation_gain_m >= 50 for climb in stats.top_climbs)


def test_camino_del_cid_statistics() -> None:
    processed = analysis.process(read_gpx(track("camino_del_cid.gpx")))
    stats = processed.stats
    assert stats is not None
    # 20 points, 5 minutes apart, 8.40 km on the map
    assert stats.total_time_minutes == stats.moving_time_minutes == 95.0
    assert stats.avg_speed_kmh == pytest.approx(8.40 / (95 / 60), abs=0.01)
    assert stats.max_gradient == pytest.approx(380 / 8400 * 100, abs=1.5)
    assert stats.top_climbs is not None
    assert len(stats.top_climbs) == 1
    climb = stats.top_climbs[0]
    assert climb.elevation_gain_m == pytest.approx(380, abs=10)
    assert climb.description.startswith("Subida 1: ")


def _perpendicular_deg(
    point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]
) -> float:
    (y, x), (y0, x0), (y1, x1) = point, a, b
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy)
    if norm == 0:
        return math.hypot(x - x0, y - y0)
    return abs(dy * (x - x0) - dx * (y - y0)) / norm


def test_simplification_keeps_every_point_within_epsilon_and_true_distances() -> None:
    data = track("via-verde.gpx")
    points = raw_points(data)
    processed = analysis.process(read_gpx(data))
    kept = processed.points
    assert 2 < len(kept) < len(points) / 5
    coordinates = [p[:2] for p in points]
    indices: list[int] = []
    for point in kept:  # in order (a track may pass the same place twice)
        start = indices[-1] + 1 if indices else 0
        indices.append(coordinates.index((point.latitude, point.longitude), start))
    assert indices[0] == 0
    assert indices[-1] == len(points) - 1
    for a, b in itertools.pairwise(indices):
        for i in range(a + 1, b):
            assert (
                _perpendicular_deg(coordinates[i], coordinates[a], coordinates[b])
                <= SIMPLIFY_EPSILON_DEG
            )
    cumulative = 0.0
    assert kept[0].distance_km == 0.0
    assert kept[0].gradient is None
    for previous, point in itertools.pairwise(kept):
        step = haversine_km(
            (previous.latitude, previous.longitude), (point.latitude, point.longitude)
        )
        cumulative += step
        assert point.distance_km == pytest.approx(cumulative, abs=0.002)
        assert previous.elevation is not None
        assert point.elevation is not None
        assert point.gradient == pytest.approx(
            (point.elevation - previous.elevation) / (step * 1000) * 100, abs=0.01
        )


def test_segments_are_not_joined_by_a_straight_line() -> None:
    first = line(40.0, -3.0, north_m=100, count=11)  # 1 km
    second = line(41.0, -3.0, north_m=100, count=11)  # 1 km, 111 km further north
    body = (
        gpx(first).decode().replace("</trkseg></trk></gpx>", "</trkseg><trkseg>")
        + gpx(second).decode().split("<trkseg>", 1)[1]
    ).encode()
    parsed = read_gpx(body)
    assert len(parsed.segments) == 2
    processed = analysis.process(parsed)
    assert processed.distance_km == pytest.approx(2.0, abs=0.01)
    assert analysis.telemetry(parsed).distance_km == pytest.approx(2.0, abs=0.01)
    assert processed.points[-1].distance_km == pytest.approx(2.0, abs=0.01)


def test_max_gradient_measures_the_steepest_sustained_ramp_and_ignores_sensor_jumps() -> None:
    flat = [(40.0 + i * 0.0009, -3.0, 500.0) for i in range(12)]  # ~1.1 km flat
    start = flat[-1][0]
    # 1 km at 10 %: 100 m up, points every 50 m
    ramp = [(start + i * 50 / 111_194.9, -3.0, 500.0 + i * 5.0) for i in range(1, 21)]
    top = ramp[-1]
    tail = [(top[0] + i * 0.0009, -3.0, 600.0) for i in range(1, 12)]
    parsed = read_gpx(gpx(flat + ramp + tail))
    stats = analysis.process(parsed).stats
    assert stats is not None
    assert stats.max_gradient is not None
    assert 9.0 <= stats.max_gradient <= 10.5
    assert stats.top_climbs
    assert stats.top_climbs[0].elevation_gain_m == pytest.approx(100, abs=8)

    # a flat road where the barometer jumps 30 m between two points 5 m apart
    glitchy = line(40.0, -3.0, north_m=50, count=40, ele=300.0)
    glitchy = [(lat, lon, 330.0 if i >= 20 else 300.0) for i, (lat, lon, _e) in enumerate(glitchy)]
    stats = analysis.process(read_gpx(gpx(glitchy))).stats
    assert stats is not None
    assert stats.max_gradient is not None
    assert stats.max_gradient < 1.0
    assert stats.top_climbs == []


def test_no_elevation_means_no_gradients() -> None:
    processed = analysis.process(read_gpx(track("no_elevation.gpx")))
    assert processed.stats is not None
    assert processed.stats.max_gradient is None
    assert processed.stats.avg_gradient is None
    assert processed.stats.top_climbs is None
    assert all(point.gradient is None and point.elevation is None for point in processed.points)


def test_no_timestamps_means_no_route_statistics() -> None:
    parsed = read_gpx(gpx(line(40.0, -3.0, north_m=100, count=5), start=None))
    processed = analysis.process(parsed)
    assert processed.stats is None
    assert not processed.has_timestamps
    telemetry = analysis.telemetry(parsed)
    assert telemetry.start_date is None
    assert telemetry.total_time_minutes is None


def test_gradient_distribution_and_average() -> None:
    distances = [0.0, 1.0, 2.0, 3.0, 3.5, 4.0]
    gradients: list[float | None] = [None, 2.0, -5.0, 8.0, 15.0, None]
    buckets = analysis.gradient_distribution(distances, gradients)
    assert {name: b.distance_km for name, b in buckets.items()} == {
        "llano": 1.0,
        "moderado": 1.0,
        "empinado": 1.0,
        "muy_empinado": 0.5,
    }
    assert buckets["llano"].percentage == 25.0
    assert buckets["muy_empinado"].percentage == 12.5
    assert analysis.average_gradient(distances, gradients) == round(
        (1.5 + 4.5 + 8.0 + 12.0 * 0.5) / 3.5, 1
    )


@pytest.mark.parametrize(
    ("km", "gain", "expected"),
    [
        (0, None, "easy"),
        (29.9, 499, "easy"),
        (30, None, "moderate"),
        (10, 500, "moderate"),
        (60, 0, "difficult"),
        (5, 1000, "difficult"),
        (100, None, "very_difficult"),
        (5, 1500, "very_difficult"),
        (150, None, "extreme"),
        (1, 2500, "extreme"),
        (-5, -100, "easy"),
        (None, None, "easy"),
    ],
)
def test_difficulty_thresholds(km: float | None, gain: float | None, expected: str) -> None:
    assert difficulty(km, gain) == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("camino_del_cid.gpx", "Camino Del Cid"),
        ("2024-05-01_vuelta_sierra_final.gpx", "Vuelta Sierra"),
        ("Ruta-Pirineos-etapa-II-v2-copia.GPX", "Pirineos Etapa II"),
        ("track_mtb_btt_gps.gpx", "MTB BTT GPS"),
        ("ruta_corta.gpx", "Ruta Corta"),
        ("20240501.gpx", "Nueva Ruta"),
        (".hidden.gpx", "Nueva Ruta"),
        ("ab.gpx", "Nueva Ruta"),
        (None, "Nueva Ruta"),
        ("C:\\Users\\ana\\paseo del rio.gpx", "Paseo Del Rio"),
    ],
)
def test_suggested_titles(filename: str | None, expected: str) -> None:
    assert suggested_title(filename, "Nueva Ruta") == expected


def test_simplification_work_is_bounded_for_crafted_input() -> None:
    # a spiral is close to the worst case for Ramer-Douglas-Peucker
    n = 3000
    lat = [40.0 + 0.01 * (i / n) * math.cos(i / 10) for i in range(n)]
    lon = [-3.0 + 0.01 * (i / n) * math.sin(i / 10) for i in range(n)]
    import numpy as np

    kept = analysis.rdp_indices(np.array(lat), np.array(lon), SIMPLIFY_EPSILON_DEG)
    assert kept[0] == 0
    assert kept[-1] == n - 1
    assert kept == sorted(set(kept))
