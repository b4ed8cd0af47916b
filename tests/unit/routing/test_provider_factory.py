"""Choosing a provider per region: a graph when given, the fitted model otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_dispatch.routing.errors import GraphFormatError, UnknownRegionError
from crisis_dispatch.routing.provider import (
    FittedModelProvider,
    RoadNetworkProvider,
    StraightLineProvider,
    provider_for_region,
)
from tests.shared_data import shared_data_dir


@pytest.mark.parametrize("name", ["la", "LA", "los-angeles", " Los Angeles "])
def test_los_angeles_gets_the_fitted_model(name: str) -> None:
    assert isinstance(provider_for_region(name), FittedModelProvider)


def test_an_unknown_region_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(UnknownRegionError, match=r"no travel-time model for region 'paris' \(known: la"):
        provider_for_region("paris")


def test_a_graph_path_gives_a_road_network_provider() -> None:
    provider = provider_for_region("sf", graph_path=shared_data_dir() / "osm" / "san_francisco_ca_resp5.graphml")
    assert isinstance(provider, RoadNetworkProvider)


def test_a_missing_graph_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(GraphFormatError, match="not found"):
        provider_for_region("sf", graph_path=tmp_path / "missing.graphml")


def test_unknown_engine_and_bad_speed_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        RoadNetworkProvider.from_file(shared_data_dir() / "osm" / "chandler_az_resp3.graphml", engine="astar")
    with pytest.raises(ValueError, match="positive"):
        StraightLineProvider(0)
