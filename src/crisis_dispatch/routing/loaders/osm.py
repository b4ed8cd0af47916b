"""Raw OpenStreetMap readers: OSM XML (``.osm``) and Overpass API JSON.

Both produce the same intermediate (nodes with coordinates, ways with node refs and tags)
and share :func:`_graph_from_ways`: drivable ways only (osmnx ``drive``), an edge between
consecutive way nodes, direction from ``oneway``, speed from ``maxspeed`` or the highway
default, length by haversine.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from crisis_dispatch.routing.errors import GraphFormatError
from crisis_dispatch.routing.geometry import LatLon, haversine_m
from crisis_dispatch.routing.graph import RoadGraph, build_road_graph
from crisis_dispatch.routing.loaders._io import open_binary
from crisis_dispatch.routing.speeds import edge_speed_kmh, is_drivable, oneway_direction

Way = tuple[list[int], dict[str, str]]


def _graph_from_ways(nodes: dict[int, LatLon], ways: Iterable[Way], name: str) -> RoadGraph:
    index: dict[int, int] = {}
    tails: list[int] = []
    heads: list[int] = []
    speeds: list[float] = []
    for refs, tags in ways:
        if not is_drivable(tags):
            continue
        known = [r for r in refs if r in nodes]
        direction = oneway_direction(tags)
        speed = edge_speed_kmh(tags.get("highway"), tags.get("maxspeed"))
        for a, b in zip(known, known[1:], strict=False):
            ia, ib = index.setdefault(a, len(index)), index.setdefault(b, len(index))
            if direction >= 0:
                tails.append(ia)
                heads.append(ib)
                speeds.append(speed)
            if direction <= 0:
                tails.append(ib)
                heads.append(ia)
                speeds.append(speed)
    if not tails:
        raise GraphFormatError(f"{name} holds no drivable OSM ways")
    osmids = np.fromiter(index, dtype=np.int64, count=len(index))
    coords = np.array([nodes[i] for i in index])
    tail_a, head_a = np.array(tails), np.array(heads)
    lat, lon = coords[:, 0], coords[:, 1]
    length = haversine_m(lat[tail_a], lon[tail_a], lat[head_a], lon[head_a])
    seconds = length / (np.array(speeds) / 3.6)
    return build_road_graph(osmids, lat, lon, tail_a, head_a, seconds, name=name)


def _stem(path: Path) -> str:
    return path.name.split(".")[0]


def load_overpass_json(path: Path | str) -> RoadGraph:
    """Load an Overpass API JSON response (``out body`` with nodes and ways)."""
    path = Path(path)
    try:
        with open_binary(path) as handle:
            payload = json.load(handle)
        elements = payload["elements"]
        nodes = {int(e["id"]): LatLon(float(e["lat"]), float(e["lon"])) for e in elements if e.get("type") == "node"}
        ways = [([int(r) for r in e.get("nodes", [])], dict(e.get("tags", {}))) for e in elements if e.get("type") == "way"]
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise GraphFormatError(f"cannot read Overpass JSON {path.name}: {exc}") from exc
    return _graph_from_ways(nodes, ways, _stem(path))


def load_osm_xml(path: Path | str) -> RoadGraph:
    """Load an OSM XML file (as exported by openstreetmap.org or Overpass ``out xml``)."""
    path = Path(path)
    nodes: dict[int, LatLon] = {}
    ways: list[Way] = []
    try:
        with open_binary(path) as handle:
            for _, elem in ET.iterparse(handle, events=("end",)):
                if elem.tag == "node":
                    nodes[int(elem.attrib["id"])] = LatLon(float(elem.attrib["lat"]), float(elem.attrib["lon"]))
                    elem.clear()
                elif elem.tag == "way":
                    refs = [int(nd.attrib["ref"]) for nd in elem.iter("nd")]
                    tags = {t.attrib["k"]: t.attrib["v"] for t in elem.iter("tag")}
                    ways.append((refs, tags))
                    elem.clear()
    except (ET.ParseError, OSError, EOFError, KeyError, ValueError) as exc:
        raise GraphFormatError(f"cannot read OSM XML {path.name}: {exc}") from exc
    return _graph_from_ways(nodes, ways, _stem(path))
