"""Fleet planning: the smallest fleet, its stations and its shifts that meet a response target.

1. **Placement** (p-median, greedy): on a sample of the scenario's team calls, add one
   station at a time, each time the candidate station that most reduces the mean travel time
   from the nearest van (the scenario's travel-time provider).
2. **Sizing**: starting from the offered load (calls an hour x hours a job), simulate fleets
   of growing size on the greedy stations, all round the clock, until the target percentile
   of response time is met overall *and in every hour of the day*.
3. **Shifts**: turn vans, last placed first, from 24/7 to a 12-hour peak shift while the
   target still holds at every hour.

Every check is a full simulation through the domain (same seeds: common random numbers).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from crisis_dispatch.reporting.history import INCIDENT

from .demand import DISPOSITIONS, TRANSPORT_CODES
from .region import PlacedVan, Region, station_etas
from .runner import Prepared, prepare, run_replication
from .scenario import Scenario, ScenarioError

TARGET = re.compile(r"^\s*p(\d{1,2}(?:\.\d+)?)\s*<=\s*(\d+(?:\.\d+)?)\s*(m|min|h)?\s*$", re.IGNORECASE)


class TargetError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    percentile: float
    minutes: float

    def __str__(self) -> str:
        return f"p{self.percentile:g}<={self.minutes:g}m"


def parse_target(text: str) -> Target:
    """``"p90<=60m"`` → 90th percentile of response time at most 60 minutes (``h`` for hours)."""
    m = TARGET.match(text)
    if not m:
        raise TargetError(f"bad target '{text}': expected e.g. 'p90<=60m' (percentile <= minutes, or hours with 'h')")
    pct, value, unit = float(m.group(1)), float(m.group(2)), (m.group(3) or "m").lower()
    if not 0 < pct < 100 or value <= 0:
        raise TargetError(f"bad target '{text}': the percentile must be in (0, 100) and the time positive")
    return Target(pct, value * 60 if unit == "h" else value)


def expected_job_minutes(s: Scenario) -> float:
    """Mean time a van is busy per call, turnout and travel aside (from the outcome tables)."""
    probs = s.outcomes["default"]
    total = 0.0
    for disp, p in probs.items():
        job = s.on_scene[disp][0]
        if DISPOSITIONS.index(disp) in TRANSPORT_CODES:
            job += sum(share * (s.transport[d][0] + s.handover[d][0]) for d, share in s.destinations.items())
        total += p * job
    return total


def greedy_placement(prep: Prepared, n_max: int, *, sample: int = 1500) -> list[str]:
    """Stations in the order a greedy p-median adds them (single-area regions)."""
    stations = prep.region.stations
    demand_rows = _sample_rows(prep, sample)
    demand, rows = demand_rows
    ids = sorted(stations)
    cols = station_etas(prep.region.provider, [(sid, stations[sid][1], stations[sid][2]) for sid in ids], demand, rows, {})
    d = cols[rows].astype(float)  # sample x stations
    chosen: list[str] = []
    best = np.full(d.shape[0], np.inf)
    for _ in range(min(n_max, len(ids))):
        cost = np.minimum(best[:, None], d).mean(axis=0)
        for j, sid in enumerate(ids):
            if sid in chosen:
                cost[j] = np.inf
        j = int(np.argmin(cost))
        chosen.append(ids[j])
        best = np.minimum(best, d[:, j])
    return chosen


def _sample_rows(prep: Prepared, sample: int) -> tuple[Any, np.ndarray]:
    from .runner import area_demand

    demand = area_demand(prep, 0, 0)
    team = np.array([e.includes_team for e in prep.mix.entries])[demand.mix] if len(demand) else np.zeros(0, bool)
    idx = np.flatnonzero(team)
    if len(idx) > sample:
        idx = idx[np.linspace(0, len(idx) - 1, sample).astype(int)]
    rows = np.zeros(len(demand), dtype=bool)
    rows[idx] = True
    return demand, rows


def _meets(kpis: dict[str, Any], target: Target) -> tuple[bool, list[float | None]]:
    resp = kpis["_responses"]
    hours = kpis["_hours"]
    by_hour: list[float | None] = []
    ok = True
    for h in range(24):
        v = resp[hours == h]
        if len(v) == 0:
            by_hour.append(None)
            continue
        q = float(np.percentile(v, target.percentile, method="inverted_cdf"))
        by_hour.append(round(q, 2) if math.isfinite(q) else None)
        ok &= q <= target.minutes
    overall = float(np.percentile(resp, target.percentile, method="inverted_cdf")) if len(resp) else 0.0
    return bool(ok and overall <= target.minutes), by_hour


def evaluate(prep: Prepared, vans: list[PlacedVan], target: Target, replications: int) -> dict[str, Any]:
    """Simulate ``vans`` over ``replications`` and test the target on all their team calls."""
    prep.region = Region(prep.region.areas, tuple(vans), prep.region.provider, prep.region.stations)
    resp, hours, p90s = [], [], []
    for r in range(replications):
        res = run_replication(prep, r)
        k = res.kpis
        n = len(res.facts)
        tri = res.history.first_time(INCIDENT, "triaged", n)
        on = res.history.first_time(INCIDENT, "on_scene", n)
        team = np.char.startswith(res.facts.tier.astype(str), "MH_TEAM")
        rm = np.where(np.isnan(on), np.inf, on - tri)[team] / 60.0
        resp.append(rm)
        hours.append(np.floor((prep.scenario.start.hour + tri[team] / 3600.0) % 24).astype(int))
        p90s.append(k["response_minutes"]["p90"])
    kp = {"_responses": np.concatenate(resp), "_hours": np.concatenate(hours)}
    ok, by_hour = _meets(kp, target)
    all_resp = kp["_responses"]
    q = float(np.percentile(all_resp, target.percentile, method="inverted_cdf")) if len(all_resp) else 0.0
    return {"meets": ok, "value": round(q, 2) if math.isfinite(q) else None, "by_hour": by_hour}


def plan(
    scenario: Scenario,
    target: Target,
    *,
    max_vans: int = 60,
    replications: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    prep = prepare(scenario)
    if len(prep.region.areas) != 1:
        raise ScenarioError(f"plan works on single-area scenarios (la-ttp, la-ttp-20k); '{scenario.name}' has "
                            f"{len(prep.region.areas)} areas")
    area = prep.region.areas[0]
    stations = prep.region.stations
    order = greedy_placement(prep, max_vans)
    calls_per_hour = prep.calls_per_year * prep.mix.team_share / 8760.0
    job_min = expected_job_minutes(scenario)
    start_n = max(1, math.ceil(calls_per_hour * job_min / 60.0))
    trials = []

    def vans_for(n: int, shifts: dict[int, str] | None = None) -> list[PlacedVan]:
        return [PlacedVan(f"V{i + 1}", 0, stations[sid][1], stations[sid][2], (shifts or {}).get(i, "24/7"), sid)
                for i, sid in enumerate(order[:n])]

    found = None
    n = start_n
    while n <= min(max_vans, len(order)):
        res = evaluate(prep, vans_for(n), target, replications)
        trials.append({"vans": n, "value": res["value"], "meets": res["meets"]})
        if progress:
            progress(f"{n} vans: p{target.percentile:g} = {res['value']} min")
        if res["meets"]:
            found = (n, res)
            break
        n += 1
    if found is None:
        return {"scenario": scenario.name, "target": str(target), "met": False, "max_vans": max_vans,
                "trials": trials, "wall_s": round(time.perf_counter() - t0, 2)}
    n, res = found
    # Shifts: peak-12h where the target still holds at every hour (last placed first).
    shifts: dict[int, str] = {}
    part_time = "peak-12h" if "peak-12h" in scenario.shifts else None
    if part_time:
        for i in range(n - 1, 0, -1):
            trial = {**shifts, i: part_time}
            r2 = evaluate(prep, vans_for(n, trial), target, replications)
            if progress:
                progress(f"van {i + 1} on {part_time}: {'ok' if r2['meets'] else 'no'}")
            if r2["meets"]:
                shifts, res = trial, r2
            else:
                break
    fleet = vans_for(n, shifts)
    van_hours = sum(sum(b - a for a, b in scenario.shifts[v.shift]) for v in fleet)
    return {
        "scenario": scenario.name,
        "target": str(target),
        "met": True,
        "area": area.name,
        "team_calls_per_year": round(prep.calls_per_year * prep.mix.team_share, 1),
        "offered_load_vans": round(calls_per_hour * job_min / 60.0, 2),
        "vans": n,
        "fleet": [{"call_sign": v.call_sign, "station": v.station, "shift": v.shift} for v in fleet],
        "staffed_van_hours_per_day": van_hours,
        "value_minutes": res["value"],
        "by_hour_minutes": res["by_hour"],
        "trials": trials,
        "replications": replications,
        "wall_s": round(time.perf_counter() - t0, 2),
    }
