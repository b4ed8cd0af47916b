"""Scenario files: shipped ones load; mistakes are reported with where they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_dispatch.simulation import ScenarioError, load_scenario, shipped_scenarios
from tests.simulation.small import mmc_variant


def test_the_four_required_scenarios_ship_with_the_package() -> None:
    assert {"la-ttp", "la-ttp-20k", "california", "validation/mmc"} <= set(shipped_scenarios())


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("treated_and_released = 1.0", "treated_and_released = 0.5", "sum to 0.5000"),
        ('kind = "single"', 'kind = "mars"', "region.kind"),
        ('station = "base" }, { call_sign = "M2"', 'station = "nowhere" }, { call_sign = "M2"', "unknown station"),
        ("seed = 7", "seed = 7\nfleet_size = 3", "unknown key(s) fleet_size"),
        ("annual_calls = 8760", "annual_calls = -1", "at least 0"),
    ],
)
def test_mistakes_in_a_scenario_name_the_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    from crisis_dispatch.simulation.runner import prepare

    with pytest.raises(ScenarioError, match=None) as err:
        prepare(load_scenario(mmc_variant(tmp_path, old, new)))
    assert message in str(err.value)
