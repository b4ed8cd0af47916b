"""Many-to-one ETAs equal networkx Dijkstra on the same integer weights, to the millisecond."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisis_dispatch.routing.engines import CCHEngine, DijkstraEngine
from crisis_dispatch.routing.graph import RoadGraph
from crisis_dispatch.routing.loaders import load_graph
from tests.shared_data import shared_data_dir
from tests.unit.routing.graphs import grid_graph

ENGINES = (CCHEngine, DijkstraEngine)


@pytest.fixture(scope="module")
def real_graph() -> tuple[RoadGraph, nx.DiGraph, dict[str, object]]:
    graph = load_graph(shared_data_dir() / "osm" / "san_francisco_ca_resp5.graphml")
    return graph, graph.to_networkx(), {e.__name__: e(graph) for e in ENGINES}


def _networkx_times(g: nx.DiGraph, sources: list[int], target: int) -> list[float]:
    return [float(nx.dijkstra_path_length(g, s, target, weight="ms")) for s in sources]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(2, 9), data=st.data())
def test_both_engines_equal_networkx_on_random_small_graphs(seed: int, size: int, data: st.DataObject) -> None:
    graph = grid_graph(size, seed=seed, oneway_share=0.4)
    n = graph.node_count
    target = data.draw(st.integers(0, n - 1), label="target")
    sources = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=12), label="sources")
    expected = _networkx_times(graph.to_networkx(), sources, target)
    for engine in ENGINES:
        assert engine(graph).times_to(np.array(sources), target).tolist() == expected


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_both_engines_equal_networkx_on_a_real_san_francisco_graph(real_graph, data: st.DataObject) -> None:
    graph, g, engines = real_graph
    n = graph.node_count
    target = data.draw(st.integers(0, n - 1), label="target")
    sources = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=20), label="sources")
    expected = _networkx_times(g, sources, target)
    for engine in engines.values():
        assert engine.times_to(np.array(sources), target).tolist() == expected


def test_units_sharing_a_node_and_a_unit_at_the_incident_are_answered() -> None:
    graph = grid_graph(5)
    engine = CCHEngine(graph)
    times = engine.times_to(np.array([3, 3, 7, 3]), 7)
    assert times[2] == 0.0
    assert times[0] == times[1] == times[3] > 0


def test_the_cch_engine_repins_when_the_unit_set_changes() -> None:
    graph = grid_graph(6, seed=3)
    cch, reference = CCHEngine(graph), DijkstraEngine(graph)
    for sources in ([1, 2, 3], [4, 5], [1, 2, 3], [30, 0, 17, 8]):
        assert cch.times_to(np.array(sources), 20).tolist() == reference.times_to(np.array(sources), 20).tolist()


def test_dijkstra_limit_leaves_far_units_unreached() -> None:
    graph = grid_graph(10)
    full = DijkstraEngine(graph).times_to(np.arange(graph.node_count), 0)
    limit = float(np.median(full))
    pruned = DijkstraEngine(graph, limit_ms=limit).times_to(np.arange(graph.node_count), 0)
    assert np.array_equal(pruned[full <= limit], full[full <= limit])
    assert np.all(np.isinf(pruned[full > limit]))
