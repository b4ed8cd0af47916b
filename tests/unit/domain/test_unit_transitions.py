"""Unit (van) status changes: the full status x status table and the history row."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest

from crisis_dispatch.domain.errors import IllegalTransition, InvalidInput
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.unit import Unit, UnitStatus
from tests.unit.domain.builders import MINUTE, T0, unit_in
from tests.unit.domain.expected import UNIT_COMMITTED, UNIT_LEGAL, UNIT_STATUSES

U = UnitStatus

PAIRS = list(itertools.product(UNIT_STATUSES, UNIT_STATUSES))
LEGAL = [p for p in PAIRS if p in UNIT_LEGAL]
ILLEGAL = [p for p in PAIRS if p not in UNIT_LEGAL]


def test_the_unit_status_names_are_exactly_those_of_issue_2() -> None:
    assert sorted(s.value for s in UnitStatus) == sorted(UNIT_STATUSES)


def test_a_new_van_starts_off_shift() -> None:
    assert Unit(id="U-1", call_sign="PMRT 1", station_id="lafd-004").status is U.OFF_SHIFT


@pytest.mark.parametrize(("current", "target"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_legal_unit_transition_is_accepted_and_recorded(current: str, target: str) -> None:
    unit = unit_in(U(current))
    when = T0 + timedelta(hours=1)

    change = unit.transition(target, now=when, by="crew-3", reason="radio", incident_id="INC-2")

    assert unit.status == U(target)
    assert unit.status_since == when
    assert isinstance(change, StatusChange)
    assert change.subject is Subject.UNIT
    assert change.subject_id == unit.id == change.unit_id
    assert (change.from_status, change.to_status) == (current, target)
    assert (change.at, change.by, change.reason) == (when, "crew-3", "radio")


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_unit_transition_is_refused_and_changes_nothing(current: str, target: str) -> None:
    unit = unit_in(U(current))
    before = dict(vars(unit))

    with pytest.raises(IllegalTransition) as refused:
        unit.transition(target, now=T0 + timedelta(hours=1), by="crew-3", incident_id="INC-2")

    assert (refused.value.kind, refused.value.current, refused.value.requested) == ("unit", current, target)
    assert vars(unit) == before


@pytest.mark.parametrize("current", UNIT_STATUSES)
def test_unit_can_go_agrees_with_the_expected_table(current: str) -> None:
    unit = unit_in(U(current))
    assert {t for t in UNIT_STATUSES if unit.can_go(U(t))} == {t for (f, t) in UNIT_LEGAL if f == current}


@pytest.mark.parametrize("current", UNIT_STATUSES)
def test_committed_means_working_an_incident(current: str) -> None:
    assert unit_in(U(current)).committed == (current in UNIT_COMMITTED)


def test_a_van_is_dispatched_to_an_incident_and_the_history_names_it() -> None:
    unit = unit_in(U.AVAILABLE)
    change = unit.transition("dispatched", now=T0 + 5 * MINUTE, by="dispatcher-1", incident_id="INC-7")
    assert unit.incident_id == "INC-7"
    assert change.incident_id == "INC-7"


def test_a_van_cannot_be_dispatched_to_no_incident() -> None:
    unit = unit_in(U.AVAILABLE)
    with pytest.raises(InvalidInput, match="incident"):
        unit.transition("dispatched", now=T0 + 5 * MINUTE, by="dispatcher-1")
    assert unit.status is U.AVAILABLE
    assert unit.incident_id is None


def test_the_incident_stays_with_the_van_through_the_whole_job_and_is_released_when_it_clears() -> None:
    unit = unit_in(U.AVAILABLE)
    unit.transition("dispatched", now=T0 + 1 * MINUTE, by="d", incident_id="INC-7")
    for i, step in enumerate(["en_route", "on_scene", "transporting", "at_destination"], start=2):
        unit.transition(step, now=T0 + i * MINUTE, by="crew")
        assert unit.incident_id == "INC-7"

    change = unit.transition("available", now=T0 + 9 * MINUTE, by="crew")

    assert unit.incident_id is None
    assert change.incident_id == "INC-7", "the clearing row still says which job ended"


@pytest.mark.parametrize("away", ["available", "out_of_service"])
def test_a_recalled_or_broken_down_van_lets_go_of_its_incident(away: str) -> None:
    unit = unit_in(U.EN_ROUTE)
    unit.transition(away, now=T0 + 9 * MINUTE, by="crew")
    assert unit.incident_id is None


@pytest.mark.parametrize("bogus", ["", "Available", "busy", "in_service"])
def test_an_unknown_unit_status_is_invalid_input(bogus: str) -> None:
    unit = unit_in(U.AVAILABLE)
    with pytest.raises(InvalidInput, match="unknown unit status"):
        unit.transition(bogus, now=T0 + MINUTE, by="d")
    assert unit.status is U.AVAILABLE


def test_a_naive_datetime_is_refused_for_a_unit_too() -> None:
    unit = unit_in(U.OFF_SHIFT)
    with pytest.raises(ValueError, match="timezone-aware"):
        unit.transition("available", now=datetime(2026, 11, 27, 18, 1), by="d")
    assert unit.status is U.OFF_SHIFT
    assert unit.status_since is None


def test_a_unit_status_change_dated_before_the_current_status_began_is_refused() -> None:
    unit = unit_in(U.EN_ROUTE)  # en route since T0 + 3 min
    with pytest.raises(InvalidInput, match="predate"):
        unit.transition("on_scene", now=T0 + 3 * MINUTE - timedelta(seconds=1), by="crew-1")
    assert unit.status is U.EN_ROUTE
    assert unit.status_since == T0 + 3 * MINUTE
