"""OSM tags become speeds and directions the way a driver would read them."""

from __future__ import annotations

import pytest

from crisis_dispatch.routing.speeds import (
    FALLBACK_KMH,
    HIGHWAY_DEFAULT_KMH,
    edge_speed_kmh,
    is_drivable,
    oneway_direction,
    parse_maxspeed_kmh,
)


@pytest.mark.parametrize(
    ("raw", "kmh"),
    [
        ("50", 50.0),
        ("50 km/h", 50.0),
        ("35 mph", 35 * 1.609344),
        ("35mph", 35 * 1.609344),
        ("35;25", 30.0),
        ("['35 mph', '25 mph']", 30 * 1.609344),
        ("signals", None),
        ("none", None),
        ("", None),
        (None, None),
    ],
)
def test_maxspeed_is_read_in_kmh_whatever_its_unit_or_list_form(raw: str | None, kmh: float | None) -> None:
    parsed = parse_maxspeed_kmh(raw)
    assert parsed == pytest.approx(kmh) if kmh is not None else parsed is None


def test_missing_maxspeed_falls_back_to_the_highway_default() -> None:
    assert edge_speed_kmh("motorway", None) == HIGHWAY_DEFAULT_KMH["motorway"]
    assert edge_speed_kmh("['residential', 'tertiary']", "signals") == HIGHWAY_DEFAULT_KMH["residential"]
    assert edge_speed_kmh("bus_stop_lane", None) == FALLBACK_KMH


@pytest.mark.parametrize(
    ("tags", "direction"),
    [
        ({"oneway": "yes"}, 1),
        ({"oneway": "true"}, 1),
        ({"oneway": "1"}, 1),
        ({"oneway": "-1"}, -1),
        ({"oneway": "reverse"}, -1),
        ({"oneway": "reversible"}, 0),
        ({"oneway": "no"}, 0),
        ({}, 0),
        ({"junction": "roundabout"}, 1),
        ({"highway": "motorway"}, 1),
        ({"highway": "motorway", "oneway": "no"}, 0),
    ],
)
def test_oneway_tags_give_the_allowed_driving_direction(tags: dict[str, str], direction: int) -> None:
    assert oneway_direction(tags) == direction


def test_footways_private_roads_and_service_roads_are_not_driven() -> None:
    assert is_drivable({"highway": "residential"})
    assert not is_drivable({"highway": "footway"})
    assert not is_drivable({"highway": "service"})
    assert not is_drivable({"highway": "residential", "access": "private"})
    assert not is_drivable({"highway": "primary", "motor_vehicle": "no"})
