"""The second factor's rules: who gives a code, the window of time steps, no replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.totp import STEP_SECONDS, is_replay, matching_step, needs_code, time_step, well_formed

NOW = datetime(2026, 12, 3, 10, 0, 15, tzinfo=UTC)


def fake_code(step: int) -> str:
    """A stand-in for the adapter's HMAC: a distinct 6-digit code per step."""
    return f"{step % 1_000_000:06d}"


def test_admins_and_supervisors_need_a_code_only_when_the_setting_is_on() -> None:
    for role in UserRole:
        assert needs_code(role, enrolled=False, required=True) is (role in {UserRole.ADMIN, UserRole.SUPERVISOR})
        assert needs_code(role, enrolled=False, required=False) is False


def test_whoever_enrolled_gives_a_code_whatever_the_setting() -> None:
    assert needs_code(UserRole.DISPATCHER, enrolled=True, required=False)
    assert needs_code(UserRole.ANALYST, enrolled=True, required=True)


def test_the_code_of_now_and_of_one_step_either_side_are_accepted_and_no_further() -> None:
    now = time_step(NOW)
    assert matching_step(fake_code(now), NOW, fake_code) == now
    assert matching_step(fake_code(now - 1), NOW, fake_code) == now - 1
    assert matching_step(fake_code(now + 1), NOW, fake_code) == now + 1
    assert matching_step(fake_code(now - 2), NOW, fake_code) is None
    assert matching_step(fake_code(now + 2), NOW, fake_code) is None


@given(offset=st.integers(-5, 5), seconds=st.integers(0, STEP_SECONDS - 1))
def test_a_code_is_accepted_exactly_within_one_step_of_now(offset: int, seconds: int) -> None:
    now = datetime(2026, 12, 3, 10, 0, 0, tzinfo=UTC) + timedelta(seconds=seconds)
    step = time_step(now) + offset
    found = matching_step(fake_code(step), now, fake_code)
    assert (found == step) is (abs(offset) <= 1)
    assert found is None or found == step


def test_codes_that_are_not_six_digits_match_nothing() -> None:
    for code in ("", "12345", "1234567", "12a456", "١٢٣٤٥٦", " 12345"):
        assert not well_formed(code)
        assert matching_step(code, NOW, lambda s, c=code: c) is None  # even if it were the code


@given(step=st.integers(0, 2**40), last=st.one_of(st.none(), st.integers(0, 2**40)))
def test_a_code_is_a_replay_unless_its_step_is_after_the_last_one_used(step: int, last: int | None) -> None:
    assert is_replay(step, last) is (last is not None and step <= last)


def test_the_same_code_twice_is_a_replay_and_the_next_steps_code_is_not() -> None:
    step = time_step(NOW)
    assert not is_replay(step, None)
    assert is_replay(step, step)
    assert is_replay(step - 1, step)  # an older code seen over a shoulder
    assert not is_replay(step + 1, step)
