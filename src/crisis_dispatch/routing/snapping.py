"""Snapping points to the nearest network node with a k-d tree on projected coordinates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from crisis_dispatch.routing.errors import PointOutsideCoverageError
from crisis_dispatch.routing.geometry import LatLon, LocalProjection, check_latlon_array
from crisis_dispatch.routing.graph import RoadGraph

DEFAULT_MAX_SNAP_M = 500.0


class Snapper:
    """Nearest-node lookup; a point farther than ``max_snap_m`` from every node is refused."""

    def __init__(self, graph: RoadGraph, max_snap_m: float = DEFAULT_MAX_SNAP_M) -> None:
        self.graph_name = graph.name
        self.max_snap_m = float(max_snap_m)
        self._projection = LocalProjection(float(np.mean(graph.lat)))
        self._tree = cKDTree(self._projection.to_xy(graph.lat, graph.lon))

    def snap(self, points: Sequence[LatLon]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Node index and distance in metres of each point's nearest node.

        Raises :class:`PointOutsideCoverageError` naming the first point beyond ``max_snap_m``.
        """
        coords = check_latlon_array(points)
        if coords.shape[0] == 0:
            return np.empty(0, dtype=np.int64), np.empty(0)
        distance, index = self._tree.query(self._projection.to_xy(coords[:, 0], coords[:, 1]), k=1)
        too_far = np.flatnonzero(distance > self.max_snap_m)
        if too_far.size:
            i = int(too_far[0])
            lat, lon = coords[i]
            raise PointOutsideCoverageError(
                f"point ({lat:.6f}, {lon:.6f}) is {distance[i]:,.0f} m from the nearest road of network "
                f"'{self.graph_name}' (limit {self.max_snap_m:,.0f} m)"
            )
        return index.astype(np.int64), distance

    def snap_one(self, point: LatLon) -> int:
        """Node index of one point (see :meth:`snap`)."""
        return int(self.snap([point])[0][0])
