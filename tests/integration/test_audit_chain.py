"""The tamper-evident audit log on SQLite and PostgreSQL: appends chain, raw-SQL tampering is
named by ``crisis-dispatch audit verify``, concurrent appends never fork the chain, and
migration 0003 chains the rows written before it."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, inspect, select, text
from typer.testing import CliRunner, Result

from crisis_dispatch.adapters import orm
from crisis_dispatch.adapters.repositories import AuditRepository
from crisis_dispatch.bootstrap import Container, alembic_config, schema_revision, upgrade
from crisis_dispatch.domain.audit_chain import GENESIS
from crisis_dispatch.domain.errors import DuplicateKey
from crisis_dispatch.domain.users import AuditRecord
from crisis_dispatch.entrypoints.cli import app
from crisis_dispatch.services import audit, incidents
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import T0, new_incident, staffed_unit


def verify_cli(container: Container, *extra: str) -> Result:
    """``crisis-dispatch audit verify`` on the container's database: --db for SQLite,
    DATABASE_URL for PostgreSQL."""
    settings = container.settings
    if settings.database_url:
        args, env = ["audit", "verify", *extra], {"DATABASE_URL": settings.database_url}
    else:
        args, env = ["audit", "verify", "--db", str(settings.db_path), *extra], {"DATABASE_URL": None}
    return CliRunner().invoke(app, args, env={"COLUMNS": "200", **env})


def write_log(container: Container, rows: int, per_transaction: int = 25) -> None:
    ctx = container.ctx
    for start in range(0, rows, per_transaction):
        with ctx.uow() as uow:
            ids = [f"INC-{i:05d}" for i in range(start, min(rows, start + per_transaction))]
            audit.record(ctx, uow, SYSTEM, "read", "incident", ids, detail=f"batch {start}")
            uow.commit()


def stored(container: Container) -> list[AuditRecord]:
    with container.ctx.uow() as uow:
        return list(reversed(uow.audit.list(limit=100_000)))


def raw(container: Container, sql: str) -> None:
    with container.engine.begin() as conn:
        conn.execute(text(sql))


def test_an_intact_log_of_many_rows_verifies_with_exit_0(container: Container) -> None:
    write_log(container, 260)
    rows = stored(container)
    assert [r.id for r in rows] == list(range(1, 261))
    assert rows[0].prev_hash == GENESIS and all(b.prev_hash == a.row_hash for a, b in zip(rows, rows[1:], strict=False))
    r = verify_cli(container)
    assert r.exit_code == 0, r.output
    assert f"audit log intact: 260 rows checked (newest row 260, hash {rows[-1].row_hash})" in r.stdout
    assert audit.verify(container.ctx, page_size=7).checked == 260  # pages join up
    raw(container, "UPDATE audit_log SET object_id = 'INC-X' WHERE id = 15")  # the first row of page 3
    assert audit.verify(container.ctx, page_size=7).broken_id == 15
    raw(container, "UPDATE audit_log SET object_id = 'INC-00014' WHERE id = 15")
    r = verify_cli(container, "--expect", rows[100].row_hash)
    assert r.exit_code == 0 and "the expected hash is row 101" in r.stdout


def test_an_empty_log_verifies(container: Container) -> None:
    r = verify_cli(container)
    assert r.exit_code == 0 and "0 rows checked (empty log)" in r.stdout, r.output


def test_both_databases_hash_the_same_record_to_the_same_bytes(container: Container) -> None:
    """One pinned value for SQLite and PostgreSQL: the stored time (microseconds, UTC) and text
    read back give the bytes that were hashed at insert."""
    container.ctx.clock.set(T0 + timedelta(microseconds=123456))  # type: ignore[attr-defined]
    with container.ctx.uow() as uow:
        audit.record(container.ctx, uow, SYSTEM, "update", "incident", ["INC-ÄÖ"], detail="note: café – 5150 ✓")
        uow.commit()
    (row,) = stored(container)
    assert row.at == T0 + timedelta(microseconds=123456)
    assert row.row_hash == "c74cb000e296d4c5194c5d07296af3b382bace0843b834e98df155e85937ec22"


def assert_named(container: Container, sql: str, expected: str) -> None:
    """After ``sql``, verify exits 1 and says ``expected``."""
    raw(container, sql)
    r = verify_cli(container)
    assert r.exit_code == 1, r.output
    assert expected in r.stdout, r.stdout


def test_a_field_edited_with_raw_sql_is_named_with_exit_1(container: Container) -> None:
    write_log(container, 40)
    assert_named(
        container,
        "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 17",
        "audit log BROKEN at row 17: changed: its fields no longer match its hash (16 rows before it are intact)",
    )


def test_a_time_edited_with_raw_sql_is_named_with_exit_1(container: Container) -> None:
    write_log(container, 10)
    later = "'2026-11-27 19:00:00'" if container.engine.dialect.name == "sqlite" else "'2026-11-27 19:00:00+00'"
    assert_named(container, f"UPDATE audit_log SET at = {later} WHERE id = 3", "BROKEN at row 3: changed")


def test_a_row_deleted_with_raw_sql_is_named_by_its_successor_with_exit_1(container: Container) -> None:
    write_log(container, 40)
    assert_named(
        container,
        "DELETE FROM audit_log WHERE id = 17",
        "audit log BROKEN at row 18: missing predecessor: it is chained to a row that is no longer in the log "
        "(deleted, or changed together with its hash); it now follows row 16",
    )
    assert_named(container, "DELETE FROM audit_log WHERE id = 1", "BROKEN at row 2: missing predecessor")


def test_a_renumbered_row_is_named_as_reordered_with_exit_1(container: Container) -> None:
    write_log(container, 20)
    assert_named(
        container,
        "UPDATE audit_log SET id = 1000 WHERE id = 5",
        "BROKEN at row 6: reordered: it is chained after row 1000, which now comes after it",
    )


def test_rows_removed_from_the_end_are_caught_by_an_expected_hash(container: Container) -> None:
    write_log(container, 20)
    head = stored(container)[-1].row_hash
    raw(container, "DELETE FROM audit_log WHERE id > 15")
    assert verify_cli(container).exit_code == 0  # a shorter chain is still a chain ...
    r = verify_cli(container, "--expect", head)
    assert r.exit_code == 1 and f"no row has the expected hash {head}" in r.stdout, r.output  # ... but not the one recorded


def test_the_audit_repository_is_insert_only() -> None:
    public = {name for name in dir(AuditRepository) if not name.startswith("_")}
    assert public == {"add", "pending", "append_pending", "list", "page", "locate"}
    for word in ("update", "delete", "remove", "merge", "edit", "set", "replace", "truncate", "clear"):
        assert not [name for name in public if word in name], word
    # Not mapped: no session tracks an audit row, so none can flush a change to one.
    assert inspect(AuditRecord, raiseerr=False) is None
    record = AuditRecord(at=T0, user_id=None, username="x", role="admin", action="read", object_type="t", object_id="1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.detail = "changed"  # type: ignore[misc]


@pytest.fixture
def statements(container: Container) -> Iterator[list[str]]:
    seen: list[str] = []

    def capture(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(container.engine, "before_cursor_execute", capture)
    yield seen
    event.remove(container.engine, "before_cursor_execute", capture)


def test_a_whole_incident_workflow_only_inserts_audit_rows(container: Container, statements: list[str]) -> None:
    ctx = container.ctx
    unit = staffed_unit(container, "TTP-A")
    incident = new_incident(container)
    incidents.get_incident(ctx, SYSTEM, incident)
    incidents.assign_unit(ctx, SYSTEM, incident, unit)
    for status in ("en_route", "on_scene"):
        incidents.change_status(ctx, SYSTEM, incident, status)
    incidents.list_incidents(ctx, SYSTEM)
    touching = [s for s in statements if re.search(r"\baudit_log\b", s)]
    assert any(s.lstrip().upper().startswith("INSERT") for s in touching)
    assert [s for s in touching if re.match(r"\s*(UPDATE|DELETE|TRUNCATE)\b", s, re.IGNORECASE)] == []
    assert audit.verify(ctx).intact


def _slow_head(monkeypatch: pytest.MonkeyPatch, pause: float, barrier: threading.Barrier | None = None) -> None:
    """Widen the window between reading the chain's head and inserting after it."""
    read_head = AuditRepository._head

    def slow(self: AuditRepository) -> tuple[int, str]:
        head = read_head(self)
        if barrier is not None:
            barrier.wait(timeout=20)
        time.sleep(pause)
        return head

    monkeypatch.setattr(AuditRepository, "_head", slow)


def _writers(container: Container, count: int, appends: int) -> list[BaseException]:
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        start.wait(timeout=20)
        for i in range(appends):
            try:
                with container.ctx.uow() as uow:
                    audit.record(container.ctx, uow, SYSTEM, "read", "incident", [f"INC-W{n}-{i}", f"INC-W{n}-{i}b"])
                    uow.commit()
            except BaseException as e:
                errors.append(e)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_two_concurrent_writers_never_fork_the_chain(container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_head(monkeypatch, 0.02)
    assert _writers(container, 2, 15) == []
    rows = stored(container)
    assert [r.id for r in rows] == list(range(1, 61))
    assert len({r.prev_hash for r in rows}) == 60  # no two rows chained onto the same one
    report = audit.verify(container.ctx)
    assert report.intact and report.checked == 60
    assert verify_cli(container).exit_code == 0


@pytest.mark.postgres
@pytest.mark.parametrize("db_settings", ["postgres"], indirect=True)  # SQLite: every transaction is BEGIN IMMEDIATE
def test_without_the_lock_the_primary_key_still_refuses_a_fork(container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """The advisory lock is what serialises PostgreSQL appends: without it, two writers read the
    same head and one of them fails on the id; no forked chain is ever committed."""
    monkeypatch.setattr(AuditRepository, "_lock_chain", lambda self: None)
    _slow_head(monkeypatch, 0.0, threading.Barrier(2))
    errors = _writers(container, 2, 1)
    assert len(errors) == 1 and isinstance(errors[0], DuplicateKey)
    assert audit.verify(container.ctx).checked == 2


def test_0003_chains_the_rows_written_before_it_and_downgrades(container: Container) -> None:
    """From 0002 with rows in the log (ids with a gap, as a PostgreSQL sequence leaves them) to
    head: the rows are chained in id order; new rows chain on; down and up again gives the
    same hashes."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(container.engine)
    command.downgrade(config, "0002")
    try:
        assert "row_hash" not in {c["name"] for c in inspect(container.engine).get_columns("audit_log")}
        with container.engine.begin() as conn:
            for i in (1, 2, 5):
                conn.execute(
                    insert(orm.audit_log).values(
                        id=i,
                        at=T0 + timedelta(minutes=i, microseconds=7),
                        user_id=None if i == 2 else f"USR-{i}",
                        username="dana",
                        role="dispatcher",
                        action="read",
                        object_type="incident",
                        object_id=f"INC-{i}",
                        detail="",
                    )
                )
    finally:
        upgrade(container.engine)

    # Head (migrations after 0003 follow the chain): whichever revision is latest.
    assert schema_revision(container.engine) == ScriptDirectory.from_config(config).get_current_head()
    before = stored(container)
    assert [r.id for r in before] == [1, 2, 5] and before[0].prev_hash == GENESIS
    with container.ctx.uow() as uow:
        audit.record(container.ctx, uow, SYSTEM, "read", "incident", ["INC-NEW"])
        uow.commit()
    report = audit.verify(container.ctx)
    assert report.intact and report.checked == 4 and report.head_id == 6
    command.downgrade(config, "0002")
    try:
        assert "row_hash" not in {c["name"] for c in inspect(container.engine).get_columns("audit_log")}
        with container.engine.connect() as conn:
            assert conn.execute(select(orm.audit_log.c.id).order_by(orm.audit_log.c.id)).scalars().all() == [1, 2, 5, 6]
    finally:
        upgrade(container.engine)
    assert [(r.id, r.row_hash) for r in stored(container)] == [(r.id, r.row_hash) for r in [*before, stored(container)[-1]]]
    assert audit.verify(container.ctx).intact
