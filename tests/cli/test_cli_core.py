"""The core commands as a person runs them: readable errors, exit codes.

Usage errors (reported by ``main()``), the serving commands and one upgrade-then-create-a-user
run as real processes; the rest run in this process through typer's ``CliRunner``: a command's
own errors end in ``cli_errors.fail``, the same one line either way, without the 1-2 s start-up
of a process each.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from typer.testing import CliRunner, Result

from crisis_dispatch.entrypoints.cli import app
from tests.cli.helpers import CLI, assert_one_error_line


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = os.environ | {"COLUMNS": "200"}
    base.pop("DATABASE_URL", None)
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True, env=base | (env or {}), timeout=120)


def invoke(*args: str, stdin: str = "") -> Result:
    """The command run in this process, with the environment ``run`` gives a process."""
    return CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "200", "DATABASE_URL": None})


def test_every_command_has_help() -> None:
    for args in (
        [],
        ["serve"],
        ["demo"],
        ["db", "upgrade"],
        ["users", "create"],
        ["users", "set-password"],
        ["users", "unlock"],
        ["users", "create-cad"],
        ["users", "rotate-key"],
        ["subscriptions", "create"],
        ["subscriptions", "list"],
        ["subscriptions", "update"],
        ["subscriptions", "deactivate"],
        ["outbox", "run"],
        ["outbox", "list"],
        ["outbox", "retry"],
        ["export", "nemsis"],
        ["seed", "la"],
        ["audit", "verify"],
    ):
        r = invoke(*args, "--help")
        assert r.exit_code == 0, (args, r.output)
        assert "Usage" in r.stdout


def test_db_upgrade_then_create_a_user_from_stdin(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.sqlite3")
    r = run("db", "upgrade", "--db", db)
    assert r.returncode == 0 and "created the schema" in r.stdout
    r = run("db", "upgrade", "--db", db)
    assert r.returncode == 0 and "up to date" in r.stdout
    r = run("users", "create", "maria", "--role", "dispatcher", "--password-stdin", "--db", db, stdin="a long passphrase\n")
    assert r.returncode == 0, r.stderr
    assert "created user maria with role dispatcher" in r.stdout


def test_usage_errors_are_one_readable_line_with_exit_code_2() -> None:
    for args, fragment in (
        (["frobnicate"], "No such command 'frobnicate'"),
        (["users", "create"], "Missing argument 'username'"),
        (["serve", "--port", "many"], "Invalid value for '--port'"),
    ):
        r = run(*args)
        assert_one_error_line(r, fragment)
        assert "(see 'crisis-dispatch" in r.stderr and "--help')" in r.stderr


def test_serving_on_a_port_already_taken_is_one_readable_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for command, env in (("serve", {"CRISIS_DISPATCH_SECRET_KEY": "x" * 40}), ("demo", {})):
            r = run(command, "--port", str(port), "--db", str(tmp_path / "x.sqlite3"), env=env)
            assert r.returncode == 2, r.stderr
            assert r.stderr.strip() == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_user_errors_are_one_readable_line_with_exit_code_2(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.sqlite3")
    cases = [
        (
            ["users", "create", "maria", "--role", "wizard", "--password-stdin", "--db", db],
            "a long passphrase\n",
            "unknown role 'wizard'",
        ),
        (
            ["users", "create", "maria", "--role", "dispatcher", "--password-stdin", "--db", db],
            "short\n",
            "at least 12 characters",
        ),
        (
            ["users", "create", "Bad Name", "--role", "dispatcher", "--password-stdin", "--db", db],
            "a long passphrase\n",
            "username must be",
        ),
        (["users", "create", "maria", "--role", "dispatcher", "--db", db], "", "--password-stdin"),
        (
            ["users", "create", "crewman", "--role", "crew", "--password-stdin", "--db", db],
            "a long passphrase\n",
            "linked to a staff member",
        ),
    ]
    for args, stdin, message in cases:
        r = invoke(*args, stdin=stdin)
        assert_one_error_line(r, message)
    invoke("users", "create", "maria", "--role", "dispatcher", "--password-stdin", "--db", db, stdin="a long passphrase\n")
    r = invoke("users", "create", "maria", "--role", "dispatcher", "--password-stdin", "--db", db, stdin="a long passphrase\n")
    assert r.exit_code == 2 and "already exists" in r.stderr


def test_serve_refuses_the_default_secret_outside_demo_mode(tmp_path: Path) -> None:
    env = {"CRISIS_DISPATCH_SECRET_KEY": "insecure-default-secret-change-me"}
    r = run("serve", "--db", str(tmp_path / "x.sqlite3"), env=env)
    assert r.returncode == 2
    assert "refusing to start" in r.stderr and "Traceback" not in r.stderr


def test_an_unusable_database_path_is_a_readable_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    r = invoke("db", "upgrade", "--db", str(blocker / "sub" / "db.sqlite3"))
    assert_one_error_line(r)


def test_seed_la_loads_the_demo_fleet_once(tmp_path: Path) -> None:
    db = str(tmp_path / "seed.sqlite3")
    r = invoke("seed", "la", "--days", "2", "--db", db)
    assert r.exit_code == 0, r.output
    assert "stations 106" in r.stdout and "units 5" in r.stdout and "staff 45" in r.stdout
    r = invoke("seed", "la", "--days", "2", "--db", db)
    assert "stations 0" in r.stdout and "units 0" in r.stdout


def test_audit_verify_refuses_a_database_it_cannot_check_with_one_line(tmp_path: Path) -> None:
    """It only reads: a missing file is not created, an empty or unmigrated one not migrated."""
    missing = tmp_path / "nowhere" / "cd.sqlite3"
    assert_one_error_line(invoke("audit", "verify", "--db", str(missing)), f"no database at {missing}")
    assert not missing.parent.exists()
    assert_one_error_line(invoke("audit", "verify", "--db", str(tmp_path)), "no database at")
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    assert_one_error_line(invoke("audit", "verify", "--db", str(empty)), "no crisis-dispatch schema", "db upgrade")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_text("not a database, just text that is long enough to have a header" * 10)
    assert_one_error_line(invoke("audit", "verify", "--db", str(garbage)), "cannot open the database")


def test_audit_verify_asks_for_an_upgrade_of_a_schema_from_before_the_chain(tmp_path: Path) -> None:
    from crisis_dispatch.adapters.db import make_engine
    from crisis_dispatch.bootstrap import upgrade

    db = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, "0002")
    engine.dispose()
    assert_one_error_line(invoke("audit", "verify", "--db", str(db)), "(revision 0002) predates the audit chain", "db upgrade")
    assert invoke("db", "upgrade", "--db", str(db)).exit_code == 0
    r = invoke("audit", "verify", "--db", str(db))
    assert r.exit_code == 0 and "audit log intact: 0 rows checked" in r.stdout, r.output


def test_audit_verify_as_a_process_exits_0_then_1_after_an_edit(tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    db = str(tmp_path / "cli.sqlite3")
    for name in ("maria", "jose"):
        r = run("users", "create", name, "--role", "dispatcher", "--password-stdin", "--db", db, stdin="a long passphrase\n")
        assert r.returncode == 0, r.stderr
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 0 and "audit log intact: 2 rows checked" in r.stdout, r.stderr
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE audit_log SET username = 'someone' WHERE id = 2")
    r = run("audit", "verify", "--db", db)
    assert r.returncode == 1 and "audit log BROKEN at row 2: changed" in r.stdout and r.stderr == "", (r.stdout, r.stderr)


def test_serve_with_several_workers_needs_postgresql(tmp_path: Path) -> None:
    env = {"CRISIS_DISPATCH_SECRET_KEY": "a-real-secret-for-this-test-0123456789"}
    r = run("serve", "--db", str(tmp_path / "x.sqlite3"), "--workers", "2", env=env)
    assert r.returncode == 2
    assert "needs PostgreSQL" in r.stderr and "Traceback" not in r.stderr
