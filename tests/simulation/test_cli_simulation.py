"""The simulate, plan and sweep commands: JSON shapes, outputs, and one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from crisis_dispatch.entrypoints.cli import app
from tests.cli.helpers import assert_one_error_line

runner = CliRunner()


def _run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def test_simulate_mmc_json_has_the_queue_keys_others_script_against() -> None:
    r = _run("simulate", "validation/mmc", "--days", "60", "-r", "1", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    for key in ("arrival_rate_per_hour", "mean_service_minutes", "units", "mean_queue_wait_minutes", "p_wait"):
        assert key in data
    assert data["units"] == 2
    assert data["arrival_rate_per_hour"] == pytest.approx(1.0)
    assert data["mean_service_minutes"] == pytest.approx(60.0)
    assert data["inputs"]["name"] == "validation/mmc"
    assert data["inputs"]["horizon_days"] == 60
    assert "erlang_c" in data


def test_simulate_writes_tables_plots_and_an_html_summary(tmp_path: Path) -> None:
    r = _run("simulate", "la-ttp", "--days", "20", "-r", "1", "--out", str(tmp_path), "--check", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["invariant_violations"] == []
    for name in (
        "kpis.csv",
        "by_hour.csv",
        "by_tier.csv",
        "by_area.csv",
        "outcomes.csv",
        "response_by_hour.png",
        "utilisation_by_hour.png",
        "summary.html",
        "program_report.json",
        "program_report.csv",
        "program_report.html",
        "response_times.png",
        "outcomes.png",
        "eligible_reached.png",
    ):
        assert (tmp_path / name).stat().st_size > 0, name
    html = (tmp_path / "summary.html").read_text()
    assert "la-ttp" in html
    assert not re.search(r"\d\.\d{5,}", html.split("<h2>Inputs")[0])  # estimates rounded to their precision
    # Names people read, shares as percentages, the inputs as a table rather than a JSON dump.
    headline = html.split("<h2>Headline")[1].split("</table>")[0]
    assert "Reached within 60 minutes" in headline and "share_within" not in headline
    assert re.search(r"<td>Van utilisation</td><td>\d+(\.\d+)? %</td>", headline)
    inputs = html.split("<h2>Inputs")[1]
    assert "<td>horizon days</td><td>20" in inputs and "{" not in inputs
    # The simulated run is read by the live report's code: the same keys, team calls and outcomes.
    program = json.loads((tmp_path / "program_report.json").read_text())
    assert program["team_calls"] == data["kpis"]["team_calls"]
    assert sum(v["count"] for v in program["outcomes"].values()) == program["team_calls"]
    assert "Treated and released on site" in (tmp_path / "program_report.html").read_text()


def test_simulate_with_two_protocols_is_the_eligibility_whatif() -> None:
    r = _run(
        "simulate",
        "la-ttp",
        "--days",
        "10",
        "-r",
        "1",
        "--in-process",
        "--protocol",
        "narrow-2019",
        "--protocol",
        "default",
        "--json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    rows = {row["kpi"]: row for row in data["comparison"]}
    assert rows["team_calls"]["b"] > rows["team_calls"]["a"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("simulate", "no-such-scenario"), "unknown scenario"),
        (("simulate", "missing.toml"), "not found"),
        (("plan", "la-ttp", "--target", "p90 under an hour"), "bad target"),
        (("plan", "la-ttp", "--target", "p90<=60"), "needs a unit"),
        (("simulate", "la-ttp", "--protocol", "nosuch"), "packaged: default, narrow-2019"),
        (("plan", "california", "--target", "p90<=budgets"), "bad target"),
        (("plan", "california", "--target", "p100<=60m"), "bad target"),
        (("plan", "california", "--target", "p90<=0h"), "bad target"),
        (("plan", "california", "--areas", "Atlantis", "--days", "1", "--in-process"), "unknown area(s) 'Atlantis'"),
        (("plan", "california", "--areas", " , ", "--days", "1"), "--areas lists no area"),
    ],
)
def test_bad_input_gives_one_readable_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    r = _run(*args)
    assert_one_error_line(r, message)


def test_bad_toml_is_reported_with_its_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [unclosed\n")
    r = _run("simulate", str(bad))
    assert r.exit_code == 2
    assert "invalid TOML" in r.stderr and "bad.toml" in r.stderr


def test_plan_finds_a_fleet_for_the_pilot_volume() -> None:
    r = _run("plan", "la-ttp", "--target", "p90<=60m", "--days", "60", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["met"] is True
    assert 1 <= data["vans"] <= 5
    assert all(v is None or v <= 60 for v in data["by_hour_minutes"])


def test_plan_on_a_multi_area_scenario_gives_each_county_and_statewide_totals() -> None:
    r = _run(
        "plan",
        "california",
        "--target",
        "p90<=budget",
        "--areas",
        "Sierra,San Francisco",
        "--days",
        "14",
        "--in-process",
        "--json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    areas = {a["area"]: a for a in data["areas"]}
    assert sorted(areas) == ["San Francisco", "Sierra"]
    assert (areas["Sierra"]["target_minutes"], areas["San Francisco"]["target_minutes"]) == (120, 60)
    assert data["met"] is True
    assert data["totals"]["vans"] == sum(a["vans"] for a in areas.values())
    assert data["inputs"]["candidate_rings"] == 2
    for a in areas.values():
        assert {"vans", "vans_24_7", "vans_part_time", "fleet", "stations", "value_minutes"} <= set(a)


def test_plan_table_names_each_county_and_the_total() -> None:
    args = [
        "plan",
        "california",
        "--target",
        "p90<=budget",
        "--areas",
        "Alpine",
        "--areas",
        "Sierra",
        "--days",
        "14",
        "--in-process",
    ]
    r = runner.invoke(app, args, env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "Alpine" in r.stdout and "Sierra" in r.stdout and "2 of 2 met" in r.stdout


@pytest.mark.slow
def test_sweep_runs_a_two_point_grid_on_a_local_dask_cluster(tmp_path: Path) -> None:
    grid = tmp_path / "grid.toml"
    grid.write_text('[grid]\nprotocol = ["narrow-2019", "default"]\nreplications = 1\n')
    r = _run("sweep", "la-ttp", "--grid", str(grid), "--days", "7", "--json", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [p["protocol"] for p in data["points"]] == ["narrow-2019", "default"]
    assert data["points"][1]["team_calls"] > data["points"][0]["team_calls"]
    assert (tmp_path / "sweep.csv").exists()


def test_sweep_rejects_an_unknown_grid_key(tmp_path: Path) -> None:
    grid = tmp_path / "grid.toml"
    grid.write_text("[grid]\nvans = [1, 2]\n")
    r = _run("sweep", "la-ttp", "--grid", str(grid))
    assert r.exit_code == 2
    assert "unknown grid keys" in r.stderr
