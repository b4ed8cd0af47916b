"""``travel-times``: a CSV in, the same rows with seconds out; bad input exits 2 with one line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from crisis_dispatch.entrypoints import cli_routing
from tests.cli.helpers import assert_one_error_line
from tests.shared_data import shared_data_dir

GOOD = "id,o_lat,o_lon,d_lat,d_lon,note\n7,34.05,-118.25,34.00,-118.40,first\n8,34.10,-118.30,34.00,-118.40,second\n"


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    cli_routing.register(app)

    @app.callback()
    def main() -> None:
        """A fresh app with only the routing commands."""

    return app


def _write(tmp_path: Path, text: str, name: str = "pairs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(app: typer.Typer, *args: str):
    return CliRunner().invoke(app, ["travel-times", *args])


def test_rows_come_back_in_order_with_other_columns_and_seconds(app, tmp_path: Path) -> None:
    result = _run(app, str(_write(tmp_path, GOOD)), "--region", "la")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["7", "8"]
    assert [r["note"] for r in rows] == ["first", "second"]
    assert all(60 < float(r["seconds"]) < 3600 for r in rows)


def test_out_writes_a_file_and_nothing_to_stdout(app, tmp_path: Path) -> None:
    out = tmp_path / "timed.csv"
    result = _run(app, str(_write(tmp_path, GOOD)), "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text().splitlines()[0] == "id,o_lat,o_lon,d_lat,d_lon,note,seconds"


def test_a_road_graph_gives_network_times(app, tmp_path: Path) -> None:
    graph = shared_data_dir() / "osm" / "san_francisco_ca_resp5.graphml"
    text = "o_lat,o_lon,d_lat,d_lon\n37.7915,-122.4100,37.7940,-122.4050\n37.7940,-122.4050,37.7940,-122.4050\n"
    result = _run(app, str(_write(tmp_path, text)), "--graph", str(graph))
    assert result.exit_code == 0, result.output
    seconds = [float(r["seconds"]) for r in csv.DictReader(io.StringIO(result.stdout))]
    assert seconds[0] > 0 and seconds[1] == 0.0


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("o_lat,o_lon,d_lat\n1,2,3\n", [], "missing column(s) d_lon"),
        ("o_lat,o_lon,d_lat,d_lon\n34.0,-118.2,abc,-118.3\n", [], "line 2"),
        ("o_lat,o_lon,d_lat,d_lon\n34.0,-118.2,99,-118.3\n", [], "not a valid latitude/longitude"),
        ("o_lat,o_lon,d_lat,d_lon\n34.0,-118.2\n", [], "line 2"),
        (GOOD, ["--region", "paris"], "no travel-time model for region 'paris'"),
        ("o_lat,o_lon,d_lat,d_lon\n40.7,-74.0,34.0,-118.3\n", [], "outside the area"),
        (GOOD, ["--region", "la", "--graph", "x.graphml"], "either --region or --graph"),
        ("o_lat,o_lon,d_lat,d_lon,seconds\n", [], "already has a 'seconds' column"),
    ],
)
def test_bad_input_exits_2_with_one_readable_line(app, tmp_path: Path, text: str, args: list[str], message: str) -> None:
    result = _run(app, str(_write(tmp_path, text)), *args)
    assert_one_error_line(result, message)
    assert result.stdout == ""


def test_a_point_off_the_road_graph_exits_2(app, tmp_path: Path) -> None:
    graph = shared_data_dir() / "osm" / "chandler_az_resp3.graphml"
    result = _run(app, str(_write(tmp_path, GOOD)), "--graph", str(graph))
    assert result.exit_code == 2
    assert "m from the nearest road of network 'chandler_az_resp3'" in result.stderr


def test_missing_csv_and_missing_graph_exit_2(app, tmp_path: Path) -> None:
    assert "cannot read" in _run(app, str(tmp_path / "none.csv")).stderr
    result = _run(app, str(_write(tmp_path, GOOD)), "--graph", str(tmp_path / "none.graphml"))
    assert result.exit_code == 2 and "not found" in result.stderr
