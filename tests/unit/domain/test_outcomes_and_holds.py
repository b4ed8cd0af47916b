"""Outcomes and involuntary holds (WIC 5150 adults / 5585 minors, 72 h from first detention)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crisis_dispatch.domain.errors import IllegalTransition, InvalidInput
from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.domain.outcomes import (
    Destination,
    DestinationType,
    Disposition,
    Hold,
    HoldCriterion,
    HoldType,
    Outcome,
)
from tests.unit.domain.builders import HOUR, MINUTE, T0, hold, hold_outcome, incident_in

TRANSPORTS = {Disposition.VOLUNTARY_TRANSPORT, Disposition.INVOLUNTARY_HOLD}
NOT_TRANSPORTS = [d for d in Disposition if d not in TRANSPORTS]
PUCC = Destination(DestinationType.PSYCHIATRIC_URGENT_CARE, "Example PUCC", "example-pucc")


def test_the_dispositions_are_those_of_issue_2() -> None:
    assert {d.value for d in Disposition} == {
        "treated_and_released",
        "voluntary_transport",
        "involuntary_hold",
        "referred",
        "declined_services",
        "no_person_found",
        "escalated_to_ems",
        "escalated_to_police",
        "care_court_petition_recommended",
    }


def test_the_destination_types_are_those_of_issue_2() -> None:
    assert {d.value for d in DestinationType} == {
        "psychiatric_urgent_care",
        "sobering_center",
        "crisis_residential",
        "emergency_department",
        "other",
    }


# --------------------------------------------------------------------------- hold expiry


def test_a_hold_expires_72_hours_after_first_detention_not_after_it_was_written() -> None:
    the_hold = hold(first_detained_at=T0, placed_at=T0 + 5 * HOUR)
    assert the_hold.expires_at == T0 + 72 * HOUR


@pytest.mark.parametrize(
    ("elapsed", "left"),
    [
        (timedelta(0), 72 * HOUR),
        (5 * HOUR, 67 * HOUR),
        (70 * HOUR + 30 * MINUTE, 90 * MINUTE),
        (72 * HOUR, timedelta(0)),
        (80 * HOUR, timedelta(0)),
    ],
)
def test_the_time_left_on_a_hold_counts_down_from_first_detention_and_never_goes_negative(
    elapsed: timedelta, left: timedelta
) -> None:
    the_hold = hold(first_detained_at=T0, placed_at=T0 + 2 * HOUR)
    assert the_hold.remaining(T0 + elapsed) == left


def test_the_time_left_is_the_same_whatever_time_zone_now_is_given_in() -> None:
    the_hold = hold(first_detained_at=T0)
    in_los_angeles = (T0 + 10 * HOUR).astimezone(ZoneInfo("America/Los_Angeles"))
    assert the_hold.remaining(in_los_angeles) == 62 * HOUR


def test_the_time_left_at_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        hold().remaining(datetime(2026, 11, 28, 0, 0))


@pytest.mark.parametrize(
    "detained",
    [
        datetime(2026, 11, 1, 0, 30, tzinfo=ZoneInfo("America/Los_Angeles")),  # clocks go back at 02:00
        datetime(2026, 3, 7, 23, 0, tzinfo=ZoneInfo("America/Los_Angeles")),  # clocks go forward the next night
    ],
    ids=["autumn", "spring"],
)
def test_a_hold_spanning_a_daylight_saving_change_still_lasts_72_real_hours(detained: datetime) -> None:
    the_hold = hold(first_detained_at=detained)
    assert the_hold.expires_at - detained.astimezone(UTC) == 72 * HOUR
    assert the_hold.remaining(detained + timedelta(hours=1)) == 71 * HOUR


# --------------------------------------------------------------------------- hold rules


@pytest.mark.parametrize("criterion", list(HoldCriterion))
def test_any_one_criterion_is_enough_for_a_hold(criterion: HoldCriterion) -> None:
    hold(criteria=frozenset({criterion})).validate(subject_age=40)


def test_a_hold_needs_at_least_one_criterion() -> None:
    with pytest.raises(InvalidInput, match="at least one criterion"):
        hold(criteria=frozenset()).validate(subject_age=40)


def test_a_person_who_could_be_served_without_detention_cannot_be_held() -> None:
    with pytest.raises(InvalidInput, match="without detention"):
        hold(could_be_served_without_detention=True).validate(subject_age=40)


def test_first_detention_cannot_come_after_the_hold_was_written() -> None:
    with pytest.raises(InvalidInput, match="first detention"):
        hold(first_detained_at=T0, placed_at=T0 - MINUTE).validate(subject_age=40)


def test_first_detention_at_the_moment_of_writing_is_fine() -> None:
    hold(first_detained_at=T0, placed_at=T0).validate(subject_age=40)


@pytest.mark.parametrize(
    ("age", "hold_type", "ok"),
    [
        (12, HoldType.WIC_5585, True),
        (17, HoldType.WIC_5585, True),
        (17, HoldType.WIC_5150, False),
        (18, HoldType.WIC_5150, True),
        (18, HoldType.WIC_5585, False),
        (70, HoldType.WIC_5150, True),
        (70, HoldType.WIC_5585, False),
        (None, HoldType.WIC_5150, True),
        (None, HoldType.WIC_5585, True),
    ],
)
def test_minors_are_held_under_5585_and_adults_under_5150(age: int | None, hold_type: HoldType, ok: bool) -> None:
    the_hold = hold(type=hold_type)
    if ok:
        the_hold.validate(subject_age=age)
    else:
        with pytest.raises(InvalidInput, match="5585"):
            the_hold.validate(subject_age=age)


def test_a_hold_survives_a_round_trip_through_a_dict_and_reports_its_expiry() -> None:
    the_hold = hold(type=HoldType.WIC_5585, criteria=frozenset(HoldCriterion))
    data = the_hold.to_dict()
    assert data["expires_at"] == (T0 + 72 * HOUR).isoformat()
    assert data["criteria"] == sorted(c.value for c in HoldCriterion)
    assert Hold.from_dict(data) == the_hold


# --------------------------------------------------------------------------- outcomes


@pytest.mark.parametrize("disposition", NOT_TRANSPORTS, ids=lambda d: d.value)
def test_an_outcome_without_a_transport_is_valid_without_a_destination(disposition: Disposition) -> None:
    Outcome(disposition, recorded_at=T0, recorded_by="crew-1").validate(now=T0)


@pytest.mark.parametrize("disposition", NOT_TRANSPORTS, ids=lambda d: d.value)
def test_an_outcome_without_a_transport_refuses_a_destination(disposition: Disposition) -> None:
    with pytest.raises(InvalidInput, match="only transports"):
        Outcome(disposition, recorded_at=T0, recorded_by="crew-1", destination=PUCC).validate(now=T0)


@pytest.mark.parametrize("disposition", sorted(TRANSPORTS), ids=lambda d: d.value)
def test_a_transport_needs_a_destination(disposition: Disposition) -> None:
    the_hold = hold() if disposition is Disposition.INVOLUNTARY_HOLD else None
    with pytest.raises(InvalidInput, match="needs a destination"):
        Outcome(disposition, recorded_at=T0, recorded_by="crew-1", hold=the_hold).validate(now=T0 + HOUR)


@pytest.mark.parametrize("kind", list(DestinationType), ids=lambda d: d.value)
def test_a_voluntary_transport_may_go_to_any_destination_type(kind: DestinationType) -> None:
    outcome = Outcome(Disposition.VOLUNTARY_TRANSPORT, T0, "crew-1", destination=Destination(kind, "somewhere"))
    outcome.validate(now=T0)
    assert outcome.ed_visit == (kind is DestinationType.EMERGENCY_DEPARTMENT)


def test_an_involuntary_hold_outcome_needs_the_hold_details() -> None:
    with pytest.raises(InvalidInput, match="needs its details"):
        Outcome(Disposition.INVOLUNTARY_HOLD, T0, "crew-1", destination=PUCC).validate(now=T0)


@pytest.mark.parametrize("disposition", [d for d in Disposition if d is not Disposition.INVOLUNTARY_HOLD], ids=str)
def test_only_an_involuntary_hold_outcome_carries_hold_details(disposition: Disposition) -> None:
    destination = PUCC if disposition in TRANSPORTS else None
    with pytest.raises(InvalidInput, match="cannot carry hold details"):
        Outcome(disposition, T0, "crew-1", destination=destination, hold=hold()).validate(now=T0 + HOUR)


def test_an_involuntary_hold_outcome_checks_the_hold_against_the_persons_age() -> None:
    with pytest.raises(InvalidInput, match="minor"):
        hold_outcome(hold(type=HoldType.WIC_5150), age=16).validate(now=T0 + HOUR)
    hold_outcome(hold(type=HoldType.WIC_5585), age=16).validate(now=T0 + HOUR)


def test_a_hold_cannot_be_written_in_the_future() -> None:
    outcome = hold_outcome(hold(first_detained_at=T0, placed_at=T0 + 2 * HOUR))
    with pytest.raises(InvalidInput, match="future"):
        outcome.validate(now=T0 + HOUR)


def test_an_outcome_survives_a_round_trip_through_a_dict_with_its_nemsis_codes() -> None:
    outcome = replace(hold_outcome(hold()), referrals=("outpatient clinic",), summary="calm at hand-over")
    data = outcome.to_dict()
    assert data["nemsis"] == ["4227001", "4228001", "4230001"]
    assert Outcome.from_dict(data) == outcome


@pytest.mark.parametrize("disposition", list(Disposition), ids=str)
def test_every_kind_of_outcome_survives_a_round_trip_through_a_dict(disposition: Disposition) -> None:
    outcome = Outcome(
        disposition,
        recorded_at=T0 + HOUR,
        recorded_by="crew-1",
        destination=PUCC if disposition in TRANSPORTS else None,
        hold=hold() if disposition is Disposition.INVOLUNTARY_HOLD else None,
        subject_age=40,
    )
    outcome.validate(now=T0 + HOUR)
    assert Outcome.from_dict(outcome.to_dict()) == outcome


# --------------------------------------------------------------------------- on the incident


def test_recording_an_outcome_on_scene_validates_it_first() -> None:
    incident = incident_in(IncidentStatus.ON_SCENE)
    with pytest.raises(InvalidInput):
        incident.record_outcome(Outcome(Disposition.VOLUNTARY_TRANSPORT, T0, "crew-1"), now=T0 + HOUR)
    assert incident.outcome is None


@pytest.mark.parametrize("status", ["on_scene", "transporting", "at_destination"])
def test_an_outcome_may_be_recorded_from_the_scene_onwards(status: str) -> None:
    incident = incident_in(IncidentStatus(status))
    outcome = hold_outcome(hold(first_detained_at=T0, placed_at=T0 + 10 * MINUTE))
    incident.record_outcome(outcome, now=T0 + HOUR)
    assert incident.outcome is outcome


def test_an_outcome_with_a_transport_cannot_close_an_incident_that_never_transported() -> None:
    incident = incident_in(IncidentStatus.ON_SCENE)
    incident.record_outcome(Outcome(Disposition.VOLUNTARY_TRANSPORT, T0 + HOUR, "crew-1", destination=PUCC), now=T0 + HOUR)
    with pytest.raises(IllegalTransition, match="transporting first"):
        incident.transition(IncidentStatus.CLOSED, now=T0 + HOUR, by="crew-1")
    assert incident.status is IncidentStatus.ON_SCENE


@pytest.mark.parametrize("status", ["transporting", "at_destination"])
@pytest.mark.parametrize("disposition", NOT_TRANSPORTS, ids=str)
def test_once_transported_the_outcome_must_be_a_transport(status: str, disposition: Disposition) -> None:
    incident = incident_in(IncidentStatus(status))
    with pytest.raises(InvalidInput, match="transported"):
        incident.record_outcome(Outcome(disposition, T0 + HOUR, "crew-1"), now=T0 + HOUR)
    assert incident.outcome is None


def test_a_released_on_site_outcome_recorded_before_a_transport_cannot_close_it() -> None:
    incident = incident_in(IncidentStatus.ON_SCENE)
    incident.record_outcome(Outcome(Disposition.TREATED_AND_RELEASED, T0 + HOUR, "crew-1"), now=T0 + HOUR)
    incident.transition(IncidentStatus.TRANSPORTING, now=T0 + HOUR, by="crew-1")
    incident.transition(IncidentStatus.AT_DESTINATION, now=T0 + 2 * HOUR, by="crew-1")
    with pytest.raises(IllegalTransition, match="must be a transport"):
        incident.transition(IncidentStatus.CLOSED, now=T0 + 2 * HOUR, by="crew-1")


@pytest.mark.parametrize("disposition", sorted(TRANSPORTS), ids=str)
def test_a_transport_outcome_closes_the_incident_at_the_destination(disposition: Disposition) -> None:
    incident = incident_in(IncidentStatus.AT_DESTINATION)
    the_hold = hold() if disposition is Disposition.INVOLUNTARY_HOLD else None
    incident.record_outcome(Outcome(disposition, T0 + HOUR, "crew-1", destination=PUCC, hold=the_hold), now=T0 + HOUR)
    incident.transition(IncidentStatus.CLOSED, now=T0 + HOUR, by="crew-1")
    assert incident.status is IncidentStatus.CLOSED
