"""Benchmark of the planning simulator (issue 5): a statewide year and an LA year.

``python benchmarks/simulation.py --json`` prints one JSON object ``{"scenarios": [...]}``
with, per scenario: ``name``, ``calls``, ``wall_s``, ``events_per_s``, ``peak_memory_mb``,
``simpy_wall_s`` and ``speedup`` (SimPy seconds / ours, a check that our engine is not the
slower one: it should stay >= 1.0); and ``plans``, the wall time of ``crisis-dispatch plan``
on la-ttp-20k (``p90<=60m``) and california (``p90<=budget``) with the vans planned and
whether every area met its target.

The baseline is the same model written with SimPy (processes and events instead of our
heap loop): the same demand and fates, the same domain calls (triage result applied,
``recommend``, ``queue_key`` order, every ``transition``, ``record_outcome``) and the same
history rows; only the event machinery differs, so ``speedup`` measures the engine. Both run
one replication with the areas spread over the same number of processes (``--workers``).
Scenarios here staff every van round the clock, so the baseline has no shift processes.
Each scenario runs in a fresh child process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import heapq
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, timedelta
from typing import Any

import numpy as np

from crisis_dispatch.domain.dispatch import eligibility, recommend
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.incident import Incident, IncidentStatus, Location
from crisis_dispatch.domain.queueing import budget_for, escalations_due, queue_key
from crisis_dispatch.domain.unit import UnitStatus
from crisis_dispatch.reporting.history import EVENT_CODES
from crisis_dispatch.simulation.demand import DISPOSITIONS, TRANSPORT_CODES
from crisis_dispatch.simulation.engine import BY, ESCALATION_FRACTIONS, AreaResult, _outcome, _Recorder, area_units
from crisis_dispatch.simulation.runner import Prepared, area_inputs, prepare, run_replication
from crisis_dispatch.simulation.scenario import load_scenario

IS, US = IncidentStatus, UnitStatus


def simpy_area(prep: Prepared, replication: int, area_index: int) -> AreaResult:  # noqa: C901  -- SimPy twin of simulate_area, refactor tracked in issue 16 item 4
    """The simulator's model of one area, on SimPy."""
    import simpy

    s, region, mix = prep.scenario, prep.region, prep.mix
    inputs = area_inputs(prep, replication, area_index)
    demand, vans, etas = inputs.demand, inputs.vans, inputs.etas
    disp_arr, dest_arr, scene_arr, transport_arr, handover_arr = inputs.fates
    area = region.areas[area_index]
    start = s.start.astimezone(UTC)
    end = s.start + timedelta(seconds=s.horizon_s + 86_400)
    budget_s = budget_for(area.rural).total_seconds()
    fallback_s = None if s.fallback_after_minutes is None else s.fallback_after_minutes * 60.0
    turnout = s.turnout_minutes * 60.0
    entries = mix.entries
    rec = _Recorder()
    add = rec.add
    units, cands = area_units(area.name, vans, s.hold_designated, s.start, end)
    index_of = {u.id: i for i, u in enumerate(units)}
    env = simpy.Environment()
    free = [False] * len(units)
    queue: list[tuple[Any, int, Any]] = []
    live: dict[int, Incident] = {}
    n = len(demand)
    disposition = np.full(n, -1, dtype=np.int8)
    destination = np.full(n, -1, dtype=np.int8)
    fell_back = np.zeros(n, dtype=bool)
    counter = {"events": 0}

    def now() -> Any:
        return start + timedelta(seconds=env.now)

    for i, u in enumerate(units):
        add(u.transition(US.AVAILABLE, now=start, by=BY, reason="on shift"), 0.0, 1, i, -1, i)
        free[i] = True

    def choose(i: int, needs: Any) -> tuple[int, float] | None:
        idx = [u for u in range(len(units)) if free[u]]
        if not idx:
            return None
        row = etas[i]
        pool = sorted(idx, key=lambda u: (row[u], u))[: s.max_candidates]
        for attempt in (pool, idx):
            r = recommend([cands[u] for u in attempt], needs, {units[u].id: float(row[u]) for u in attempt}, k=1)
            if r.best is not None:
                return index_of[r.best.unit_id], r.best.eta_s
        return None

    def release(u: int) -> None:
        skipped = []
        while queue:
            key, i, ev = heapq.heappop(queue)
            inc = live.get(i)
            if inc is None or inc.status is not IS.QUEUED:
                continue
            if eligibility(cands[u], entries[int(demand.mix[i])].needs):
                skipped.append((key, i, ev))
                continue
            for item in skipped:
                heapq.heappush(queue, item)
            ev.succeed((u, float(etas[i][u])))
            return
        for item in skipped:
            heapq.heappush(queue, item)
        free[u] = True

    def watch(i: int, inc: Incident) -> Any:
        """Escalation steps and the fallback for a waiting call."""
        t0 = env.now
        steps = [t0 + f * budget_s for f in ESCALATION_FRACTIONS]
        if fallback_s is not None:
            steps.append(t0 + fallback_s)
        done: list[str] = []
        for at in sorted(steps):
            yield env.timeout(at - env.now)
            counter["events"] += 1
            if inc.status is not IS.QUEUED:
                return
            if fallback_s is not None and at == t0 + fallback_s:
                add(
                    inc.transition(IS.CLOSED, now=now(), by=BY, reason="no van: handed to the fallback responder"),
                    env.now,
                    0,
                    i,
                    i,
                    -1,
                )
                fell_back[i] = True
                live.pop(i, None)
                return
            for due in escalations_due(inc, rural=area.rural, now=now(), already=done):
                done.append(due.kind.value)
                change = StatusChange(
                    Subject.INCIDENT,
                    inc.id,
                    IS.QUEUED.value,
                    IS.QUEUED.value,
                    now(),
                    BY,
                    due.message,
                    inc.id,
                    None,
                    f"escalation:{due.kind.value}",
                )
                add(change, env.now, 0, i, i, -1, EVENT_CODES[change.event])

    def call(i: int) -> Any:
        entry = entries[int(demand.mix[i])]
        t = env.now
        inc = Incident(
            id=f"{area.name}#{i}", location=Location(float(demand.lat[i]), float(demand.lon[i])), received_at=now(), seq=i
        )
        add(inc.apply_triage(entry.triage, now=now(), by=BY), t, 0, i, i, -1)
        if not entry.includes_team:
            add(inc.transition(IS.CLOSED, now=now(), by=BY, reason="screened out"), t, 0, i, i, -1)
            return
        live[i] = inc
        best = choose(i, entry.needs)
        if best is None:
            add(inc.transition(IS.QUEUED, now=now(), by=BY, reason="no eligible van free"), t, 0, i, i, -1)
            ev = env.event()
            heapq.heappush(queue, (queue_key(inc), i, ev))
            env.process(watch(i, inc))
            best = yield ev
            counter["events"] += 1
        u, eta = best
        unit = units[u]
        free[u] = False
        t = env.now
        add(inc.assign(unit.id, now=now(), by=BY), t, 0, i, i, u)
        add(unit.transition(US.DISPATCHED, now=now(), by=BY, incident_id=inc.id), t, 1, u, i, u)
        if turnout > 0:
            yield env.timeout(turnout)
            counter["events"] += 1
        add(inc.transition(IS.EN_ROUTE, now=now(), by=BY), env.now, 0, i, i, u)
        add(unit.transition(US.EN_ROUTE, now=now(), by=BY), env.now, 1, u, i, u)
        yield env.timeout(eta)
        counter["events"] += 1
        add(inc.transition(IS.ON_SCENE, now=now(), by=BY), env.now, 0, i, i, u)
        add(unit.transition(US.ON_SCENE, now=now(), by=BY), env.now, 1, u, i, u)
        yield env.timeout(float(scene_arr[i]))
        counter["events"] += 1
        d = int(disp_arr[i])
        if d in TRANSPORT_CODES:
            add(inc.transition(IS.TRANSPORTING, now=now(), by=BY), env.now, 0, i, i, u)
            add(unit.transition(US.TRANSPORTING, now=now(), by=BY), env.now, 1, u, i, u)
            yield env.timeout(float(transport_arr[i]))
            counter["events"] += 1
            dest = int(dest_arr[i])
            add(inc.transition(IS.AT_DESTINATION, now=now(), by=BY), env.now, 0, i, i, u)
            add(unit.transition(US.AT_DESTINATION, now=now(), by=BY), env.now, 1, u, i, u)
            inc.record_outcome(_outcome(d, dest, now(), inc.on_scene_at or now()), now=now())
            disposition[i], destination[i] = d, dest
            yield env.timeout(float(handover_arr[i]))
            counter["events"] += 1
        else:
            inc.record_outcome(_outcome(d, -1, now(), now()), now=now())
            disposition[i] = d
        add(inc.transition(IS.CLOSED, now=now(), by=BY, reason=DISPOSITIONS[d]), env.now, 0, i, i, u)
        add(unit.transition(US.AVAILABLE, now=now(), by=BY, reason="cleared"), env.now, 1, u, i, u)
        live.pop(i, None)
        release(u)

    def arrivals() -> Any:
        for i, t in enumerate(demand.t.tolist()):
            yield env.timeout(t - env.now)
            counter["events"] += 1
            env.process(call(i))

    env.process(arrivals())
    env.run(until=s.horizon_s)
    return AreaResult(
        rec.table(),
        demand.mix.astype(np.int16),
        disposition,
        destination,
        fell_back,
        demand.t,
        tuple(u.id for u in units),
        counter["events"],
    )


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024.0  # kB on Linux: the parent plus its largest area worker


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _measure(args: tuple[str, str, int]) -> dict[str, Any]:
    name, engine, workers = args
    scenario = load_scenario(name)
    c0 = _cpu()
    t0 = time.perf_counter()
    prep = prepare(scenario)
    result = run_replication(prep, 0, workers=workers, area_runner=simpy_area if engine == "simpy" else None)
    wall = time.perf_counter() - t0
    cpu = _cpu() - c0
    return {
        "cpu_s": cpu,
        "calls": result.kpis["calls"],
        "team_calls": result.kpis["team_calls"],
        "events": result.events,
        "wall_s": wall,
        "peak_memory_mb": _peak_mb(),
        "p90": result.kpis["response_minutes"]["p90"],
    }


def _isolated(args: tuple[str, str, int]) -> dict[str, Any]:
    """Run one measurement in a fresh process (its own peak memory, no warm caches)."""
    name, engine, workers = args
    cmd = [sys.executable, __file__, "--child", name, engine, str(workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed: {' '.join(cmd)}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(names: list[str], workers: int, with_simpy: bool) -> dict[str, Any]:
    out = []
    for name in names:
        ours = _isolated((name, "ours", workers))
        entry: dict[str, Any] = {
            "name": name,
            "calls": ours["calls"],
            "team_calls": ours["team_calls"],
            "wall_s": round(ours["wall_s"], 3),
            "cpu_s": round(ours["cpu_s"], 3),
            "events_per_s": round(ours["events"] / ours["wall_s"], 1),
            "peak_memory_mb": round(ours["peak_memory_mb"], 1),
            "workers": workers,
            "response_p90_min": ours["p90"],
        }
        if with_simpy:
            base = _isolated((name, "simpy", workers))
            entry["simpy_wall_s"] = round(base["wall_s"], 3)
            entry["simpy_cpu_s"] = round(base["cpu_s"], 3)
            entry["speedup"] = round(base["wall_s"] / ours["wall_s"], 3)
            entry["simpy_response_p90_min"] = base["p90"]
        else:
            entry["simpy_wall_s"] = None
            entry["speedup"] = None
        out.append(entry)
        print(f"{name}: {entry}", file=sys.stderr)
    return {"scenarios": out}


#: The plans the benchmark times: (scenario, target), as ``crisis-dispatch plan`` runs them.
PLANS = (("la-ttp-20k", "p90<=60m"), ("california", "p90<=budget"))


def bench_plans(workers: int) -> list[dict[str, Any]]:
    """Each plan of ``PLANS`` through the CLI in a fresh process (start-up included, as a
    user waits for it): ``name``, ``wall_s``, ``vans``, ``target_met`` and ``cpu_s``."""
    out = []
    for name, target in PLANS:
        cmd = [sys.executable, "-m", "crisis_dispatch", "plan", name, "--target", target, "--workers", str(workers), "--json"]
        t0, c0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall, c1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise SystemExit(f"plan failed: {' '.join(cmd)}\n{done.stderr}")
        result = json.loads(done.stdout)
        vans = result["totals"]["vans"] if "totals" in result else result.get("vans", 0)
        entry = {"name": f"plan {name} {target}", "wall_s": round(wall, 2), "vans": vans, "target_met": result["met"]}
        # CPU of the plan's process and its Dask workers (steadier than wall time on a shared machine).
        entry["cpu_s"] = round(c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime, 2)
        out.append(entry)
        print(f"{entry}", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--scenario", action="append", help="scenario names (default: california, la-ttp)")
    parser.add_argument("--workers", type=int, default=2, help="processes sharing the areas of a run")
    parser.add_argument("--no-simpy", action="store_true", help="skip the SimPy baseline")
    parser.add_argument("--no-plans", action="store_true", help="skip timing the plans")
    parser.add_argument("--child", nargs=3, metavar=("SCENARIO", "ENGINE", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, engine, workers = args.child
        print(json.dumps(_measure((name, engine, int(workers)))))
        return
    result = bench(args.scenario or ["california", "la-ttp"], args.workers, not args.no_simpy)
    result["plans"] = [] if args.no_plans else bench_plans(args.workers)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
