"""``subscriptions`` and ``outbox`` from the command line: JSON out, one error line on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import assert_one_error_line
from tests.cli.test_cli_core import invoke

SECRET = "a-shared-secret-of-the-county-cad"


def test_an_admin_subscribes_a_cad_changes_it_and_deactivates_it(tmp_path: Path) -> None:
    db = str(tmp_path / "i.sqlite3")
    made = invoke(
        "subscriptions", "create", "https://cad.example.gov/eido", "--events", "assigned,closed", "--db", db, stdin=SECRET
    )
    assert made.exit_code == 0, made.stdout
    sub = json.loads(made.stdout)
    assert sub["events"] == ["assigned", "closed"] and "secret" not in made.stdout
    changed = invoke("subscriptions", "update", sub["id"], "--events", "status", "--db", db)
    assert json.loads(changed.stdout)["events"] == ["status"]
    assert invoke("subscriptions", "deactivate", sub["id"], "--db", db).stdout.strip() == f"deactivated {sub['id']}"
    assert json.loads(invoke("subscriptions", "list", "--db", db).stdout)[0]["active"] is False
    assert json.loads(invoke("outbox", "list", "--state", "dead", "--db", db).stdout) == []
    assert invoke("outbox", "run", "--once", "--db", db).exit_code == 0


def test_bad_subscription_input_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    db = str(tmp_path / "i.sqlite3")
    assert_one_error_line(invoke("subscriptions", "create", "ftp://cad", "--db", db, stdin=SECRET), "http(s)")
    assert_one_error_line(invoke("subscriptions", "create", "https://cad", "--db", db, stdin="short"), "16-200 characters")
    assert_one_error_line(invoke("subscriptions", "create", "https://cad", "--db", db, stdin=""), "no secret on standard input")
    bad_events = invoke("subscriptions", "create", "https://cad", "--events", "gossip", "--db", db, stdin=SECRET)
    assert_one_error_line(bad_events, "unknown event(s) gossip")
    assert_one_error_line(invoke("subscriptions", "deactivate", "SUB-NOPE", "--db", db), "subscription 'SUB-NOPE' not found")
    assert_one_error_line(invoke("outbox", "retry", "12", "--db", db), "outbox entry 12 not found")
    assert_one_error_line(invoke("outbox", "list", "--state", "lost", "--db", db), "unknown state")


def test_export_nemsis_refuses_bad_windows_in_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "i.sqlite3")
    out = str(tmp_path / "ems.xml")
    assert_one_error_line(
        invoke("export", "nemsis", "--start", "yesterday", "--end", "2026-12-01T00:00:00Z", "--out", out, "--db", db), "ISO 8601"
    )
    naive = invoke("export", "nemsis", "--start", "2026-11-01T00:00:00", "--end", "2026-12-01T00:00:00", "--out", out, "--db", db)
    assert_one_error_line(naive, "UTC offset")
    empty = invoke(
        "export", "nemsis", "--start", "2026-11-01T00:00:00Z", "--end", "2026-12-01T00:00:00Z", "--out", out, "--db", db
    )
    assert_one_error_line(empty, "no crisis-team encounter")
    assert not (tmp_path / "ems.xml").exists()
