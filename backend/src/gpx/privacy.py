"""Privacy zones: circles (centre, radius) whose points are hidden from everyone but the
rider.  Pure geometry here; the service decides who is the rider and loads the zones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from src.gpx.analysis import EARTH_RADIUS_M

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Zone:
    latitude: float
    longitude: float
    radius_m: float


def distances_m(
    latitudes: npt.ArrayLike, longitudes: npt.ArrayLike, latitude: float, longitude: float
) -> npt.NDArray[np.float64]:
    """Great-circle distance (m) from one point to many."""
    phi = np.radians(np.asarray(latitudes, dtype=np.float64))
    lam = np.radians(np.asarray(longitudes, dtype=np.float64))
    phi0, lam0 = np.radians(latitude), np.radians(longitude)
    a = np.sin((phi - phi0) / 2) ** 2 + np.cos(phi) * np.cos(phi0) * np.sin((lam - lam0) / 2) ** 2
    result: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return result


def outside_mask(
    latitudes: npt.ArrayLike, longitudes: npt.ArrayLike, zones: Sequence[Zone]
) -> BoolArray:
    """True for every point outside all the zones (a point on a circle is inside it)."""
    lat = np.asarray(latitudes, dtype=np.float64)
    lon = np.asarray(longitudes, dtype=np.float64)
    keep: BoolArray = np.ones(lat.shape, dtype=bool)
    for zone in zones:
        keep &= distances_m(lat, lon, zone.latitude, zone.longitude) > zone.radius_m
    return keep


def is_outside(latitude: float, longitude: float, zones: Sequence[Zone]) -> bool:
    return bool(outside_mask([latitude], [longitude], zones)[0])
