"""A fitted travel-time model for regions without a road graph (Los Angeles first).

``log(seconds)`` is a ridge regression on features of the straight-line trip *and of where it
is*: log distance (cubic), bearing, and Gaussian radial-basis bumps over a grid covering the
region at the origin, the destination and the midpoint, each also multiplied by log distance.
The location terms let the model learn the shape of the city (freeways make long trips from
some places fast, hills and the coast make others slow), which no function of distance
alone can. Parameters are fitted by ``tools/fit_la_model.py`` and shipped as JSON; the
training data itself (CC BY-NC) is never shipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from crisis_dispatch.routing.errors import PointOutsideCoverageError
from crisis_dispatch.routing.geometry import bearing_rad, haversine_m

MIN_DISTANCE_M = 200.0
# Guard rails on predictions: an implied door-to-door speed outside this band is clamped,
# so an extrapolating polynomial term can never produce an absurd time.
MIN_SPEED_KMH = 5.0
MAX_SPEED_KMH = 110.0
MIN_SECONDS = 30.0
# Trips per block of the design matrix: about 5 MB of features, so the in-place passes over
# a block (standardise, einsum) run from the cache rather than from memory; twice as fast as
# 8,192-row (40 MB) blocks on a year of calls, and the same numbers (each row's sum is
# independent of its block).
FEATURE_BLOCK_ROWS = 1024


@dataclass(frozen=True)
class FeatureSpec:
    """Where the radial-basis centres sit and how wide they are."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float
    grid: int
    width: float  # Gaussian sigma as a multiple of the grid spacing

    def centres(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lat_c, lon_c = np.meshgrid(
            np.linspace(self.lat_min, self.lat_max, self.grid), np.linspace(self.lon_min, self.lon_max, self.grid)
        )
        return lat_c.ravel(), lon_c.ravel()

    def _rbf(self, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
        lat_c, lon_c = self.centres()
        step_lat = (self.lat_max - self.lat_min) / max(self.grid - 1, 1)
        step_lon = (self.lon_max - self.lon_min) / max(self.grid - 1, 1)
        # exp(-0.5 * z / width**2) with z = ((lat - lat_c) / step_lat)**2 + ((lon - lon_c) / step_lon)**2,
        # in place (the same operations in the same order, so the same numbers).
        z = np.subtract(lat[:, None], lat_c[None, :])
        z /= step_lat
        np.square(z, out=z)
        t = np.subtract(lon[:, None], lon_c[None, :])
        t /= step_lon
        np.square(t, out=t)
        z += t
        z *= -0.5
        z /= self.width**2
        return np.exp(z, out=z)

    def _rbf_of_points(self, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
        """:meth:`_rbf` evaluated once per distinct point (a fleet's few stations repeat over
        every call): the same numbers, row by row, at a fraction of the work."""
        points, inverse = np.unique(np.column_stack((lat, lon)), axis=0, return_inverse=True)
        if len(points) * 2 > len(lat):
            return self._rbf(lat, lon)
        return self._rbf(np.ascontiguousarray(points[:, 0]), np.ascontiguousarray(points[:, 1]))[inverse.ravel()]

    def features(self, o_lat: ArrayLike, o_lon: ArrayLike, d_lat: ArrayLike, d_lon: ArrayLike) -> NDArray[np.float64]:
        """Design matrix (without intercept) for trips from ``o`` to ``d``: the log distance
        (cubic), the bearing terms and each of them times the log distance, then the
        radial-basis bumps at the origin, the destination and the midpoint, then those bumps
        times the log distance. Filled in place, column block by column block."""
        o_lat_a, o_lon_a = np.atleast_1d(np.asarray(o_lat, float)), np.atleast_1d(np.asarray(o_lon, float))
        d_lat_a, d_lon_a = np.atleast_1d(np.asarray(d_lat, float)), np.atleast_1d(np.asarray(d_lon, float))
        dist = np.maximum(haversine_m(o_lat_a, o_lon_a, d_lat_a, d_lon_a), MIN_DISTANCE_M)
        x = np.log(dist / 1000.0)
        theta = bearing_rad(o_lat_a, o_lon_a, d_lat_a, d_lon_a)
        trig = np.column_stack((np.sin(theta), np.cos(theta), np.sin(2 * theta), np.cos(2 * theta)))
        k = self.grid**2
        out = np.empty((len(x), 11 + 6 * k))
        out[:, 0], out[:, 1], out[:, 2] = x, x**2, x**3
        out[:, 3:7] = trig
        out[:, 7:11] = trig * x[:, None]
        places = (
            self._rbf_of_points(o_lat_a, o_lon_a),
            self._rbf_of_points(d_lat_a, d_lon_a),
            self._rbf((o_lat_a + d_lat_a) / 2, (o_lon_a + d_lon_a) / 2),
        )
        for j, p in enumerate(places):
            out[:, 11 + j * k : 11 + (j + 1) * k] = p
            np.multiply(p, x[:, None], out=out[:, 11 + (3 + j) * k : 11 + (4 + j) * k])
        return out


@dataclass(frozen=True)
class TravelTimeModel:
    """Fitted parameters: standardisation, ridge coefficients, and the area covered."""

    region: str
    spec: FeatureSpec
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float
    coverage_margin_deg: float
    metrics: dict[str, Any]

    def covers(self, lat: float, lon: float) -> bool:
        m = self.coverage_margin_deg
        s = self.spec
        return s.lat_min - m <= lat <= s.lat_max + m and s.lon_min - m <= lon <= s.lon_max + m

    def check_covered(self, lat: ArrayLike, lon: ArrayLike) -> None:
        """Raise :class:`PointOutsideCoverageError` for the first point outside the fitted area
        (one vectorised test: a year of calls times a fleet is millions of points)."""
        la, lo = np.atleast_1d(np.asarray(lat, float)).ravel(), np.atleast_1d(np.asarray(lon, float)).ravel()
        if len(la) != len(lo):
            raise ValueError(f"{len(la)} latitudes but {len(lo)} longitudes")
        m, sp = self.coverage_margin_deg, self.spec
        # Written as covers() is, so a NaN is outside here too.
        inside = (sp.lat_min - m <= la) & (la <= sp.lat_max + m) & (sp.lon_min - m <= lo) & (lo <= sp.lon_max + m)
        if not inside.all():
            k = int(np.argmin(inside))
            raise PointOutsideCoverageError(
                f"point ({la[k]:.6f}, {lo[k]:.6f}) is outside the area the '{self.region}' travel-time model covers"
            )

    def log_seconds(self, o_lat: ArrayLike, o_lon: ArrayLike, d_lat: ArrayLike, d_lon: ArrayLike) -> NDArray[np.float64]:
        """Predicted log travel seconds (no coverage check)."""
        o_lat, o_lon, d_lat, d_lon = np.broadcast_arrays(
            *(np.atleast_1d(np.asarray(a, float)) for a in (o_lat, o_lon, d_lat, d_lon))
        )
        out = np.empty(len(o_lat), dtype=np.float64)
        # In blocks: the design matrix has ~600 columns, so a whole year of calls times a
        # fleet at once would need gigabytes. einsum, not BLAS matmul: each row's sum is then
        # independent of the batch it is in, so a trip gets the very same seconds whether
        # asked alone, with others, or in another block.
        for a in range(0, len(out), FEATURE_BLOCK_ROWS):
            b = a + FEATURE_BLOCK_ROWS
            feats = self.spec.features(o_lat[a:b], o_lon[a:b], d_lat[a:b], d_lon[a:b])
            feats -= self.mean  # in place: the same numbers as (feats - mean) / scale
            feats /= self.scale
            out[a:b] = np.einsum("ij,j->i", feats, self.coef) + self.intercept
        return out

    def seconds(self, o_lat: ArrayLike, o_lon: ArrayLike, d_lat: ArrayLike, d_lon: ArrayLike) -> NDArray[np.float64]:
        """Predicted travel seconds; raises for points outside the fitted area."""
        self.check_covered(o_lat, o_lon)
        self.check_covered(d_lat, d_lon)
        return self.unchecked_seconds(o_lat, o_lon, d_lat, d_lon)

    def unchecked_seconds(self, o_lat: ArrayLike, o_lon: ArrayLike, d_lat: ArrayLike, d_lon: ArrayLike) -> NDArray[np.float64]:
        """Predicted seconds, clamped to a plausible speed band, without the coverage check."""
        dist = haversine_m(o_lat, o_lon, d_lat, d_lon)
        low = np.maximum(dist / (MAX_SPEED_KMH / 3.6), MIN_SECONDS)
        high = np.maximum(dist / (MIN_SPEED_KMH / 3.6), MIN_SECONDS)
        return np.clip(np.exp(self.log_seconds(o_lat, o_lon, d_lat, d_lon)), low, high)

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "spec": self.spec.__dict__,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "coverage_margin_deg": self.coverage_margin_deg,
            "metrics": self.metrics,
        }

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> TravelTimeModel:
        return cls(
            region=payload["region"],
            spec=FeatureSpec(**payload["spec"]),
            mean=np.asarray(payload["mean"], float),
            scale=np.asarray(payload["scale"], float),
            coef=np.asarray(payload["coef"], float),
            intercept=float(payload["intercept"]),
            coverage_margin_deg=float(payload["coverage_margin_deg"]),
            metrics=dict(payload.get("metrics", {})),
        )

    @classmethod
    def load(cls, path: Path) -> TravelTimeModel:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def fit_ridge(
    spec: FeatureSpec, o_lat: ArrayLike, o_lon: ArrayLike, d_lat: ArrayLike, d_lon: ArrayLike, seconds: ArrayLike, alpha: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float]:
    """Ridge fit of log seconds on standardised features: ``(mean, scale, coef, intercept)``."""
    feats = spec.features(o_lat, o_lon, d_lat, d_lon)
    mean, scale = feats.mean(axis=0), feats.std(axis=0)
    scale[scale < 1e-12] = 1.0
    z = (feats - mean) / scale
    y = np.log(np.asarray(seconds, float))
    intercept = float(y.mean())
    coef = np.linalg.solve(z.T @ z + alpha * np.eye(z.shape[1]), z.T @ (y - intercept))
    return mean, scale, coef, intercept
