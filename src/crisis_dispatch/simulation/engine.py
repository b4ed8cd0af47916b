"""The event loop: simulated time drives the real domain.

Every decision goes through the domain the live service uses: ``Incident.apply_triage``
with a real triage result, ``recommend`` over ``Candidate`` vans with provider ETAs,
``queue_key`` order for waiting incidents (first the unit can take, as ``next_for_unit``),
``escalations_due`` on the 60/120-minute clocks, ``Incident.transition`` /
``Unit.transition`` for every status change and ``record_outcome`` with real ``Outcome``
objects. Each ``StatusChange`` the domain returns is stored as one compact history row
(:class:`~crisis_dispatch.reporting.history.HistoryTable`), the shape the reporting code
reads from the live ``status_history`` table too.

Events sit in a heap keyed ``(time, priority, seq)``, so ties always break the same way;
arrivals are merged from their sorted array rather than pushed. Each area (a county, or
the whole city) is an independent system with its own vans and generator, simulated by
:func:`simulate_area`.
"""

from __future__ import annotations

import heapq
from array import array
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from crisis_dispatch.domain.dispatch import Candidate, Needs, eligibility, recommend
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.incident import Incident, IncidentStatus, Location
from crisis_dispatch.domain.outcomes import (
    Destination,
    DestinationType,
    Disposition,
    Hold,
    HoldCriterion,
    HoldType,
    Outcome,
)
from crisis_dispatch.domain.queueing import budget_for, escalations_due, queue_key
from crisis_dispatch.domain.unit import Qualification, Role, Shift, Staff, Unit, UnitStatus, crew_on_shift
from crisis_dispatch.reporting.history import EVENT_CODES, STATUS_CODES, HistoryTable
from crisis_dispatch.routing.geometry import LatLon

from .callmix import CallMix
from .demand import DESTINATIONS, DISPOSITIONS, TRANSPORT_CODES, AreaDemand
from .region import Region
from .scenario import Scenario

IS = IncidentStatus
US = UnitStatus
BY = "simulator"

# Event kinds, in tie-break order at equal times: a van that clears is free before a new
# call at the same instant is dispatched (arrivals, merged from their own array, come after
# every heap event at the same time).
CLEAR, SHIFT_ON, SHIFT_OFF, ARRIVE_SCENE, END_SCENE, AT_DEST, ESCALATE, FALLBACK, ROLL = range(9)
ESCALATION_FRACTIONS = (0.5, 0.75, 1.0)


@dataclass
class AreaResult:
    """What one area's run produced: its history rows and per-incident facts."""

    history: HistoryTable
    #: Per incident (index = incident number within the area): mix index, disposition code
    #: recorded on the incident (-1 none), destination code (-1 none), fallback flag.
    mix: np.ndarray
    disposition: np.ndarray
    destination: np.ndarray
    fell_back: np.ndarray
    received_s: np.ndarray
    units: tuple[str, ...]
    events: int


class _Recorder:
    """Appends a domain ``StatusChange`` as one compact row: seven ints and a float."""

    __slots__ = ("ints", "t")

    def __init__(self) -> None:
        self.ints, self.t = array("i"), array("d")

    def add(self, change: StatusChange, t: float, subject: int, sid: int, inc: int, unit: int, evt: int = 0) -> None:
        self.ints.extend((subject, sid, STATUS_CODES[change.from_status], STATUS_CODES[change.to_status], inc, unit, evt))
        self.t.append(t)

    def table(self) -> HistoryTable:
        cols = np.frombuffer(self.ints, dtype=np.int32).reshape(-1, 7)
        return HistoryTable(
            subject=cols[:, 0].astype(np.int8),
            subject_id=cols[:, 1].copy(),
            from_status=cols[:, 2].astype(np.int8),
            to_status=cols[:, 3].astype(np.int8),
            t=np.frombuffer(self.t, dtype=np.float64).copy(),
            incident=cols[:, 4].copy(),
            unit=cols[:, 5].copy(),
            event=cols[:, 6].astype(np.int8),
        )


def build_crew(van_id: str, hold_designated: bool, start: datetime, end: datetime) -> dict[Role, Staff]:
    """Three staff, one per role, on a shift covering the run; the crew comes from the domain."""
    staff = {}
    shifts = []
    for role in Role:
        quals = {Qualification.DRIVER_LICENSE} if role is Role.CLINICAL_DRIVER else set()
        if role is Role.PSYCHIATRIC_TECHNICIAN and hold_designated:
            quals |= {Qualification.HOLD_5150, Qualification.HOLD_5585}
        sid = f"{van_id}-{role.value}"
        staff[sid] = Staff(sid, sid, {role}, quals)
        shifts.append(Shift(f"{sid}-run", van_id, sid, role, start, end))
    return crew_on_shift(van_id, shifts, staff, start)


def _outcome(disp: int, dest: int, now: datetime, detained: datetime) -> Outcome:
    d = Disposition(DISPOSITIONS[disp])
    destination = Destination(DestinationType(DESTINATIONS[dest])) if disp in TRANSPORT_CODES else None
    hold = None
    if d is Disposition.INVOLUNTARY_HOLD:
        hold = Hold(HoldType.WIC_5150, BY, detained, detained, frozenset({HoldCriterion.DANGER_TO_SELF}), False)
    return Outcome(d, now, BY, destination=destination, hold=hold)


def simulate_area(  # noqa: C901  -- one event loop over every event kind, refactor tracked in issue 16 item 4
    scenario: Scenario,
    region: Region,
    area_index: int,
    mix: CallMix,
    demand: AreaDemand,
    fates: tuple[np.ndarray, ...],
    *,
    etas: np.ndarray,
) -> AreaResult:
    """Simulate one area over the horizon. ``etas``: per call, the provider's travel seconds
    from each of the area's vans (in ``region.vans`` order); vans wait at their stations and
    go back there after each job (the drive back is not modelled), so these are all the ETAs
    the run needs (:func:`~crisis_dispatch.simulation.runner.area_inputs` computes them)."""
    area = region.areas[area_index]
    vans = tuple(v for v in region.vans if v.area == area_index)
    start = scenario.start
    horizon = scenario.horizon_s
    end_dt = start + timedelta(seconds=horizon + 86_400.0)
    rural = area.rural
    budget_s = budget_for(rural).total_seconds()
    turnout = scenario.turnout_minutes * 60.0
    max_cand = scenario.max_candidates
    fallback_s = None if scenario.fallback_after_minutes is None else scenario.fallback_after_minutes * 60.0
    # Plain lists: indexing them is cheaper than numpy scalars in the loop.
    disp_arr, dest_arr, scene_arr, transport_arr, handover_arr = (a.tolist() for a in fates)
    entries = mix.entries

    rec = _Recorder()
    add = rec.add
    unit_code = 1
    inc_code = 0

    # --- vans
    units: list[Unit] = []
    cands: list[Candidate] = []
    home: list[LatLon] = []
    for v in vans:
        unit = Unit(
            id=f"{area.name}/{v.call_sign}",
            call_sign=v.call_sign,
            station_id=v.station,
            capabilities={"transport", "mental_health"},
            lat=v.lat,
            lon=v.lon,
        )
        units.append(unit)
        cands.append(Candidate(unit, build_crew(unit.id, scenario.hold_designated, start, end_dt)))
        home.append(LatLon(v.lat, v.lon))
    nu = len(units)
    index_of = {u.id: i for i, u in enumerate(units)}
    free_mask = np.zeros(nu, dtype=bool)
    n_free = 0
    unit_ids = [u.id for u in units]

    def set_free(u: int, free: bool) -> None:
        nonlocal n_free
        if free_mask[u] != free:
            free_mask[u] = free
            n_free += 1 if free else -1

    off_when_clear = [False] * nu
    unit_inc = [-1] * nu
    unit_eta = [0.0] * nu

    heap: list[tuple[float, int, int, int, int]] = []
    seq = 0

    def push(t: float, kind: int, arg: int) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(heap, (t, kind, seq, kind, arg))

    local_hour0 = scenario.local_hour0
    windows = {name: w for name, w in scenario.shifts.items()}

    def next_boundary(t: float, shift: str) -> tuple[float, bool]:
        """The next shift boundary after ``t`` and whether it starts (True) or ends a window."""
        day_s = 86_400.0
        h = (local_hour0 + t / 3600.0) % 24.0
        day0 = t - h * 3600.0
        best = None
        for k in (0, 1):
            for a, b in windows[shift]:
                for edge, on in ((a, True), (b, False)):
                    if edge >= 24.0:
                        continue
                    te = day0 + k * day_s + edge * 3600.0
                    if te > t + 1e-9 and (best is None or te < best[0]):
                        best = (te, on)
        assert best is not None
        return best

    def on_duty(t: float, shift: str) -> bool:
        h = (local_hour0 + t / 3600.0) % 24.0
        return any(a <= h < b for a, b in windows[shift])

    start_dt = start.astimezone(UTC)  # UTC in, so the domain's ensure_aware is cheap
    for i, (v, unit) in enumerate(zip(vans, units, strict=True)):
        if windows[v.shift] == ((0.0, 24.0),) or on_duty(0.0, v.shift):
            add(unit.transition(US.AVAILABLE, now=start_dt, by=BY, reason="on shift"), 0.0, unit_code, i, -1, i)
            set_free(i, True)
        if windows[v.shift] != ((0.0, 24.0),):
            tb, on = next_boundary(0.0, v.shift)
            push(tb, SHIFT_ON if on else SHIFT_OFF, i)

    # --- incidents
    live: dict[int, Incident] = {}
    queue: list[tuple[tuple[int, datetime, int], int]] = []
    escalated: dict[int, list[str]] = {}
    n = len(demand)
    disposition = np.full(n, -1, dtype=np.int8)
    destination = np.full(n, -1, dtype=np.int8)
    fell_back = np.zeros(n, dtype=bool)
    arr_t = demand.t.tolist()
    arr_mix = demand.mix.tolist()
    arr_lat = demand.lat.tolist()
    arr_lon = demand.lon.tolist()
    events = 0
    td = timedelta
    prefix = area.name

    def dispatch(i: int, inc: Incident, u: int, eta: float, t: float, now: datetime) -> None:
        unit = units[u]
        add(inc.assign(unit.id, now=now, by=BY), t, inc_code, i, i, u)
        add(unit.transition(US.DISPATCHED, now=now, by=BY, incident_id=inc.id), t, unit_code, u, i, u)
        set_free(u, False)
        unit_inc[u] = i
        unit_eta[u] = eta
        if turnout > 0:
            push(t + turnout, ROLL, u)  # the crew rolls after the turnout time
        else:
            roll(u, t, now)

    def roll(u: int, t: float, now: datetime) -> None:
        i = unit_inc[u]
        add(live[i].transition(IS.EN_ROUTE, now=now, by=BY), t, inc_code, i, i, u)
        add(units[u].transition(US.EN_ROUTE, now=now, by=BY), t, unit_code, u, i, u)
        push(t + unit_eta[u], ARRIVE_SCENE, u)

    def choose(i: int, needs: Needs) -> tuple[int, float] | None:
        if not n_free:
            return None
        row = etas[i]
        free_idx = np.flatnonzero(free_mask)
        pool = free_idx
        if len(free_idx) > max_cand:
            # The recommender sees the nearest few free vans (by the provider's ETA), not all.
            pool = free_idx[np.argsort(row[free_idx], kind="stable")[:max_cand]]
        for attempt in (pool, free_idx):
            ids = attempt.tolist()
            r = recommend([cands[u] for u in ids], needs, {unit_ids[u]: float(row[u]) for u in ids}, k=1)
            if r.best is not None:
                return index_of[r.best.unit_id], r.best.eta_s
            if len(attempt) == len(free_idx):
                break
        return None

    def offer_queue(u: int, t: float, now: datetime) -> bool:
        """The queue is offered to a van that just became free, in queue order."""
        skipped = []
        taken = False
        while queue:
            key, i = heapq.heappop(queue)
            inc = live.get(i)
            if inc is None or inc.status is not IS.QUEUED:
                continue  # stale entry: handed to the fallback responder
            needs = entries[arr_mix[i]].needs
            if eligibility(cands[u], needs):
                skipped.append((key, i))
                continue
            dispatch(i, inc, u, float(etas[i][u]), t, now)
            taken = True
            break
        for item in skipped:
            heapq.heappush(queue, item)
        return taken

    def free(u: int, t: float, now: datetime) -> None:
        unit = units[u]
        if off_when_clear[u]:
            off_when_clear[u] = False
            add(unit.transition(US.OFF_SHIFT, now=now, by=BY, reason="shift ended"), t, unit_code, u, -1, u)
            return
        if not offer_queue(u, t, now):
            set_free(u, True)

    ai = 0
    while True:
        next_arrival = arr_t[ai] if ai < n else float("inf")
        if heap and heap[0][0] <= next_arrival:
            t, _, _, kind, arg = heapq.heappop(heap)
            if t > horizon:
                break
            events += 1
            now = start_dt + td(seconds=t)
            if kind == ROLL:
                roll(arg, t, now)
            elif kind == ARRIVE_SCENE:
                i = unit_inc[arg]
                inc = live[i]
                add(inc.transition(IS.ON_SCENE, now=now, by=BY), t, inc_code, i, i, arg)
                add(units[arg].transition(US.ON_SCENE, now=now, by=BY), t, unit_code, arg, i, arg)
                push(t + float(scene_arr[i]), END_SCENE, arg)
            elif kind == END_SCENE:
                i = unit_inc[arg]
                inc = live[i]
                d = int(disp_arr[i])
                if d in TRANSPORT_CODES:
                    add(inc.transition(IS.TRANSPORTING, now=now, by=BY), t, inc_code, i, i, arg)
                    add(units[arg].transition(US.TRANSPORTING, now=now, by=BY), t, unit_code, arg, i, arg)
                    push(t + float(transport_arr[i]), AT_DEST, arg)
                else:
                    inc.record_outcome(_outcome(d, -1, now, now), now=now)
                    disposition[i] = d
                    add(inc.transition(IS.CLOSED, now=now, by=BY, reason=DISPOSITIONS[d]), t, inc_code, i, i, arg)
                    add(units[arg].transition(US.AVAILABLE, now=now, by=BY, reason="cleared on scene"), t, unit_code, arg, i, arg)
                    del live[i]
                    unit_inc[arg] = -1
                    free(arg, t, now)
            elif kind == AT_DEST:
                i = unit_inc[arg]
                inc = live[i]
                d, dest = int(disp_arr[i]), int(dest_arr[i])
                add(inc.transition(IS.AT_DESTINATION, now=now, by=BY), t, inc_code, i, i, arg)
                add(units[arg].transition(US.AT_DESTINATION, now=now, by=BY), t, unit_code, arg, i, arg)
                inc.record_outcome(_outcome(d, dest, now, inc.on_scene_at or now), now=now)
                disposition[i], destination[i] = d, dest
                push(t + float(handover_arr[i]), CLEAR, arg)
            elif kind == CLEAR:
                i = unit_inc[arg]
                inc = live.pop(i)
                add(inc.transition(IS.CLOSED, now=now, by=BY, reason=DISPOSITIONS[int(disp_arr[i])]), t, inc_code, i, i, arg)
                add(
                    units[arg].transition(US.AVAILABLE, now=now, by=BY, reason="cleared at destination"),
                    t,
                    unit_code,
                    arg,
                    i,
                    arg,
                )
                unit_inc[arg] = -1
                free(arg, t, now)
            elif kind == ESCALATE:
                waiting = live.get(arg)
                if waiting is not None and waiting.status is IS.QUEUED:
                    done = escalated.setdefault(arg, [])
                    for due in escalations_due(waiting, rural=rural, now=now, already=done):
                        done.append(due.kind.value)
                        change = StatusChange(
                            Subject.INCIDENT,
                            waiting.id,
                            IS.QUEUED.value,
                            IS.QUEUED.value,
                            now,
                            BY,
                            due.message,
                            waiting.id,
                            None,
                            f"escalation:{due.kind.value}",
                        )
                        add(change, t, inc_code, arg, arg, -1, EVENT_CODES[change.event])
                    # The next step is scheduled only once this one is reached (fewer events).
                    triaged_s = (waiting.triaged_at - start_dt).total_seconds() if waiting.triaged_at else t
                    later = [f for f in ESCALATION_FRACTIONS if triaged_s + f * budget_s > t + 1e-6]
                    if later:
                        push(triaged_s + later[0] * budget_s, ESCALATE, arg)
            elif kind == FALLBACK:
                waiting = live.get(arg)
                if waiting is not None and waiting.status is IS.QUEUED:
                    add(
                        waiting.transition(IS.CANCELLED, now=now, by=BY, reason="no van: handed to the fallback responder"),
                        t,
                        inc_code,
                        arg,
                        arg,
                        -1,
                    )
                    fell_back[arg] = True
                    del live[arg]
            elif kind == SHIFT_OFF:
                unit = units[arg]
                if free_mask[arg]:
                    set_free(arg, False)
                    add(unit.transition(US.OFF_SHIFT, now=now, by=BY, reason="shift ended"), t, unit_code, arg, -1, arg)
                elif unit.status is not US.OFF_SHIFT:
                    off_when_clear[arg] = True
                tb, on = next_boundary(t, vans[arg].shift)
                push(tb, SHIFT_ON if on else SHIFT_OFF, arg)
            elif kind == SHIFT_ON:
                unit = units[arg]
                if off_when_clear[arg]:
                    off_when_clear[arg] = False  # still on a job from the last shift: stays on
                elif unit.status is US.OFF_SHIFT:
                    add(unit.transition(US.AVAILABLE, now=now, by=BY, reason="on shift"), t, unit_code, arg, -1, arg)
                    free(arg, t, now)
                tb, on = next_boundary(t, vans[arg].shift)
                push(tb, SHIFT_ON if on else SHIFT_OFF, arg)
            continue
        if ai >= n:
            break
        # --- an arrival
        i = ai
        ai += 1
        t = next_arrival
        events += 1
        now = start_dt + td(seconds=t)
        entry = entries[arr_mix[i]]
        inc = Incident(id=f"{prefix}#{i}", location=Location(arr_lat[i], arr_lon[i]), received_at=now, seq=i)
        add(inc.apply_triage(entry.triage, now=now, by=BY), t, inc_code, i, i, -1)
        if not entry.includes_team:
            add(
                inc.transition(IS.CLOSED, now=now, by=BY, reason=f"screened out: {entry.triage.get('screened_out')}"),
                t,
                inc_code,
                i,
                i,
                -1,
            )
            continue
        live[i] = inc
        best = choose(i, entry.needs)
        if best is not None:
            dispatch(i, inc, best[0], best[1], t, now)
            continue
        add(inc.transition(IS.QUEUED, now=now, by=BY, reason="no eligible van free"), t, inc_code, i, i, -1)
        heapq.heappush(queue, (queue_key(inc), i))
        push(t + ESCALATION_FRACTIONS[0] * budget_s, ESCALATE, i)
        if fallback_s is not None:
            push(t + fallback_s, FALLBACK, i)

    return AreaResult(
        history=rec.table(),
        mix=demand.mix.astype(np.int16),
        disposition=disposition,
        destination=destination,
        fell_back=fell_back,
        received_s=demand.t,
        units=tuple(u.id for u in units),
        events=events,
    )
