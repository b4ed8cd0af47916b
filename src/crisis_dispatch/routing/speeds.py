"""OSM tag interpretation: speeds from ``maxspeed`` or per-``highway`` defaults, one-way rules.

Defaults are typical US urban limits (km/h). ``maxspeed`` may be a number (km/h), carry a
unit (``"35 mph"``, ``"50 km/h"``), or be a list (``"35;25"`` in OSM, ``"['35 mph', '25 mph']"``
after osmnx); a list gives the mean, as osmnx does. Unparseable values (``"signals"``,
``"none"``) fall back to the highway default.
"""

from __future__ import annotations

import re

MPH_TO_KMH = 1.609344

HIGHWAY_DEFAULT_KMH: dict[str, float] = {
    "motorway": 105.0,
    "motorway_link": 60.0,
    "trunk": 90.0,
    "trunk_link": 50.0,
    "primary": 65.0,
    "primary_link": 45.0,
    "secondary": 55.0,
    "secondary_link": 40.0,
    "tertiary": 45.0,
    "tertiary_link": 35.0,
    "unclassified": 40.0,
    "residential": 40.0,
    "living_street": 15.0,
    "road": 40.0,
    "service": 20.0,
}
FALLBACK_KMH = 30.0
DRIVABLE_HIGHWAYS = frozenset(HIGHWAY_DEFAULT_KMH) - {"service"}
"""Highway values kept when building a drive network from raw OSM (osmnx's ``drive``)."""

_NUMBER_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?", re.IGNORECASE)
_FORWARD = frozenset({"yes", "true", "1"})
_BACKWARD = frozenset({"-1", "reverse"})


def split_tag_list(value: str | None) -> list[str]:
    """Split an OSM ``a;b`` list or an osmnx ``"['a', 'b']"`` list into its items."""
    if not value:
        return []
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1].replace("'", "").replace('"', "").replace(",", ";")
    return [item.strip() for item in text.split(";") if item.strip()]


def parse_maxspeed_kmh(value: str | None) -> float | None:
    """Speed in km/h from a ``maxspeed`` tag, or ``None`` when nothing usable is in it."""
    speeds = []
    for item in split_tag_list(value):
        match = _NUMBER_WITH_UNIT.search(item)
        if match is None:
            continue
        number = float(match.group(1))
        unit = (match.group(2) or "").lower()
        kmh = number * MPH_TO_KMH if unit == "mph" else number
        if kmh > 0:
            speeds.append(kmh)
    return sum(speeds) / len(speeds) if speeds else None


def primary_highway(value: str | None) -> str:
    """The first ``highway`` value we know a speed for (osmnx may store a list)."""
    items = split_tag_list(value)
    for item in items:
        if item in HIGHWAY_DEFAULT_KMH:
            return item
    return items[0] if items else ""


def edge_speed_kmh(highway: str | None, maxspeed: str | None) -> float:
    """Speed used for an edge: its ``maxspeed`` when parseable, else the highway default."""
    parsed = parse_maxspeed_kmh(maxspeed)
    if parsed is not None:
        return parsed
    return HIGHWAY_DEFAULT_KMH.get(primary_highway(highway), FALLBACK_KMH)


def oneway_direction(tags: dict[str, str]) -> int:
    """Directions a raw OSM way may be driven: ``1`` forward only, ``-1`` backward only, ``0`` both.

    ``reversible`` and ``alternating`` ways change direction over the day; they are treated
    as two-way (a van may find them open either way), as osmnx does. Roundabouts are one-way.
    """
    value = (tags.get("oneway") or "").strip().lower()
    if value in _FORWARD:
        return 1
    if value in _BACKWARD:
        return -1
    if value in {"no", "false", "0", "reversible", "alternating"}:
        return 0
    if tags.get("junction") in {"roundabout", "circular"} or tags.get("highway") == "motorway":
        return 1
    return 0


def is_drivable(tags: dict[str, str]) -> bool:
    """True for ways a car may use (osmnx ``drive`` filter, simplified)."""
    if tags.get("highway") not in DRIVABLE_HIGHWAYS or tags.get("area") == "yes":
        return False
    if tags.get("access") in {"private", "no"}:
        return False
    return tags.get("motor_vehicle") != "no" and tags.get("motorcar") != "no"
