"""Reference data shipped with the package: LA stations and facilities, California counties,
NEMSIS v3.5 disposition codes, map layers.

The files are derived from the shared real data by ``tools/build_reference_data.py`` (sources
and licences: ``docs/data-licences.md``). Everything is read lazily through
``importlib.resources`` on first use and cached; nothing is loaded at import time.
Standard library only.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from crisis_dispatch.domain.court_days import CourtCalendar, court_calendar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "FACILITY_TYPES",
    "CountyRecord",
    "FacilityRecord",
    "NemsisCode",
    "StationRecord",
    "california_counties",
    "california_counties_geojson",
    "county_at",
    "judicial_holidays",
    "la_facilities",
    "la_neighborhoods_geojson",
    "la_stations",
    "neighborhood_at",
    "nemsis_codes",
]

T = TypeVar("T")
R = TypeVar("R", bound="DataclassInstance")

#: Destination types of a voluntary transport (the ``type`` of a facility).
FACILITY_TYPES = (
    "psychiatric_urgent_care",
    "sobering_center",
    "crisis_residential",
    "emergency_department",
    "other",
)


@dataclass(frozen=True, slots=True)
class StationRecord:
    """An LAFD fire station (2016 list), a possible home base for a crisis van."""

    id: str  # "lafd-001" ... stable
    number: int
    name: str  # "LAFD Fire Station 1"
    street: str
    city: str
    state: str
    zip: str
    community: str
    lat: float
    lon: float

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}, {self.state} {self.zip}"


@dataclass(frozen=True, slots=True)
class FacilityRecord:
    """A destination from LA County EMS Ref. 501 (2025-09-15).

    Coordinates are approximate (see ``coordinates``): ``zip_centroid`` = centre of the
    facility's ZIP code (typically 0.5-3 km from the door), ``neighborhood_centroid`` /
    ``co_located_zip_centroid`` = corrected proxies, ``unknown`` = lat/lon are None.
    """

    id: str  # slug of the name (plus city when names repeat), stable
    name: str
    type: str  # one of FACILITY_TYPES
    street: str
    city: str
    zip: str
    phone: str
    county: str  # "Los Angeles", or "Orange"/"Ventura" for the out-of-county 911 receiving hospitals
    hospital_code: str | None  # LA County EMS three-letter code (hospitals only)
    lat: float | None
    lon: float | None
    coordinates: str  # how lat/lon were obtained, see above
    trauma_level: str | None  # "I" or "II" (Ref. 501 trauma column)
    pediatric_trauma: bool
    accepts: str  # "all_ages" | "adults_only" | "adolescents_13_plus_and_adults" (Ref. 501 patient category)
    ems_min_age: int | None  # EMS triage inclusion age range, Ref. 526 / 528 (18..64 inclusive)
    ems_max_age: int | None
    ems_max_transport_minutes: int | None  # Ref. 526 / 528: reachable within 15 min transport
    capabilities: frozenset[str]  # e.g. accepts_5150_holds, open_24_7, trauma_center
    capacity: int | None  # beds/chairs; no source publishes it, so None

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}, CA {self.zip}"

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class CountyRecord:
    """A California county. ``rural`` = under 50 people per square mile (DHCS, DOMAIN.md §4)."""

    fips: str  # "06037"
    name: str  # "Los Angeles"
    population: int  # Census estimate 2019-07-01
    census2010_population: int
    area_km2: float  # area of the 1:10m cartographic boundary polygon on a sphere
    area_mi2: float
    people_per_mi2: float
    rural: bool
    centroid_lat: float
    centroid_lon: float


@dataclass(frozen=True, slots=True)
class NemsisCode:
    """One NEMSIS v3.5 value, e.g. 4230013 = eDisposition.30 Transport Disposition "No Transport"."""

    code: str
    element: str  # "eDisposition.30"
    element_name: str  # "Transport Disposition"
    value_set: str  # XSD simple type, "TransportDisposition"
    description: str


# --------------------------------------------------------------------------- file access


@cache
def _text(*parts: str) -> str:
    return resources.files("crisis_dispatch.data").joinpath(*parts).read_text(encoding="utf-8")


def _bool(value: str) -> bool:
    if value not in ("true", "false"):
        raise ValueError(f"expected true/false, got {value!r}")
    return value == "true"


def _optional(convert: Callable[[str], T]) -> Callable[[str], T | None]:
    return lambda value: convert(value) if value else None


def _tags(value: str) -> frozenset[str]:
    return frozenset(filter(None, value.split(";")))


# Field annotation (a string: this module uses postponed annotations) -> CSV cell parser.
_PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": _bool,
    "str | None": _optional(str),
    "int | None": _optional(int),
    "float | None": _optional(float),
    "frozenset[str]": _tags,
}


@cache
def _records(cls: type[R], *parts: str) -> tuple[R, ...]:
    """Parse a shipped CSV into ``cls`` records: one column per dataclass field, typed by annotation."""
    parsers = {f.name: _PARSERS[str(f.type)] for f in fields(cls)}
    return tuple(
        cls(**{name: parse(row[name]) for name, parse in parsers.items()}) for row in csv.DictReader(io.StringIO(_text(*parts)))
    )


# --------------------------------------------------------------------------- LA


def la_stations() -> list[StationRecord]:
    """The 106 LAFD fire stations, ordered by station number."""
    return list(_records(StationRecord, "la", "stations.csv"))


def la_facilities() -> list[FacilityRecord]:
    """LA County Ref. 501 destinations: 7 PUCCs, 1 sobering center, 74 911 receiving hospitals."""
    return list(_records(FacilityRecord, "la", "facilities.csv"))


def la_neighborhoods_geojson() -> dict[str, Any]:
    """Zillow LA County neighbourhoods (CC BY-SA 3.0) as a GeoJSON FeatureCollection (a fresh copy).

    Feature properties: ``id`` (Zillow region id), ``name``, ``city``.
    """
    return json.loads(_text("la", "neighborhoods.geojson"))


# --------------------------------------------------------------------------- California


def california_counties() -> list[CountyRecord]:
    """The 58 California counties, ordered by FIPS code."""
    return list(_records(CountyRecord, "california", "counties.csv"))


def california_counties_geojson() -> dict[str, Any]:
    """The 58 county polygons as a GeoJSON FeatureCollection (a fresh copy); properties ``fips``, ``name``."""
    return json.loads(_text("california", "counties.geojson"))


Ring = Sequence[Sequence[float]]


@dataclass(frozen=True, slots=True)
class _Shape:
    key: str
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    polygons: tuple[tuple[Ring, ...], ...]  # each: outer ring, then holes

    def contains(self, lat: float, lon: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return False
        return any(
            _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, hole) for hole in rings[1:]) for rings in self.polygons
        )


def _shapes(collection: dict[str, Any], key: str) -> tuple[_Shape, ...]:
    """The (multi)polygons of a GeoJSON FeatureCollection, keyed by the property ``key``."""
    shapes = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        lons = [p[0] for rings in polygons for p in rings[0]]
        lats = [p[1] for rings in polygons for p in rings[0]]
        shapes.append(
            _Shape(
                key=str(feature["properties"][key]),
                bbox=(min(lons), min(lats), max(lons), max(lats)),
                polygons=tuple(tuple(rings) for rings in polygons),
            )
        )
    return tuple(shapes)


@cache
def _county_shapes() -> tuple[_Shape, ...]:
    return _shapes(california_counties_geojson(), "fips")


@cache
def _neighborhood_shapes() -> tuple[_Shape, ...]:
    return _shapes(la_neighborhoods_geojson(), "name")


def _check_coordinate(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a valid coordinate: lat={lat!r}, lon={lon!r}")


def neighborhood_at(lat: float, lon: float) -> str | None:
    """The name of the LA County neighbourhood (Zillow polygons) containing the point, or None.

    Used to say where a call is in words when it came without an address.
    Raises ValueError for a latitude/longitude that is not a finite coordinate.
    """
    _check_coordinate(lat, lon)
    return next((shape.key for shape in _neighborhood_shapes() if shape.contains(lat, lon)), None)


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting (even-odd rule)."""
    inside = False
    x1, y1 = ring[-1][0], ring[-1][1]
    for point in ring:
        x2, y2 = point[0], point[1]
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
        x1, y1 = x2, y2
    return inside


def county_at(lat: float, lon: float) -> CountyRecord | None:
    """The California county containing the point, or None (outside California, or offshore).

    Boundaries are the Census 1:10m cartographic ones: exact to a few hundred metres, and the
    coastline is generalised, so a point on a pier or a beach may fall outside every county.
    Raises ValueError for a latitude/longitude that is not a finite coordinate.
    """
    _check_coordinate(lat, lon)
    found = next((shape.key for shape in _county_shapes() if shape.contains(lat, lon)), None)
    return _counties_by_fips()[found] if found else None


@cache
def _counties_by_fips() -> dict[str, CountyRecord]:
    return {county.fips: county for county in _records(CountyRecord, "california", "counties.csv")}


# --------------------------------------------------------------------------- courts


@cache
def judicial_holidays() -> CourtCalendar:
    """California's judicial holidays as a court calendar (data/california/judicial_holidays.yaml)."""
    return court_calendar(yaml.safe_load(_text("california", "judicial_holidays.yaml")))


# --------------------------------------------------------------------------- NEMSIS


def nemsis_codes() -> dict[str, NemsisCode]:
    """NEMSIS v3.5 disposition values by code (a fresh dict).

    Elements: eDisposition.21 type of destination (4221xxx), .27 unit disposition (4227xxx),
    .28 patient evaluation/care (4228xxx), .29 crew disposition (4229xxx), .30 transport
    disposition (4230xxx), .31 reason for refusal/release (4231xxx).
    """
    return {code.code: code for code in _records(NemsisCode, "nemsis", "dispositions.csv")}
