"""Invariants every run must keep, checked on its status history.

* time never goes backwards (rows are written in simulated-time order, and each subject's
  changes are in order);
* every change is legal by the domain's tables, and each change starts where the last one
  of the same subject ended;
* no unit is on two incidents at once (a unit is dispatched only from ``available`` and
  every incident has at most one committed unit);
* every incident ends in a terminal status or is still open at the horizon (no row after it).
"""

from __future__ import annotations

import numpy as np

from crisis_dispatch.domain.incident import ALLOWED as INCIDENT_ALLOWED
from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.domain.unit import ALLOWED as UNIT_ALLOWED
from crisis_dispatch.domain.unit import UnitStatus
from crisis_dispatch.reporting.history import INCIDENT, STATUS_CODES, UNIT, HistoryTable


def _legal_matrix(
    table: dict[IncidentStatus, frozenset[IncidentStatus]] | dict[UnitStatus, frozenset[UnitStatus]],
) -> np.ndarray:
    size = max(STATUS_CODES.values()) + 1
    m = np.zeros((size, size), dtype=bool)
    for a, tos in table.items():
        for b in tos:
            m[STATUS_CODES[a.value], STATUS_CODES[b.value]] = True
    return m


def check_invariants(h: HistoryTable, horizon_s: float) -> list[str]:
    """Every violation found, as readable lines (empty: the run is sound)."""
    problems: list[str] = []
    if len(h) == 0:
        return problems
    if np.any(np.diff(h.t) < 0):
        k = int(np.argmax(np.diff(h.t) < 0))
        problems.append(f"time went backwards at row {k + 1}: {h.t[k]} then {h.t[k + 1]}")
    if np.any(h.t > horizon_s + 1e-6):
        problems.append("a change is dated after the horizon")
    status = h.event == 0
    for subject, allowed, first, name in (
        (INCIDENT, _legal_matrix(INCIDENT_ALLOWED), "received", "incident"),
        (UNIT, _legal_matrix(UNIT_ALLOWED), "off_shift", "unit"),
    ):
        sel = np.flatnonzero((h.subject == subject) & status)
        if len(sel) == 0:
            continue
        order = sel[np.lexsort((sel, h.subject_id[sel]))]
        sid, frm, to = h.subject_id[order], h.from_status[order], h.to_status[order]
        bad = ~allowed[frm, to]
        if bad.any():
            k = order[np.argmax(bad)]
            problems.append(f"illegal {name} change at row {int(k)}: {h.rows_at(int(k))}")
        new = np.r_[True, sid[1:] != sid[:-1]]
        if np.any(frm[new] != STATUS_CODES[first]):
            problems.append(f"a {name} history does not start from '{first}'")
        cont = ~new & (frm != np.r_[-99, to[:-1]])
        if cont.any():
            k = order[np.argmax(cont)]
            problems.append(f"{name} change at row {int(k)} does not start where the last one ended")
        if np.any(np.diff(h.t[order])[~new[1:]] < 0):
            problems.append(f"a {name}'s changes go back in time")
    # A unit is dispatched only when free, and an incident has one unit at a time.
    usel = np.flatnonzero((h.subject == UNIT) & status & (h.to_status == STATUS_CODES["dispatched"]))
    if np.any(h.from_status[usel] != STATUS_CODES["available"]):
        problems.append("a unit was dispatched while not available")
    isel = np.flatnonzero((h.subject == INCIDENT) & status & (h.to_status == STATUS_CODES["dispatched"]))
    counts = np.bincount(h.subject_id[isel]) if len(isel) else np.zeros(0, int)
    if np.any(counts > 1):
        problems.append("an incident was dispatched twice (no recall is simulated)")
    terminal = {STATUS_CODES[s.value] for s in (IncidentStatus.CLOSED, IncidentStatus.CANCELLED)}
    isel = np.flatnonzero((h.subject == INCIDENT) & status)
    if len(isel):
        order = isel[np.lexsort((isel, h.subject_id[isel]))]
        last = np.r_[h.subject_id[order][1:] != h.subject_id[order][:-1], True]
        after_terminal = ~last & np.isin(h.to_status[order], list(terminal))
        if after_terminal.any():
            problems.append("an incident changed after reaching a terminal status")
    return problems
