"""Incident status changes: the full status x status table, the history row, phase times."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from crisis_dispatch.domain.errors import IllegalTransition, InvalidInput
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.incident import Incident, IncidentStatus, Location
from tests.unit.domain.builders import (
    MINUTE,
    T0,
    decided,
    incident_in,
    new_incident,
    record_outcome_to_close,
    treated_and_released,
)
from tests.unit.domain.expected import INCIDENT_LEGAL, INCIDENT_STATUSES

S = IncidentStatus

PAIRS = list(itertools.product(INCIDENT_STATUSES, INCIDENT_STATUSES))
LEGAL = [p for p in PAIRS if p in INCIDENT_LEGAL]
ILLEGAL = [p for p in PAIRS if p not in INCIDENT_LEGAL]


def _ready_for(current: str, target: str) -> Incident:
    """An incident in ``current``; when closing from the scene, its outcome is already recorded."""
    incident = incident_in(S(current))
    if target == "closed":
        record_outcome_to_close(incident, T0 + 30 * MINUTE)
    return incident


def test_the_status_names_are_exactly_those_of_issue_2() -> None:
    assert sorted(s.value for s in IncidentStatus) == sorted(INCIDENT_STATUSES)


@pytest.mark.parametrize(("current", "target"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_legal_incident_transition_is_accepted_and_recorded(current: str, target: str) -> None:
    incident = _ready_for(current, target)
    when = T0 + timedelta(hours=1)

    change = incident.transition(target, now=when, by="dispatcher-7", reason="because the test says so")

    assert incident.status == S(target)
    assert isinstance(change, StatusChange)
    assert change.subject is Subject.INCIDENT
    assert change.subject_id == incident.id == change.incident_id
    assert (change.from_status, change.to_status) == (current, target)
    assert change.at == when
    assert change.by == "dispatcher-7"
    assert change.reason == "because the test says so"


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_incident_transition_is_refused_and_changes_nothing(current: str, target: str) -> None:
    incident = _ready_for(current, target)
    before = dict(vars(incident))

    with pytest.raises(IllegalTransition) as refused:
        incident.transition(target, now=T0 + timedelta(hours=1), by="dispatcher-7")

    assert (refused.value.current, refused.value.requested) == (current, target)
    assert refused.value.kind == "incident"
    assert current in str(refused.value) and target in str(refused.value)
    assert vars(incident) == before


@pytest.mark.parametrize("current", INCIDENT_STATUSES)
def test_can_go_agrees_with_the_expected_table(current: str) -> None:
    incident = incident_in(S(current))
    assert {t for t in INCIDENT_STATUSES if incident.can_go(S(t))} == {t for (f, t) in INCIDENT_LEGAL if f == current}


@pytest.mark.parametrize("final", ["closed", "cancelled"])
def test_closed_and_cancelled_incidents_are_no_longer_open(final: str) -> None:
    incident = incident_in(S(final))
    assert not incident.is_open


@pytest.mark.parametrize("current", [s for s in INCIDENT_STATUSES if s not in ("closed", "cancelled")])
def test_every_other_status_is_open(current: str) -> None:
    assert incident_in(S(current)).is_open


# --------------------------------------------------------------------------- closing needs an outcome


@pytest.mark.parametrize("current", ["on_scene", "at_destination"])
def test_closing_after_the_team_met_the_person_requires_an_outcome(current: str) -> None:
    incident = incident_in(S(current))

    with pytest.raises(IllegalTransition, match="outcome"):
        incident.transition(S.CLOSED, now=T0 + timedelta(hours=1), by="crew-1")

    assert incident.status == S(current)
    assert incident.closed_at is None


def test_closing_on_scene_succeeds_once_the_outcome_is_recorded() -> None:
    incident = incident_in(S.ON_SCENE)
    incident.record_outcome(treated_and_released(T0 + 20 * MINUTE), now=T0 + 20 * MINUTE)

    incident.transition("closed", now=T0 + 25 * MINUTE, by="crew-1")

    assert incident.status is S.CLOSED
    assert incident.outcome is not None


@pytest.mark.parametrize("current", ["triaged", "queued"])
def test_a_call_screened_out_before_any_van_went_closes_without_an_outcome(current: str) -> None:
    incident = incident_in(S(current))
    incident.transition(S.CLOSED, now=T0 + 10 * MINUTE, by="dispatcher-1", reason="screened out: weapon")
    assert incident.status is S.CLOSED
    assert incident.outcome is None


@pytest.mark.parametrize("current", ["received", "triaged", "queued", "dispatched", "en_route"])
def test_an_outcome_cannot_be_recorded_before_the_team_is_on_scene(current: str) -> None:
    incident = incident_in(S(current))
    with pytest.raises(IllegalTransition):
        incident.record_outcome(treated_and_released(T0 + 20 * MINUTE), now=T0 + 20 * MINUTE)
    assert incident.outcome is None


# --------------------------------------------------------------------------- phase timestamps


def test_each_phase_records_the_time_it_was_reached() -> None:
    incident = new_incident()
    times = {}
    for i, target in enumerate(["triaged", "queued", "dispatched", "en_route", "on_scene", "transporting"]):
        times[target] = T0 + (i + 1) * MINUTE
        incident.transition(target, now=times[target], by="dispatcher-1")

    assert incident.triaged_at == times["triaged"]
    assert incident.queued_at == times["queued"]
    assert incident.dispatched_at == times["dispatched"]
    assert incident.en_route_at == times["en_route"]
    assert incident.on_scene_at == times["on_scene"]
    assert incident.transporting_at == times["transporting"]
    assert incident.at_destination_at is None
    assert incident.closed_at is None
    assert incident.cancelled_at is None


def test_a_recalled_van_keeps_the_first_dispatch_and_queue_times() -> None:
    incident = new_incident()
    incident.transition("triaged", now=T0 + 1 * MINUTE, by="d")
    incident.transition("queued", now=T0 + 2 * MINUTE, by="d")
    incident.assign("U-1", now=T0 + 3 * MINUTE, by="d")
    incident.transition("en_route", now=T0 + 4 * MINUTE, by="d")
    incident.transition("queued", now=T0 + 5 * MINUTE, by="d", reason="recalled to a higher priority call")
    incident.assign("U-2", now=T0 + 9 * MINUTE, by="d")
    incident.transition("en_route", now=T0 + 10 * MINUTE, by="d")

    assert incident.queued_at == T0 + 2 * MINUTE
    assert incident.dispatched_at == T0 + 3 * MINUTE
    assert incident.en_route_at == T0 + 4 * MINUTE
    assert incident.unit_id == "U-2"


def test_a_phase_time_given_in_another_time_zone_is_stored_as_the_same_instant_in_utc() -> None:
    los_angeles_winter = timezone(timedelta(hours=-8))
    incident = new_incident()
    incident.transition("triaged", now=datetime(2026, 11, 27, 10, 1, tzinfo=los_angeles_winter), by="d")
    assert incident.triaged_at == T0 + MINUTE
    assert incident.triaged_at.utcoffset() == timedelta(0)


# --------------------------------------------------------------------------- assigning and releasing a van


def test_assigning_a_van_dispatches_the_incident_and_names_the_unit_in_the_history() -> None:
    incident = incident_in(S.QUEUED)
    change = incident.assign("U-9", now=T0 + 10 * MINUTE, by="dispatcher-2")

    assert incident.status is S.DISPATCHED
    assert incident.unit_id == "U-9"
    assert change.unit_id == "U-9"
    assert (change.from_status, change.to_status, change.by) == ("queued", "dispatched", "dispatcher-2")
    assert "U-9" in change.reason


@pytest.mark.parametrize("current", [s for s in INCIDENT_STATUSES if s not in ("triaged", "queued")])
def test_a_van_can_only_be_assigned_to_an_incident_waiting_for_one(current: str) -> None:
    incident = incident_in(S(current))
    unit_before = incident.unit_id
    with pytest.raises(IllegalTransition):
        incident.assign("U-9", now=T0 + 10 * MINUTE, by="dispatcher-2")
    assert incident.status == S(current)
    assert incident.unit_id == unit_before


@pytest.mark.parametrize("back_to", ["queued", "cancelled"])
def test_requeueing_or_cancelling_releases_the_van(back_to: str) -> None:
    incident = incident_in(S.EN_ROUTE)
    change = incident.transition(back_to, now=T0 + 10 * MINUTE, by="dispatcher-1")
    assert incident.unit_id is None
    assert change.unit_id == "U-1", "the history row still says which van was released"


def test_a_closed_incident_keeps_the_van_that_worked_it() -> None:
    incident = incident_in(S.AT_DESTINATION)
    record_outcome_to_close(incident, T0 + 30 * MINUTE)
    incident.transition("closed", now=T0 + 31 * MINUTE, by="crew-1")
    assert incident.unit_id == "U-1"


# --------------------------------------------------------------------------- triage


def test_applying_triage_records_the_decision_and_moves_to_triaged() -> None:
    incident = new_incident()
    decision = decided("MH_TEAM", 2, determinant="MH-2-SUICIDAL")

    change = incident.apply_triage(decision, now=T0 + MINUTE, by="call-taker-1")

    assert incident.status is S.TRIAGED
    assert (incident.tier, incident.priority, incident.determinant) == ("MH_TEAM", 2, "MH-2-SUICIDAL")
    assert incident.screened_out_reason is None
    assert incident.triage is decision  # frozen: kept as it is
    assert (change.from_status, change.to_status) == ("received", "triaged")
    assert "MH_TEAM" in change.reason


def test_a_refused_triage_leaves_the_recorded_decision_untouched() -> None:
    incident = new_incident()
    incident.apply_triage(decided("MH_TEAM", 2), now=T0 + MINUTE, by="d")
    incident.assign("U-1", now=T0 + 2 * MINUTE, by="d")
    before = (incident.triage, incident.tier, incident.priority)

    with pytest.raises(IllegalTransition):
        incident.apply_triage(decided("POLICE", 1, screened_out="weapon"), now=T0 + 9 * MINUTE, by="d")

    assert (incident.triage, incident.tier, incident.priority) == before


def test_a_refused_assignment_leaves_the_incident_without_a_van() -> None:
    incident = incident_in(S.QUEUED)
    with pytest.raises(ValueError):
        incident.assign("U-9", now=datetime(2026, 11, 27, 18, 10), by="dispatcher-2")
    assert incident.unit_id is None


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("bogus", ["", "closed ", "CLOSED", "resolved", "on-scene", "7"])
def test_an_unknown_status_is_invalid_input_that_lists_the_known_ones(bogus: str) -> None:
    incident = incident_in(S.TRIAGED)
    with pytest.raises(InvalidInput, match="expected one of: received, triaged"):
        incident.transition(bogus, now=T0 + MINUTE, by="d")
    assert incident.status is S.TRIAGED


def test_a_status_given_as_its_string_value_is_accepted() -> None:
    incident = new_incident()
    incident.transition("triaged", now=T0 + MINUTE, by="d")
    assert incident.status is S.TRIAGED


def test_a_naive_datetime_is_refused_and_changes_nothing() -> None:
    incident = new_incident()
    with pytest.raises(ValueError, match="timezone-aware"):
        incident.transition("triaged", now=datetime(2026, 11, 27, 18, 1), by="d")
    assert incident.status is S.RECEIVED
    assert incident.triaged_at is None


@pytest.mark.parametrize("before", [timedelta(hours=3), timedelta(seconds=1)], ids=["before-received", "a-second-early"])
def test_a_status_change_dated_before_the_previous_one_is_refused(before: timedelta) -> None:
    incident = incident_in(S.DISPATCHED)  # dispatched at T0 + 2 min
    with pytest.raises(InvalidInput, match="predate"):
        incident.transition("en_route", now=T0 + 2 * MINUTE - before, by="crew-1")
    assert incident.status is S.DISPATCHED
    assert incident.en_route_at is None


def test_after_a_recall_and_redispatch_a_change_dated_before_the_redispatch_is_refused() -> None:
    incident = incident_in(S.DISPATCHED)  # first dispatched at T0 + 2 min
    incident.transition("queued", now=T0 + 5 * MINUTE, by="dispatcher-1", reason="recalled")
    incident.assign("U-2", now=T0 + 30 * MINUTE, by="dispatcher-1")

    with pytest.raises(InvalidInput, match="predate"):
        incident.transition("en_route", now=T0 + 10 * MINUTE, by="crew-2")


def test_a_status_change_at_the_same_instant_as_the_previous_one_is_fine() -> None:
    incident = incident_in(S.DISPATCHED)
    incident.transition("on_scene", now=T0 + 2 * MINUTE, by="crew-1")
    assert incident.on_scene_at == incident.dispatched_at


def test_an_assignment_dated_before_the_last_change_is_refused_without_taking_the_van() -> None:
    incident = incident_in(S.QUEUED)  # queued at T0 + 2 min
    with pytest.raises(InvalidInput, match="predate"):
        incident.assign("U-9", now=T0, by="dispatcher-2")
    assert incident.unit_id is None
    assert incident.status is S.QUEUED


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (-90.5, 0.0), (0.0, 180.5), (0.0, -181.0)])
def test_a_location_off_the_globe_is_invalid_input(lat: float, lon: float) -> None:
    with pytest.raises(InvalidInput, match="latitude/longitude"):
        Location(lat=lat, lon=lon)


def test_a_location_survives_a_round_trip_through_a_dict() -> None:
    here = Location(lat=34.05, lon=-118.25, address="City Hall")
    assert Location.from_dict(here.to_dict()) == here
