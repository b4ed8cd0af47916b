"""The travel-time provider interface and its implementations.

One call answers the dispatch question "how long from each of these units to this
incident?" (``eta_seconds``); ``None`` means the unit cannot reach it. Implementations:

* :class:`RoadNetworkProvider` -- exact shortest paths on an OSM road graph;
* :class:`FittedModelProvider` -- the fitted model for regions with no graph (Los Angeles);
* :class:`StraightLineProvider` -- haversine distance at a fixed speed (baseline, tests).

An external engine (an OSRM table service, say) would be one more class with the same
method. :func:`provider_for_region` picks one from configuration.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from crisis_dispatch.routing.engines import CCHEngine, DijkstraEngine, ManyToOneEngine
from crisis_dispatch.routing.errors import UnknownRegionError
from crisis_dispatch.routing.geometry import LatLon, check_latlon, check_latlon_array, haversine_m
from crisis_dispatch.routing.graph import RoadGraph
from crisis_dispatch.routing.loaders import load_graph
from crisis_dispatch.routing.snapping import DEFAULT_MAX_SNAP_M, Snapper
from crisis_dispatch.routing.travel_model import TravelTimeModel


@runtime_checkable
class TravelTimeProvider(Protocol):
    """Driving times in seconds from many origins to one destination."""

    def eta_seconds(self, origins: Sequence[LatLon], destination: LatLon) -> list[float | None]:
        """Seconds from each origin to ``destination`` (same order), ``None`` when unreachable.

        Raises ``PointOutsideCoverageError`` for a point the provider cannot place.
        """
        ...


class StraightLineProvider:
    """Great-circle distance at a fixed speed: the baseline every real provider must beat."""

    def __init__(self, speed_kmh: float = 40.0) -> None:
        if speed_kmh <= 0:
            raise ValueError("speed_kmh must be positive")
        self.speed_kmh = speed_kmh

    def eta_seconds(self, origins: Sequence[LatLon], destination: LatLon) -> list[float | None]:
        dest = check_latlon(destination)
        points = check_latlon_array(origins)
        metres = haversine_m(points[:, 0], points[:, 1], dest.lat, dest.lon)
        return [float(s) for s in metres / (self.speed_kmh / 3.6)]


class RoadNetworkProvider:
    """Exact ETAs on a road graph: snap points to nodes, one many-to-one search per call.

    Times are between the snapped nodes (the short leg from a point to its node is not
    added). ``engine="cch"`` (default) uses the contraction hierarchy, ``"dijkstra"`` one
    scipy Dijkstra on the reversed graph; both give identical results.
    """

    def __init__(self, graph: RoadGraph, *, engine: str = "cch", max_snap_m: float = DEFAULT_MAX_SNAP_M) -> None:
        self.graph = graph
        self.snapper = Snapper(graph, max_snap_m)
        engines = {"cch": CCHEngine, "dijkstra": DijkstraEngine}
        if engine not in engines:
            raise ValueError(f"unknown engine '{engine}' (choose from {', '.join(engines)})")
        self.engine: ManyToOneEngine = engines[engine](graph)

    @classmethod
    def from_file(cls, path: Path | str, **kwargs: Any) -> RoadNetworkProvider:
        return cls(load_graph(path), **kwargs)

    def eta_seconds(self, origins: Sequence[LatLon], destination: LatLon) -> list[float | None]:
        # One k-d tree query for all points; the destination goes first so that, when it is
        # off the network, the error names it.
        nodes, _ = self.snapper.snap([destination, *origins])
        return self.node_eta_seconds(nodes[1:], int(nodes[0]))

    def node_eta_seconds(self, sources: Sequence[int] | np.ndarray, target: int) -> list[float | None]:
        """ETAs between already-snapped node indices (what benchmarks and tests time)."""
        seconds = self.engine.times_to(np.asarray(sources, dtype=np.int64), int(target)) / 1000.0
        return [None if t == np.inf else t for t in seconds.tolist()]


class FittedModelProvider:
    """ETAs from a fitted :class:`TravelTimeModel`; points outside its area are refused."""

    def __init__(self, model: TravelTimeModel) -> None:
        self.model = model

    def eta_seconds(self, origins: Sequence[LatLon], destination: LatLon) -> list[float | None]:
        dest = check_latlon(destination)
        points = check_latlon_array(origins)
        if points.shape[0] == 0:
            self.model.check_covered(dest.lat, dest.lon)
            return []
        seconds = self.model.seconds(points[:, 0], points[:, 1], np.full(len(points), dest.lat), np.full(len(points), dest.lon))
        return [float(s) for s in seconds]


REGION_MODELS = {"la": "la.json"}
REGION_ALIASES = {"los-angeles": "la", "los_angeles": "la", "los angeles": "la"}


def load_region_model(region: str) -> TravelTimeModel:
    """The shipped fitted model for ``region`` (see :data:`REGION_MODELS`)."""
    key = REGION_ALIASES.get(region.strip().lower(), region.strip().lower())
    if key not in REGION_MODELS:
        known = ", ".join(sorted(REGION_MODELS))
        raise UnknownRegionError(f"no travel-time model for region '{region}' (known: {known}; or give a road graph)")
    resource = resources.files("crisis_dispatch.data.travel_model").joinpath(REGION_MODELS[key])
    with resources.as_file(resource) as path:
        return TravelTimeModel.load(path)


def provider_for_region(name: str, graph_path: Path | None = None) -> TravelTimeProvider:
    """The provider configured for a region: a road graph when one is given, else its fitted model."""
    if graph_path is not None:
        return RoadNetworkProvider.from_file(graph_path)
    return FittedModelProvider(load_region_model(name))


def pairwise_seconds(provider: TravelTimeProvider, pairs: Sequence[tuple[LatLon, LatLon]]) -> list[float | None]:
    """Seconds for arbitrary (origin, destination) pairs: one provider call per distinct destination."""
    by_destination: dict[LatLon, list[int]] = defaultdict(list)
    for i, (_, destination) in enumerate(pairs):
        by_destination[check_latlon(destination)].append(i)
    result: list[float | None] = [None] * len(pairs)
    for destination, rows in by_destination.items():
        etas = provider.eta_seconds([pairs[i][0] for i in rows], destination)
        for i, eta in zip(rows, etas, strict=True):
            result[i] = eta
    return result
