"""Reports from the live status history, computed by the same code as the simulator's KPIs.

The incidents received in a window, every history row they have, and the units' rows in the
window become one :class:`~crisis_dispatch.reporting.history.HistoryTable`; the KPIs
(response-time percentiles by tier, county and hour, shares within 60/120 minutes, queue
waits, utilisation, outcome mix) come from :func:`~crisis_dispatch.reporting.kpis.compute_kpis`.
No personal data leaves: only counts and times.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.unit import COMMITTED, UnitStatus

from . import audit
from .context import Actor, ServiceContext

#: Longest report window (a year, plus a leap day).
MAX_WINDOW = timedelta(days=367)


def kpi_report(
    ctx: ServiceContext, actor: Actor, start: datetime, end: datetime, *, tz: str = "America/Los_Angeles"
) -> dict[str, Any]:
    """KPIs of the incidents received in [start, end)."""
    import numpy as np

    from crisis_dispatch.data.reference import county_at
    from crisis_dispatch.reporting.after_the_call import after_the_call
    from crisis_dispatch.reporting.history import HistoryTable
    from crisis_dispatch.reporting.kpis import IncidentFacts, compute_kpis

    actor.require(Permission.REPORT_READ)
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("start and end need a UTC offset, e.g. 2026-11-01T00:00:00-07:00")
    if not start < end <= start + MAX_WINDOW:
        raise InvalidInput("the report window must end after it starts and span at most a year")
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        raise InvalidInput(f"unknown time zone '{tz}'") from None
    now = ctx.clock.now()
    if start >= now:
        raise InvalidInput("the report window starts in the future")
    with ctx.uow() as uow:
        incidents = uow.incidents.received_between(start, end)
        rows = uow.history.for_incidents([i.id for i in incidents]) + uow.history.units_between(start, end)
        before = uow.history.unit_states_before(start)
        audit.record(ctx, uow, actor, "report", "kpis", [f"{start.isoformat()}/{end.isoformat()}"])
        uow.commit()
    rows.sort(key=lambda h: (h.at, h.id or 0))
    history = HistoryTable.from_changes(rows, epoch=start)
    by_id = {i.id: i for i in incidents}
    ordered = [by_id[i] for i in history.incident_ids]
    counties: dict[str, int] = {}
    rural: list[bool] = []
    area = []
    for i in ordered:
        county = county_at(i.location.lat, i.location.lon)
        name = county.name if county else "outside California"
        if name not in counties:
            counties[name] = len(counties)
            rural.append(bool(county and county.rural))
        area.append(counties[name])
    facts = IncidentFacts(
        tier=np.array([i.tier or "" for i in ordered], dtype=str),
        area=np.array(area, dtype=np.int32),
        area_names=list(counties),
        area_rural=rural,
        disposition=np.array([i.outcome.disposition.value if i.outcome else "" for i in ordered], dtype=str),
        destination=np.array(
            [i.outcome.destination.type.value if i.outcome and i.outcome.destination else "" for i in ordered], dtype=str
        ),
        fell_back=np.array([False] * len(ordered), dtype=bool),
    )
    local0 = start.astimezone(zone)
    off_duty = {UnitStatus.OFF_SHIFT.value, UnitStatus.OUT_OF_SERVICE.value}
    committed = {u.value for u in COMMITTED}
    kpis = compute_kpis(
        history,
        facts,
        horizon_s=(min(end, now) - start).total_seconds(),
        local_hour0=local0.hour + local0.minute / 60,
        units_on_duty_at_start=sum(1 for status in before.values() if status not in off_duty),
        units_busy_at_start=sum(1 for status in before.values() if status in committed),
    )
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "time_zone": tz,
        "kpis": kpis,
        # Hold transports and 988 transfers (issue 14), from the incidents' own records.
        "after_the_call": after_the_call(incidents),
    }
