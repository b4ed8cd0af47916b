"""One area's simulation: simulated time drives the real domain.

Every decision goes through the domain the live service uses: ``Incident.apply_triage``
with a real triage result, ``recommend`` over ``Candidate`` vans with provider ETAs,
``queue_key`` order for waiting incidents (first the unit can take, as ``next_for_unit``),
``escalations_due`` on the 60/120-minute clocks, ``Incident.transition`` /
``Unit.transition`` for every status change and ``record_outcome`` with real ``Outcome``
objects. Each ``StatusChange`` the domain returns is stored as one compact history row
(:class:`~crisis_dispatch.reporting.history.HistoryTable`), the shape the reporting code
reads from the live ``status_history`` table too.

:class:`AreaSimulation` holds an area's state (vans, live incidents, the queue, the history
rows) and has one handler per :class:`~crisis_dispatch.simulation.events.EventKind`; the
:class:`~crisis_dispatch.simulation.events.EventLoop` runs them in ``(time, priority, seq)``
order, so ties always break the same way. Each area (a county, or the whole city) is an
independent system with its own vans and generator, simulated by :func:`simulate_area`.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable
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

from .callmix import CallMix
from .demand import DESTINATIONS, DISPOSITIONS, TRANSPORT_CODES, AreaDemand
from .events import EventKind, EventLoop
from .region import PlacedVan, Region
from .scenario import Scenario

IS = IncidentStatus
US = UnitStatus
BY = "simulator"

# The ``subject`` column of a history row: an incident or a unit.
_INC, _UNIT = 0, 1
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


def area_units(
    area_name: str, vans: Iterable[PlacedVan], hold_designated: bool, start: datetime, end: datetime
) -> tuple[list[Unit], list[Candidate]]:
    """An area's vans as domain units at their stations, each with its full crew on duty from
    ``start`` to ``end`` (the engine and the benchmark's SimPy twin build them alike)."""
    units: list[Unit] = []
    cands: list[Candidate] = []
    for v in vans:
        unit = Unit(
            id=f"{area_name}/{v.call_sign}",
            call_sign=v.call_sign,
            station_id=v.station,
            capabilities={"transport", "mental_health"},
            lat=v.lat,
            lon=v.lon,
        )
        units.append(unit)
        cands.append(Candidate(unit, build_crew(unit.id, hold_designated, start, end)))
    return units, cands


def _outcome(disp: int, dest: int, now: datetime, detained: datetime) -> Outcome:
    d = Disposition(DISPOSITIONS[disp])
    destination = Destination(DestinationType(DESTINATIONS[dest])) if disp in TRANSPORT_CODES else None
    hold = None
    if d is Disposition.INVOLUNTARY_HOLD:
        hold = Hold(HoldType.WIC_5150, BY, detained, detained, frozenset({HoldCriterion.DANGER_TO_SELF}), False)
    return Outcome(d, now, BY, destination=destination, hold=hold)


class AreaSimulation:
    """One area over the horizon: the state its events share and one handler per
    :class:`~crisis_dispatch.simulation.events.EventKind`, dispatched by an
    :class:`~crisis_dispatch.simulation.events.EventLoop` through the table built in
    ``__init__``. Run it once with :meth:`run`."""

    def __init__(
        self,
        scenario: Scenario,
        region: Region,
        area_index: int,
        mix: CallMix,
        demand: AreaDemand,
        fates: tuple[np.ndarray, ...],
        *,
        etas: np.ndarray,
    ) -> None:
        area = region.areas[area_index]
        self.vans = tuple(v for v in region.vans if v.area == area_index)
        self.demand = demand
        self.horizon = scenario.horizon_s
        self.rural = area.rural
        self.budget_s = budget_for(area.rural).total_seconds()
        self.turnout = scenario.turnout_minutes * 60.0
        self.max_cand = scenario.max_candidates
        self.fallback_s = None if scenario.fallback_after_minutes is None else scenario.fallback_after_minutes * 60.0
        self.etas = etas
        self.entries = mix.entries
        self.prefix = area.name
        self.local_hour0 = scenario.local_hour0
        self.windows = dict(scenario.shifts)
        self.start_dt = scenario.start.astimezone(UTC)  # UTC in, so the domain's ensure_aware is cheap
        # Plain lists: indexing them is cheaper than numpy scalars in the loop.
        self.disp, self.dest, self.scene, self.transport, self.handover = (a.tolist() for a in fates)
        self.arr_t = demand.t.tolist()
        self.arr_mix = demand.mix.tolist()
        self.arr_lat = demand.lat.tolist()
        self.arr_lon = demand.lon.tolist()
        self.rec = _Recorder()
        self.add = self.rec.add

        # --- vans
        end_dt = scenario.start + timedelta(seconds=self.horizon + 86_400.0)
        self.units, self.cands = area_units(area.name, self.vans, scenario.hold_designated, scenario.start, end_dt)
        nu = len(self.units)
        self.unit_ids = [u.id for u in self.units]
        self.index_of = {uid: i for i, uid in enumerate(self.unit_ids)}
        self.is_free = [False] * nu
        self.n_free = 0
        self.off_when_clear = [False] * nu
        self.unit_inc = [-1] * nu
        self.unit_eta = [0.0] * nu

        # --- incidents
        n = len(demand)
        self.live: dict[int, Incident] = {}
        self.queue: list[tuple[tuple[int, datetime, int], int]] = []
        self.escalated: dict[int, list[str]] = {}
        self.disposition = np.full(n, -1, dtype=np.int8)
        self.destination = np.full(n, -1, dtype=np.int8)
        self.fell_back = np.zeros(n, dtype=bool)

        self.loop = EventLoop(
            {
                EventKind.CLEAR: self._on_clear,
                EventKind.SHIFT_ON: self._on_shift_on,
                EventKind.SHIFT_OFF: self._on_shift_off,
                EventKind.ARRIVE_SCENE: self._on_arrive_scene,
                EventKind.END_SCENE: self._on_end_scene,
                EventKind.AT_DEST: self._on_at_dest,
                EventKind.ESCALATE: self._on_escalate,
                EventKind.FALLBACK: self._on_fallback,
                EventKind.ROLL: self._on_roll,
                EventKind.ARRIVAL: self._on_arrival,
            }
        )
        self.schedule = self.loop.schedule
        self._start_shifts()

    def run(self) -> AreaResult:
        """Every event up to the horizon; arrivals are scheduled one at a time, each by the one
        before it."""
        self.start()
        self.advance(self.horizon)
        return self.finish()

    def start(self) -> None:
        """Schedule the first arrival (:meth:`run` is ``start``, ``advance(horizon)``, ``finish``;
        the planner stops part way to look at the history so far, then goes on)."""
        if self.arr_t:
            self.schedule(self.arr_t[0], EventKind.ARRIVAL, 0)

    def advance(self, until: float) -> None:
        """Run every event due at or before ``until`` (at most the horizon)."""
        try:
            self.loop.run(until=min(until, self.horizon))
        except BaseException:
            self.loop.close()
            raise

    def history_so_far(self) -> HistoryTable:
        return self.rec.table()

    def finish(self) -> AreaResult:
        """The result; the loop is closed (its handler table refers back to this object)."""
        events = self.loop.processed
        self.loop.close()
        return AreaResult(
            history=self.rec.table(),
            mix=self.demand.mix.astype(np.int16),
            disposition=self.disposition,
            destination=self.destination,
            fell_back=self.fell_back,
            received_s=self.demand.t,
            units=tuple(self.unit_ids),
            events=events,
        )

    # --------------------------------------------------------------------- shifts

    def _next_boundary(self, t: float, shift: str) -> tuple[float, bool]:
        """The next shift boundary after ``t`` and whether it starts (True) or ends a window."""
        day_s = 86_400.0
        h = (self.local_hour0 + t / 3600.0) % 24.0
        day0 = t - h * 3600.0
        best = None
        for k in (0, 1):
            for a, b in self.windows[shift]:
                for edge, on in ((a, True), (b, False)):
                    if edge >= 24.0:
                        continue
                    te = day0 + k * day_s + edge * 3600.0
                    if te > t + 1e-9 and (best is None or te < best[0]):
                        best = (te, on)
        assert best is not None
        return best

    def _on_duty(self, t: float, shift: str) -> bool:
        h = (self.local_hour0 + t / 3600.0) % 24.0
        return any(a <= h < b for a, b in self.windows[shift])

    def _schedule_boundary(self, t: float, u: int) -> None:
        tb, on = self._next_boundary(t, self.vans[u].shift)
        self.schedule(tb, EventKind.SHIFT_ON if on else EventKind.SHIFT_OFF, u)

    def _start_shifts(self) -> None:
        """Vans on duty at the start become available; part-time vans get their first boundary."""
        for i, (v, unit) in enumerate(zip(self.vans, self.units, strict=True)):
            round_the_clock = self.windows[v.shift] == ((0.0, 24.0),)
            if round_the_clock or self._on_duty(0.0, v.shift):
                self.add(unit.transition(US.AVAILABLE, now=self.start_dt, by=BY, reason="on shift"), 0.0, _UNIT, i, -1, i)
                self._set_free(i, True)
            if not round_the_clock:
                self._schedule_boundary(0.0, i)

    def _on_shift_off(self, t: float, u: int) -> None:
        unit = self.units[u]
        if self.is_free[u]:
            self._set_free(u, False)
            self.add(
                unit.transition(US.OFF_SHIFT, now=self.start_dt + timedelta(seconds=t), by=BY, reason="shift ended"),
                t,
                _UNIT,
                u,
                -1,
                u,
            )
        elif unit.status is not US.OFF_SHIFT:
            self.off_when_clear[u] = True
        self._schedule_boundary(t, u)

    def _on_shift_on(self, t: float, u: int) -> None:
        unit = self.units[u]
        if self.off_when_clear[u]:
            self.off_when_clear[u] = False  # still on a job from the last shift: stays on
        elif unit.status is US.OFF_SHIFT:
            now = self.start_dt + timedelta(seconds=t)
            self.add(unit.transition(US.AVAILABLE, now=now, by=BY, reason="on shift"), t, _UNIT, u, -1, u)
            self._free(u, t, now)
        self._schedule_boundary(t, u)

    # --------------------------------------------------------------------- vans

    def _set_free(self, u: int, free: bool) -> None:
        if self.is_free[u] != free:
            self.is_free[u] = free
            self.n_free += 1 if free else -1

    def _choose(self, i: int, needs: Needs) -> tuple[int, float] | None:
        if not self.n_free:
            return None
        # Plain lists: for a fleet's few vans cheaper than numpy; tolist() gives each float32
        # ETA exactly as a float, and sorted() is stable as argsort(kind="stable") is.
        row = self.etas[i].tolist()
        free = [u for u, f in enumerate(self.is_free) if f]
        pool = free
        if len(free) > self.max_cand:
            # The recommender sees the nearest few free vans (by the provider's ETA), not all.
            pool = sorted(free, key=row.__getitem__)[: self.max_cand]
        cands, unit_ids = self.cands, self.unit_ids
        for ids in (pool, free):
            r = recommend([cands[u] for u in ids], needs, {unit_ids[u]: row[u] for u in ids}, k=1)
            if r.best is not None:
                return self.index_of[r.best.unit_id], r.best.eta_s
            if len(ids) == len(free):
                break
        return None

    def _dispatch(self, i: int, inc: Incident, u: int, eta: float, t: float, now: datetime) -> None:
        unit = self.units[u]
        add = self.add
        add(inc.assign(unit.id, now=now, by=BY), t, _INC, i, i, u)
        add(unit.transition(US.DISPATCHED, now=now, by=BY, incident_id=inc.id), t, _UNIT, u, i, u)
        self._set_free(u, False)
        self.unit_inc[u] = i
        self.unit_eta[u] = eta
        if self.turnout > 0:
            self.schedule(t + self.turnout, EventKind.ROLL, u)  # the crew rolls after the turnout time
        else:
            self._roll(u, t, now)

    def _roll(self, u: int, t: float, now: datetime) -> None:
        i = self.unit_inc[u]
        add = self.add
        add(self.live[i].transition(IS.EN_ROUTE, now=now, by=BY), t, _INC, i, i, u)
        add(self.units[u].transition(US.EN_ROUTE, now=now, by=BY), t, _UNIT, u, i, u)
        self.schedule(t + self.unit_eta[u], EventKind.ARRIVE_SCENE, u)

    def _offer_queue(self, u: int, t: float, now: datetime) -> bool:
        """The queue is offered to a van that just became free, in queue order."""
        queue = self.queue
        skipped = []
        taken = False
        while queue:
            key, i = heapq.heappop(queue)
            inc = self.live.get(i)
            if inc is None or inc.status is not IS.QUEUED:
                continue  # stale entry: handed to the fallback responder
            needs = self.entries[self.arr_mix[i]].needs
            if eligibility(self.cands[u], needs):
                skipped.append((key, i))
                continue
            self._dispatch(i, inc, u, float(self.etas[i][u]), t, now)
            taken = True
            break
        for item in skipped:
            heapq.heappush(queue, item)
        return taken

    def _free(self, u: int, t: float, now: datetime) -> None:
        if self.off_when_clear[u]:
            self.off_when_clear[u] = False
            self.add(self.units[u].transition(US.OFF_SHIFT, now=now, by=BY, reason="shift ended"), t, _UNIT, u, -1, u)
            return
        if not self._offer_queue(u, t, now):
            self._set_free(u, True)

    # --------------------------------------------------------------------- a job

    def _on_roll(self, t: float, u: int) -> None:
        self._roll(u, t, self.start_dt + timedelta(seconds=t))

    def _on_arrive_scene(self, t: float, u: int) -> None:
        now = self.start_dt + timedelta(seconds=t)
        i = self.unit_inc[u]
        add = self.add
        add(self.live[i].transition(IS.ON_SCENE, now=now, by=BY), t, _INC, i, i, u)
        add(self.units[u].transition(US.ON_SCENE, now=now, by=BY), t, _UNIT, u, i, u)
        self.schedule(t + float(self.scene[i]), EventKind.END_SCENE, u)

    def _on_end_scene(self, t: float, u: int) -> None:
        now = self.start_dt + timedelta(seconds=t)
        i = self.unit_inc[u]
        inc = self.live[i]
        unit = self.units[u]
        add = self.add
        d = int(self.disp[i])
        if d in TRANSPORT_CODES:
            add(inc.transition(IS.TRANSPORTING, now=now, by=BY), t, _INC, i, i, u)
            add(unit.transition(US.TRANSPORTING, now=now, by=BY), t, _UNIT, u, i, u)
            self.schedule(t + float(self.transport[i]), EventKind.AT_DEST, u)
            return
        inc.record_outcome(_outcome(d, -1, now, now), now=now)
        self.disposition[i] = d
        add(inc.transition(IS.CLOSED, now=now, by=BY, reason=DISPOSITIONS[d]), t, _INC, i, i, u)
        add(unit.transition(US.AVAILABLE, now=now, by=BY, reason="cleared on scene"), t, _UNIT, u, i, u)
        del self.live[i]
        self.unit_inc[u] = -1
        self._free(u, t, now)

    def _on_at_dest(self, t: float, u: int) -> None:
        now = self.start_dt + timedelta(seconds=t)
        i = self.unit_inc[u]
        inc = self.live[i]
        add = self.add
        d, dest = int(self.disp[i]), int(self.dest[i])
        add(inc.transition(IS.AT_DESTINATION, now=now, by=BY), t, _INC, i, i, u)
        add(self.units[u].transition(US.AT_DESTINATION, now=now, by=BY), t, _UNIT, u, i, u)
        inc.record_outcome(_outcome(d, dest, now, inc.on_scene_at or now), now=now)
        self.disposition[i], self.destination[i] = d, dest
        self.schedule(t + float(self.handover[i]), EventKind.CLEAR, u)

    def _on_clear(self, t: float, u: int) -> None:
        now = self.start_dt + timedelta(seconds=t)
        i = self.unit_inc[u]
        inc = self.live.pop(i)
        reason = DISPOSITIONS[int(self.disp[i])]
        self.add(inc.transition(IS.CLOSED, now=now, by=BY, reason=reason), t, _INC, i, i, u)
        self.add(self.units[u].transition(US.AVAILABLE, now=now, by=BY, reason="cleared at destination"), t, _UNIT, u, i, u)
        self.unit_inc[u] = -1
        self._free(u, t, now)

    # --------------------------------------------------------------------- calls

    def _on_arrival(self, t: float, i: int) -> None:
        arr_t = self.arr_t
        if i + 1 < len(arr_t):
            self.schedule(arr_t[i + 1], EventKind.ARRIVAL, i + 1)
        now = self.start_dt + timedelta(seconds=t)
        add = self.add
        entry = self.entries[self.arr_mix[i]]
        inc = Incident(id=f"{self.prefix}#{i}", location=Location(self.arr_lat[i], self.arr_lon[i]), received_at=now, seq=i)
        add(inc.apply_triage(entry.triage, now=now, by=BY), t, _INC, i, i, -1)
        if not entry.includes_team:
            reason = f"screened out: {entry.triage.screened_out}"
            add(inc.transition(IS.CLOSED, now=now, by=BY, reason=reason), t, _INC, i, i, -1)
            return
        self.live[i] = inc
        best = self._choose(i, entry.needs)
        if best is not None:
            self._dispatch(i, inc, best[0], best[1], t, now)
            return
        add(inc.transition(IS.QUEUED, now=now, by=BY, reason="no eligible van free"), t, _INC, i, i, -1)
        heapq.heappush(self.queue, (queue_key(inc), i))
        self.schedule(t + ESCALATION_FRACTIONS[0] * self.budget_s, EventKind.ESCALATE, i)
        if self.fallback_s is not None:
            self.schedule(t + self.fallback_s, EventKind.FALLBACK, i)

    def _on_escalate(self, t: float, i: int) -> None:
        waiting = self.live.get(i)
        if waiting is None or waiting.status is not IS.QUEUED:
            return
        now = self.start_dt + timedelta(seconds=t)
        done = self.escalated.setdefault(i, [])
        for due in escalations_due(waiting, rural=self.rural, now=now, already=done):
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
            self.add(change, t, _INC, i, i, -1, EVENT_CODES[change.event])
        # The next step is scheduled only once this one is reached (fewer events).
        triaged_s = (waiting.triaged_at - self.start_dt).total_seconds() if waiting.triaged_at else t
        later = [f for f in ESCALATION_FRACTIONS if triaged_s + f * self.budget_s > t + 1e-6]
        if later:
            self.schedule(triaged_s + later[0] * self.budget_s, EventKind.ESCALATE, i)

    def _on_fallback(self, t: float, i: int) -> None:
        waiting = self.live.get(i)
        if waiting is None or waiting.status is not IS.QUEUED:
            return
        # Closed, not cancelled: the call goes on, with police or EMS (reports count it as a fallback).
        reason = "no van: handed to the fallback responder"
        self.add(waiting.transition(IS.CLOSED, now=self.start_dt + timedelta(seconds=t), by=BY, reason=reason), t, _INC, i, i, -1)
        self.fell_back[i] = True
        del self.live[i]


def simulate_area(
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
    return AreaSimulation(scenario, region, area_index, mix, demand, fates, etas=etas).run()
