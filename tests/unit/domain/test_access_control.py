"""Who may do what, and what each role may see (minimum necessary, DOMAIN.md §5)."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from crisis_dispatch.domain.access import Permission, UserRole, allowed, redact_incident
from crisis_dispatch.domain.incident import Call, Incident, IncidentStatus, Note
from crisis_dispatch.domain.outcomes import HoldCriterion
from crisis_dispatch.domain.triage import KNOWN_FLAGS
from crisis_dispatch.services.context import Triager
from crisis_dispatch.services.views import incident_view
from tests.unit.domain.builders import MINUTE, T0, hold, hold_outcome, new_incident

#: Written from DOMAIN.md §2 and §5 and issue 2 (not read back from the code): role -> what it may do.
#: Everyone reads incidents (views are redacted or scoped) and reference data.
_READ = {"incident:read", "reference:read"}
_DISPATCH = _READ | {
    "call:create",
    "queue:read",
    "triage:evaluate",
    "triage:confirm",
    "incident:status",
    "incident:assign",
    "incident:outcome",
    "incident:note",
    "unit:read",
    "unit:status",
    "staff:read",
    "facility:update",
}
#: Issue 13: whoever takes calls may take an EIDO from the CAD and read an incident as EIDO.
_EIDO = {"eido:receive", "eido:read"}
EXPECTED: dict[str, set[str]] = {
    # Issue 10: whoever takes calls confirms a text-only decision by asking the safety questions.
    "call_taker": _READ | _EIDO | {"call:create", "queue:read", "triage:evaluate", "triage:confirm", "unit:read"},
    "dispatcher": _DISPATCH | _EIDO,
    "crew": _READ | {"incident:status", "incident:outcome", "incident:note", "unit:read", "unit:status", "facility:update"},
    # A supervisor does what dispatchers do, plus crews and the audit trail.
    "supervisor": _DISPATCH | _EIDO | {"crew:manage", "audit:read", "report:read", "export:nemsis"},
    # Analysts run what-ifs on the triage criteria; they change nothing.
    "analyst": _READ | {"triage:evaluate", "unit:read", "report:read"},
    # Police see where the vans are, and nothing clinical.
    "police_liaison": _READ | {"unit:read"},
    "court_liaison": set(_READ),
    "admin": {p.value for p in Permission},
    # Issue 13: the CAD's machine account sends and reads EIDO documents, and nothing else:
    # no incident views, no reference data, no queue.
    "cad": set(_EIDO),
}
WRITES = {
    "call:create",
    "triage:confirm",
    "incident:status",
    "incident:assign",
    "incident:outcome",
    "incident:note",
    "unit:status",
    "crew:manage",
    "facility:update",
    "user:manage",
}
CASES = list(itertools.product(sorted(EXPECTED), sorted(p.value for p in Permission)))


def test_the_roles_are_those_of_issue_2() -> None:
    assert {r.value for r in UserRole} == set(EXPECTED)


@pytest.mark.parametrize(("role", "permission"), CASES, ids=[f"{r}:{p}" for r, p in CASES])
def test_each_role_has_exactly_the_expected_permissions(role: str, permission: str) -> None:
    assert allowed(role, Permission(permission)) == (permission in EXPECTED[role]), (
        f"{role} / {permission}: the code and this table disagree; a new or changed permission "
        "must be reviewed here (EXPECTED in tests/unit/domain/test_access_control.py)"
    )


@pytest.mark.parametrize("role", ["analyst", "police_liaison", "court_liaison", "cad"])
def test_read_only_roles_can_write_nothing(role: str) -> None:
    assert not {p.value for p in Permission if allowed(role, p)} & WRITES


def test_only_an_admin_manages_users() -> None:
    assert [r.value for r in UserRole if allowed(r, Permission.USER_MANAGE)] == ["admin"]


def test_an_unknown_role_is_refused_rather_than_given_some_default() -> None:
    with pytest.raises(ValueError):
        allowed("chief", Permission.INCIDENT_READ)
    with pytest.raises(ValueError):
        redact_incident({"id": "INC-1"}, "chief")


# --------------------------------------------------------------------------- redacted views

NARRATIVE = "Caller says her brother hears voices, took extra pills, has a kitchen knife"
NOTE_TEXT = "Reports auditory hallucinations, history of schizophrenia, off medication two weeks"
HOLD_FACTS = "said he would walk into traffic; no safe place to stay"
SUMMARY = "calm after de-escalation, taken to urgent care"
CALLER_NAME, CALLER_PHONE = "Dana Whitlock", "555-0142"
DESCRIPTION = "man in his 30s, grey hoodie, near the bus stop"


@pytest.fixture
def full_view(triager: Triager) -> dict[str, Any]:
    """The real read model of an incident with every kind of data a view can carry."""
    incident: Incident = new_incident()
    incident.subject_description = DESCRIPTION
    incident.subject_age = 34
    call = Call(
        id="CALL-1",
        incident_id=incident.id,
        received_at=T0,
        call_type="EDP",
        narrative=NARRATIVE,
        caller_name=CALLER_NAME,
        caller_phone=CALLER_PHONE,
        answers={"weapon": "yes"},
    )
    incident.calls.append(call)
    decision = triager({"id": call.id, "call_type": call.call_type, "narrative": call.narrative, "answers": call.answers})
    incident.apply_triage(decision, now=T0 + MINUTE, by="call-taker-1")
    incident.assign("U-1", now=T0 + 2 * MINUTE, by="dispatcher-1")
    incident.transition(IncidentStatus.ON_SCENE, now=T0 + 3 * MINUTE, by="crew-1")
    incident.notes.append(Note(id="N-1", incident_id=incident.id, at=T0 + 5 * MINUTE, by="crew-1", text=NOTE_TEXT))
    the_hold = hold(
        first_detained_at=T0 + 10 * MINUTE, criteria=frozenset({HoldCriterion.DANGER_TO_SELF, HoldCriterion.GRAVE_DISABILITY})
    )
    outcome = replace(hold_outcome(replace(the_hold, facts=HOLD_FACTS), age=34), summary=SUMMARY)
    incident.record_outcome(outcome, now=T0 + timedelta(hours=1))
    return incident_view(incident)


def _text(view: dict[str, Any]) -> str:
    return json.dumps(view, default=str)


def test_the_unredacted_view_really_carries_the_sensitive_data(full_view: dict[str, Any]) -> None:
    """Guards the tests below: they would pass vacuously on an empty view."""
    text = _text(full_view)
    for secret in (NARRATIVE, NOTE_TEXT, HOLD_FACTS, SUMMARY, CALLER_NAME, CALLER_PHONE, "danger_to_self"):
        assert secret in text
    assert {f["name"] for f in full_view["triage"]["flags"]} >= {"weapon", "mental_health"}


@pytest.mark.parametrize("role", ["dispatcher", "supervisor", "crew", "admin"])
def test_clinical_roles_see_the_whole_record(full_view: dict[str, Any], role: str) -> None:
    assert redact_incident(full_view, role) == full_view


def test_redaction_never_changes_the_view_it_was_given(full_view: dict[str, Any]) -> None:
    before = json.loads(_text(full_view))
    redact_incident(full_view, "police_liaison")
    redact_incident(full_view, "analyst")
    assert json.loads(_text(full_view)) == before


def test_the_police_liaison_view_carries_no_clinical_field(full_view: dict[str, Any]) -> None:
    view = redact_incident(full_view, "police_liaison")
    for field in ("outcome", "notes", "narrative", "calls", "triage", "subject_age", "screened_out_reason"):
        assert field not in view
    text = _text(view)
    for clinical in (
        NARRATIVE,
        NOTE_TEXT,
        HOLD_FACTS,
        SUMMARY,
        "hears voices",
        "danger_to_self",
        "grave_disability",
        "5150",
        "hold_possible",
        "mental_health",
    ):
        assert clinical not in text, f"police view leaks {clinical!r}"


def test_the_police_liaison_view_carries_the_weapon_flag_and_its_evidence(full_view: dict[str, Any]) -> None:
    view = redact_incident(full_view, "police_liaison")
    assert [f["name"] for f in view["safety_flags"]] == ["weapon"]
    assert view["safety_flags"][0]["evidence"]


def test_the_police_liaison_view_carries_a_violence_flag() -> None:
    triage = {
        "flags": [
            {"name": "violence", "evidence": "threatening neighbours", "source": "narrative"},
            {"name": "overdose", "evidence": "took pills", "source": "narrative"},
            {"name": "weapon", "evidence": "weapon=yes", "source": "answer"},
        ]
    }
    view = redact_incident({"id": "INC-1", "triage": triage}, "police_liaison")
    assert view["safety_flags"] == [
        {"name": "violence", "evidence": "threatening neighbours"},
        {"name": "weapon", "evidence": "weapon=yes"},
    ]


def test_the_police_liaison_sees_weapon_violence_and_an_unsafe_scene_and_no_other_flag() -> None:
    triage = {"flags": [{"name": name, "evidence": "e", "source": "narrative"} for name in sorted(KNOWN_FLAGS)]}
    view = redact_incident({"id": "INC-1", "triage": triage}, "police_liaison")
    assert {f["name"] for f in view["safety_flags"]} == {"weapon", "violence", "unsafe_location"}


def test_the_police_liaison_view_keeps_where_to_go_and_who_to_look_for(full_view: dict[str, Any]) -> None:
    view = redact_incident(full_view, "police_liaison")
    assert view["location"] == full_view["location"]
    assert view["address"] == full_view["address"]
    assert view["subject_description"] == DESCRIPTION
    assert view["status"] == "on_scene"


def test_an_untriaged_incident_gives_the_police_an_empty_list_of_safety_flags() -> None:
    view = redact_incident({"id": "INC-1", "triage": None, "notes": []}, "police_liaison")
    assert view == {"id": "INC-1", "safety_flags": []}


def test_the_analyst_view_carries_no_personal_data(full_view: dict[str, Any]) -> None:
    view = redact_incident(full_view, "analyst")
    for field in ("calls", "notes", "subject_description", "subject_age", "address"):
        assert field not in view
    text = _text(view)
    for personal in (CALLER_NAME, CALLER_PHONE, NARRATIVE, NOTE_TEXT, DESCRIPTION, HOLD_FACTS, SUMMARY, "100 Example St"):
        assert personal not in text, f"analyst view leaks {personal!r}"
    assert "staff-tech" not in text, "who placed the hold is not for analysts"


def test_the_analyst_view_has_a_coarse_location_of_about_a_kilometre(full_view: dict[str, Any]) -> None:
    view = redact_incident(full_view, "analyst")
    assert view["location"] == {"lat": 34.04, "lon": -118.22}
    exact = full_view["location"]
    assert abs(view["location"]["lat"] - exact["lat"]) <= 0.005
    assert abs(view["location"]["lon"] - exact["lon"]) <= 0.005


def test_the_analyst_view_keeps_what_the_monthly_report_needs(full_view: dict[str, Any]) -> None:
    view = redact_incident(full_view, "analyst")
    assert view["outcome"]["disposition"] == "involuntary_hold"
    assert view["outcome"]["nemsis"] == ["4227001", "4228001", "4230001"]
    assert view["outcome"]["destination"]["type"] == "psychiatric_urgent_care"
    assert view["tier"] == full_view["tier"]
    assert view["timestamps"] == full_view["timestamps"]
    assert {f["name"] for f in view["triage"]["flags"]} == {f["name"] for f in full_view["triage"]["flags"]}
    assert all(set(f) == {"name"} for f in view["triage"]["flags"]), "flag evidence is call text"


def test_the_analyst_view_carries_no_triage_reasons_as_they_quote_what_was_typed() -> None:
    typed = f"caller {CALLER_NAME} {CALLER_PHONE} unsure"
    triage = {
        "tier": "MH_TEAM",
        "flags": [{"name": "mental_health", "evidence": typed, "source": "narrative"}],
        "reasons": [f"crisis-team: a mental-health component brings the crisis team [mental_health ({typed!r})]"],
        "rules_fired": ["crisis-team"],
    }
    view = redact_incident({"id": "INC-1", "triage": triage}, "analyst")
    assert CALLER_NAME not in _text(view)
    assert view["triage"]["rules_fired"] == ["crisis-team"], "which rules fired is what the what-ifs need"


def test_court_liaisons_do_not_receive_who_called() -> None:
    view = {"id": "I", "calls": [{"id": "C", "narrative": "n", "caller_name": "Pat", "caller_phone": "555"}]}
    out = redact_incident(view, "court_liaison")
    assert out["calls"] == [{"id": "C", "narrative": "n"}]
    assert view["calls"][0]["caller_name"] == "Pat"
