"""Protocols are data: loading validates them and reports every error with its location."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from crisis_dispatch.adapters.config.protocol import parse_protocol
from crisis_dispatch.adapters.protocol_loader import (
    load_default_protocol,
    load_protocol,
    packaged_protocol_names,
    parse_protocol_text,
    resolve_protocol,
)
from crisis_dispatch.domain.triage import ProtocolError

REPO = Path(__file__).resolve().parents[3]


def default_data() -> dict[str, Any]:
    return yaml.safe_load((REPO / "protocols" / "default.yaml").read_text(encoding="utf-8"))


def errors_of(data: Any) -> list[str]:
    with pytest.raises(ProtocolError) as info:
        parse_protocol(data, origin="test.yaml")
    return info.value.errors


def test_the_shipped_protocols_load_and_carry_their_versions() -> None:
    assert packaged_protocol_names() == ["default.yaml", "narrow-2019.yaml"]
    for path in sorted((REPO / "protocols").glob("*.yaml")):
        protocol = load_protocol(path)
        assert protocol.version and protocol.rules and protocol.default_response.responders
    assert load_default_protocol().version.startswith("default-")


def test_a_protocol_is_named_by_its_packaged_name_or_its_file(tmp_path: Path) -> None:
    assert resolve_protocol("narrow-2019").version == resolve_protocol("narrow-2019.yaml").version
    assert resolve_protocol(REPO / "protocols" / "default.yaml").version == load_default_protocol().version
    own = tmp_path / "default"  # a file wins over a packaged name
    own.write_text((REPO / "protocols" / "narrow-2019.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert resolve_protocol(own).version.startswith("narrow-2019")
    with pytest.raises(ProtocolError) as info:
        resolve_protocol("nosuch")
    assert info.value.errors == ["no such file, and no packaged protocol of that name (packaged: default, narrow-2019)"]
    with pytest.raises(ProtocolError, match="cannot read"):
        resolve_protocol(tmp_path / "missing.yaml")


def test_a_misspelt_flag_is_reported_with_its_location_and_a_suggestion() -> None:
    data = default_data()
    data["rules"][3]["when"] = {"weapn": "present"}
    assert errors_of(data) == ["rules[3].when.weapn: unknown flag 'weapn'; did you mean 'weapon'?"]


def test_every_error_is_reported_at_once() -> None:
    data = copy.deepcopy(default_data())
    del data["version"]
    data["questions"][0]["sets"] = [{"flag": "weapon", "when": "maybe"}]
    data["questions"][8]["sets"] = [{"flag": "minor", "when": {"below": 18}}]
    data["rules"][0]["add"] = ["swat"]
    data["rules"][1]["priority"] = 9
    data["rules"][2]["determinant"] = "ZZ"
    data["rules"][4]["when"] = {"weapon": "sometimes"}
    data["rules"].append(copy.deepcopy(data["rules"][0]))
    errors = errors_of(data)
    assert errors == [
        "version: missing",
        "questions[0].sets[0].when: a yes_no question sets a flag on 'yes' or 'no', not 'maybe'",
        "questions[8].sets[0].when: an integer question compares with one of ['eq', 'ge', 'gt', 'le', 'lt'], e.g. {lt: 18}",
        "rules[0].add: unknown responder 'swat' (use: team, police, ems, phone)",
        "rules[1].priority: unknown priority 9 (declare it under priorities)",
        "rules[2].determinant: unknown determinant code 'ZZ' (declare it under determinants)",
        "rules[4].when.weapon: unknown state 'sometimes' (use one of: present, denied, unknown, absent)",
        f"rules[{len(data['rules']) - 1}].id: duplicate rule id 'weapon-police'",
        f"rules[{len(data['rules']) - 1}].add: unknown responder 'swat' (use: team, police, ems, phone)",
    ]


def test_a_rule_may_never_take_police_or_ems_away() -> None:
    data = default_data()
    data["rules"][0]["remove"] = ["police"]
    assert errors_of(data) == ["rules[0].remove: a rule may never remove police or EMS (safety invariant)"]


def test_the_default_response_must_send_somebody_in_person() -> None:
    data = default_data()
    data["default_response"]["responders"] = ["phone"]
    assert errors_of(data) == [
        "default_response.responders: the default responder for an unjudged call cannot be the team or the phone alone"
    ]


def test_a_rule_that_does_nothing_or_always_fires_is_refused() -> None:
    data = default_data()
    data["rules"] = [
        {"id": "noop", "text": "nothing", "when": {"weapon": "present"}},
        {"id": "always", "text": "x", "add": ["team"]},
    ]
    assert errors_of(data) == [
        "rules[0]: the rule does nothing (no add, remove, screen_out, priority, determinant, hold_possible)",
        "rules[1]: a rule needs 'when' or 'when_any' (a rule that always fires is a mistake)",
    ]


def test_unknown_keys_are_errors_not_silently_ignored() -> None:
    data = default_data()
    data["rulez"] = []
    data["rules"][0]["wen"] = {}
    assert errors_of(data) == ["rulez: unknown key", "rules[0].wen: unknown key"]


def test_a_protocol_that_is_not_a_mapping_is_one_clear_error() -> None:
    assert errors_of(["rules"]) == ["(top): expected a mapping, got list"]


def test_yaml_syntax_errors_name_the_line() -> None:
    with pytest.raises(ProtocolError) as info:
        parse_protocol_text("protocol: x\nrules: [\n", origin="bad.yaml")
    assert info.value.errors[0].startswith("line 3, column 1: invalid YAML")
    assert str(info.value).startswith("bad.yaml: 1 error")


def test_a_missing_file_is_a_protocol_error(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="cannot read"):
        load_protocol(tmp_path / "nope.yaml")
