"""Road-network routing and travel-time providers.

Public entry points: :func:`provider_for_region`, the :class:`TravelTimeProvider` protocol
and its implementations, :func:`load_graph`, and :class:`LatLon`.
"""

from importlib import import_module
from typing import Any

# Imported on first use (PEP 562): numpy, scipy and the graph engines stay out of
# start-up for code that only needs one name (the CLI's --help, the error classes).
_WHERE = {
    "GraphFormatError": "errors",
    "PointOutsideCoverageError": "errors",
    "RoutingError": "errors",
    "UnknownRegionError": "errors",
    "LatLon": "geometry",
    "haversine_m": "geometry",
    "RoadGraph": "graph",
    "load_graph": "loaders",
    "FittedModelProvider": "provider",
    "RoadNetworkProvider": "provider",
    "StraightLineProvider": "provider",
    "TravelTimeProvider": "provider",
    "pairwise_seconds": "provider",
    "provider_for_region": "provider",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"crisis_dispatch.routing.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'crisis_dispatch.routing' has no attribute {name!r}")


__all__ = [
    "FittedModelProvider",
    "GraphFormatError",
    "LatLon",
    "PointOutsideCoverageError",
    "RoadGraph",
    "RoadNetworkProvider",
    "RoutingError",
    "StraightLineProvider",
    "TravelTimeProvider",
    "UnknownRegionError",
    "haversine_m",
    "load_graph",
    "pairwise_seconds",
    "provider_for_region",
]
