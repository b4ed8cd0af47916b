"""Geometry helpers shared by the whole routing package (the only place they live).

Distances are great-circle (haversine) metres on a spherical Earth; projections are a
local equirectangular plane, accurate to well under 0.1 % across a city.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from crisis_dispatch.domain.geo import LatLon, is_latlon

__all__ = ["EARTH_RADIUS_M", "LatLon", "check_latlon", "check_latlon_array", "haversine_m", "bearing_rad"]

EARTH_RADIUS_M = 6_371_008.8


def check_latlon(point: LatLon) -> LatLon:
    """Return ``point`` as floats, or raise ``ValueError`` when it is not a valid coordinate."""
    lat, lon = float(point[0]), float(point[1])
    if not is_latlon(lat, lon):
        raise ValueError(f"({lat}, {lon}) is not a valid latitude/longitude")
    return LatLon(lat, lon)


def check_latlon_array(points: object) -> NDArray[np.float64]:
    """Points as an ``(n, 2)`` float array of (lat, lon); ``ValueError`` names the first invalid one."""
    array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    lat, lon = array[:, 0], array[:, 1]
    bad = np.flatnonzero(~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)))
    if bad.size:
        check_latlon(LatLon(*array[bad[0]]))
    return array


def haversine_m(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance in metres; broadcasts over numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def bearing_rad(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray[np.float64]:
    """Initial bearing from point 1 to point 2, radians clockwise from north."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    y = np.sin(dlmb) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dlmb)
    return np.arctan2(y, x)


class LocalProjection:
    """Equirectangular projection to metres around a reference latitude."""

    def __init__(self, ref_lat: float) -> None:
        self.ref_lat = float(ref_lat)
        self._kx = EARTH_RADIUS_M * math.cos(math.radians(self.ref_lat)) * math.pi / 180
        self._ky = EARTH_RADIUS_M * math.pi / 180

    def to_xy(self, lat: ArrayLike, lon: ArrayLike) -> NDArray[np.float64]:
        """Project to an ``(n, 2)`` array of metres (x east, y north)."""
        lat_a = np.atleast_1d(np.asarray(lat, dtype=float))
        lon_a = np.atleast_1d(np.asarray(lon, dtype=float))
        return np.column_stack((lon_a * self._kx, lat_a * self._ky))
