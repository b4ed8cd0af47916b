"""A triage result serialises to exactly the CLI/API shape and back."""

from __future__ import annotations

import json

from crisis_dispatch.domain.triage import CallInput, TriageResult

from .builders import run

ISSUE_KEYS = {"id", "tier", "priority", "determinant", "flags", "reasons", "protocol_version"}
EXTRA_KEYS = {"screened_out", "rules_fired", "hold_possible", "confirmed"}


def test_to_dict_has_the_issue_shape_plus_the_recording_keys() -> None:
    data = run(call_type="EDP", narrative="PT HAS A KNIFE").to_dict()
    assert set(data) == ISSUE_KEYS | EXTRA_KEYS
    assert data["id"] == "c1"
    assert all({"name", "evidence"} <= set(flag) for flag in data["flags"])
    json.dumps(data)  # plain JSON types only


def test_from_dict_rebuilds_an_equal_result() -> None:
    result = run(call_type="OVERDOSE", narrative="17YOF TOOK PILLS, UNC, BF HAS A GUN")
    again = TriageResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result


def test_narrative_flags_carry_offsets_into_the_narrative() -> None:
    narrative = "RP ADV PT HAS A KNIFE"
    result = run(narrative=narrative)
    weapon = next(f for f in result.flags if f.name == "weapon")
    assert narrative[weapon.start : weapon.end] == weapon.evidence == "KNIFE"


def test_call_input_answers_cannot_be_changed_after_the_fact() -> None:
    answers = {"weapon": "no"}
    call = CallInput(id="x", answers=answers)
    answers["weapon"] = "yes"
    assert call.answers["weapon"] == "no"
