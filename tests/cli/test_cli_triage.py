"""``triage``: JSON lines in and out; bad lines are reported with their line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from crisis_dispatch.entrypoints import cli_triage
from tests.cli.helpers import assert_one_error_line
from tests.shared_data import shared_data_dir

REPO = Path(__file__).resolve().parents[2]
GOOD = (
    '{"id": "a", "call_type": "EDP", "narrative": "PT ANXIOUS, NO WEAPONS"}\n'
    '{"id": "b", "call_type": "OVERDOSE", "narrative": "PT UNC", "code": "23D1"}\n'
    '{"id": "c", "call_type": "PSYCH", "answers": {"weapon": "yes"}}\n'
)


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def other() -> None:  # a second command, so "triage" is a real group of the app
        """Unrelated."""

    cli_triage.register(app)
    return app


def invoke(app: typer.Typer, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input)


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_triage_reads_stdin_and_answers_each_line_in_order(app: typer.Typer) -> None:
    result = invoke(app, "triage", "-", input=GOOD)
    assert result.exit_code == 0, result.stderr
    out = lines(result.stdout)
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert [o["tier"] for o in out] == ["MH_TEAM", "EMS", "MH_TEAM_WITH_POLICE"]
    assert {"id", "tier", "priority", "determinant", "flags", "reasons", "protocol_version"} <= set(out[0])


def test_triage_without_a_file_reads_stdin(app: typer.Typer) -> None:
    result = invoke(app, "triage", input=GOOD)
    assert result.exit_code == 0 and len(lines(result.stdout)) == 3


def test_triage_reads_a_file_with_another_protocol(app: typer.Typer, tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_text(GOOD, encoding="utf-8")
    result = invoke(app, "triage", str(calls), "--protocol", str(REPO / "protocols" / "narrow-2019.yaml"))
    assert result.exit_code == 0
    assert {o["protocol_version"] for o in lines(result.stdout)} == {"narrow-2019.6"}


def test_a_bad_line_is_reported_and_the_others_are_still_answered(app: typer.Typer) -> None:
    bad = GOOD.replace('{"id": "b"', "{oops") + '{"call_type": "EDP"}\n["not", "an", "object"]\n'
    result = invoke(app, "triage", "-", input=bad)
    assert result.exit_code == 1
    assert [o["id"] for o in lines(result.stdout)] == ["a", "c"]
    assert result.stderr.splitlines() == [
        "error: -: line 2: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        "error: -: line 4: missing 'id'",
        "error: -: line 5: expected a JSON object, got list",
    ]


def test_an_invalid_protocol_is_one_readable_line_and_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text((REPO / "protocols" / "default.yaml").read_text().replace("weapon: present}", "weapn: present}"))
    result = invoke(app, "triage", "-", "--protocol", str(broken), input=GOOD)
    assert_one_error_line(result, "rules[0].when.weapn: unknown flag 'weapn'")


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("protocol:", "protocl:", "protocl: unknown key; protocol: missing"),
        ("default_response:", "default_response: 3\nunused:", "default_response: missing: say who goes"),
        ("priority: 1", "priority: 7", "priority: unknown priority 7 (declare it under priorities)"),
        ("when: {", "when: [", "invalid YAML"),
    ],
)
def test_each_kind_of_bad_protocol_is_one_located_line(app: typer.Typer, tmp_path: Path, old: str, new: str, named: str) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text((REPO / "protocols" / "default.yaml").read_text().replace(old, new, 1))
    result = invoke(app, "triage", "-", "--protocol", str(broken), input=GOOD)
    assert_one_error_line(result, f"{broken}: ", named)


def test_a_missing_input_file_is_one_readable_line(app: typer.Typer, tmp_path: Path) -> None:
    result = invoke(app, "triage", str(tmp_path / "none.jsonl"))
    assert_one_error_line(result)
    assert result.stderr.startswith("error: cannot read")


def test_whatif_prints_a_table_and_json(app: typer.Typer, tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_text(GOOD, encoding="utf-8")
    table = invoke(app, "triage", "whatif", "--protocol", "default", "--protocol", "narrow-2019", str(calls))
    assert table.exit_code == 0, table.stderr
    assert "MH_TEAM" in table.stdout and "change tier" in table.stdout
    data = json.loads(invoke(app, "triage", "whatif", "-p", "default", "-p", "narrow-2019", str(calls), "--json").stdout)
    assert data["calls"] == 3 and data["changed"] == 2
    assert data["tiers"]["b"]["POLICE"] == 2


def test_whatif_needs_exactly_two_protocols(app: typer.Typer, tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_text(GOOD, encoding="utf-8")
    result = invoke(app, "triage", "whatif", "--protocol", "default", str(calls))
    assert result.exit_code == 2 and "exactly two" in result.stderr


def test_unmapped_lists_call_types_and_codes_with_counts(app: typer.Typer) -> None:
    text = GOOD + '{"id": "d", "call_type": "ZZ ODD TYPE", "code": "Q77"}\n{"id": "e", "call_type": "ZZ ODD TYPE"}\n'
    result = invoke(app, "triage", "unmapped", "-", "--json", input=text)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["call_types"] == [{"value": "ZZ ODD TYPE", "count": 2}]
    assert data["codes"] == [{"value": "Q77", "count": 1}]


def test_unmapped_reads_a_code_without_its_card_by_the_card_its_call_type_names(app: typer.Typer) -> None:
    text = '{"id": "a", "call_type": "PSYCH PROBLEM", "code": "B6"}\n{"id": "b", "call_type": "WELFARE CHECK", "code": "B6"}\n'
    data = json.loads(invoke(app, "triage", "unmapped", "-", "--json", input=text).stdout)
    assert data["codes"] == [{"value": "B6", "count": 1}]  # only where no card names it


def test_unmapped_reads_the_call_types_of_a_column_named_on_the_command_line(app: typer.Typer, tmp_path: Path) -> None:
    csv_file = tmp_path / "types.csv"
    csv_file.write_text("Category: Alarms,Category\nZZ ODD THING,Alarms\nSUICIDE ATTEMPT,Medical\n", encoding="utf-8")
    refused = invoke(app, "triage", "unmapped", str(csv_file))
    assert refused.exit_code == 2 and "name the call-type column with --column" in refused.stderr
    data = json.loads(invoke(app, "triage", "unmapped", str(csv_file), "--column", "Category: Alarms", "--json").stdout)
    assert data["call_types"] == [{"value": "ZZ ODD THING", "count": 1}] and data["rows"] == 2
    wrong = invoke(app, "triage", "unmapped", str(csv_file), "--column", "Nature")
    assert wrong.exit_code == 2 and "no column 'Nature'; columns are: 'Category: Alarms', 'Category'" in wrong.stderr


def test_unmapped_reads_a_csv_with_counts(app: typer.Typer, tmp_path: Path) -> None:
    csv_file = tmp_path / "types.csv"
    csv_file.write_text("City,Field 1,Count\nX,ZZ ODD TYPE,12\nX,EDP,3\nX,ZZ ODD TYPE,1\n", encoding="utf-8")
    result = invoke(app, "triage", "unmapped", str(csv_file))
    assert result.exit_code == 0
    assert "ZZ ODD TYPE" in result.stdout and "13" in result.stdout and "EDP" not in result.stdout


def test_unmapped_refuses_a_csv_without_a_call_type_column(app: typer.Typer, tmp_path: Path) -> None:
    csv_file = tmp_path / "x.csv"
    csv_file.write_text("a,b\n1,2\n", encoding="utf-8")
    result = invoke(app, "triage", "unmapped", str(csv_file))
    assert result.exit_code == 2 and "no call-type or code column" in result.stderr


def test_unmapped_on_the_real_cad_taxonomy_reports_only_uncategorised_strings(app: typer.Typer) -> None:
    path = shared_data_dir() / "calls" / "call_type_taxonomy" / "CallTypes.csv"
    data = json.loads(invoke(app, "triage", "unmapped", str(path), "--json").stdout)
    assert data["rows"] == 3227
    assert 0 < len(data["call_types"]) < 250  # strings the taxonomy left without a category


def test_triage_says_whether_a_team_alone_decision_was_confirmed(app: typer.Typer) -> None:
    calls = (
        '{"id": "text", "call_type": "EDP", "narrative": "PT ANXIOUS, NO WEAPONS"}\n'
        '{"id": "asked", "call_type": "EDP", "narrative": "PT ANXIOUS, NO WEAPONS", '
        '"answers": {"weapon": "no", "violence": "no", "conscious_breathing": "yes"}}\n'
    )
    result = invoke(app, "triage", "-", input=calls)
    assert result.exit_code == 0, result.stderr
    text, asked = lines(result.stdout)
    assert (text["tier"], text["confirmed"]) == ("MH_TEAM", False)
    assert any(r.startswith("unconfirmed:") for r in text["reasons"])
    assert (asked["tier"], asked["confirmed"]) == ("MH_TEAM", True)
