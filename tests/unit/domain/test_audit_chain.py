"""The audit chain's canonical form and its verification, without a database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from crisis_dispatch.domain.audit_chain import GENESIS, canonical_bytes, row_hash, verify_chain
from crisis_dispatch.domain.users import AuditRecord

T0 = datetime(2026, 11, 27, 18, 0, 0, 123456, tzinfo=UTC)


def record(i: int, **changes: object) -> AuditRecord:
    base = AuditRecord(
        at=T0 + timedelta(seconds=i),
        user_id=None if i % 2 else f"USR-{i}",
        username="dana",
        role="dispatcher",
        action="read",
        object_type="incident",
        object_id=f"INC-{i}",
        detail="café – ünïcode" if i == 2 else "",
        id=i,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def chained(records: list[AuditRecord]) -> list[AuditRecord]:
    out, prev = [], GENESIS
    for r in records:
        digest = row_hash(r, prev)
        out.append(dataclasses.replace(r, prev_hash=prev, row_hash=digest))
        prev = digest
    return out


def locator(rows: list[AuditRecord]):  # type: ignore[no-untyped-def]
    by_hash = {r.row_hash: r.id for r in rows}
    return by_hash.get


def test_the_canonical_form_is_sorted_compact_ascii_json_with_utc_microseconds() -> None:
    assert canonical_bytes(record(1), GENESIS) == (
        b'{"action":"read","at":"2026-11-27T18:00:01.123456+00:00","detail":"","id":1,"object_id":"INC-1",'
        b'"object_type":"incident","prev_hash":"' + GENESIS.encode() + b'","role":"dispatcher","user_id":null,'
        b'"username":"dana","v":1}'
    )
    data = canonical_bytes(record(2), GENESIS)
    assert b'"detail":"caf\\u00e9 \\u2013 \\u00fcn\\u00efcode"' in data and b'"user_id":"USR-2"' in data


def test_the_same_instant_in_another_zone_gives_the_same_bytes() -> None:
    la = timezone(timedelta(hours=-8))
    assert canonical_bytes(record(1, at=(T0 + timedelta(seconds=1)).astimezone(la)), GENESIS) == canonical_bytes(
        record(1), GENESIS
    )


def test_the_hash_is_pinned_so_that_the_format_cannot_drift_silently() -> None:
    # Changing this value means every stored chain stops verifying: bump FORMAT_VERSION instead.
    assert row_hash(record(1), GENESIS) == "ed7bfdbbdc923d78c3819bd85e8bbfd8d226a621ac4568c8a2e1f3321d8b2865"


def test_a_record_without_id_or_with_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="id"):
        canonical_bytes(record(1, id=None), GENESIS)
    with pytest.raises(ValueError, match="timezone"):
        canonical_bytes(record(1, at=datetime(2026, 11, 27, 18, 0)), GENESIS)


def test_an_intact_chain_verifies() -> None:
    rows = chained([record(i) for i in range(1, 30)])
    report = verify_chain(rows, locator(rows))
    assert report.intact and report.checked == 29 and report.head_id == 29 and report.head_hash == rows[-1].row_hash
    empty = verify_chain([], locator([]))
    assert empty.intact and empty.checked == 0 and empty.head_id is None


@pytest.mark.parametrize("field", ["at", "user_id", "username", "role", "action", "object_type", "object_id", "detail", "id"])
def test_a_changed_field_is_named_as_a_change_of_that_row(field: str) -> None:
    rows = chained([record(i) for i in range(1, 8)])
    value = {"at": T0, "user_id": "USR-X", "id": 40}.get(field, "tampered")
    rows[3] = dataclasses.replace(rows[3], **{field: value})  # type: ignore[arg-type]
    report = verify_chain(rows, locator(rows))
    assert (report.broken_id, report.checked, report.head_id) == (rows[3].id, 3, 3)
    assert report.problem.startswith("changed")


def test_a_deleted_row_is_named_by_the_row_after_it() -> None:
    rows = chained([record(i) for i in range(1, 8)])
    del rows[3]  # row 4
    report = verify_chain(rows, locator(rows))
    assert report.broken_id == 5 and report.problem.startswith("missing predecessor") and "follows row 3" in report.problem
    first_gone = rows[1:]
    report = verify_chain(first_gone, locator(first_gone))
    assert report.broken_id == 2 and "follows the start of the log" in report.problem


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_link_to_the_next_row() -> None:
    rows = chained([record(i) for i in range(1, 6)])
    forged = dataclasses.replace(rows[1], detail="nothing to see")
    rows[1] = dataclasses.replace(forged, row_hash=row_hash(forged, forged.prev_hash))
    report = verify_chain(rows, locator(rows))
    assert report.broken_id == 3 and report.problem.startswith("missing predecessor")


def test_a_renumbered_row_is_named_as_a_reordering_by_the_row_it_left() -> None:
    rows = chained([record(i) for i in range(1, 6)])
    # Row 3 given id 40 (nothing else changed): read in id order it now comes last.
    moved = [rows[0], rows[1], rows[3], rows[4], dataclasses.replace(rows[2], id=40)]
    report = verify_chain(moved, locator(moved))
    assert report.broken_id == 4 and report.problem == "reordered: it is chained after row 40, which now comes after it"


def test_a_row_slipped_into_a_gap_is_named_by_the_row_it_displaced() -> None:
    # Ids 1, 2, 5, 6 (a gap, as a log migrated from before the chain may have), then a forged
    # row 3 chained after row 2 with a hash of its own.
    rows = chained([record(i) for i in (1, 2, 5, 6)])
    forged = record(3)
    forged = dataclasses.replace(forged, prev_hash=rows[1].row_hash, row_hash=row_hash(forged, rows[1].row_hash))
    tampered = [rows[0], rows[1], forged, rows[2], rows[3]]
    report = verify_chain(tampered, locator(tampered))
    assert report.broken_id == 5
    assert report.problem == "reordered or inserted: it is chained after row 2, but row 3 now stands between them"
