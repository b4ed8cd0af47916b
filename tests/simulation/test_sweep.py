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


def test_a_fleet_size_point_runs_its_vans_on_the_greedy_stations_of_its_own_demand() -> None:
    from crisis_dispatch.simulation.plan import greedy_placement
    from crisis_dispatch.simulation.region import PlacedVan
    from crisis_dispatch.simulation.runner import prepare, run_replication
    from crisis_dispatch.simulation.sweep import sweep

    s = load_scenario("la-ttp").with_changes(horizon_days=2)
    grid = {"fleet_size": [2], "shift": ["24/7", "peak-12h"], "demand_growth": [1.0, 2.0], "replications": 1}
    rows = sweep(s, grid)["points"]
    grown = s.with_changes(
        annual_calls=s.annual_calls * 2.0,
        team_calls_per_year=None if s.team_calls_per_year is None else s.team_calls_per_year * 2.0,
    )
    prep = prepare(grown)
    st = prep.region.stations
    vans = [PlacedVan(f"V{i + 1}", 0, st[sid][1], st[sid][2], "peak-12h", sid) for i, sid in enumerate(greedy_placement(prep, 2))]
    direct = run_replication(prepare(grown, vans=vans), 0).kpis
    row = next(r for r in rows if r["shift"] == "peak-12h" and r["demand_growth"] == 2.0)
    assert row["team_calls"] == direct["team_calls"]
    assert row["response_minutes.p90"] == direct["response_minutes"]["p90"]
    assert row["utilisation"] == direct["utilisation"]
