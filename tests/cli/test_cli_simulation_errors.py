"""`simulate` and `plan` as a person reads them: one-line errors with nothing before them,
no progress bar on a pipe, readable tier mixes and help that wraps where the terminal does."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from crisis_dispatch.entrypoints.cli import app
from crisis_dispatch.entrypoints.cli_errors import one_line
from tests.cli.helpers import assert_one_error_line
from tests.simulation.small import mmc_variant

runner = CliRunner()


def _run(*args: str, columns: int = 80) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": str(columns)})


def test_an_unknown_protocol_is_one_line_naming_the_packaged_ones() -> None:
    r = _run("simulate", "la-ttp", "--protocol", "nosuch", "--days", "1")
    assert_one_error_line(r, "protocol 'nosuch' not found", "default", "narrow-2019")


def test_a_bad_protocol_file_is_one_line_with_all_its_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: x\nrules: 3\n")
    r = _run("simulate", "la-ttp", "--protocol", str(bad), "--protocol", "default", "--days", "1")
    assert_one_error_line(r, f"protocol '{bad}': 5 errors: ", "; rules: expected a list")


@pytest.mark.parametrize("target", ["p90<=60", "p95 <= 2", "p90<=60s"])
def test_plan_refuses_a_target_without_a_unit_listing_the_accepted_forms(target: str) -> None:
    r = _run("plan", "la-ttp", "--target", target)
    assert_one_error_line(r, f"bad target '{target}'", "'p90<=60m'", "'p95<=2h'", "'p90<=budget'")


def test_several_replications_on_a_pipe_print_no_progress_bar() -> None:
    r = _run("simulate", "validation/mmc", "--days", "5", "-r", "2", "--in-process")
    assert r.exit_code == 0, r.output
    assert r.stderr == ""


def test_the_whatif_prints_tier_mixes_as_text_not_a_dict() -> None:
    r = _run(
        "simulate",
        "la-ttp",
        "--days",
        "3",
        "-r",
        "1",
        "--in-process",
        "--protocol",
        "narrow-2019",
        "--protocol",
        "default",
        columns=200,
    )
    assert r.exit_code == 0, r.output
    mixes = [line for line in r.stdout.splitlines() if line.startswith(("  narrow-2019", "  default"))]
    assert len(mixes) == 2, r.stdout
    assert "{" not in r.stdout and "'" not in "".join(mixes)
    assert "POLICE" in mixes[0] and " %" in mixes[0]


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('kind = "single"', 'kind = "mars"', "region.kind: must be one of la, california, single, not 'mars'"),
        ("annual_calls = 8760", 'annual_calls = "many"', "demand.annual_calls: must be a number, not 'many'"),
        (
            "on_scene = { treated_and_released = [60.0, 1.0] }",
            "on_scene = { treated_and_released = [60.0] }",
            "durations.on_scene.treated_and_released: must be [mean_minutes, cv]",
        ),
        ("[outcomes.default]", "[outcomes.x]", "outcomes: 'default' is required"),
        ("treated_and_released = 1.0", "treated_and_released = 0.5", "outcomes.default: probabilities sum to 0.5000, not 1"),
        ("hold_designated = true", "hold_designated = true\nvan_count = 2", "fleet.van_count: unknown key"),
        ("seed = 7", "seed = 7\nfleet_size = 3", "unknown key(s) fleet_size"),
        ('start = "2025-01-06T00:00:00+00:00"', 'start = "2025-01-06T00:00:00"', "start: must carry a UTC offset"),
        ("seed = 7", "seed = [", "invalid TOML"),
    ],
)
def test_each_kind_of_bad_scenario_is_one_located_line(tmp_path: Path, old: str, new: str, named: str) -> None:
    bad = mmc_variant(tmp_path, old, new)
    assert_one_error_line(_run("simulate", str(bad), "--days", "1"), f"{bad}: {named}")


def test_plan_help_wraps_only_where_the_terminal_does() -> None:
    r = _run("plan", "--help", columns=250)
    assert r.exit_code == 0
    # each paragraph is one line on a wide terminal, not broken mid-sentence
    assert any(
        "every hour of the day, per area (each county" in line and line.rstrip().endswith("with totals.")
        for line in r.stdout.splitlines()
    )
    assert any("a bound with its unit: p90<=60m" in line and "Exit 1 if" in line for line in r.stdout.splitlines())


def test_a_multi_line_report_becomes_one_line() -> None:
    assert one_line("protocol 'x': x: 2 errors\n  a: missing\n  b: bad\n") == "protocol 'x': x: 2 errors: a: missing; b: bad"
    assert one_line("just one") == "just one"
