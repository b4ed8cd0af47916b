"""Points snap to the nearest network node; points off the network are refused clearly."""

from __future__ import annotations

import numpy as np
import pytest

from crisis_dispatch.routing.errors import PointOutsideCoverageError
from crisis_dispatch.routing.geometry import LatLon, haversine_m
from crisis_dispatch.routing.snapping import Snapper
from tests.unit.routing.graphs import grid_graph


@pytest.fixture(scope="module")
def graph():
    return grid_graph(10)


def test_every_node_snaps_to_itself(graph) -> None:
    index, distance = Snapper(graph).snap([LatLon(a, b) for a, b in zip(graph.lat, graph.lon, strict=True)])
    assert index.tolist() == list(range(graph.node_count))
    assert np.allclose(distance, 0.0)


def test_a_point_snaps_to_the_nearest_node_by_great_circle_distance(graph) -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        point = LatLon(rng.uniform(graph.lat.min(), graph.lat.max()), rng.uniform(graph.lon.min(), graph.lon.max()))
        nearest = int(np.argmin(haversine_m(point.lat, point.lon, graph.lat, graph.lon)))
        got = Snapper(graph).snap_one(point)
        assert haversine_m(point.lat, point.lon, graph.lat[got], graph.lon[got]) == pytest.approx(
            haversine_m(point.lat, point.lon, graph.lat[nearest], graph.lon[nearest]), abs=0.5
        )


def test_a_point_beyond_the_snap_limit_is_refused_with_its_distance(graph) -> None:
    far = LatLon(graph.lat.max() + 0.01, graph.lon.max())  # ~1.1 km north of the grid
    with pytest.raises(PointOutsideCoverageError, match=r"1,1\d\d m from the nearest road"):
        Snapper(graph, max_snap_m=500).snap([LatLon(graph.lat[0], graph.lon[0]), far])
    nearest = int(np.argmin(haversine_m(far.lat, far.lon, graph.lat, graph.lon)))  # the grid's north-east corner
    assert Snapper(graph, max_snap_m=2000).snap_one(far) == nearest


@pytest.mark.parametrize("point", [LatLon(91.0, 0.0), LatLon(0.0, 181.0), LatLon(float("nan"), 0.0)])
def test_invalid_coordinates_are_refused(graph, point: LatLon) -> None:
    with pytest.raises(ValueError, match="not a valid latitude/longitude"):
        Snapper(graph).snap([point])
