"""What each role sees of an incident: the per-role read models are allow-lists (DOMAIN.md §5)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from crisis_dispatch.domain.incident import Call, Incident, IncidentStatus, Note
from crisis_dispatch.domain.outcomes import HoldCriterion
from crisis_dispatch.domain.triage import KNOWN_FLAGS
from crisis_dispatch.services.context import Triager
from crisis_dispatch.services.read_models import INCIDENT_MODEL, project_feed_event, project_incident
from crisis_dispatch.services.views import history_view, incident_view
from tests.unit.domain.builders import MINUTE, T0, hold, hold_outcome, new_incident

NARRATIVE = "Caller says her brother hears voices, took extra pills, has a kitchen knife"
NOTE_TEXT = "Reports auditory hallucinations, history of schizophrenia, off medication two weeks"
HOLD_FACTS = "said he would walk into traffic; no safe place to stay"
SUMMARY = "calm after de-escalation, taken to urgent care"
CALLER_NAME, CALLER_PHONE = "Dana Whitlock", "555-0142"
DESCRIPTION = "man in his 30s, grey hoodie, near the bus stop"


@pytest.fixture
def full_view(triager: Triager) -> dict[str, Any]:
    """The real full record of an incident with every kind of data a view can carry."""
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
    changes = [incident.apply_triage(decision, now=T0 + MINUTE, by="call-taker-1")]
    changes.append(incident.assign("U-1", now=T0 + 2 * MINUTE, by="dispatcher-1"))
    changes.append(incident.transition(IncidentStatus.ON_SCENE, now=T0 + 3 * MINUTE, by="crew-1"))
    incident.notes.append(Note(id="N-1", incident_id=incident.id, at=T0 + 5 * MINUTE, by="crew-1", text=NOTE_TEXT))
    the_hold = hold(
        first_detained_at=T0 + 10 * MINUTE, criteria=frozenset({HoldCriterion.DANGER_TO_SELF, HoldCriterion.GRAVE_DISABILITY})
    )
    outcome = replace(hold_outcome(replace(the_hold, facts=HOLD_FACTS), age=34), summary=SUMMARY)
    incident.record_outcome(outcome, now=T0 + timedelta(hours=1))
    return incident_view(incident) | {"history": [history_view(c) for c in changes]}


def _text(view: dict[str, Any]) -> str:
    return json.dumps(view, default=str)


def test_the_full_record_really_carries_the_sensitive_data(full_view: dict[str, Any]) -> None:
    """Guards the tests below: they would pass vacuously on an empty record."""
    text = _text(full_view)
    for secret in (NARRATIVE, NOTE_TEXT, HOLD_FACTS, SUMMARY, CALLER_NAME, CALLER_PHONE, DESCRIPTION, "danger_to_self"):
        assert secret in text
    assert {f["name"] for f in full_view["triage"]["flags"]} >= {"weapon", "mental_health"}


@pytest.mark.parametrize("role", ["call_taker", "dispatcher", "supervisor", "crew", "admin"])
def test_those_who_run_the_call_see_the_whole_record(full_view: dict[str, Any], role: str) -> None:
    view = project_incident(full_view, role)
    assert view["view"] == "operations"
    assert _covers(view, json.loads(_text(full_view)))


def _covers(view: Any, record: Any) -> bool:
    """Whether ``view`` holds everything ``record`` holds (it may add defaults, as ``null``)."""
    if isinstance(record, dict):
        return isinstance(view, dict) and all(k in view and _covers(view[k], v) for k, v in record.items())
    if isinstance(record, list):
        return isinstance(view, list) and len(view) == len(record) and all(map(_covers, view, record))
    return bool(view == record)


def test_a_field_added_to_the_record_later_reaches_no_role(full_view: dict[str, Any]) -> None:
    record = full_view | {"new_secret_field": "x", "triage": full_view["triage"] | {"new_secret": "y"}}
    record["calls"] = [c | {"caller_address": "1 Secret Way"} for c in record["calls"]]
    for role in INCIDENT_MODEL:
        text = _text(project_incident(record, role))
        assert "new_secret" not in text and "Secret Way" not in text, role


def test_projection_never_changes_the_record_it_was_given(full_view: dict[str, Any]) -> None:
    before = json.loads(_text(full_view))
    for role in INCIDENT_MODEL:
        project_incident(full_view, role)
    assert json.loads(_text(full_view)) == before


def test_the_police_view_is_where_to_go_what_danger_and_which_van(full_view: dict[str, Any]) -> None:
    view = project_incident(full_view, "police_liaison")
    assert set(view) == {
        "view",
        "id",
        "status",
        "location",
        "address",
        "tier",
        "priority",
        "unit_id",
        "safety_flags",
        "timestamps",
        "location_to_confirm",
    }
    assert view["location"] == full_view["location"] and view["status"] == "on_scene"
    text = _text(view)
    for secret in (
        NARRATIVE,
        NOTE_TEXT,
        HOLD_FACTS,
        SUMMARY,
        DESCRIPTION,
        CALLER_NAME,
        "kitchen knife",
        "hears voices",
        "danger_to_self",
        "5150",
        "hold_possible",
        "mental_health",
        "dispatcher-1",
    ):
        assert secret not in text, f"police view leaks {secret!r}"


def test_the_police_see_safety_flags_by_name_and_never_the_words_of_the_call(full_view: dict[str, Any]) -> None:
    view = project_incident(full_view, "police_liaison")
    assert view["safety_flags"] == [{"name": "weapon"}]


def test_the_police_see_weapon_violence_and_an_unsafe_scene_and_no_other_flag() -> None:
    record = {
        "id": "INC-1",
        "status": "queued",
        "location": {"lat": 34.0, "lon": -118.0, "address": "1 Main St"},
        "address": "1 Main St",
        "timestamps": {},
        "triage": {"flags": [{"name": name, "evidence": "quoted words", "source": "narrative"} for name in sorted(KNOWN_FLAGS)]},
    }
    view = project_incident(record, "police_liaison")
    assert {f["name"] for f in view["safety_flags"]} == {"weapon", "violence", "unsafe_location"}
    assert "quoted words" not in _text(view)


def test_the_court_view_has_the_person_and_outcome_but_no_narrative_and_no_caller(full_view: dict[str, Any]) -> None:
    view = project_incident(full_view, "court_liaison")
    assert view["view"] == "court"
    assert view["subject_description"] == DESCRIPTION and view["outcome"]["hold"]["facts"] == HOLD_FACTS
    text = _text(view)
    for secret in (NARRATIVE, CALLER_NAME, CALLER_PHONE, NOTE_TEXT, "kitchen knife", "call-taker-1"):
        assert secret not in text, f"court view leaks {secret!r}"
    assert view["calls"] == [{"id": "CALL-1", "received_at": T0.isoformat(), "call_type": "EDP", "code": None}]
    assert all(set(f) == {"name"} for f in view["triage"]["flags"]), "flag evidence quotes the call"


def test_the_analyst_view_is_de_identified(full_view: dict[str, Any]) -> None:
    view = project_incident(full_view, "analyst")
    for field in ("calls", "notes", "subject_description", "subject_age", "address", "location", "history"):
        assert field not in view
    text = _text(view)
    for personal in (CALLER_NAME, CALLER_PHONE, NARRATIVE, NOTE_TEXT, DESCRIPTION, HOLD_FACTS, SUMMARY, "100 Example St"):
        assert personal not in text, f"analyst view leaks {personal!r}"
    for staff in ("staff-tech", "dispatcher-1", "crew-1", "call-taker-1"):
        assert staff not in text, f"who acted ({staff}) is not for analysts"


def test_the_analyst_area_is_about_a_kilometre(full_view: dict[str, Any]) -> None:
    view = project_incident(full_view, "analyst")
    exact = full_view["location"]
    assert view["area"] == {"lat": round(exact["lat"], 2), "lon": round(exact["lon"], 2)}
    assert abs(view["area"]["lat"] - exact["lat"]) <= 0.005 and abs(view["area"]["lon"] - exact["lon"]) <= 0.005


def test_the_analyst_view_keeps_what_the_monthly_report_needs(full_view: dict[str, Any]) -> None:
    view = project_incident(full_view, "analyst")
    assert view["outcome"] == {
        "disposition": "involuntary_hold",
        "destination": full_view["outcome"]["destination"],
        "nemsis": ["4227001", "4228001", "4230001"],
        # Issue 14 item 4: a CARE referral, recordable with any disposition, counts in the reports.
        "care_referral": False,
    }
    assert view["tier"] == full_view["tier"] and view["timestamps"] == full_view["timestamps"]
    assert {f["name"] for f in view["triage"]["flags"]} == {f["name"] for f in full_view["triage"]["flags"]}
    assert view["triage"]["rules_fired"] == full_view["triage"]["rules_fired"], "what the what-ifs need"
    assert "reasons" not in view["triage"], "reasons quote what was typed"


EVENT = {
    "id": 7,
    "subject": "incident",
    "subject_id": "INC-1",
    "from": "queued",
    "to": "dispatched",
    "at": T0.isoformat(),
    "by": "dispatcher-1",
    "reason": "man with a knife, hears voices",
    "event": "status",
    "incident_id": "INC-1",
    "unit_id": "U-1",
    "new_field": "x",
}


def test_feed_events_are_allow_listed_per_role() -> None:
    assert project_feed_event(EVENT, "dispatcher") == {k: v for k, v in EVENT.items() if k != "new_field"}
    for role in ("police_liaison", "analyst"):
        assert project_feed_event(EVENT, role) == {k: v for k, v in EVENT.items() if k not in ("by", "reason", "new_field")}, role
    assert project_feed_event(EVENT, "court_liaison") is None
