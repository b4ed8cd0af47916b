"""Road-network routing and travel-time providers.

Public entry points: :func:`provider_for_region`, the :class:`TravelTimeProvider` protocol
and its implementations, :func:`load_graph`, and :class:`LatLon`.
"""

from crisis_dispatch.routing.errors import (
    GraphFormatError,
    PointOutsideCoverageError,
    RoutingError,
    UnknownRegionError,
)
from crisis_dispatch.routing.geometry import LatLon, haversine_m
from crisis_dispatch.routing.graph import RoadGraph
from crisis_dispatch.routing.loaders import load_graph
from crisis_dispatch.routing.provider import (
    FittedModelProvider,
    RoadNetworkProvider,
    StraightLineProvider,
    TravelTimeProvider,
    pairwise_seconds,
    provider_for_region,
)

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
