"""Login throttling, lockout, unlock, audit and session revocation on both databases.

The state lives in the database: a restarted service and a second server process (another
container on the same database) see the same failures. Time moves on the test clock only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container, build
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.errors import InvalidInput, PermissionDenied
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM, Triager

PASSWORD = "dana-password-123"
HERE = "10.1.1.1"


def _user(container: Container, name: str = "dana") -> None:
    auth.create_user(container.ctx, SYSTEM, name, PASSWORD, "dispatcher")


def _fail(container: Container, name: str = "dana", address: str = HERE, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(auth.AuthenticationFailed):
            auth.login(container.ctx, name, "wrong-password-000", address)


def _actions(container: Container) -> list[str]:
    return [r["action"] for r in reversed(auth.list_audit(container.ctx, SYSTEM, object_type="user"))]


def test_five_failures_throttle_the_account_with_a_wait_then_it_logs_in_after_the_window(
    container: Container, clock: FixedClock
) -> None:
    _user(container)
    _fail(container, times=5)
    with pytest.raises(auth.LoginThrottled) as refused:
        auth.login(container.ctx, "dana", PASSWORD, HERE)  # even the right password waits
    assert refused.value.retry_after == 15 * 60
    assert "too many failed logins for this account" in str(refused.value)
    with pytest.raises(auth.LoginThrottled):
        auth.login(container.ctx, "dana", PASSWORD, "10.9.9.9")  # from anywhere: it is the account's limit
    clock.advance(timedelta(minutes=14))
    with pytest.raises(auth.LoginThrottled) as still:
        auth.login(container.ctx, "dana", PASSWORD, HERE)
    assert still.value.retry_after == 60
    clock.advance(timedelta(minutes=1))
    assert auth.login(container.ctx, "dana", PASSWORD, HERE)["access_token"]


def test_a_success_forgets_the_accounts_earlier_failures(container: Container) -> None:
    _user(container)
    _fail(container, times=4)
    auth.login(container.ctx, "dana", PASSWORD, HERE)
    _fail(container, times=4)
    assert auth.login(container.ctx, "dana", PASSWORD, HERE)["access_token"]


def test_unknown_account_names_are_throttled_like_real_ones(container: Container) -> None:
    _fail(container, "nobody", times=5)
    with pytest.raises(auth.LoginThrottled):
        auth.login(container.ctx, "nobody", "whatever-password", HERE)


def test_failures_from_one_address_throttle_that_address_for_every_account(container: Container, clock: FixedClock) -> None:
    _user(container)
    for i in range(20):  # a password spray: one try per name, all from one address
        _fail(container, f"user{i}", address="10.6.6.6")
    with pytest.raises(auth.LoginThrottled) as refused:
        auth.login(container.ctx, "dana", PASSWORD, "10.6.6.6")
    assert "from this address" in str(refused.value) and refused.value.retry_after == 15 * 60
    assert auth.login(container.ctx, "dana", PASSWORD, HERE)["access_token"]  # another address is not held back
    clock.advance(timedelta(minutes=15))
    assert auth.login(container.ctx, "dana", PASSWORD, "10.6.6.6")["access_token"]


def test_ten_consecutive_failures_lock_the_account_for_thirty_minutes(container: Container, clock: FixedClock) -> None:
    _user(container)
    _fail(container, times=5)
    clock.advance(timedelta(minutes=15))
    _fail(container, times=5)
    with pytest.raises(auth.AccountLocked) as locked:
        clock.advance(timedelta(minutes=15))  # the throttle is over; the lock is not
        auth.login(container.ctx, "dana", PASSWORD, HERE)
    assert locked.value.retry_after == 15 * 60 and "ask an administrator" in str(locked.value)
    clock.advance(timedelta(minutes=15))
    assert auth.login(container.ctx, "dana", PASSWORD, HERE)["access_token"]


def test_an_administrator_unlocks_a_locked_account(container: Container, clock: FixedClock) -> None:
    _user(container)
    _fail(container, times=5)
    clock.advance(timedelta(minutes=15))
    _fail(container, times=5)
    with pytest.raises(auth.LoginThrottled):
        auth.login(container.ctx, "dana", PASSWORD, HERE)
    assert auth.unlock_user(container.ctx, SYSTEM, "dana") == {"username": "dana", "was_locked": True}
    assert auth.login(container.ctx, "dana", PASSWORD, HERE)["access_token"]
    assert auth.unlock_user(container.ctx, SYSTEM, "dana")["was_locked"] is False


def test_only_user_managers_unlock(container: Container) -> None:
    _user(container)
    analyst = auth.authenticate(container.ctx, _analyst_token(container))
    with pytest.raises(PermissionDenied):
        auth.unlock_user(container.ctx, analyst, "dana")


def _analyst_token(container: Container) -> str:
    auth.create_user(container.ctx, SYSTEM, "ana", "ana-password-123", "analyst")
    return str(auth.login(container.ctx, "ana", "ana-password-123", HERE)["access_token"])


def test_every_failure_refusal_lock_and_unlock_is_audited(container: Container, clock: FixedClock) -> None:
    _user(container)
    _fail(container, times=5)
    with pytest.raises(auth.LoginThrottled):
        auth.login(container.ctx, "dana", PASSWORD, HERE)
    clock.advance(timedelta(minutes=15))
    _fail(container, times=5)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(auth.AccountLocked):
        auth.login(container.ctx, "dana", PASSWORD, HERE)
    auth.unlock_user(container.ctx, SYSTEM, "dana")
    auth.login(container.ctx, "dana", PASSWORD, HERE)
    assert _actions(container) == [
        "create",
        *["login_failed"] * 5,
        "login_throttled",
        *["login_failed"] * 5,
        "account_locked",
        "login_locked",
        "account_unlocked",
        "login",
    ]
    rows = auth.list_audit(container.ctx, SYSTEM, object_type="user")
    failed = next(r for r in rows if r["action"] == "login_failed")
    assert failed["username"] == "dana" and failed["detail"] == f"from {HERE}: wrong password"
    assert next(r for r in rows if r["action"] == "login")["detail"] == f"from {HERE}"


def test_a_failure_for_an_unknown_name_is_audited_under_that_name(container: Container) -> None:
    _fail(container, "mallory")
    (row,) = auth.list_audit(container.ctx, SYSTEM, object_type="user", object_id="unknown:mallory")
    assert (row["action"], row["user_id"], row["role"]) == ("login_failed", None, "none")
    assert row["detail"] == f"from {HERE}: unknown user"


def test_the_throttle_holds_across_a_restart_and_a_second_server_process(
    container: Container, clock: FixedClock, triager: Triager
) -> None:
    _user(container)
    _fail(container, times=3)
    other = build(container.settings, clock=clock, triager=triager)  # another process on the same database
    try:
        _fail(other, times=2)
        for process in (container, other):
            with pytest.raises(auth.LoginThrottled):
                auth.login(process.ctx, "dana", PASSWORD, HERE)
    finally:
        other.dispose()
    container.dispose()  # a restart: the engine and its connections go
    restarted = build(container.settings, clock=clock, triager=triager)
    try:
        with pytest.raises(auth.LoginThrottled):
            auth.login(restarted.ctx, "dana", PASSWORD, HERE)
    finally:
        restarted.dispose()


def test_changing_the_password_ends_every_session_of_that_user(container: Container) -> None:
    _user(container)
    auth.create_user(container.ctx, SYSTEM, "other", "other-password-123", "dispatcher")
    ctx = container.ctx
    first, second = (auth.login(ctx, "dana", PASSWORD, HERE)["access_token"] for _ in range(2))
    bystander = auth.login(ctx, "other", "other-password-123", HERE)["access_token"]
    result = auth.change_password(ctx, auth.authenticate(ctx, first), PASSWORD, "a brand new passphrase")
    assert result["sessions_ended"] == 2
    for old in (first, second):
        with pytest.raises(auth.AuthenticationFailed):
            auth.authenticate(ctx, old)
    assert auth.authenticate(ctx, result["access_token"]).username == "dana"
    assert auth.authenticate(ctx, bystander).username == "other"
    with pytest.raises(auth.AuthenticationFailed):
        auth.login(ctx, "dana", PASSWORD, HERE)
    assert auth.login(ctx, "dana", "a brand new passphrase", HERE)["access_token"]
    assert "password_changed" in _actions(container)


def test_a_password_change_needs_the_current_password_and_a_good_new_one(container: Container) -> None:
    _user(container)
    ctx = container.ctx
    actor = auth.authenticate(ctx, auth.login(ctx, "dana", PASSWORD, HERE)["access_token"])
    with pytest.raises(PermissionDenied, match="current password is wrong"):
        auth.change_password(ctx, actor, "not-my-password", "a brand new passphrase")
    for bad, message in (("short", "at least 12"), ("dana", "at least 12"), ("qwerty123456", "too common"), (PASSWORD, "differ")):
        with pytest.raises(InvalidInput, match=message):
            auth.change_password(ctx, actor, PASSWORD, bad)
    assert "password_change_refused" in _actions(container)


def test_an_administrators_reset_ends_every_session_of_that_user(container: Container) -> None:
    _user(container)
    token = auth.login(container.ctx, "dana", PASSWORD, HERE)["access_token"]
    assert auth.set_password(container.ctx, SYSTEM, "dana", "reset by the admin 1") == {"username": "dana", "sessions_ended": 1}
    with pytest.raises(auth.AuthenticationFailed):
        auth.authenticate(container.ctx, token)
    with pytest.raises(InvalidInput, match="too common"):
        auth.set_password(container.ctx, SYSTEM, "dana", "qwerty123456")


def test_the_token_check_outside_a_transaction_leaves_the_next_use_case_transactional(container: Container) -> None:
    """Every request's token check is one read without a transaction (PostgreSQL: autocommit);
    the pooled connection it used goes back to transactions: a change not committed after it
    is still rolled back."""
    _user(container)
    token = auth.login(container.ctx, "dana", PASSWORD, HERE)["access_token"]
    for _ in range(3):  # the pool hands the same connection back
        assert auth.authenticate(container.ctx, token).username == "dana"
        with container.ctx.uow() as uow:
            uow.tokens.remove_all_of(auth.authenticate(container.ctx, token).user_id or "")
            # no commit: rolled back when the block ends
    assert auth.authenticate(container.ctx, token).username == "dana"
