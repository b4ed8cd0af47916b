"""Streaming GraphML reader for osmnx-style road graphs.

``networkx.read_graphml`` builds a full DOM and a networkx graph and takes minutes on a
300k-node network; this streams the file once with ``lxml.etree.iterparse`` (events only
for ``key``/``node``/``edge``, finished elements freed at once; ~2x faster than the standard
library's iterparse) and keeps only what routing needs: node ``x``/``y``, and edge ``length``,
``highway``, ``maxspeed`` (or an osmnx ``travel_time`` when present). osmnx GraphML is already directed with one edge per allowed
direction, so one-way streets are respected as given; an ``edgedefault="undirected"`` file
gets both directions of every edge.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from lxml import etree

from crisis_dispatch.routing.errors import GraphFormatError
from crisis_dispatch.routing.geometry import haversine_m
from crisis_dispatch.routing.graph import RoadGraph, build_road_graph
from crisis_dispatch.routing.loaders._io import open_binary
from crisis_dispatch.routing.speeds import edge_speed_kmh

_NS = "{http://graphml.graphdrawing.org/xmlns}"
_TAGS = {name: (f"{_NS}{name}", name) for name in ("key", "node", "edge", "graph")}
_KIND = {tag: name for name, tags in _TAGS.items() for tag in tags}


def load_graphml(path: Path | str) -> RoadGraph:
    """Load an osmnx GraphML file into a :class:`RoadGraph` (largest strongly connected part)."""
    path = Path(path)
    keys: dict[str, str] = {}
    node_index: dict[str, int] = {}
    lat: list[float] = []
    lon: list[float] = []
    tails: list[int] = []
    heads: list[int] = []
    lengths: list[float] = []
    speeds: list[float] = []
    times: list[float] = []
    speed_cache: dict[tuple[str | None, str | None], float] = {}
    undirected = False
    try:
        with open_binary(path) as handle:
            wanted = [tag for tags in _TAGS.values() for tag in tags]
            for _, elem in etree.iterparse(handle, events=("end",), tag=wanted):
                kind = _KIND[elem.tag]
                if kind == "node":
                    data = {keys.get(d.get("key", ""), ""): d.text for d in elem}
                    node_index[elem.get("id", "")] = len(lat)
                    lat.append(float(data["y"]))
                    lon.append(float(data["x"]))
                elif kind == "edge":
                    data = {keys.get(d.get("key", ""), ""): d.text for d in elem}
                    tails.append(node_index[elem.get("source", "")])
                    heads.append(node_index[elem.get("target", "")])
                    lengths.append(float(data.get("length") or "nan"))
                    times.append(float(data.get("travel_time") or "nan"))
                    tag_pair = (data.get("highway"), data.get("maxspeed"))
                    speed = speed_cache.get(tag_pair)
                    if speed is None:
                        speed = speed_cache[tag_pair] = edge_speed_kmh(*tag_pair)
                    speeds.append(speed)
                elif kind == "key":
                    keys[elem.get("id", "")] = elem.get("attr.name", "")
                else:
                    undirected = elem.get("edgedefault") == "undirected"
                # Free what has been read: the element and its already-seen siblings.
                elem.clear()
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
    except (etree.LxmlError, OSError, EOFError) as exc:
        raise GraphFormatError(f"cannot read GraphML {path.name}: {exc}") from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise GraphFormatError(f"GraphML {path.name} lacks node coordinates or has a dangling edge: {exc}") from exc
    if not tails:
        raise GraphFormatError(f"GraphML {path.name} has no edges")

    lat_a, lon_a = np.array(lat), np.array(lon)
    tail_a, head_a = np.array(tails), np.array(heads)
    length_a = np.array(lengths)
    missing = np.isnan(length_a)
    length_a[missing] = haversine_m(
        lat_a[tail_a[missing]], lon_a[tail_a[missing]], lat_a[head_a[missing]], lon_a[head_a[missing]]
    )
    seconds = length_a / (np.array(speeds) / 3.6)
    given = np.array(times)
    seconds = np.where(np.isnan(given), seconds, given)
    if undirected:
        tail_a, head_a = np.concatenate((tail_a, head_a)), np.concatenate((head_a, tail_a))
        seconds = np.concatenate((seconds, seconds))
    ids = list(node_index)
    try:
        osmids = np.array([int(i) for i in ids], dtype=np.int64)
    except ValueError:
        osmids = np.arange(len(ids), dtype=np.int64)
    return build_road_graph(osmids, lat_a, lon_a, tail_a, head_a, seconds, name=path.name.split(".")[0])
