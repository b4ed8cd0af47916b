"""The audit log as a hash chain: each record's hash covers its fields and the hash before it.

A record's hash is SHA-256 over :func:`canonical_bytes`: a JSON object with sorted keys, no
spaces, ASCII only (other characters as ``\\uXXXX``), holding the format version ``v``, every
field of the record (``at`` as UTC ISO 8601 with microseconds, ``user_id`` null when absent)
and ``prev_hash``, the previous record's hash (:data:`GENESIS` for the first). The same
record gives the same bytes whether it was read from SQLite or PostgreSQL: both keep
microseconds and strings as written, and ``at`` is normalised to UTC before it is written out.

:func:`verify_chain` walks the records in id order and names the first one that is wrong.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC

from .users import AuditRecord

#: ``prev_hash`` of the first record in the log.
GENESIS = "0" * 64
#: The version of the canonical form, inside every hashed object.
FORMAT_VERSION = 1


def canonical_bytes(record: AuditRecord, prev_hash: str) -> bytes:
    """The bytes hashed for ``record`` chained after ``prev_hash`` (its ``id`` must be set)."""
    if record.id is None:
        raise ValueError("an audit record is hashed with its id")
    if record.at.tzinfo is None:
        raise ValueError("an audit record's time must be timezone-aware")
    fields = {
        "v": FORMAT_VERSION,
        "id": record.id,
        "at": record.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": record.user_id,
        "username": record.username,
        "role": record.role,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "detail": record.detail,
        "prev_hash": prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def row_hash(record: AuditRecord, prev_hash: str) -> str:
    """The hex SHA-256 of ``record`` chained after ``prev_hash``."""
    return hashlib.sha256(canonical_bytes(record, prev_hash)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_chain` found: how many records were checked, the last good one,
    and the first broken record (``broken_id``, with ``problem`` saying what is wrong)."""

    checked: int
    head_id: int | None = None
    head_hash: str = GENESIS
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def verify_chain(records: Iterable[AuditRecord], locate: Callable[[str], int | None]) -> ChainReport:
    """Check ``records`` (the whole log, in id order) and stop at the first broken one.

    ``locate(hash)`` gives the id of the record whose stored hash is ``hash`` (None: no such
    record); it is asked only once, at a break, to tell a deleted predecessor from a reordering.
    """
    checked = 0
    prev_id: int | None = None
    prev_hash = GENESIS
    for record in records:
        assert record.id is not None
        expected = row_hash(record, record.prev_hash)
        if expected != record.row_hash:
            return _broken(checked, prev_id, prev_hash, record.id, "changed: its fields no longer match its hash")
        if record.prev_hash != prev_hash:
            return _broken(checked, prev_id, prev_hash, record.id, _link_problem(record, prev_id, locate(record.prev_hash)))
        checked += 1
        prev_id, prev_hash = record.id, record.row_hash
    return ChainReport(checked=checked, head_id=prev_id, head_hash=prev_hash)


def _broken(checked: int, prev_id: int | None, prev_hash: str, broken_id: int, problem: str) -> ChainReport:
    return ChainReport(checked=checked, head_id=prev_id, head_hash=prev_hash, broken_id=broken_id, problem=problem)


def _link_problem(record: AuditRecord, prev_id: int | None, chained_to: int | None) -> str:
    """Why an intact ``record`` does not follow ``prev_id`` (None: it is the first in the log)."""
    assert record.id is not None
    before = "the start of the log" if prev_id is None else f"row {prev_id}"
    if chained_to is None:
        if record.prev_hash == GENESIS:
            return f"reordered or inserted: it starts the chain, but comes after {before}"
        return (
            f"missing predecessor: it is chained to a row that is no longer in the log "
            f"(deleted, or changed together with its hash); it now follows {before}"
        )
    if chained_to > record.id:
        return f"reordered: it is chained after row {chained_to}, which now comes after it"
    return f"reordered or inserted: it is chained after row {chained_to}, but {before} now stands between them"
