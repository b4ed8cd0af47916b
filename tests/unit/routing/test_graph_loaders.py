"""Loading road networks from GraphML, OSM XML and Overpass JSON, real and hand-made."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from crisis_dispatch.routing.errors import GraphFormatError
from crisis_dispatch.routing.graph import RoadGraph
from crisis_dispatch.routing.loaders import load_graph
from tests.shared_data import shared_data_dir

# Nodes / directed edges after keeping the largest strongly connected component.
REAL_GRAPHS = {
    "brooklyn_ny_resp10.graphml": (1903, 3507),
    "chandler_az_resp3.graphml": (1687, 2938),
    "los_altos_area_ca_all.graphml": (13473, 26761),
    "piedmont_oakland_ca_resp7.graphml": (8587, 17896),
    "san_francisco_ca_resp12.graphml": (5411, 11284),
    "san_francisco_ca_resp5.graphml": (2459, 4966),
}

NODES = {
    1: (34.0500, -118.2500),
    2: (34.0500, -118.2490),
    3: (34.0510, -118.2490),
    4: (34.0510, -118.2500),
    5: (34.0520, -118.2500),
}
WAYS = [
    ([1, 2, 3], {"highway": "residential", "maxspeed": "25 mph"}),
    ([3, 4], {"highway": "primary", "oneway": "yes"}),
    ([1, 4], {"highway": "tertiary", "oneway": "-1"}),
    ([4, 5], {"highway": "footway"}),
]


def _edges(graph: RoadGraph) -> set[tuple[int, int]]:
    ids = graph.osmids
    return set(zip(ids[graph.tail].tolist(), ids[graph.head].tolist(), strict=True))


def _osm_xml() -> str:
    nodes = "".join(f'<node id="{i}" lat="{lat}" lon="{lon}"/>' for i, (lat, lon) in NODES.items())
    ways = "".join(
        f'<way id="{100 + n}">'
        + "".join(f'<nd ref="{r}"/>' for r in refs)
        + "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        + "</way>"
        for n, (refs, tags) in enumerate(WAYS)
    )
    return f'<?xml version="1.0"?><osm version="0.6">{nodes}{ways}</osm>'


def _overpass() -> dict:
    nodes = [{"type": "node", "id": i, "lat": lat, "lon": lon} for i, (lat, lon) in NODES.items()]
    ways = [{"type": "way", "id": 100 + n, "nodes": refs, "tags": tags} for n, (refs, tags) in enumerate(WAYS)]
    return {"version": 0.6, "elements": nodes + ways}


def test_osm_xml_respects_oneway_tags_and_skips_footways(tmp_path: Path) -> None:
    path = tmp_path / "tiny.osm"
    path.write_text(_osm_xml(), encoding="utf-8")
    graph = load_graph(path)
    assert graph.osmids.tolist() == [1, 2, 3, 4]
    assert _edges(graph) == {(1, 2), (2, 1), (2, 3), (3, 2), (3, 4), (4, 1)}


def test_overpass_json_and_osm_xml_of_the_same_data_give_the_same_graph(tmp_path: Path) -> None:
    xml_path, json_path = tmp_path / "tiny.osm", tmp_path / "tiny.json.gz"
    xml_path.write_text(_osm_xml(), encoding="utf-8")
    json_path.write_bytes(gzip.compress(json.dumps(_overpass()).encode()))
    from_xml, from_json = load_graph(xml_path), load_graph(json_path)
    assert _edges(from_xml) == _edges(from_json)
    assert np.array_equal(from_xml.weight_ms, from_json.weight_ms)


def test_maxspeed_in_mph_sets_the_edge_time(tmp_path: Path) -> None:
    path = tmp_path / "tiny.osm"
    path.write_text(_osm_xml(), encoding="utf-8")
    graph = load_graph(path)
    one_to_two = int(np.flatnonzero((graph.osmids[graph.tail] == 1) & (graph.osmids[graph.head] == 2))[0])
    metres = 0.001 * 111_195 * np.cos(np.radians(34.05))  # 0.001 deg of longitude at 34.05 N
    assert graph.weight_ms[one_to_two] == pytest.approx(metres / (25 * 1.609344 / 3.6) * 1000, abs=2)


@pytest.mark.parametrize(
    ("name", "content"),
    [("broken.graphml", "<graphml><graph"), ("empty.json", '{"elements": []}'), ("notes.txt", "hello")],
)
def test_unreadable_or_empty_files_give_a_format_error(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphFormatError):
        load_graph(path)


def test_a_missing_file_gives_a_format_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(GraphFormatError, match="not found"):
        load_graph(tmp_path / "nowhere.graphml")


@pytest.mark.parametrize(("name", "counts"), sorted(REAL_GRAPHS.items()))
def test_real_osmnx_graphs_load_with_known_node_and_edge_counts(name: str, counts: tuple[int, int]) -> None:
    started = time.perf_counter()
    graph = load_graph(shared_data_dir() / "osm" / name)
    assert (graph.node_count, graph.edge_count) == counts
    assert time.perf_counter() - started < 5


def test_graphml_loader_matches_networkx_read_graphml_on_the_strong_component() -> None:
    path = shared_data_dir() / "osm" / "chandler_az_resp3.graphml"
    graph = load_graph(path)
    reference = nx.DiGraph(nx.read_graphml(path))
    largest = max(nx.strongly_connected_components(reference), key=len)
    assert {str(i) for i in graph.osmids.tolist()} == largest
    assert {(str(a), str(b)) for a, b in _edges(graph)} == set(reference.subgraph(largest).edges)


def test_one_way_freeway_edges_exist_in_one_direction_only() -> None:
    graph = load_graph(shared_data_dir() / "osm" / "chandler_az_resp3.graphml")
    edges = _edges(graph)
    assert (193467440, 255747880) in edges  # Price Freeway, northbound only
    assert (255747880, 193467440) not in edges
    one_way = sum((b, a) not in edges for a, b in edges)
    assert one_way > 100


def test_overpass_response_gives_the_same_network_as_its_osmnx_graphml() -> None:
    osm = shared_data_dir() / "osm"
    from_overpass = load_graph(osm / "raw_overpass" / "overpass-response-3.json.gz")
    from_graphml = load_graph(osm / "chandler_az_resp3.graphml")
    assert _edges(from_overpass) == _edges(from_graphml)
