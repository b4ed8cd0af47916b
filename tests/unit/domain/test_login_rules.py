"""The rules of failed logins (throttle windows, lockout) and the password policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crisis_dispatch.adapters.passwords import common_passwords
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.logins import LoginPolicy, is_locked, retry_after
from crisis_dispatch.domain.users import check_password

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_fewer_failures_than_the_limit_within_the_window_allow_another_try() -> None:
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert retry_after(failures, 5, WINDOW, NOW) is None


def test_the_limit_reached_waits_until_the_oldest_counted_failure_leaves_the_window() -> None:
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4, 10)]
    assert retry_after(failures, 5, WINDOW, NOW) == 5 * 60
    # Failures older than the window do not count.
    assert retry_after([*failures[:4], NOW - timedelta(minutes=16)], 5, WINDOW, NOW) is None


def test_with_more_failures_than_the_limit_the_wait_ends_when_fewer_than_the_limit_remain() -> None:
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4, 5, 6, 7)]
    # The 5th newest is 5 minutes old: 10 minutes on, only 4 remain in the window.
    assert retry_after(failures, 5, WINDOW, NOW) == 10 * 60


def test_the_wait_is_never_zero_seconds() -> None:
    failures = [NOW - WINDOW + timedelta(milliseconds=1)] * 5
    assert retry_after(failures, 5, WINDOW, NOW) == 1


def test_a_lock_holds_until_its_end() -> None:
    assert is_locked(NOW + timedelta(seconds=1), NOW)
    assert not is_locked(NOW, NOW)
    assert not is_locked(None, NOW)


def test_a_policy_refuses_limits_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LoginPolicy(max_failures_per_account=0)
    with pytest.raises(ValueError, match="positive"):
        LoginPolicy(window=timedelta(0))


@pytest.mark.parametrize(
    ("password", "username", "message"),
    [
        ("short-pass1", "dana", "at least 12 characters"),
        ("dana.smith.99", "dana.smith.99", "must not be the username"),
        ("DANA.SMITH.99", "dana.smith.99", "must not be the username"),
        ("qwerty123456", "dana", "too common"),
        ("1Q2W3E4R5T6Y", "dana", "too common"),
    ],
)
def test_the_password_policy_refuses_short_username_and_common_passwords(password: str, username: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_password(password, username, common_passwords())


def test_the_common_password_list_ships_with_the_package_and_a_good_passphrase_passes() -> None:
    common = common_passwords()
    assert len(common) > 20000 and "password" in common
    assert check_password("correct horse battery", "dana", common) == "correct horse battery"
