"""`sweep`: every bad grid value is refused up front in one line, the grid format is in
--help, and the table stays readable at 80 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from crisis_dispatch.entrypoints.cli import app
from crisis_dispatch.entrypoints.cli_simulation import sweep_cell
from tests.cli.helpers import assert_one_error_line

runner = CliRunner()


def _sweep(grid: Path, *extra: str, columns: int = 80) -> Result:
    args = ["sweep", "la-ttp", "--grid", str(grid), "--days", "2", "--in-process", *extra]
    return runner.invoke(app, args, env={"COLUMNS": str(columns)})


@pytest.mark.parametrize(
    ("grid", "named"),
    [
        ('fleet_size = ["x"]', "grid.fleet_size: 'x'"),
        ("fleet_size = [0]", "grid.fleet_size: 0"),
        ("fleet_size = [-2]", "grid.fleet_size: -2"),
        ("fleet_size = [2.5]", "grid.fleet_size: 2.5"),
        ("fleet_size = [true]", "grid.fleet_size: True"),
        ('replications = "two"', "grid.replications: 'two'"),
        ("replications = 0", "grid.replications: 0"),
        ("demand_growth = [-1]", "grid.demand_growth: -1"),
        ("demand_growth = [0]", "grid.demand_growth: 0"),
        ('demand_growth = ["more"]', "grid.demand_growth: 'more'"),
        ('shift = ["nights"]', "unknown shift 'nights'"),
        ('protocol = ["nosuch"]', "grid.protocol 'nosuch' not found"),
        ("fleet_size = 3", "grid.fleet_size must be a non-empty list"),
    ],
)
def test_a_bad_grid_value_is_one_line_naming_its_key_and_value_with_exit_2(tmp_path: Path, grid: str, named: str) -> None:
    path = tmp_path / "grid.toml"
    path.write_text(f"[grid]\n{grid}\n")
    r = _sweep(path)
    assert_one_error_line(r, named, "grid.toml")
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[points]\nfleet_size = [3]\n", "needs a [grid] table with any of: fleet_size, shift"),
        ("grid = 3\n", "needs a [grid] table"),
        ("[grid]\nvans = [1]\nfleet_size = [2]\n", "unknown grid keys ['vans']"),
        ("[grid]\nshift = [3]\nprotocol = [true]\n", "grid.shift: 3 is not a shift name; grid.protocol: True is not a protocol"),
        ("[grid]\nfleet_size = [\n", "invalid TOML"),
    ],
)
def test_a_grid_file_of_the_wrong_shape_is_one_located_line(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "grid.toml"
    path.write_text(text)
    assert_one_error_line(_sweep(path), f"{path}: ", named)


def test_every_bad_value_of_a_grid_is_named_in_the_one_line(tmp_path: Path) -> None:
    path = tmp_path / "grid.toml"
    path.write_text('[grid]\nfleet_size = ["x", 3]\ndemand_growth = [1.0, -1]\nreplications = "two"\n')
    r = _sweep(path)
    assert_one_error_line(r, "grid.fleet_size: 'x'", "grid.demand_growth: -1", "grid.replications: 'two'")


def test_a_bad_protocol_file_in_a_grid_is_one_line_listing_its_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("version: x\nrules: 3\n")
    path = tmp_path / "grid.toml"
    path.write_text(f'[grid]\nprotocol = ["default", "{tmp_path / "bad.yaml"}"]\n')
    r = _sweep(path)
    assert_one_error_line(r, "errors: ", "rules: expected a list")


def test_sweep_help_shows_a_whole_grid_file() -> None:
    r = runner.invoke(app, ["sweep", "--help"], env={"COLUMNS": "80"})
    assert r.exit_code == 0
    assert "[grid]" in r.stdout and "a [grid] table" in r.stdout
    for key in ("fleet_size = [5, 8, 11]", "shift = [", "protocol = [", "demand_growth = [1.0, 1.25]", "replications = 2"):
        assert key in r.stdout, key


def test_the_sweep_table_is_readable_at_80_columns_and_shows_growth_as_given(tmp_path: Path) -> None:
    path = tmp_path / "grid.toml"
    path.write_text(
        '[grid]\nfleet_size = [2]\nshift = ["peak-12h"]\nprotocol = ["narrow-2019"]\ndemand_growth = [1.25]\nreplications = 1\n'
    )
    r = _sweep(path)
    assert r.exit_code == 0, r.output
    assert r.stderr == ""  # no progress bar when stderr is not a terminal
    lines = r.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), r.stdout
    assert "…" not in r.stdout
    row = next(line for line in lines if "narrow-2019" in line)
    assert row.split()[:4] == ["2", "peak-12h", "narrow-2019", "1.25"]
    assert "p90" in r.stdout


def test_the_sweep_json_keeps_every_kpi_of_every_point(tmp_path: Path) -> None:
    path = tmp_path / "grid.toml"
    path.write_text("[grid]\nfleet_size = [2.0]\nreplications = 1\n")
    r = _sweep(path, "--json")
    assert r.exit_code == 0, r.output
    point = json.loads(r.stdout)["points"][0]
    assert point["fleet_size"] == 2  # a whole float is read as the whole number
    assert {"utilisation", "p_wait", "ed_visits_avoided", "fell_back_to_police_or_ems"} <= set(point)


def test_a_missing_number_is_a_dash_and_only_a_missing_percentile_is_not_met() -> None:
    assert sweep_cell(None, "percentile") == "not met"
    assert sweep_cell(None, "share") == "–"
    assert sweep_cell(None, "minutes") == "–"
    assert sweep_cell(None, "count") == "–"
    assert sweep_cell(0.9834, "share") == "98.3%"
    assert sweep_cell(1234.56, "count") == "1,235"


def test_a_fleet_size_grid_on_a_multi_area_scenario_is_refused_before_anything_runs(tmp_path: Path) -> None:
    path = tmp_path / "grid.toml"
    path.write_text("[grid]\nfleet_size = [3]\n")
    r = runner.invoke(app, ["sweep", "california", "--grid", str(path)])
    assert_one_error_line(r, "grid.fleet_size needs a single-area scenario")


def test_the_cli_starts_without_loading_the_simulator() -> None:
    # `sweep --help` is built at start-up; it must not cost every command numpy, scipy and
    # the road graph (PEP 562 names in crisis_dispatch.simulation, the grid in its own module).
    import subprocess
    import sys

    code = (
        "import sys, crisis_dispatch.entrypoints.cli; "
        "print(sorted(m for m in ('crisis_dispatch.simulation.runner', 'crisis_dispatch.simulation.sweep') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
