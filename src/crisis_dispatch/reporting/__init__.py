"""KPIs from status history: the same code for simulated runs and the live service.

Rows come as a columnar :class:`~crisis_dispatch.reporting.history.HistoryTable` (the
simulator writes one directly; the live service builds one from ``status_history`` rows
or ``StatusChange`` objects with :meth:`HistoryTable.from_changes`), plus an
:class:`~crisis_dispatch.reporting.kpis.IncidentFacts` table (tier, area, outcome).
"""

from .history import HistoryTable
from .kpis import Impact, IncidentFacts, compute_kpis

__all__ = ["HistoryTable", "Impact", "IncidentFacts", "compute_kpis"]
