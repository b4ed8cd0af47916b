"""Grid files: checked whole when loaded; the documented example is a valid grid."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from crisis_dispatch.simulation import load_scenario
from crisis_dispatch.simulation.scenario import ScenarioError
from crisis_dispatch.simulation.sweep import GRID_EXAMPLE, load_grid, points

DOCS = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"


def test_the_example_grid_loads_against_la_ttp_20k(tmp_path: Path) -> None:
    path = tmp_path / "grid.toml"
    path.write_text(GRID_EXAMPLE)
    grid = load_grid(path, load_scenario("la-ttp-20k"))
    assert len(points(grid)) == 3 * 2 * 2 * 2 and grid["replications"] == 2


def test_the_docs_show_the_same_example_grid() -> None:
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL)
    grids = [tomllib.loads(b) for b in blocks if b.startswith("[grid]")]
    assert grids == [tomllib.loads(GRID_EXAMPLE)]


def test_whole_floats_are_read_as_whole_numbers(tmp_path: Path) -> None:
    path = tmp_path / "grid.toml"
    path.write_text("[grid]\nfleet_size = [2.0, 3]\nreplications = 1.0\n")
    grid = load_grid(path)
    assert grid["fleet_size"] == [2, 3] and grid["replications"] == 1
    assert all(type(v) is int for v in grid["fleet_size"])


def test_shift_names_are_checked_against_the_scenario(tmp_path: Path) -> None:
    path = tmp_path / "grid.toml"
    path.write_text('[grid]\nshift = ["24/7", "nights"]\n')
    assert load_grid(path)["shift"] == ["24/7", "nights"]  # no scenario: names unchecked
    with pytest.raises(ScenarioError, match=r"grid.shift: unknown shift 'nights' \(defined in la-ttp: 24/7"):
        load_grid(path, load_scenario("la-ttp"))
