"""Status history as columns: one row per change (subject, id, from, to, at, incident, unit, event).

Integer codes keep a simulated statewide year (millions of rows) small; ``from_changes``
turns the live service's rows (``StatusChange`` objects or tuples read from the
``status_history`` table) into the same table, mapping string ids to integers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from crisis_dispatch.domain.history import StatusChange
from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.domain.queueing import EscalationKind
from crisis_dispatch.domain.unit import UnitStatus

#: One code per status name (incident and unit statuses share names such as ``on_scene``).
STATUS_NAMES: tuple[str, ...] = tuple(dict.fromkeys([*(s.value for s in IncidentStatus), *(s.value for s in UnitStatus)]))
STATUS_CODES: dict[str | None, int] = {name: i for i, name in enumerate(STATUS_NAMES)}
STATUS_CODES[None] = -1
#: Row kinds of the status history. Only "status" rows are changes of status; the others
#: (escalations, re-triage after another call or a confirmation, recorded outcomes) keep from == to. A kind this
#: table does not know is read as "other", never as a status change.
EVENT_NAMES: tuple[str, ...] = (
    "status",
    *(f"escalation:{k.value}" for k in EscalationKind),
    "retriage",
    "triage_confirmed",
    "outcome",
    "other",
)
EVENT_CODES: dict[str, int] = {name: i for i, name in enumerate(EVENT_NAMES)}
INCIDENT, UNIT = 0, 1


@dataclass
class HistoryTable:
    subject: np.ndarray  # int8: 0 incident, 1 unit
    subject_id: np.ndarray  # int32 index of the incident or unit
    from_status: np.ndarray  # int8 status code, -1 for none
    to_status: np.ndarray
    t: np.ndarray  # float64 seconds since ``epoch``
    incident: np.ndarray  # int32, -1 none
    unit: np.ndarray  # int32, -1 none
    event: np.ndarray  # int8 event code
    epoch: datetime | None = None
    incident_ids: list[str] = field(default_factory=list)
    unit_ids: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.t)

    @classmethod
    def concat(cls, tables: list[HistoryTable], incident_offsets: list[int], unit_offsets: list[int]) -> HistoryTable:
        def cat(name: str, offsets: list[int] | None = None) -> np.ndarray:
            parts = []
            for tab, off in zip(tables, offsets or [0] * len(tables), strict=True):
                a = getattr(tab, name)
                parts.append(np.where(a >= 0, a + off, a) if offsets else a)
            return np.concatenate(parts) if parts else np.zeros(0)

        sid = (
            np.concatenate(
                [
                    np.where(tab.subject == INCIDENT, tab.subject_id + io, tab.subject_id + uo)
                    for tab, io, uo in zip(tables, incident_offsets, unit_offsets, strict=True)
                ]
            )
            if tables
            else np.zeros(0, np.int32)
        )
        table = cls(
            cat("subject"),
            sid,
            cat("from_status"),
            cat("to_status"),
            cat("t"),
            cat("incident", incident_offsets),
            cat("unit", unit_offsets),
            cat("event"),
            tables[0].epoch if tables else None,
        )
        if len(tables) > 1:
            # One chronological history, as the live table is (ties keep each area's order).
            table.take(np.argsort(table.t, kind="stable"))
        return table

    def take(self, order: np.ndarray) -> None:
        for name in ("subject", "subject_id", "from_status", "to_status", "t", "incident", "unit", "event"):
            setattr(self, name, getattr(self, name)[order])

    @classmethod
    def from_changes(cls, rows: Iterable[StatusChange | tuple[Any, ...]], *, epoch: datetime) -> HistoryTable:
        """Build from ``StatusChange`` objects or ``(subject, subject_id, from, to, at, incident_id, unit_id, event)``."""
        inc_ids: dict[str, int] = {}
        unit_ids: dict[str, int] = {}
        cols: list[list[Any]] = [[] for _ in range(8)]
        for r in rows:
            if isinstance(r, StatusChange):
                r = (r.subject, r.subject_id, r.from_status, r.to_status, r.at, r.incident_id, r.unit_id, r.event)
            subject, sid, frm, to, at, inc, unit, event = r
            is_inc = str(subject) == "incident"
            ids = inc_ids if is_inc else unit_ids
            cols[0].append(INCIDENT if is_inc else UNIT)
            cols[1].append(ids.setdefault(str(sid), len(ids)))
            cols[2].append(STATUS_CODES[frm])
            cols[3].append(STATUS_CODES[to])
            cols[4].append((at - epoch).total_seconds())
            cols[5].append(inc_ids.setdefault(str(inc), len(inc_ids)) if inc is not None else -1)
            cols[6].append(unit_ids.setdefault(str(unit), len(unit_ids)) if unit is not None else -1)
            cols[7].append(EVENT_CODES.get(event or "status", EVENT_CODES["other"]))
        dt = (np.int8, np.int32, np.int8, np.int8, np.float64, np.int32, np.int32, np.int8)
        a = [np.asarray(c, dtype=d) for c, d in zip(cols, dt, strict=True)]
        return cls(
            subject=a[0],
            subject_id=a[1],
            from_status=a[2],
            to_status=a[3],
            t=a[4],
            incident=a[5],
            unit=a[6],
            event=a[7],
            epoch=epoch,
            incident_ids=list(inc_ids),
            unit_ids=list(unit_ids),
        )

    def first_time(self, subject: int, status: str, n: int) -> np.ndarray:
        """Per subject index (0..n-1): when it first entered ``status`` (NaN never)."""
        out = np.full(n, np.nan)
        sel = (self.subject == subject) & (self.to_status == STATUS_CODES[status]) & (self.event == 0)
        ids, ts = self.subject_id[sel], self.t[sel]
        order = np.argsort(ts, kind="stable")[::-1]  # later first, so the earliest write wins
        out[ids[order]] = ts[order]
        return out

    def left_waiting_for(self, status: str, n: int) -> np.ndarray:
        """Per incident index (0..n-1): whether it went from waiting for a van (triaged or
        queued) straight to ``status`` (``closed``: handed to another responder)."""
        out = np.zeros(n, dtype=bool)
        waiting = np.isin(self.from_status, [STATUS_CODES["triaged"], STATUS_CODES["queued"]])
        sel = (self.subject == INCIDENT) & (self.event == 0) & waiting & (self.to_status == STATUS_CODES[status])
        out[self.subject_id[sel]] = True
        return out

    def rows_at(self, k: int) -> tuple[str, int, str | None, str, float, int, int, str]:
        f, to = int(self.from_status[k]), int(self.to_status[k])
        return (
            "incident" if self.subject[k] == INCIDENT else "unit",
            int(self.subject_id[k]),
            STATUS_NAMES[f] if f >= 0 else None,
            STATUS_NAMES[to],
            float(self.t[k]),
            int(self.incident[k]),
            int(self.unit[k]),
            EVENT_NAMES[int(self.event[k])],
        )

    def rows(self) -> Iterable[tuple[str, int, str | None, str, float, int, int, str]]:
        """Readable rows (tests, CSV export)."""
        for s, i, f, to, t, inc, u, e in zip(
            self.subject.tolist(),
            self.subject_id.tolist(),
            self.from_status.tolist(),
            self.to_status.tolist(),
            self.t.tolist(),
            self.incident.tolist(),
            self.unit.tolist(),
            self.event.tolist(),
            strict=True,
        ):
            yield (
                "incident" if s == INCIDENT else "unit",
                i,
                STATUS_NAMES[f] if f >= 0 else None,
                STATUS_NAMES[to],
                t,
                inc,
                u,
                EVENT_NAMES[e],
            )
