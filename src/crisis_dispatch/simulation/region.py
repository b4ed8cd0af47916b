"""Where calls happen, where vans wait, and how long driving takes.

* ``la``: the city of Los Angeles, one urban area; calls fall around the 106 LAFD stations
  (a proxy for where people live), vans wait at their stations, times from the fitted LA
  travel-time model (``provider_for_region("la")``).
* ``california``: the 58 counties, each its own area with its own vans and clock (rural
  under 50 people per square mile); calls fall around the county's centre, vans wait at
  the county population centre (planning may also use rings of candidate stations around
  it, ``region.candidate_rings``). No fitted model covers the state, so driving times are
  straight-line distance at ``speed_kmh`` divided by a road-circuity factor (an assumption).
* ``single``: one place, for validation (zero travel with ``provider = "zero"``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from crisis_dispatch.data.reference import california_counties, la_stations
from crisis_dispatch.routing.geometry import LatLon, haversine_m
from crisis_dispatch.routing.provider import StraightLineProvider, TravelTimeProvider, provider_for_region

from .scenario import Scenario, ScenarioError, Van

if TYPE_CHECKING:  # demand imports this module
    from .demand import AreaDemand

KM_PER_DEG_LAT = 111.32


@dataclass(frozen=True)
class Area:
    name: str
    rural: bool
    weight: float
    #: Points around which calls fall (with the scenario's jitter), chosen uniformly.
    hubs: tuple[LatLon, ...]
    jitter_km: float


@dataclass(frozen=True)
class PlacedVan:
    call_sign: str
    area: int
    lat: float
    lon: float
    shift: str
    station: str


@dataclass(frozen=True)
class Region:
    areas: tuple[Area, ...]
    vans: tuple[PlacedVan, ...]
    provider: TravelTimeProvider
    #: Candidate stations for planning: id -> (area index, lat, lon).
    stations: dict[str, tuple[int, float, float]]


class ZeroProvider:
    """No travel: every ETA is zero seconds (M/M/c validation)."""

    def eta_seconds(self, origins: Sequence[LatLon], destination: LatLon) -> list[float | None]:
        return [0.0] * len(origins)


def make_provider(scenario: Scenario) -> TravelTimeProvider:
    if scenario.provider == "zero":
        return ZeroProvider()
    if scenario.provider == "la":
        return provider_for_region("la")
    # Road distance ~ circuity x great-circle distance: slow the straight line down by it.
    return StraightLineProvider(speed_kmh=scenario.speed_kmh / scenario.circuity)


def build_region(scenario: Scenario) -> Region:
    if scenario.region == "la":
        return _la(scenario)
    if scenario.region == "california":
        return _california(scenario)
    return _single(scenario)


def _la(s: Scenario) -> Region:
    stations = {st.id: (0, st.lat, st.lon) for st in la_stations()}
    hubs = tuple(LatLon(st.lat, st.lon) for st in la_stations())
    area = Area("Los Angeles", False, 1.0, hubs, s.location_jitter_km)
    return Region((area,), _place(s, stations), make_provider(s), stations)


def _california(s: Scenario) -> Region:
    counties = sorted(california_counties(), key=lambda c: c.fips)
    total = sum(c.population for c in counties)
    areas, stations = [], {}
    for i, c in enumerate(counties):
        # Calls spread over the county: a quarter of its width, capped (most people live near its centre).
        spread = min(0.25 * math.sqrt(c.area_km2), s.location_jitter_km)
        areas.append(Area(c.name, c.rural, c.population / total, (LatLon(c.centroid_lat, c.centroid_lon),), spread))
        stations[c.name] = (i, c.centroid_lat, c.centroid_lon)
        stations.update(ring_stations(c.name, i, c.centroid_lat, c.centroid_lon, spread, s.candidate_rings))
    vans = list(_place(s, stations)) if s.vans else []
    if s.vans_per_100k is not None:
        for i, c in enumerate(counties):
            n = max(1, round(c.population / 100_000 * s.vans_per_100k))
            for k in range(n):
                vans.append(
                    PlacedVan(
                        f"{c.name[:12].upper().replace(' ', '')}-{k + 1}", i, c.centroid_lat, c.centroid_lon, "24/7", c.name
                    )
                )
    return Region(tuple(areas), tuple(vans), make_provider(s), stations)


def ring_stations(
    name: str, area: int, lat: float, lon: float, spread_km: float, rings: int
) -> dict[str, tuple[int, float, float]]:
    """Candidate stations for planning around a county centre: ring ``k`` (1..``rings``) has
    ``6 k`` points at ``k`` times the calls' spread, ids ``"<county> r<k>-<j>"``. Calls fall
    around the centre with that spread, so a van can wait nearer the calls it serves."""
    out = {}
    coslat = math.cos(math.radians(lat))
    for k in range(1, rings + 1):
        for j in range(6 * k):
            angle = 2 * math.pi * j / (6 * k)
            dlat = k * spread_km * math.sin(angle) / KM_PER_DEG_LAT
            dlon = k * spread_km * math.cos(angle) / (KM_PER_DEG_LAT * coslat)
            out[f"{name} r{k}-{j + 1}"] = (area, lat + dlat, lon + dlon)
    return out


def _single(s: Scenario) -> Region:
    here = LatLon(34.05, -118.25)
    stations = {"base": (0, *here)}
    area = Area("single", False, 1.0, (here,), 0.0)
    return Region((area,), _place(s, stations), make_provider(s), stations)


def _place(s: Scenario, stations: dict[str, tuple[int, float, float]]) -> tuple[PlacedVan, ...]:
    out = []
    for v in s.vans:
        if v.station not in stations:
            raise ScenarioError(f"van {v.call_sign}: unknown station '{v.station}'")
        area, lat, lon = stations[v.station]
        out.append(PlacedVan(v.call_sign, area, lat, lon, v.shift, v.station))
    return tuple(out)


def vans_at(stations: Sequence[str], shift: str = "24/7") -> tuple[Van, ...]:
    """A fleet of one van per listed station (planning)."""
    return tuple(Van(f"V{i + 1}", st, shift) for i, st in enumerate(stations))


def sample_locations(area: Area, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    hubs = np.asarray(area.hubs, dtype=float)
    pick = rng.integers(0, len(hubs), size=n)
    lat = hubs[pick, 0] + rng.normal(0.0, 1.0, n) * area.jitter_km / KM_PER_DEG_LAT
    coslat = np.cos(np.radians(hubs[pick, 0]))
    lon = hubs[pick, 1] + rng.normal(0.0, 1.0, n) * area.jitter_km / (KM_PER_DEG_LAT * coslat)
    return lat, lon


def eta_matrix(
    provider: TravelTimeProvider, van_lat: np.ndarray, van_lon: np.ndarray, call_lat: np.ndarray, call_lon: np.ndarray
) -> np.ndarray:
    """Seconds from each van's station (columns) to each call (rows), float32.

    The shipped providers are evaluated on all pairs at once (the fitted model's and the
    straight line's own vectorised formulas); any other provider is asked once per call
    with all vans as origins, as its interface says. Unreachable pairs are +inf.
    """
    n, m = len(call_lat), len(van_lat)
    if n == 0 or m == 0:
        return np.zeros((n, m), dtype=np.float32)
    if isinstance(provider, ZeroProvider):
        return np.zeros((n, m), dtype=np.float32)
    o_lat, d_lat = np.broadcast_arrays(van_lat[None, :], call_lat[:, None])
    o_lon, d_lon = np.broadcast_arrays(van_lon[None, :], call_lon[:, None])
    if isinstance(provider, StraightLineProvider):
        metres = haversine_m(o_lat.ravel(), o_lon.ravel(), d_lat.ravel(), d_lon.ravel())
        return (metres / (provider.speed_kmh / 3.6)).reshape(n, m).astype(np.float32)
    model = getattr(provider, "model", None)
    if model is not None and hasattr(model, "seconds"):
        return (
            np.asarray(model.seconds(o_lat.ravel(), o_lon.ravel(), d_lat.ravel(), d_lon.ravel())).reshape(n, m).astype(np.float32)
        )
    origins = [LatLon(float(a), float(b)) for a, b in zip(van_lat, van_lon, strict=True)]
    out = np.empty((n, m), dtype=np.float32)
    for i in range(n):
        row = provider.eta_seconds(origins, LatLon(float(call_lat[i]), float(call_lon[i])))
        out[i] = [np.inf if e is None else e for e in row]
    return out


def station_etas(
    provider: TravelTimeProvider,
    stations: Sequence[tuple[str, float, float]],
    demand: AreaDemand,
    rows: np.ndarray,
    cache: dict[str, np.ndarray],
) -> np.ndarray:
    """ETA columns (one per listed station) for the calls selected by ``rows`` (others 0).

    ``cache`` maps a station id to its column for this demand, so planning runs that move
    vans between stations compute each station's column once.
    """
    lat, lon = demand.lat, demand.lon
    missing = [(sid, a, b) for sid, a, b in dict.fromkeys(stations) if sid not in cache]
    if missing:
        sel = np.flatnonzero(rows)
        block = eta_matrix(provider, np.array([m[1] for m in missing]), np.array([m[2] for m in missing]), lat[sel], lon[sel])
        for j, (sid, _, _) in enumerate(missing):
            col = np.zeros(len(lat), dtype=np.float32)
            col[sel] = block[:, j]
            cache[sid] = col
    if not stations:
        return np.zeros((len(lat), 0), dtype=np.float32)
    return np.column_stack([cache[sid] for sid, _, _ in stations])
