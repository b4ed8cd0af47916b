"""Time as an input (FixedClock, aware datetimes) and the rules for user names and passwords."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crisis_dispatch.domain.clock import FixedClock, ensure_aware
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.incident import Incident, Location
from crisis_dispatch.domain.users import MIN_PASSWORD_LENGTH, check_password, check_username
from tests.unit.domain.builders import T0


def test_a_fixed_clock_stands_still_until_told_to_move() -> None:
    clock = FixedClock(T0)
    assert clock.now() == clock.now() == T0


def test_a_fixed_clock_advances_by_what_it_is_told() -> None:
    clock = FixedClock(T0)
    assert clock.advance(timedelta(minutes=90)) == T0 + timedelta(minutes=90)
    assert clock.now() == T0 + timedelta(minutes=90)
    assert clock.advance(timedelta(0)) == T0 + timedelta(minutes=90)


def test_a_fixed_clock_never_goes_backwards() -> None:
    clock = FixedClock(T0)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="backwards"):
        clock.set(T0 - timedelta(seconds=1))
    assert clock.now() == T0


def test_a_fixed_clock_can_be_set_forward() -> None:
    clock = FixedClock(T0)
    clock.set(T0 + timedelta(days=1))
    assert clock.now() == T0 + timedelta(days=1)


def test_a_fixed_clock_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 11, 27, 18, 0))
    clock = FixedClock(T0)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2026, 11, 28, 18, 0))


def test_a_fixed_clock_always_reports_utc() -> None:
    clock = FixedClock(datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles")))
    assert clock.now() == T0
    assert clock.now().tzinfo is UTC


def test_an_incident_received_at_a_naive_time_is_refused_and_an_offset_one_is_kept_in_utc() -> None:
    with pytest.raises(InvalidInput, match="UTC offset"):
        Incident(id="i1", location=Location(34.05, -118.25), received_at=datetime(2026, 11, 27, 10, 0))
    la = datetime(2026, 11, 27, 2, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    incident = Incident(id="i2", location=Location(34.05, -118.25), received_at=la)
    assert incident.received_at == la and incident.received_at.tzinfo is UTC


def test_ensure_aware_keeps_the_instant_and_converts_to_utc() -> None:
    moment = datetime(2026, 7, 4, 21, 0, tzinfo=ZoneInfo("America/Los_Angeles"))  # PDT
    assert ensure_aware(moment) == datetime(2026, 7, 5, 4, 0, tzinfo=UTC)
    assert ensure_aware(moment).tzinfo is UTC


# --------------------------------------------------------------------------- users


@pytest.mark.parametrize("name", ["ab", "dispatcher.7", "crew_12", "a-b", "0pmrt", "x" * 63])
def test_plain_lower_case_user_names_are_accepted(name: str) -> None:
    assert check_username(name) == name


@pytest.mark.parametrize("name", ["", "a", "Admin", "-lead", ".dot", "has space", "émile", "x" * 64, "a/b"])
def test_other_user_names_are_invalid_input(name: str) -> None:
    with pytest.raises(InvalidInput, match="username"):
        check_username(name)


def test_a_password_of_the_minimum_length_is_accepted_and_a_shorter_one_is_not() -> None:
    assert MIN_PASSWORD_LENGTH >= 12
    assert check_password("p" * MIN_PASSWORD_LENGTH) == "p" * MIN_PASSWORD_LENGTH
    with pytest.raises(InvalidInput, match=str(MIN_PASSWORD_LENGTH)):
        check_password("p" * (MIN_PASSWORD_LENGTH - 1))


def test_a_user_name_with_a_trailing_newline_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="username"):
        check_username("admin\n")
