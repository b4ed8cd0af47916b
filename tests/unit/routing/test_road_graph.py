"""Building the CSR graph: fastest parallel edge, integer milliseconds, one strong component."""

from __future__ import annotations

import numpy as np
import pytest

from crisis_dispatch.routing.errors import GraphFormatError
from crisis_dispatch.routing.graph import build_road_graph, seconds_to_ms
from tests.unit.routing.graphs import grid_graph


def _graph(tails: list[int], heads: list[int], seconds: list[float], n: int = 4):
    return build_road_graph(np.arange(n) + 10, np.zeros(n), np.arange(n) * 0.001, tails, heads, seconds)


def test_only_the_largest_strongly_connected_component_is_kept() -> None:
    # 0 <-> 1 <-> 2 form a strong component; 3 can be entered but never left.
    graph = _graph([0, 1, 1, 2, 2], [1, 0, 2, 1, 3], [1, 1, 1, 1, 1])
    assert graph.node_count == 3
    assert graph.osmids.tolist() == [10, 11, 12]
    assert graph.edge_count == 4


def test_parallel_edges_keep_the_fastest_and_self_loops_are_dropped() -> None:
    graph = _graph([0, 0, 1, 1], [1, 1, 0, 1], [9.0, 2.5, 3.0, 1.0], n=2)
    assert graph.edge_count == 2
    assert graph.forward[0, 1] == 2500
    assert graph.forward[1, 0] == 3000


def test_times_are_whole_milliseconds_and_never_zero() -> None:
    assert seconds_to_ms([0.0, 0.0004, 1.2345, 2.0]).tolist() == [1, 1, 1234, 2000]


def test_a_network_without_edges_is_refused_with_its_name() -> None:
    with pytest.raises(GraphFormatError, match="no drivable edges"):
        _graph([0], [0], [1.0], n=1)


def test_reverse_is_the_transpose_of_forward() -> None:
    graph = grid_graph(6)
    assert (graph.reverse != graph.forward.T).nnz == 0
