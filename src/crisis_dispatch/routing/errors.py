"""Errors of the routing package. Each message is one readable sentence for a person.

They subclass ``ValueError`` so that callers who only know "bad input" can catch them;
entry points map them to exit code 2 (CLI) or HTTP 422 (API).
"""

from __future__ import annotations


class RoutingError(ValueError):
    """Base class: a routing request or input file cannot be served."""


class GraphFormatError(RoutingError):
    """A road-network file is missing, unreadable, or holds no drivable network."""


class PointOutsideCoverageError(RoutingError):
    """A point lies outside the road network or the area a fitted model covers."""


class UnknownRegionError(RoutingError):
    """No travel-time provider is configured for the region asked for."""
