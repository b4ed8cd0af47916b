"""The second factor (TOTP) on both databases: enrolment, logins with codes, replay, the
throttle, the audit, and the secret never in the clear. Time moves on the test clock only."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import text

from crisis_dispatch.adapters import totp
from crisis_dispatch.bootstrap import Container, build
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.errors import Conflict, InvalidInput, PermissionDenied
from crisis_dispatch.domain.totp import time_step
from crisis_dispatch.services import auth, second_factor
from crisis_dispatch.services.context import SYSTEM, ServiceContext, Triager

PASSWORD = "sam-password-123"
HERE = "10.1.1.1"


def _required(container: Container) -> ServiceContext:
    """The service context with ``require_totp`` on."""
    policy = dataclasses.replace(container.ctx.login_policy, require_totp=True)
    return dataclasses.replace(container.ctx, login_policy=policy)


def _enrolled(ctx: ServiceContext, name: str = "sam", role: str = "supervisor") -> str:
    """A user enrolled by an administrator; their secret, as the app reads it from the URI."""
    auth.create_user(ctx, SYSTEM, name, PASSWORD, role)
    uri = second_factor.enroll_by_admin(ctx, SYSTEM, name)["otpauth_uri"]
    return parse_qs(urlparse(uri).query)["secret"][0]


def _code(secret: str, clock: FixedClock, steps: int = 0) -> str:
    return totp.code_at(secret, time_step(clock.now()) + steps)


def _actions(ctx: ServiceContext) -> list[tuple[str, str]]:
    return [(r["action"], r["detail"]) for r in reversed(auth.list_audit(ctx, SYSTEM, object_type="user"))]


def test_an_enrolled_user_logs_in_with_password_and_code_and_the_code_works_once(container: Container, clock: FixedClock) -> None:
    ctx = container.ctx
    secret = _enrolled(ctx)
    with pytest.raises(auth.TotpRequired, match="a one-time code is required") as asked:
        auth.login(ctx, "sam", PASSWORD, HERE)
    assert asked.value.challenge
    code = _code(secret, clock)
    assert auth.login(ctx, "sam", PASSWORD, HERE, code)["access_token"]
    with pytest.raises(auth.WrongTotpCode, match="already used"):
        auth.login(ctx, "sam", PASSWORD, HERE, code)  # a replay, even within its 30 s
    with pytest.raises(auth.WrongTotpCode, match="already used"):
        auth.login(ctx, "sam", PASSWORD, HERE, _code(secret, clock, -1))  # an older one too
    with pytest.raises(auth.WrongTotpCode, match="^wrong one-time code$"):
        auth.login(ctx, "sam", PASSWORD, HERE, "000000" if code != "000000" else "111111")
    clock.advance(timedelta(seconds=30))
    assert auth.login(ctx, "sam", PASSWORD, HERE, _code(secret, clock))["access_token"]
    actions = _actions(ctx)
    asked_for = f"from {HERE}: a one-time code is required: send totp_code from your authenticator app"
    assert ("login_code_required", asked_for) in actions
    assert ("login", f"from {HERE} with a one-time code") in actions
    assert sum(a == "login_failed" for a, _ in actions) == 3


def test_wrong_codes_count_toward_the_throttle_and_the_lockout(container: Container, clock: FixedClock) -> None:
    ctx = container.ctx
    secret = _enrolled(ctx)
    for _ in range(5):
        with pytest.raises(auth.WrongTotpCode):
            auth.login(ctx, "sam", PASSWORD, HERE, "12345x")
    with pytest.raises(auth.LoginThrottled):
        auth.login(ctx, "sam", PASSWORD, HERE, _code(secret, clock))  # even the right code waits
    clock.advance(timedelta(minutes=15))
    for _ in range(5):
        with pytest.raises(auth.WrongTotpCode):
            auth.login(ctx, "sam", PASSWORD, HERE, "999999" if _code(secret, clock) != "999999" else "888888")
    clock.advance(timedelta(minutes=15))
    with pytest.raises(auth.AccountLocked):
        auth.login(ctx, "sam", PASSWORD, HERE, _code(secret, clock))
    failed = [d for a, d in _actions(ctx) if a == "login_failed"]
    assert failed[0] == f"from {HERE}: wrong one-time code" and len(failed) == 10
    assert "account_locked" in [a for a, _ in _actions(ctx)]


def test_with_the_setting_on_admins_and_supervisors_need_a_code_and_others_do_not(container: Container) -> None:
    ctx = _required(container)
    for name, role in (("sue", "supervisor"), ("ada", "admin"), ("dana", "dispatcher")):
        auth.create_user(ctx, SYSTEM, name, PASSWORD, role)
    for name in ("sue", "ada"):
        with pytest.raises(auth.TotpRequired, match="no authenticator set up.*users totp-enroll " + name) as refused:
            auth.login(ctx, name, PASSWORD, HERE)
        assert refused.value.challenge == ""  # nothing to type a code into
    assert auth.login(ctx, "dana", PASSWORD, HERE)["access_token"]
    with pytest.raises(auth.AuthenticationFailed, match="wrong username or password"):
        auth.login(ctx, "sue", "not-the-password", HERE, "123456")  # the password is checked first


def test_a_user_enrols_themselves_and_it_is_active_only_after_a_first_good_code(container: Container, clock: FixedClock) -> None:
    ctx = container.ctx
    auth.create_user(ctx, SYSTEM, "dana", PASSWORD, "dispatcher")
    me = auth.authenticate(ctx, auth.login(ctx, "dana", PASSWORD, HERE)["access_token"])
    with pytest.raises(PermissionDenied, match="current password is wrong"):
        second_factor.start(ctx, me, "not-my-password")
    with pytest.raises(Conflict, match="no enrolment in progress"):
        second_factor.confirm(ctx, me, "123456")
    started = second_factor.start(ctx, me, PASSWORD)
    assert started["active"] is False and started["otpauth_uri"].startswith("otpauth://totp/crisis-dispatch:dana?")
    assert second_factor.status(ctx, me) == {"enrolled": False, "pending": True, "required": False}
    assert auth.login(ctx, "dana", PASSWORD, HERE)["access_token"]  # pending: no code asked yet
    with pytest.raises(InvalidInput, match="wrong one-time code"):
        second_factor.confirm(ctx, me, "abcdef")
    code = _code(started["secret"], clock)
    assert second_factor.confirm(ctx, me, code) == {"active": True}
    assert second_factor.status(ctx, me) == {"enrolled": True, "pending": False, "required": False}
    with pytest.raises(auth.TotpRequired):
        auth.login(ctx, "dana", PASSWORD, HERE)
    with pytest.raises(auth.WrongTotpCode, match="already used"):
        auth.login(ctx, "dana", PASSWORD, HERE, code)  # the confirming code is spent
    clock.advance(timedelta(seconds=30))
    assert auth.login(ctx, "dana", PASSWORD, HERE, _code(started["secret"], clock))["access_token"]
    with pytest.raises(Conflict, match="already set up"):
        second_factor.start(ctx, me, PASSWORD)
    actions = [a for a, _ in _actions(ctx)]
    assert {"totp_enrolment_refused", "totp_enrolment_started", "totp_enrolment_failed", "totp_enrolled"} <= set(actions)


def test_the_secret_is_stored_encrypted_and_written_to_no_audit_row(container: Container) -> None:
    ctx = container.ctx
    secret = _enrolled(ctx)
    with container.engine.connect() as conn:
        stored = conn.execute(text("SELECT totp_secret, totp_pending FROM users WHERE username = 'sam'")).one()
        audit_text = " ".join(str(v) for row in conn.execute(text("SELECT * FROM audit_log")) for v in row)
    assert stored.totp_secret and secret not in stored.totp_secret and stored.totp_pending is None
    assert totp.unseal(stored.totp_secret, ctx.token_secret) == secret
    assert secret not in audit_text


def test_the_consoles_challenge_stands_for_the_password_once_and_for_that_user_only(
    container: Container, clock: FixedClock
) -> None:
    ctx = container.ctx
    secret = _enrolled(ctx)
    _enrolled(ctx, "other")
    with pytest.raises(auth.TotpRequired) as asked:
        auth.login(ctx, "sam", PASSWORD, HERE)
    challenge = asked.value.challenge
    with pytest.raises(auth.AuthenticationFailed, match="wrong username or password"):
        auth.login(ctx, "other", "", HERE, "123456", challenge)
    assert auth.login(ctx, "sam", "", HERE, _code(secret, clock), challenge)["access_token"]
    clock.advance(timedelta(seconds=30))
    with pytest.raises(auth.AuthenticationFailed, match="wrong username or password"):
        auth.login(ctx, "sam", "", HERE, _code(secret, clock), challenge)  # spent by the login above
    with pytest.raises(auth.TotpRequired) as again:
        auth.login(ctx, "sam", PASSWORD, HERE)
    clock.advance(timedelta(seconds=auth.CHALLENGE_SECONDS + 1))
    with pytest.raises(auth.AuthenticationFailed, match="wrong username or password"):
        auth.login(ctx, "sam", "", HERE, _code(secret, clock), again.value.challenge)  # expired


def test_two_server_processes_accept_one_code_once(container: Container, clock: FixedClock, triager: Triager) -> None:
    secret = _enrolled(container.ctx)
    other = build(container.settings, clock=clock, triager=triager)
    try:
        code = _code(secret, clock)
        assert auth.login(container.ctx, "sam", PASSWORD, HERE, code)["access_token"]
        with pytest.raises(auth.WrongTotpCode, match="already used"):
            auth.login(other.ctx, "sam", PASSWORD, "10.2.2.2", code)
    finally:
        other.dispose()


def test_an_administrator_re_enrols_a_lost_phone_and_the_old_secret_stops(container: Container, clock: FixedClock) -> None:
    ctx = container.ctx
    old = _enrolled(ctx)
    result = second_factor.enroll_by_admin(ctx, SYSTEM, "sam")
    assert result["replaced"] is True
    new = parse_qs(urlparse(result["otpauth_uri"]).query)["secret"][0]
    if _code(old, clock) != _code(new, clock):
        with pytest.raises(auth.WrongTotpCode):
            auth.login(ctx, "sam", PASSWORD, HERE, _code(old, clock))
    assert auth.login(ctx, "sam", PASSWORD, HERE, _code(new, clock))["access_token"]
    auth.create_integration(ctx, SYSTEM, "county-cad")
    with pytest.raises(InvalidInput, match="API key"):
        second_factor.enroll_by_admin(ctx, SYSTEM, "county-cad")
