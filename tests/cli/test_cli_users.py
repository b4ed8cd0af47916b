"""``users create`` under the password policy, ``users unlock`` and ``users set-password``."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_dispatch.bootstrap import build
from crisis_dispatch.config import Settings
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM
from tests.cli.helpers import assert_one_error_line
from tests.cli.test_cli_core import invoke
from tests.support.app import TEST_SECRET

PASSWORD = "a long passphrase"


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("maria", "eleven-char", "password must be at least 12 characters"),
        ("maria.lopez.1", "Maria.Lopez.1", "password must not be the username"),
        ("maria", "qwerty123456", "password is too common"),
    ],
)
def test_a_weak_password_is_one_error_line_with_exit_code_2(tmp_path: Path, name: str, password: str, message: str) -> None:
    r = invoke(
        "users", "create", name, "--role", "dispatcher", "--password-stdin", "--db", str(tmp_path / "u.sqlite3"), stdin=password
    )
    assert_one_error_line(r, message)


def test_an_administrator_unlocks_a_locked_login_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "u.sqlite3"
    assert (
        invoke("users", "create", "maria", "--role", "dispatcher", "--password-stdin", "--db", str(db), stdin=PASSWORD).exit_code
        == 0
    )
    container = build(Settings(db_path=db, secret_key=TEST_SECRET, login_lockout_after=3))
    try:
        for _ in range(3):
            with pytest.raises(auth.AuthenticationFailed):
                auth.login(container.ctx, "maria", "wrong-password-0", "10.0.0.1")
        with pytest.raises(auth.AccountLocked):
            auth.login(container.ctx, "maria", PASSWORD, "10.0.0.1")
        r = invoke("users", "unlock", "maria", "--db", str(db))
        assert r.exit_code == 0 and r.stdout.strip() == "unlocked maria"
        assert auth.login(container.ctx, "maria", PASSWORD, "10.0.0.1")["access_token"]
        assert invoke("users", "unlock", "maria", "--db", str(db)).stdout.strip() == "maria was not locked"
        assert_one_error_line(invoke("users", "unlock", "nobody", "--db", str(db)), "user 'nobody' not found")
        actions = [r["action"] for r in auth.list_audit(container.ctx, SYSTEM, object_type="user")]
        assert "account_unlocked" in actions
    finally:
        container.dispose()


def test_setting_a_password_ends_the_users_sessions_and_follows_the_policy(tmp_path: Path) -> None:
    db = tmp_path / "u.sqlite3"
    invoke("users", "create", "maria", "--role", "dispatcher", "--password-stdin", "--db", str(db), stdin=PASSWORD)
    container = build(Settings(db_path=db, secret_key=TEST_SECRET))
    try:
        token = auth.login(container.ctx, "maria", PASSWORD, "10.0.0.1")["access_token"]
        assert_one_error_line(invoke("users", "set-password", "maria", "--password-stdin", "--db", str(db), stdin="short"), "12")
        r = invoke("users", "set-password", "maria", "--password-stdin", "--db", str(db), stdin="another long passphrase\n")
        assert r.exit_code == 0 and r.stdout.strip() == "set the password of maria; ended 1 session(s)"
        with pytest.raises(auth.AuthenticationFailed):
            auth.authenticate(container.ctx, token)
        assert auth.login(container.ctx, "maria", "another long passphrase", "10.0.0.1")["access_token"]
    finally:
        container.dispose()


def test_the_cad_account_gets_an_api_key_once_and_a_rotated_key_replaces_it(tmp_path: Path) -> None:
    db = tmp_path / "u.sqlite3"
    r = invoke("users", "create-cad", "county-cad", "--db", str(db))
    assert r.exit_code == 0, r.stdout
    key = r.stdout.strip().splitlines()[-1]
    assert key.startswith("county-cad:") and len(key) > 40
    container = build(Settings(db_path=db, secret_key=TEST_SECRET))
    try:
        actor = auth.authenticate_api_key(container.ctx, key, "10.0.0.9")
        assert actor.role.value == "cad"
        with container.ctx.uow() as uow:
            stored = uow.users.by_username("county-cad")
            assert (
                stored is not None
                and stored.password_hash.startswith("$argon2")
                and key.split(":")[1] not in stored.password_hash
            )
        rotated = invoke("users", "rotate-key", "county-cad", "--db", str(db))
        assert rotated.exit_code == 0
        new_key = rotated.stdout.strip().splitlines()[-1]
        assert new_key != key and auth.authenticate_api_key(container.ctx, new_key).username == "county-cad"
        with pytest.raises(auth.AuthenticationFailed):
            auth.authenticate_api_key(container.ctx, key, "10.0.0.9")
        assert_one_error_line(invoke("users", "create-cad", "county-cad", "--db", str(db)), "already exists")
        assert_one_error_line(invoke("users", "rotate-key", "nobody", "--db", str(db)), "no integration account 'nobody'")
        refused = invoke("users", "create", "cad2", "--role", "cad", "--password-stdin", "--db", str(db), stdin=PASSWORD)
        assert_one_error_line(refused, "users create-cad")
        actions = [a["action"] for a in auth.list_audit(container.ctx, SYSTEM, object_type="user")]
        assert {"create", "api_key_rotated", "api_key_failed"} <= set(actions)
    finally:
        container.dispose()


def test_totp_enroll_prints_the_uri_once_and_then_the_login_needs_a_code(tmp_path: Path) -> None:
    from urllib.parse import parse_qs, urlparse

    from crisis_dispatch.adapters import totp
    from crisis_dispatch.domain.totp import time_step

    db = tmp_path / "u.sqlite3"
    assert (
        invoke("users", "create", "sue", "--role", "supervisor", "--password-stdin", "--db", str(db), stdin=PASSWORD).exit_code
        == 0
    )
    r = invoke("users", "totp-enroll", "sue", "--db", str(db))
    assert r.exit_code == 0, r.stderr
    assert "authenticator set up for sue" in r.stdout and "shown only now" in r.stdout
    uri = r.stdout.strip().splitlines()[-1]
    assert uri.startswith("otpauth://totp/crisis-dispatch:sue?")
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    container = build(Settings(db_path=db))  # the secret key the command ran with (sealed under it)
    try:
        with pytest.raises(auth.TotpRequired, match="a one-time code is required"):
            auth.login(container.ctx, "sue", PASSWORD)
        code = totp.code_at(secret, time_step(container.ctx.clock.now()))
        assert auth.login(container.ctx, "sue", PASSWORD, totp_code=code)["access_token"]
    finally:
        container.dispose()
    again = invoke("users", "totp-enroll", "sue", "--db", str(db))
    assert again.exit_code == 0 and "the earlier one no longer works" in again.stdout


def test_totp_enroll_of_an_unknown_user_is_one_error_line(tmp_path: Path) -> None:
    assert_one_error_line(
        invoke("users", "totp-enroll", "nobody", "--db", str(tmp_path / "u.sqlite3")), "user 'nobody' not found"
    )
