"""The one coordinate type of the code base: a WGS84 point in decimal degrees.

Every coordinate passed between layers is a :class:`LatLon` (latitude first, as EPSG:4326
and ``gml:pos`` order them): a call's place, a van's last position, a station or facility,
the origins and destination of a travel-time question. Records keep their two columns
(``lat``, ``lon``) as they are stored; their ``point()`` answers a :class:`LatLon`.
"""

from __future__ import annotations

import math
from typing import NamedTuple


class LatLon(NamedTuple):
    """A WGS84 point in decimal degrees (a tuple, so ``lat, lon = point`` works)."""

    lat: float
    lon: float


def is_latlon(lat: float, lon: float) -> bool:
    """True when (lat, lon) is a finite latitude within ±90 and longitude within ±180."""
    return math.isfinite(lat) and math.isfinite(lon) and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0
