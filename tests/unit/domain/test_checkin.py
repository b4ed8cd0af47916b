"""The safety check-in rule of crews on scene (domain/checkin.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.domain.checkin import (
    CHECKIN_INTERVAL,
    DUE_WARNING,
    CheckinLevel,
    checkin_note_text,
    checkin_state,
    is_checkin_note,
)
from crisis_dispatch.domain.errors import InvalidInput

ARRIVED = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
M = timedelta(minutes=1)


def test_a_crew_just_arrived_is_ok_and_due_one_interval_later() -> None:
    state = checkin_state(ARRIVED, [], ARRIVED)
    assert state.level is CheckinLevel.OK
    assert state.due_at == ARRIVED + CHECKIN_INTERVAL
    assert state.last_checkin_at is None


def test_the_check_in_is_due_shortly_before_the_deadline() -> None:
    assert checkin_state(ARRIVED, [], ARRIVED + CHECKIN_INTERVAL - DUE_WARNING).level is CheckinLevel.DUE
    assert checkin_state(ARRIVED, [], ARRIVED + CHECKIN_INTERVAL - DUE_WARNING - M).level is CheckinLevel.OK


def test_no_check_in_by_the_deadline_is_missed_and_says_by_how_much() -> None:
    state = checkin_state(ARRIVED, [], ARRIVED + CHECKIN_INTERVAL + 4 * M)
    assert state.level is CheckinLevel.MISSED
    assert state.overdue_by == 4 * M


def test_a_check_in_restarts_the_clock() -> None:
    state = checkin_state(ARRIVED, [ARRIVED + 10 * M], ARRIVED + 20 * M)
    assert state.level is CheckinLevel.OK
    assert state.last_checkin_at == ARRIVED + 10 * M
    assert state.due_at == ARRIVED + 10 * M + CHECKIN_INTERVAL


def test_check_ins_before_arrival_or_not_yet_made_do_not_count() -> None:
    state = checkin_state(ARRIVED, [ARRIVED - 5 * M, ARRIVED + 30 * M], ARRIVED + 16 * M)
    assert state.level is CheckinLevel.MISSED
    assert state.last_checkin_at is None


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        checkin_state(datetime(2026, 11, 27, 18, 0), [], ARRIVED)


def test_an_interval_shorter_than_its_warning_is_refused() -> None:
    with pytest.raises(InvalidInput):
        checkin_state(ARRIVED, [], ARRIVED, interval=2 * M, warning=3 * M)


def test_check_in_notes_are_recognised_by_their_prefix_only() -> None:
    assert is_checkin_note(checkin_note_text())
    assert is_checkin_note(checkin_note_text("  loud   but safe "))
    assert checkin_note_text("  loud   but safe ") == "Safety check-in: loud but safe"
    assert not is_checkin_note("Talked about the safety check-in schedule")


@given(
    checkins=st.lists(st.integers(min_value=-30, max_value=120), max_size=8),
    now=st.integers(min_value=0, max_value=120),
)
def test_missed_exactly_when_more_than_an_interval_passed_since_the_last_counted_check_in(checkins: list[int], now: int) -> None:
    at = ARRIVED + now * M
    state = checkin_state(ARRIVED, [ARRIVED + c * M for c in checkins], at)
    anchor = max([ARRIVED] + [ARRIVED + c * M for c in checkins if 0 <= c <= now])
    assert state.due_at == anchor + CHECKIN_INTERVAL
    assert (state.level is CheckinLevel.MISSED) == (at >= anchor + CHECKIN_INTERVAL)
    assert state.overdue_by >= timedelta(0)
