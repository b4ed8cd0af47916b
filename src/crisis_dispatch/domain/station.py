"""Stations (where vans wait) and facilities (where people are taken)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .geo import LatLon
from .outcomes import DestinationType


@dataclass(eq=False)
class Station:
    id: str
    name: str
    lat: float
    lon: float
    address: str = ""

    def point(self) -> LatLon:
        return LatLon(self.lat, self.lon)


@dataclass(eq=False)
class Facility:
    id: str
    name: str
    type: DestinationType
    lat: float
    lon: float
    address: str = ""
    accepts: str = "all_ages"
    capabilities: set[str] = field(default_factory=set)
    #: Beds or slots free now, as last reported by staff; None = not tracked.
    beds_available: int | None = None
    beds_total: int | None = None

    def point(self) -> LatLon:
        return LatLon(self.lat, self.lon)
