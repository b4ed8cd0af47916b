"""Road-network loaders: osmnx GraphML, OSM XML and Overpass JSON into a :class:`RoadGraph`."""

from __future__ import annotations

from pathlib import Path

from crisis_dispatch.routing.errors import GraphFormatError
from crisis_dispatch.routing.graph import RoadGraph
from crisis_dispatch.routing.loaders.graphml import load_graphml
from crisis_dispatch.routing.loaders.osm import load_osm_xml, load_overpass_json

__all__ = ["load_graph", "load_graphml", "load_osm_xml", "load_overpass_json"]


def load_graph(path: Path | str) -> RoadGraph:
    """Load a road network, choosing the format from the file name (``.gz`` allowed).

    ``*.graphml`` → GraphML, ``*.osm`` / ``*.xml`` → OSM XML, ``*.json`` → Overpass JSON.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphFormatError(f"road network file not found: {path}")
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    kind = suffixes[-1] if suffixes else ""
    if kind == ".graphml":
        return load_graphml(path)
    if kind in {".osm", ".xml"}:
        return load_osm_xml(path)
    if kind == ".json":
        return load_overpass_json(path)
    raise GraphFormatError(f"unknown road network format for {path.name} (use .graphml, .osm, .xml or .json)")
