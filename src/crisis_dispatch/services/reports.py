"""Reports from the live status history, computed by the same code as the simulator's KPIs.

The incidents received in a window, every history row they have, and the units' rows in the
window become one :class:`~crisis_dispatch.reporting.history.HistoryTable`; the KPIs
(response-time percentiles by tier, county and hour, shares within 60/120 minutes, queue
waits, utilisation, outcome mix) come from :func:`~crisis_dispatch.reporting.kpis.compute_kpis`.
The program report (:func:`program_report`) adds, by the same path, what a county board
reads (reporting/program.py). No personal data leaves: only counts and times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from crisis_dispatch.domain.access import Permission, UserRole
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.unit import COMMITTED, UnitStatus

from . import audit
from .context import Actor, ServiceContext

if TYPE_CHECKING:  # numpy is imported where a report is computed, not when the API starts
    from collections.abc import Sequence

    from crisis_dispatch.domain.care import CarePetition
    from crisis_dispatch.domain.follow_ups import FollowUpTask
    from crisis_dispatch.domain.incident import Incident
    from crisis_dispatch.reporting.history import HistoryTable
    from crisis_dispatch.reporting.kpis import IncidentFacts
    from crisis_dispatch.services.ports import UnitOfWork

#: Longest report window (a year, plus a leap day).
MAX_WINDOW = timedelta(days=367)


@dataclass
class LoadedWindow:
    """The status history of a window and its incidents' facts, ready for the report code."""

    history: HistoryTable
    facts: IncidentFacts
    #: The incidents in the facts' order (for the de-identified export's month and age only).
    incidents: list[Incident]
    zone: ZoneInfo
    horizon_s: float
    local_hour0: float
    units_on_duty_at_start: int
    units_busy_at_start: int

    def args(self) -> dict[str, Any]:
        return {
            "horizon_s": self.horizon_s,
            "local_hour0": self.local_hour0,
            "units_on_duty_at_start": self.units_on_duty_at_start,
            "units_busy_at_start": self.units_busy_at_start,
        }


def check_window(start: datetime, end: datetime, now: datetime, tz: str) -> ZoneInfo:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("start and end need a UTC offset, e.g. 2026-11-01T00:00:00-07:00")
    if not start < end <= start + MAX_WINDOW:
        raise InvalidInput("the report window must end after it starts and span at most a year")
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        raise InvalidInput(f"unknown time zone '{tz}'") from None
    if start >= now:
        raise InvalidInput("the report window starts in the future")
    return zone


def load_window(ctx: ServiceContext, actor: Actor, start: datetime, end: datetime, *, tz: str, what: str) -> LoadedWindow:
    """The incidents received in [start, end), every history row they have, and the units' rows
    in the window (plus how many vans were on duty or busy as it opened). Audited as ``what``."""
    import numpy as np

    from crisis_dispatch.data.reference import county_at
    from crisis_dispatch.reporting.history import HistoryTable
    from crisis_dispatch.reporting.kpis import IncidentFacts

    actor.require(Permission.REPORT_READ)
    now = ctx.clock.now()
    zone = check_window(start, end, now, tz)
    with ctx.uow() as uow:
        incidents = uow.incidents.received_between(start, end)
        rows = uow.history.for_incidents([i.id for i in incidents]) + uow.history.units_between(start, end)
        before = uow.history.unit_states_before(start)
        stations = {s.id: s.name for s in uow.stations.list()}
        unit_station = {u.id: stations.get(u.station_id or "", u.station_id or "") for u in uow.units.list()}
        audit.record(ctx, uow, actor, "report", what, [f"{start.isoformat()}/{end.isoformat()}"])
        uow.commit()
    rows.sort(key=lambda h: (h.at, h.id or 0))
    history = HistoryTable.from_changes(rows, epoch=start)
    by_id = {i.id: i for i in incidents}
    ordered = [by_id[i] for i in history.incident_ids]
    counties: dict[str, int] = {}
    rural: list[bool] = []
    area = []
    for i in ordered:
        point = i.location.point()
        county = county_at(*point) if point is not None else None
        name = county.name if county else ("location to confirm" if point is None else "outside California")
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
        screened_out=np.array([i.screened_out_reason or "" for i in ordered], dtype=str),
        hold_type=np.array([i.outcome.hold.type.value if i.outcome and i.outcome.hold else "" for i in ordered], dtype=str),
        station=np.array([unit_station.get(i.unit_id or "", "") for i in ordered], dtype=str),
        care_referral=np.array([bool(i.outcome and i.outcome.care_referred) for i in ordered], dtype=bool),
    )
    local0 = start.astimezone(zone)
    off_duty = {UnitStatus.OFF_SHIFT.value, UnitStatus.OUT_OF_SERVICE.value}
    committed = {u.value for u in COMMITTED}
    return LoadedWindow(
        history,
        facts,
        ordered,
        zone,
        horizon_s=(min(end, now) - start).total_seconds(),
        local_hour0=local0.hour + local0.minute / 60,
        units_on_duty_at_start=sum(1 for status in before.values() if status not in off_duty),
        units_busy_at_start=sum(1 for status in before.values() if status in committed),
    )


def _petitions_of(uow: UnitOfWork, incidents: Sequence[Incident]) -> list[CarePetition]:
    ids = [i.id for i in incidents]
    return [p for chunk in range(0, len(ids), 500) for p in uow.care.list(incident_ids=ids[chunk : chunk + 500], limit=100_000)]


def kpi_report(
    ctx: ServiceContext, actor: Actor, start: datetime, end: datetime, *, tz: str = "America/Los_Angeles"
) -> dict[str, Any]:
    """KPIs of the incidents received in [start, end)."""
    from crisis_dispatch.reporting.kpis import compute_kpis

    loaded = load_window(ctx, actor, start, end, tz=tz, what="kpis")
    kpis = compute_kpis(loaded.history, loaded.facts, impact=ctx.impact, **loaded.args())
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "time_zone": tz,
        "kpis": kpis,
        # Hold transports, 988 transfers and CARE referrals (issue 14), from the incidents' own
        # records and the petitions prepared from them; the person index's de-identified counts;
        # follow-up completion of the tasks due in the window.
        "after_the_call": _after_the_call(ctx, loaded.incidents, start, end),
    }


def _after_the_call(ctx: ServiceContext, incidents: Sequence[Incident], start: datetime, end: datetime) -> dict[str, Any]:
    """The KPI block's after-the-call figures, read in one unit of work: hold transports and
    988 from the incidents, CARE from their petitions, the person index's de-identified counts
    (docs/after-the-call.md §3) and the follow-ups due in the window."""
    from crisis_dispatch.domain.persons import repeat_counts
    from crisis_dispatch.reporting.after_the_call import after_the_call

    with ctx.uow() as uow:
        petitions = _petitions_of(uow, incidents)
        linked = uow.persons.persons_of_incidents([i.id for i in incidents])
        tasks = uow.follow_ups.due_between(start, end)
    return after_the_call(incidents, petitions) | {
        "person_index": repeat_counts(linked),
        "follow_ups": _follow_up_completion(ctx, tasks),
    }


def follow_up_figures(ctx: ServiceContext, start: datetime, end: datetime) -> dict[str, Any]:
    """Follow-up completion of the tasks due in [start, end) at the clock's now (counts only)."""
    with ctx.uow() as uow:
        tasks = uow.follow_ups.due_between(start, end)
    return _follow_up_completion(ctx, tasks)


def _follow_up_completion(ctx: ServiceContext, tasks: Sequence[FollowUpTask]) -> dict[str, Any]:
    from crisis_dispatch.reporting.follow_ups import follow_up_completion

    return follow_up_completion(tasks, ctx.clock.now())


def program_report(
    ctx: ServiceContext,
    actor: Actor,
    start: datetime,
    end: datetime,
    *,
    tz: str = "America/Los_Angeles",
    suppress: bool | None = None,
) -> dict[str, Any]:
    """The program report of the incidents received in [start, end) (reporting/program.py).
    Small cells are suppressed when ``suppress`` says so; by default for analysts, the role
    that exports figures for others."""
    from crisis_dispatch.reporting.program import program_report as compute
    from crisis_dispatch.reporting.program import suppress_small_cells

    loaded = load_window(ctx, actor, start, end, tz=tz, what="program")
    window = {"start": start.isoformat(), "end": end.isoformat(), "time_zone": tz}
    follow_ups = follow_up_figures(ctx, start, end)["completion_on_time"]
    report = compute(loaded.history, loaded.facts, window=window, impact=ctx.impact, follow_ups=follow_ups, **loaded.args())
    if suppress is None:
        suppress = actor.role is UserRole.ANALYST
    return suppress_small_cells(report) if suppress else report


#: The program report's formats and their media types.
FORMATS: dict[str, str] = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
#: Earlier calendar months an HTML or PDF summary looks back over for its month-over-month line.
MONTHS_BEFORE = 5


def earlier_months(start: datetime, zone: ZoneInfo, count: int = MONTHS_BEFORE) -> list[tuple[datetime, datetime]]:
    """The ``count`` calendar months before the one ``start`` falls in (local time), oldest first."""
    local = start.astimezone(zone)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    out = []
    for _ in range(count):
        prev = (first - timedelta(days=1)).replace(day=1)
        out.append((prev.replace(tzinfo=zone), first.replace(tzinfo=zone)))
        first = prev
    return out[::-1]


def program_document(
    ctx: ServiceContext,
    actor: Actor,
    start: datetime,
    end: datetime,
    *,
    fmt: str = "json",
    tz: str = "America/Los_Angeles",
    suppress: bool | None = None,
    program: str = "",
) -> tuple[bytes, str]:
    """The program report as ``fmt`` (json, csv, html, pdf): the bytes and their media type.
    An HTML or PDF summary draws the month-over-month line from the earlier months that had
    team calls (up to :data:`MONTHS_BEFORE`)."""
    import json

    from crisis_dispatch.reporting import documents

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown report format '{fmt}': use one of {', '.join(FORMATS)}")
    report = program_report(ctx, actor, start, end, tz=tz, suppress=suppress)
    if fmt == "json":
        return json.dumps(report, indent=2, allow_nan=False).encode(), FORMATS[fmt]
    if fmt == "csv":
        return documents.to_csv(report).encode(), FORMATS[fmt]
    earlier = []
    for m_start, m_end in earlier_months(start, ZoneInfo(tz)):
        month = program_report(ctx, actor, m_start, m_end, tz=tz, suppress=suppress)
        if month["team_calls"]:
            earlier.append((documents.window_title(month), month))
    html = documents.to_html(report, earlier=earlier, program=program)
    if fmt == "html":
        return html.encode(), FORMATS[fmt]
    return documents.to_pdf(html), FORMATS[fmt]


def deidentified_export(
    ctx: ServiceContext,
    actor: Actor,
    start: datetime,
    end: datetime,
    *,
    tz: str = "America/Los_Angeles",
    dates: str = "month",
) -> list[dict[str, str]]:
    """The incidents received in [start, end) as de-identified rows (reporting/deidentify.py):
    dates to the month (or the year), place as urban/rural, ages over 89 grouped, small cells
    generalised. Audited as an export."""
    from crisis_dispatch.reporting.deidentify import deidentified_rows

    if dates not in ("month", "year"):
        raise InvalidInput(f"dates must be 'month' or 'year', not '{dates}'")
    loaded = load_window(ctx, actor, start, end, tz=tz, what="deidentified-export")
    fmt = "%Y-%m" if dates == "month" else "%Y"
    periods = [i.received_at.astimezone(loaded.zone).strftime(fmt) for i in loaded.incidents]
    ages = [i.outcome.subject_age if i.outcome and i.outcome.subject_age is not None else i.known_age for i in loaded.incidents]
    return deidentified_rows(loaded.history, loaded.facts, periods=periods, ages=ages)
