"""Fleet planning: the smallest fleet, its stations and its shifts that meet a response target.

Each area (the city; or each county of a statewide scenario) is planned on its own: its own
demand, its own candidate stations, its own clock (``p90<=budget``: 60 minutes urban, 120
rural). Per area:

1. **Placement** (p-median, greedy): on a sample of the area's team calls, add one station
   at a time, each time the candidate station that most reduces the mean travel time from
   the nearest van (the scenario's travel-time provider). More vans than candidate
   stations share stations, in greedy order.
2. **Sizing**: from the offered load with travel upward (growing 1, 2, 4, ... vans, then
   bisecting), fleets on the greedy stations, all round the clock, until the target
   percentile of response time is met overall *and in every hour of the day*.
3. **Shifts**: the most vans, last placed first, that can move from 24/7 to the 12-hour
   ``peak-12h`` shift while the target still holds at every hour (bisected).

Every check is a full simulation of the area through the domain (same seeds: common random
numbers). Areas of a multi-area scenario are independent tasks for the Dask executor.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from crisis_dispatch.domain.queueing import budget_for
from crisis_dispatch.reporting.history import INCIDENT
from crisis_dispatch.reporting.kpis import team_responses

from .demand import DISPOSITIONS, TRANSPORT_CODES
from .distributed import Executor, local_executor
from .region import Area, PlacedVan, Region, station_etas
from .runner import Prepared, prepare, run_area
from .scenario import Scenario, ScenarioError

TARGET = re.compile(r"^\s*p(\d{1,2}(?:\.\d+)?)\s*<=\s*(?:(budget)|(\d+(?:\.\d+)?)\s*(m|min|h)?)\s*$", re.IGNORECASE)
#: The accepted forms, for error messages.
TARGET_FORMS = "'p90<=60m' (or 60min), 'p95<=2h' or 'p90<=budget' (each area's own 60/120-minute clock)"


class TargetError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    """A response-time percentile and its bound; ``minutes=None`` is each area's own Medi-Cal
    budget (60 minutes urban, 120 rural: ``domain.queueing.budget_for``)."""

    percentile: float
    minutes: float | None

    def minutes_for(self, area: Area) -> float:
        if self.minutes is None:
            return budget_for(area.rural).total_seconds() / 60.0
        return self.minutes

    def __str__(self) -> str:
        bound = "budget" if self.minutes is None else f"{self.minutes:g}m"
        return f"p{self.percentile:g}<={bound}"


def parse_target(text: str) -> Target:
    """``"p90<=60m"`` → 90th percentile of response time at most 60 minutes (``min`` too, ``h``
    for hours; a bare number is refused, it could be either); ``"p90<=budget"`` → at most each
    area's own 60/120-minute budget."""
    m = TARGET.match(text)
    if not m:
        raise TargetError(f"bad target '{text}': expected {TARGET_FORMS}")
    pct = float(m.group(1))
    if not 0 < pct < 100:
        raise TargetError(f"bad target '{text}': the percentile must be in (0, 100)")
    if m.group(2):
        return Target(pct, None)
    if not m.group(4):
        # A bare number is ambiguous (minutes? hours?): a unit is required.
        raise TargetError(f"bad target '{text}': the time needs a unit (m, min or h); expected {TARGET_FORMS}")
    value, unit = float(m.group(3)), m.group(4).lower()
    if value <= 0:
        raise TargetError(f"bad target '{text}': the time must be positive")
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


def _area_stations(prep: Prepared, area: int) -> list[str]:
    return sorted(sid for sid, (a, _, _) in prep.region.stations.items() if a == area)


@dataclass
class Placement:
    """Candidate stations of one area in the order a greedy p-median adds them."""

    order: list[str]
    #: Mean travel (seconds) from the nearest of the first k + 1 stations, per k.
    mean_travel_s: list[float]
    #: Per sampled team call: travel from the nearest candidate station (a floor for any fleet).
    floor_s: np.ndarray


def greedy_placement(prep: Prepared, n_max: int, *, sample: int = 1500, area: int = 0) -> list[str]:
    """Stations of ``area`` in the order a greedy p-median adds them."""
    return place(prep, n_max, sample=sample, area=area).order


def place(prep: Prepared, n_max: int, *, sample: int = 1500, area: int = 0) -> Placement:
    """Greedy p-median on a sample of the area's team calls: add, one at a time, the candidate
    station that most reduces the mean travel time from the nearest chosen station."""
    stations = prep.region.stations
    ids = _area_stations(prep, area)
    if not ids:
        raise ScenarioError(f"area '{prep.region.areas[area].name}' has no candidate station")
    demand, rows = _sample_rows(prep, sample, area)
    cols = station_etas(prep.region.provider, [(sid, stations[sid][1], stations[sid][2]) for sid in ids], demand, rows, {})
    d = cols[rows].astype(float)  # sample x stations
    if d.shape[0] == 0:
        return Placement(ids[: max(1, n_max)], [0.0] * min(len(ids), max(1, n_max)), np.zeros(0))
    taken = np.zeros(len(ids), dtype=bool)
    chosen: list[str] = []
    means: list[float] = []
    best = np.full(d.shape[0], np.inf)
    for _ in range(min(n_max, len(ids))):
        cost = np.minimum(best[:, None], d).mean(axis=0)
        cost[taken] = np.inf
        j = int(np.argmin(cost))
        taken[j] = True
        chosen.append(ids[j])
        best = np.minimum(best, d[:, j])
        means.append(float(best.mean()))
    return Placement(chosen, means, d.min(axis=1))


def _sample_rows(prep: Prepared, sample: int, area: int = 0) -> tuple[Any, np.ndarray]:
    from .runner import area_demand

    demand = area_demand(prep, 0, area)
    idx = np.flatnonzero(prep.mix.team_mask[demand.mix])
    if len(idx) > sample:
        idx = idx[np.linspace(0, len(idx) - 1, sample).astype(int)]
    rows = np.zeros(len(demand), dtype=bool)
    rows[idx] = True
    return demand, rows


def _quantile(v: np.ndarray, pct: float) -> float:
    return float(np.percentile(v, pct, method="inverted_cdf")) if len(v) else 0.0


def _meets(resp: np.ndarray, hours: np.ndarray, pct: float, minutes: float) -> tuple[bool, list[float | None]]:
    by_hour: list[float | None] = []
    ok = True
    for h in range(24):
        v = resp[hours == h]
        if len(v) == 0:
            by_hour.append(None)
            continue
        q = _quantile(v, pct)
        by_hour.append(round(q, 2) if math.isfinite(q) else None)
        ok &= q <= minutes
    return bool(ok and _quantile(resp, pct) <= minutes), by_hour


def evaluate(prep: Prepared, vans: list[PlacedVan], target: Target, replications: int, *, area: int = 0) -> dict[str, Any]:
    """Simulate ``vans`` in ``area`` (that area only, its own demand and clock) over
    ``replications`` and test the target on all its team calls, overall and by hour."""
    prep.region = Region(prep.region.areas, tuple(vans), prep.region.provider, prep.region.stations)
    tiers = np.array([e.tier for e in prep.mix.entries]).astype(str)
    resp, hours = [], []
    for r in range(replications):
        res = run_area(prep, r, area)
        n = len(res.mix)
        tri = res.history.first_time(INCIDENT, "triaged", n)
        on = res.history.first_time(INCIDENT, "on_scene", n)
        _, resp_min, hour = team_responses(tiers[res.mix], tri, on, prep.scenario.local_hour0)
        resp.append(resp_min)
        hours.append(hour)
    all_resp, all_hours = np.concatenate(resp), np.concatenate(hours)
    minutes = target.minutes_for(prep.region.areas[area])
    ok, by_hour = _meets(all_resp, all_hours, target.percentile, minutes)
    q = _quantile(all_resp, target.percentile)
    return {"meets": ok, "value": round(q, 2) if math.isfinite(q) else None, "by_hour": by_hour}


def plan_area(  # noqa: C901  -- grow, bisect and part-time searches share one memo of trials, refactor tracked in issue 16 item 4
    prep: Prepared,
    area: int,
    target: Target,
    *,
    max_vans: int = 60,
    replications: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The smallest fleet for one area (its own demand, its own clock, its candidate stations).

    Sizing starts from the offered load with travel (calls an hour x (job + turnout + mean
    travel from the greedy stations)): fewer vans cannot keep up. It then grows the fleet
    1, 2, 4, ... vans until the target holds, and bisects back to the smallest fleet that
    meets it. Shifts: the largest number of vans, last placed first, that can move to the
    scenario's ``peak-12h`` shift while the target still holds at every hour (bisected).
    Both searches assume more vans (or more of them round the clock) never make the target
    harder to meet, which holds for these fleets up to simulation noise.
    """
    t0 = time.perf_counter()
    s = prep.scenario
    a = prep.region.areas[area]
    minutes = target.minutes_for(a)
    stations = prep.region.stations
    team_year = prep.calls_per_year * a.weight * prep.mix.team_share
    calls_per_hour = team_year / 8760.0
    job_min = expected_job_minutes(s) + s.turnout_minutes
    placement = place(prep, max_vans, area=area)
    order = placement.order
    base: dict[str, Any] = {
        "area": a.name,
        "rural": a.rural,
        "target_minutes": minutes,
        "max_vans": max_vans,
        "team_calls_per_year": round(team_year, 1),
        "offered_load_vans": round(calls_per_hour * job_min / 60.0, 2),
        "candidate_stations": len(_area_stations(prep, area)),
    }
    floor = _quantile(placement.floor_s / 60.0 + s.turnout_minutes, target.percentile)
    if floor > minutes * 1.02:
        # Even a van waiting at the nearest candidate station for every call is too far away.
        return {
            **base,
            "met": False,
            "trials": [],
            "wall_s": round(time.perf_counter() - t0, 2),
            "reason": f"travel alone from the nearest candidate station gives p{target.percentile:g} "
            f"{floor:.1f} min > {minutes:g} min",
        }

    def vans_for(n: int, part_time: int = 0) -> list[PlacedVan]:
        out = []
        for i in range(n):
            sid = order[i % len(order)]  # more vans than stations: they share stations, in greedy order
            out.append(
                PlacedVan(
                    f"V{i + 1}", area, stations[sid][1], stations[sid][2], "peak-12h" if i >= n - part_time else "24/7", sid
                )
            )
        return out

    trials: list[dict[str, Any]] = []
    checked: dict[tuple[int, int], dict[str, Any]] = {}

    def check(n: int, part_time: int = 0) -> dict[str, Any]:
        if (n, part_time) not in checked:
            res = evaluate(prep, vans_for(n, part_time), target, replications, area=area)
            checked[n, part_time] = res
            trials.append({"vans": n, "part_time": part_time, "value": res["value"], "meets": res["meets"]})
            if progress:
                what = f"{n} vans" + (f" ({part_time} on peak-12h)" if part_time else "")
                progress(f"{a.name}: {what}: p{target.percentile:g} = {res['value']} min")
        return checked[n, part_time]

    def travel_min(n: int) -> float:
        return placement.mean_travel_s[min(n, len(placement.mean_travel_s)) - 1] / 60.0 if placement.mean_travel_s else 0.0

    n0 = max(1, math.ceil(calls_per_hour * job_min / 60.0))
    n0 = max(n0, math.ceil(calls_per_hour * (job_min + travel_min(n0)) / 60.0))
    lo, hi, step = min(n0, max_vans) - 1, None, 1  # lo: a fleet known (or assumed) to fail
    while hi is None and lo < max_vans:
        cand = min(lo + step, max_vans)
        if check(cand)["meets"]:
            hi = cand
        else:
            lo, step = cand, step * 2
    if hi is None:
        return {
            **base,
            "met": False,
            "trials": trials,
            "wall_s": round(time.perf_counter() - t0, 2),
            "reason": f"not met with up to {max_vans} vans",
        }
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if check(mid)["meets"]:
            hi = mid
        else:
            lo = mid
    n = hi
    part = 0
    if "peak-12h" in s.shifts and n > 1:
        ok, bad = 0, n  # ok: part-time count known to meet; bad: known (or assumed) to fail
        while bad - ok > 1:
            mid = (ok + bad) // 2
            if check(n, mid)["meets"]:
                ok = mid
            else:
                bad = mid
        part = ok
    res = check(n, part)
    fleet = vans_for(n, part)
    by_station: dict[str, dict[str, int]] = {}
    for v in fleet:
        by_station.setdefault(v.station, {}).setdefault(v.shift, 0)
        by_station[v.station][v.shift] += 1
    return {
        **base,
        "met": True,
        "vans": n,
        "vans_24_7": n - part,
        "vans_part_time": part,
        "fleet": [{"call_sign": v.call_sign, "station": v.station, "shift": v.shift} for v in fleet],
        "stations": by_station,
        "staffed_van_hours_per_day": sum(sum(b - a_ for a_, b in s.shifts[v.shift]) for v in fleet),
        "value_minutes": res["value"],
        "by_hour_minutes": res["by_hour"],
        "trials": trials,
        "wall_s": round(time.perf_counter() - t0, 2),
    }


def resolve_areas(prep: Prepared, names: Sequence[str] | None) -> list[int]:
    """Area indices for ``names`` (case-insensitive); all areas when ``names`` is None."""
    areas = prep.region.areas
    if names is None:
        return list(range(len(areas)))
    index = {a.name.lower(): i for i, a in enumerate(areas)}
    out, unknown = [], []
    for name in names:
        i = index.get(name.strip().lower())
        if i is None:
            unknown.append(name)
        elif i not in out:
            out.append(i)
    if unknown:
        sample = ", ".join(a.name for a in areas[:5])
        raise ScenarioError(
            f"unknown area(s) {', '.join(repr(u) for u in unknown)} in '{prep.scenario.name}' "
            f"(areas: {sample}, ...; {len(areas)} in all)"
        )
    if not out:
        raise ScenarioError("--areas lists no area")
    return out


_PREPARED: dict[str, Prepared] = {}


def _plan_area_task(args: tuple[Scenario, Target, int, int, int]) -> dict[str, Any]:
    """One area's plan in a worker (Dask or in-process); the prepared scenario is reused
    across the areas a worker plans."""
    scenario, target, area, max_vans, replications = args
    key = repr(scenario)
    if key not in _PREPARED:
        _PREPARED.clear()
        _PREPARED[key] = prepare(scenario)
    return plan_area(_PREPARED[key], area, target, max_vans=max_vans, replications=replications)


def plan(
    scenario: Scenario,
    target: Target,
    *,
    max_vans: int = 60,
    replications: int = 1,
    progress: Callable[[str], None] | None = None,
    areas: Sequence[str] | None = None,
    executor: Executor | None = None,
) -> dict[str, Any]:
    """Plan every area of the scenario (or the listed ``areas``), each independently.

    A single-area scenario gives that area's plan at the top level, as before. A multi-area
    scenario (california) plans each area as one task of ``executor`` (Dask, or in this
    process), largest first, and adds statewide totals.
    """
    t0 = time.perf_counter()
    prep = prepare(scenario)
    chosen = resolve_areas(prep, areas)
    head = {"scenario": scenario.name, "target": str(target), "replications": replications, "max_vans": max_vans}
    if len(prep.region.areas) == 1:
        res = plan_area(prep, 0, target, max_vans=max_vans, replications=replications, progress=progress)
        return {**res, **head, "wall_s": round(time.perf_counter() - t0, 2)}
    chosen.sort(key=lambda i: (-prep.region.areas[i].weight, i))
    tasks = [(scenario, target, i, max_vans, replications) for i in chosen]
    results = (executor or local_executor)(_plan_area_task, tasks)
    per_area = sorted(results, key=lambda r: r["area"])
    met = [r for r in per_area if r["met"]]
    totals = {
        "areas": len(per_area),
        "areas_met": len(met),
        "areas_not_met": [r["area"] for r in per_area if not r["met"]],
        "team_calls_per_year": round(sum(r["team_calls_per_year"] for r in per_area), 1),
        "vans": sum(r["vans"] for r in met),
        "vans_24_7": sum(r["vans_24_7"] for r in met),
        "vans_part_time": sum(r["vans_part_time"] for r in met),
        "staffed_van_hours_per_day": sum(r["staffed_van_hours_per_day"] for r in met),
        "cpu_s": round(sum(r["wall_s"] for r in per_area), 2),
    }
    return {
        **head,
        "met": not totals["areas_not_met"],
        "areas": per_area,
        "totals": totals,
        "wall_s": round(time.perf_counter() - t0, 2),
    }
