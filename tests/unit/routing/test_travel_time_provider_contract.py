"""Every travel-time provider honours the same contract (one suite, run over each one)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crisis_dispatch.routing.errors import PointOutsideCoverageError
from crisis_dispatch.routing.geometry import LatLon
from crisis_dispatch.routing.provider import (
    FittedModelProvider,
    RoadNetworkProvider,
    StraightLineProvider,
    TravelTimeProvider,
    load_region_model,
    pairwise_seconds,
)
from tests.unit.routing.graphs import ORIGIN_LAT, ORIGIN_LON, STEP_DEG, grid_graph


@dataclass
class Case:
    provider: TravelTimeProvider
    destination: LatLon
    near: LatLon
    far: LatLon
    outside: LatLon | None  # a point the provider must refuse, if it has a coverage limit


def _road() -> Case:
    def at(row: int, col: int) -> LatLon:
        return LatLon(ORIGIN_LAT + row * STEP_DEG, ORIGIN_LON + col * STEP_DEG)

    provider = RoadNetworkProvider(grid_graph(12, oneway_share=0.0))
    return Case(provider, at(0, 0), at(1, 1), at(11, 11), LatLon(40.7, -74.0))


def _model() -> Case:
    provider = FittedModelProvider(load_region_model("la"))
    return Case(provider, LatLon(34.05, -118.25), LatLon(34.06, -118.26), LatLon(34.20, -118.50), LatLon(37.77, -122.42))


def _straight() -> Case:
    return Case(StraightLineProvider(40.0), LatLon(34.05, -118.25), LatLon(34.06, -118.26), LatLon(34.20, -118.50), None)


@pytest.fixture(scope="module", params=[_road, _model, _straight], ids=["road_network", "fitted_model", "straight_line"])
def case(request: pytest.FixtureRequest) -> Case:
    return request.param()


@pytest.fixture(scope="module", params=[_road, _model], ids=["road_network", "fitted_model"])
def bounded_case(request: pytest.FixtureRequest) -> Case:
    """Providers with a coverage limit (the straight line covers the globe)."""
    return request.param()


def test_it_is_a_travel_time_provider(case: Case) -> None:
    assert isinstance(case.provider, TravelTimeProvider)


def test_one_answer_per_origin_in_order_and_none_or_non_negative(case: Case) -> None:
    etas = case.provider.eta_seconds([case.far, case.near, case.far], case.destination)
    assert len(etas) == 3
    assert all(e is None or e >= 0 for e in etas)
    assert etas[0] == etas[2]


def test_a_nearer_origin_arrives_no_later(case: Case) -> None:
    near, far = case.provider.eta_seconds([case.near, case.far], case.destination)
    assert near is not None and far is not None
    assert near <= far


def test_no_origins_gives_no_answers(case: Case) -> None:
    assert case.provider.eta_seconds([], case.destination) == []


def test_a_point_outside_coverage_is_refused(bounded_case: Case) -> None:
    case = bounded_case
    assert case.outside is not None
    with pytest.raises(PointOutsideCoverageError):
        case.provider.eta_seconds([case.near], case.outside)
    with pytest.raises(PointOutsideCoverageError):
        case.provider.eta_seconds([case.near, case.outside], case.destination)


def test_invalid_coordinates_are_refused(case: Case) -> None:
    with pytest.raises(ValueError, match="not a valid latitude/longitude"):
        case.provider.eta_seconds([case.near], LatLon(95.0, 0.0))


def test_pairwise_seconds_matches_one_call_per_destination(case: Case) -> None:
    pairs = [(case.near, case.destination), (case.destination, case.near), (case.far, case.destination)]
    got = pairwise_seconds(case.provider, pairs)
    assert got[0] == case.provider.eta_seconds([case.near], case.destination)[0]
    assert got[1] == case.provider.eta_seconds([case.destination], case.near)[0]
    assert got[2] == case.provider.eta_seconds([case.far], case.destination)[0]
