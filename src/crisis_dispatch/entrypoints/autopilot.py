"""A real-time feed for the demo: the scenario's calls, submitted to the live service.

Calls come from the scenario's demand model (the area's arrival process, places and call
records of replication 0) and go through the same intake use case as the API
(``services.incidents.take_call``), paced at wall-clock speed times ``speed``. The feed only
submits calls: triage, dispatch and the crews' statuses are the live service's and the
dispatchers' business. Not wired into any command; the demo decides when to start it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from crisis_dispatch.simulation.runner import area_demand, prepare
from crisis_dispatch.simulation.scenario import Scenario

#: The intake's answers and narrative come from the call record the demand model drew.
SLEEP_SLICE_S = 0.5
#: Idempotency keys of the feed's calls start with this: the autopilot dispatches only those,
#: and leaves the calls people take by hand to people.
FEED_KEY_PREFIX = "sim-"


def run_live_feed(
    ctx: Any,
    scenario: Scenario,
    speed: float,
    stop_event: threading.Event,
    *,
    max_calls: int | None = None,
    sleep: Callable[[float], None] | None = None,
    run_id: str | None = None,
    start_offset_s: float = 0.0,
    backlog_s: float = 0.0,
    clock_rate: float | None = None,
) -> int:
    """Submit the scenario's calls through ``take_call`` until ``stop_event`` is set (or
    ``max_calls`` are sent, or the horizon is reached). Returns the number of calls sent.

    The calls of the ``backlog_s`` simulated seconds before ``start_offset_s`` go in at once,
    received in the past, so the floor is not empty at start. ``clock_rate`` is how many
    simulated seconds pass per second of ``ctx.clock`` (default ``speed``: the wall clock;
    1 when the clock is the demo's sped-up one)."""
    from crisis_dispatch.data.reference import neighborhood_at
    from crisis_dispatch.services.context import SYSTEM
    from crisis_dispatch.services.incidents import CallIntake, take_call
    from crisis_dispatch.simulation.callmix import read_records

    if speed <= 0 or (clock_rate is not None and clock_rate <= 0):
        raise ValueError("speed and clock rate must be positive")
    rate = speed if clock_rate is None else clock_rate
    prep = prepare(scenario)
    demand = area_demand(prep, 0, 0)
    records = {str(r["id"]): r for r in read_records(scenario.call_mix_file)}
    wait = sleep or (lambda s: stop_event.wait(s))
    started = time.monotonic()
    run = run_id
    sent = 0
    for i, t in enumerate(demand.t.tolist()):
        if t < start_offset_s - backlog_s:
            continue  # the feed joins the scenario's week at the given time (e.g. now's hour)
        due = started + max(t - start_offset_s, 0.0) / speed
        while not stop_event.is_set():
            left = due - time.monotonic()
            if left <= 0:
                break
            wait(min(left, SLEEP_SLICE_S))
        if stop_event.is_set() or (max_calls is not None and sent >= max_calls):
            break
        rec = records[prep.mix.entries[int(demand.mix[i])].record_id]
        lat, lon = float(demand.lat[i]), float(demand.lon[i])
        hood = neighborhood_at(lat, lon)
        intake = CallIntake(
            lat=lat,
            lon=lon,
            # The scenario draws points, not addresses: say where in words (the neighbourhood).
            address=f"near {hood}" if hood else "",
            call_type=str(rec.get("call_type", "")),
            code=rec.get("code"),
            narrative=str(rec.get("narrative", "")),
            answers=dict(rec.get("answers") or {}),
            # A backlog call came in before the feed started.
            received_at=ctx.clock.now() - timedelta(seconds=(start_offset_s - t) / rate) if t < start_offset_s else None,
        )
        # The run id keeps a restarted demo's calls from replaying an earlier run's keys.
        run = run or ctx.clock.now().strftime("%Y%m%dT%H%M%S")
        take_call(ctx, SYSTEM, intake, idempotency_key=f"{FEED_KEY_PREFIX}{scenario.name}-{scenario.seed}-{run}-{i}")
        sent += 1
    return sent


# --------------------------------------------------------------------------- the demo autopilot
#: Who the autopilot acts as, in the history and the audit log.
AUTOPILOT = "demo-autopilot"
#: Sim-minutes a queued incident waits before the autopilot dispatches it (time for a person to).
AUTO_DISPATCH_AFTER_MIN = 1.0
#: Sim-minutes from dispatch to rolling (turnout).
TURNOUT_MIN = 2.0
#: Sim-minutes to hand the person over at the destination.
HANDOVER_MIN = 10.0


def draw_minutes(rng: Any, dist: tuple[float, float]) -> float:
    """One duration in minutes from a scenario's ``(mean, cv)``, by the batch simulator's own
    rule (:func:`~crisis_dispatch.simulation.demand.durations_s`): exponential at ``cv == 1``,
    fixed at 0, lognormal otherwise."""
    from crisis_dispatch.simulation.demand import durations_s

    mean, cv = dist
    return float(durations_s(mean, cv, rng.standard_normal(1))[0]) / 60.0


class Autopilot:
    """Dispatches queued incidents and plays the crews, through the live use cases, sped up.

    Every step is a real service call (assign the recommended van, status changes, outcomes)
    with the scenario's durations and outcome probabilities, so the console shows a working
    shift. Units in ``manual_units`` are left to people: never auto-assigned, never moved.
    A person may act on any incident first; the autopilot then steps aside.
    """

    def __init__(
        self, ctx: Any, scenario: Scenario, speed: float, *, manual_units: frozenset[str] = frozenset(), seed: int = 0
    ) -> None:
        import numpy as np

        from crisis_dispatch.domain.access import UserRole
        from crisis_dispatch.services.context import Actor

        if speed <= 0:
            raise ValueError("speed must be positive")
        self.ctx, self.scenario, self.speed, self.manual_units = ctx, scenario, speed, manual_units
        self.actor = Actor(username=AUTOPILOT, role=UserRole.ADMIN)
        self.rng = np.random.default_rng(seed)
        self.plan: dict[str, dict[str, Any]] = {}  # incident id -> sampled durations and outcome
        self._facilities: list[Any] | None = None
        self.steps = 0

    def _sim_minutes_since(self, moment: Any) -> float:
        # ``speed`` here: simulated seconds per second of ctx.clock (1 on the demo's sped-up clock).
        return (self.ctx.clock.now() - moment).total_seconds() * self.speed / 60.0

    def _checkin_due(self, incident: Any) -> bool:
        from crisis_dispatch.domain.checkin import CheckinLevel, checkin_state, is_checkin_note

        if incident.on_scene_at is None:
            return False
        times = [n.at for n in incident.notes if is_checkin_note(n.text)]
        return checkin_state(incident.on_scene_at, times, self.ctx.clock.now()).level is not CheckinLevel.OK

    def _pick(self, table: dict[str, float]) -> str:
        names = sorted(table)
        weights = [table[n] for n in names]
        total = sum(weights)
        return str(self.rng.choice(names, p=[w / total for w in weights]))

    def _fate(self, incident: Any) -> dict[str, Any]:
        if incident.id not in self.plan:
            sc = self.scenario
            disposition = self._pick(sc.outcomes.get(incident.tier or "", sc.outcomes["default"]))
            destination = self._pick(sc.destinations)
            self.plan[incident.id] = {
                "disposition": disposition,
                "destination": destination,
                "drive": draw_minutes(self.rng, (12.0, 0.5)),
                "scene": draw_minutes(self.rng, sc.on_scene.get(disposition, (45.0, 0.5))),
                "transport": draw_minutes(self.rng, sc.transport.get(destination, (25.0, 0.5))),
            }
        return self.plan[incident.id]

    def _facility(self, kind: str, incident: Any) -> Any:
        """The nearest facility of that type to the incident (straight line), or None."""
        from crisis_dispatch.routing.geometry import haversine_m

        if self._facilities is None:
            with self.ctx.uow() as uow:
                self._facilities = list(uow.facilities.list())
        here = incident.location
        same = [f for f in self._facilities if f.type.value == kind]
        return min(same, key=lambda f: float(haversine_m(here.lat, here.lon, f.lat, f.lon)), default=None) if here else None

    def _outcome(self, fate: dict[str, Any], crew: dict[Any, Any], incident: Any = None) -> Any:
        from crisis_dispatch.domain.outcomes import (
            TRANSPORTS,
            Destination,
            DestinationType,
            Disposition,
            Hold,
            HoldCriterion,
            HoldType,
            Outcome,
        )

        now = self.ctx.clock.now()
        d = Disposition(fate["disposition"])
        destination = hold = None
        if d in TRANSPORTS:
            # The nearest facility of the drawn type, by name, as a crew would record it.
            facility = self._facility(fate["destination"], incident) if incident is not None else None
            name = facility.name if facility else fate["destination"].replace("_", " ")
            destination = Destination(
                DestinationType(fate["destination"]), name=name, facility_id=facility.id if facility else None
            )
        if d is Disposition.INVOLUNTARY_HOLD:
            writers = [p for p in crew.values() if p.can_place_hold(HoldType.WIC_5150)]
            if not writers:  # nobody on board may write the hold: a voluntary transport instead
                return Outcome(Disposition.VOLUNTARY_TRANSPORT, now, AUTOPILOT, destination=destination)
            hold = Hold(HoldType.WIC_5150, writers[0].id, now, now, frozenset({HoldCriterion.DANGER_TO_SELF}), False, "demo")
        return Outcome(d, now, AUTOPILOT, destination=destination, hold=hold, subject_age=35 if hold else None)

    def _act(self, fn: Callable[[], Any]) -> bool:
        from crisis_dispatch.domain.errors import DomainError

        try:
            fn()
        except DomainError:
            # A person got there first (assigned, moved, closed): the autopilot steps aside.
            return False
        self.steps += 1
        return True

    def step(self) -> None:
        """One look at the floor: dispatch what has waited, move every van whose time has come."""
        from crisis_dispatch.domain.incident import IncidentStatus as S
        from crisis_dispatch.domain.queueing import ordered
        from crisis_dispatch.services import checkin, incidents, units
        from crisis_dispatch.services.crews import crews as crews_of
        from crisis_dispatch.services.dispatching import ranked_unit_ids

        ctx, actor, manual = self.ctx, self.actor, self.manual_units
        # Reads go straight to the repositories: automation is not a person reading records.
        with ctx.uow() as uow:
            waiting = [
                (i.id, i.received_at)
                for i in ordered(uow.incidents.list(statuses=[S.QUEUED], limit=1000))
                if i.calls and (i.calls[0].idempotency_key or "").startswith(FEED_KEY_PREFIX)
            ]
            busy = [u for u in uow.units.list() if u.incident_id and u.id not in manual and u.status_since]
            working = {i.id: i for i in uow.incidents.list(ids=[u.incident_id for u in busy], limit=1000)}
            crews = crews_of(uow, busy, ctx.clock.now())
        for incident_id, received_at in waiting:
            if self._sim_minutes_since(received_at) >= AUTO_DISPATCH_AFTER_MIN:
                automatic = [u for u in ranked_unit_ids(ctx, incident_id, k=10) if u not in manual]
                if automatic:
                    self._act(partial(incidents.assign_unit, ctx, actor, incident_id, automatic[0], "demo autopilot"))
        for unit in busy:
            incident = working.get(unit.incident_id)
            if incident is None:
                continue
            fate = self._fate(incident)
            since = self._sim_minutes_since(unit.status_since)
            iid, uid, status = incident.id, unit.id, incident.status
            if status is S.DISPATCHED and since >= TURNOUT_MIN:
                self._act(partial(units.set_unit_status, ctx, actor, uid, "en_route"))
            elif status is S.EN_ROUTE and since >= fate["drive"]:
                self._act(partial(units.set_unit_status, ctx, actor, uid, "on_scene"))
            elif status is S.ON_SCENE and since < fate["scene"] and self._checkin_due(incident):
                # The crew on scene confirms it is safe when its check-in falls due, as a crew would.
                self._act(partial(checkin.check_in, ctx, actor, iid, "demo autopilot: all safe"))
            elif status is S.ON_SCENE and since >= fate["scene"]:
                outcome = self._outcome(fate, crews.get(uid, {}), incident)
                if self._act(partial(incidents.record_outcome, ctx, actor, iid, outcome)):
                    if outcome.destination is not None:
                        self._act(partial(units.set_unit_status, ctx, actor, uid, "transporting"))
                    else:
                        self._act(partial(units.set_unit_status, ctx, actor, uid, "available", "cleared on scene"))
                        self.plan.pop(iid, None)
            elif status is S.TRANSPORTING and since >= fate["transport"]:
                self._act(partial(units.set_unit_status, ctx, actor, uid, "at_destination"))
            elif status is S.AT_DESTINATION and since >= HANDOVER_MIN:
                self._act(partial(units.set_unit_status, ctx, actor, uid, "available", "handed over at destination"))
                self.plan.pop(iid, None)

    def run(self, stop_event: threading.Event, tick_s: float = 0.5) -> int:
        """Step until ``stop_event`` is set; a failing step is logged and the next one tried."""
        import logging

        log = logging.getLogger("crisis_dispatch.demo")
        while not stop_event.is_set():
            try:
                self.step()
            except Exception:  # the demo keeps going through a transient database error
                log.exception("demo autopilot step failed")
            stop_event.wait(tick_s)
        return self.steps
