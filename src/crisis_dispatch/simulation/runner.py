"""Run a scenario: one replication (all areas), several (with confidence intervals).

A replication's areas are independent systems, each with its own generator seeded from
``(seed, replication, area)``, so the result is the same bit for bit however the areas are
spread over processes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np

from crisis_dispatch.reporting.history import HistoryTable
from crisis_dispatch.reporting.kpis import Impact, IncidentFacts, compute_kpis

from .callmix import CallMix, build_call_mix
from .demand import DESTINATIONS, DISPOSITIONS, AreaDemand, annual_calls, area_rngs, generate, resolve_fates
from .engine import AreaResult, simulate_area
from .region import PlacedVan, Region, build_region, station_etas
from .scenario import Scenario


@dataclass
class Prepared:
    scenario: Scenario
    region: Region
    mix: CallMix
    calls_per_year: float
    #: ETA columns per (replication, area) and station, reused when vans move (planning).
    eta_cache: dict[tuple[int, int], dict[str, np.ndarray]] = field(default_factory=dict)


def prepare(scenario: Scenario, *, protocol: str | None = None, vans: Sequence[PlacedVan] | None = None) -> Prepared:
    """Region, call mix and volume. The volume is fixed by the scenario's own protocol, so a
    what-if under another protocol sees the same calls and only the triage changes."""
    region = build_region(scenario)
    if vans is not None:
        region = Region(region.areas, tuple(vans), region.provider, region.stations)
    base_mix = build_call_mix(scenario.call_mix_file, scenario.protocol)
    mix = base_mix if protocol is None else build_call_mix(scenario.call_mix_file, protocol)
    return Prepared(scenario, region, mix, annual_calls(scenario, base_mix))


def area_demand(prep: Prepared, replication: int, area: int) -> AreaDemand:
    s = prep.scenario
    rng = area_rngs(s.seed, replication, len(prep.region.areas))[area]
    model = getattr(prep.region.provider, "model", None)
    covers = getattr(model, "covers", None)
    return generate(s, prep.region.areas[area], prep.calls_per_year, prep.mix.probabilities, rng, covers=covers)


@dataclass
class AreaInputs:
    """What one area's run needs before its event loop: its calls, their fates, its vans and
    the ETAs from each van's station to each call (calls x vans, seconds)."""

    demand: AreaDemand
    fates: tuple[np.ndarray, ...]
    vans: list[PlacedVan]
    etas: np.ndarray


def area_inputs(prep: Prepared, replication: int, area: int) -> AreaInputs:
    """The per-area set-up every engine shares (ours, the benchmark's SimPy baseline). ETA
    columns are cached per station in ``prep.eta_cache``: planning moves vans between runs."""
    demand = area_demand(prep, replication, area)
    fates = resolve_fates(prep.scenario, prep.mix, demand)
    vans = [v for v in prep.region.vans if v.area == area]
    cache = prep.eta_cache.setdefault((replication, area), {})
    etas = station_etas(
        prep.region.provider, [(v.station, v.lat, v.lon) for v in vans], demand, prep.mix.team_mask[demand.mix], cache
    )
    return AreaInputs(demand, fates, vans, etas)


def run_area(prep: Prepared, replication: int, area: int) -> AreaResult:
    a = area_inputs(prep, replication, area)
    return simulate_area(prep.scenario, prep.region, area, prep.mix, a.demand, a.fates, etas=a.etas)


@dataclass
class ReplicationResult:
    replication: int
    kpis: dict[str, Any]
    history: HistoryTable
    facts: IncidentFacts
    events: int
    wall_s: float


def combine(prep: Prepared, replication: int, parts: Sequence[tuple[int, AreaResult]], wall_s: float) -> ReplicationResult:
    s = prep.scenario
    parts = sorted(parts, key=lambda p: p[0])
    inc_off, unit_off, k_inc, k_unit = [], [], 0, 0
    for _, r in parts:
        inc_off.append(k_inc)
        unit_off.append(k_unit)
        k_inc += len(r.mix)
        k_unit += len(r.units)
    history = HistoryTable.concat([r.history for _, r in parts], inc_off, unit_off)
    history.epoch = s.start
    for _, r in parts:
        r.history = None  # type: ignore[assignment]  # the combined table has the rows; keep peak memory down
    tiers = np.array([e.tier for e in prep.mix.entries])
    reasons = np.array([e.triage.screened_out or "" for e in prep.mix.entries], dtype=str)
    disp_names = np.array([*DISPOSITIONS, ""])
    dest_names = np.array([*DESTINATIONS, ""])
    facts = IncidentFacts(
        tier=np.concatenate([tiers[r.mix] for _, r in parts]) if parts else np.zeros(0, str),
        area=np.concatenate([np.full(len(r.mix), a, dtype=np.int32) for a, r in parts]) if parts else np.zeros(0, np.int32),
        area_names=[a.name for a in prep.region.areas],
        area_rural=[a.rural for a in prep.region.areas],
        disposition=np.concatenate([disp_names[r.disposition] for _, r in parts]) if parts else np.zeros(0, str),
        destination=np.concatenate([dest_names[r.destination] for _, r in parts]) if parts else np.zeros(0, str),
        fell_back=np.concatenate([r.fell_back for _, r in parts]) if parts else np.zeros(0, bool),
        screened_out=np.concatenate([reasons[r.mix] for _, r in parts]) if parts else np.zeros(0, str),
    )
    impact = Impact(s.police_hours_per_call, s.fire_hours_per_call, s.baseline_ed_share)
    kpis = compute_kpis(history, facts, horizon_s=s.horizon_s, local_hour0=s.local_hour0, impact=impact)
    kpis["units"] = sum(len(r.units) for _, r in parts)
    events = sum(r.events for _, r in parts)
    return ReplicationResult(replication, kpis, history, facts, events, wall_s)


AreaRunner = Callable[[Prepared, int, int], AreaResult]


def run_replication(
    prep: Prepared,
    replication: int,
    *,
    workers: int = 1,
    area_runner: AreaRunner | None = None,
    progress: Callable[[int], None] | None = None,
) -> ReplicationResult:
    """One replication. ``workers > 1`` spreads the areas over forked processes, largest
    first, one area at a time (the result is the same: each area has its own generator).
    ``area_runner`` replaces the engine (the benchmark's SimPy baseline); ``progress`` is
    called once per finished area."""
    t0 = time.perf_counter()
    n_areas = len(prep.region.areas)
    fn = area_runner or run_area
    if workers <= 1 or n_areas < 2:
        parts = []
        for a in range(n_areas):
            parts.append((a, fn(prep, replication, a)))
            if progress:
                progress(1)
    else:
        parts = _parallel_areas(prep, replication, workers, fn, progress)
    return combine(prep, replication, parts, time.perf_counter() - t0)


_FORKED: tuple[Prepared, AreaRunner, int] | None = None


def _one_area(area: int) -> tuple[int, AreaResult]:
    assert _FORKED is not None
    prep, fn, replication = _FORKED
    return area, fn(prep, replication, area)


def _parallel_areas(
    prep: Prepared, replication: int, workers: int, fn: AreaRunner, progress: Callable[[int], None] | None
) -> list[tuple[int, AreaResult]]:
    import multiprocessing as mp

    global _FORKED
    _FORKED = (prep, fn, replication)
    order = sorted(range(len(prep.region.areas)), key=lambda a: (-prep.region.areas[a].weight, a))
    parts = []
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for part in pool.imap_unordered(_one_area, order, chunksize=1):
                parts.append(part)
                if progress:
                    progress(1)
    finally:
        _FORKED = None
    return parts


# --------------------------------------------------------------------------- aggregation


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            out[key] = float(v)
        elif isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        elif isinstance(v, list):  # by hour of day: key.0 ... key.23
            out.update(_flatten({str(i): x for i, x in enumerate(v)}, key + "."))
    return out


T95 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    15: 2.131,
    20: 2.086,
    30: 2.042,
}


def t95(dof: int) -> float:
    if dof in T95:
        return T95[dof]
    keys = sorted(k for k in T95 if k <= dof)
    return T95[keys[-1]] if dof < 60 else 1.96


def confidence_intervals(kpis: Sequence[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Mean and 95 % confidence interval across replications for every numeric KPI."""
    flats = [_flatten(k) for k in kpis]
    keys = sorted(set().union(*flats)) if flats else []
    out = {}
    for key in keys:
        vals = np.array([f[key] for f in flats if key in f])
        mean = float(vals.mean())
        half = t95(len(vals) - 1) * float(vals.std(ddof=1)) / math.sqrt(len(vals)) if len(vals) > 1 else float("nan")
        low, high = kpi_bounds(key)
        out[key] = {
            "mean": round(mean, 4),
            "ci95_low": round(max(mean - half, low), 4) if math.isfinite(half) else None,
            "ci95_high": round(min(mean + half, high), 4) if math.isfinite(half) else None,
            "n": int(len(vals)),
        }
    return out


def kpi_bounds(key: str) -> tuple[float, float]:
    """The values a KPI can take, so that an interval from few replications stays possible:
    shares and utilisation lie in [0, 1], ED visits avoided may be negative (more ED
    transports than the baseline), every other KPI (counts, minutes, hours) is >= 0."""
    last = key.rsplit(".", 1)[-1]
    if key == "ed_visits_avoided":
        return -math.inf, math.inf
    if last.startswith("share") or key == "p_wait" or key.startswith("utilisation"):
        return 0.0, 1.0
    return 0.0, math.inf


def run(
    scenario: Scenario,
    *,
    replications: int | None = None,
    protocol: str | None = None,
    vans: Sequence[PlacedVan] | None = None,
    executor: Callable[[Callable[..., Any], list[Any]], list[Any]] | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
    area_progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """All replications; ``executor(fn, args)`` maps ``fn`` over ``args`` (Dask or in-process).
    Without an executor, ``workers`` processes share the areas of each replication."""
    prep = prepare(scenario, protocol=protocol, vans=vans)
    reps = list(range(replications or scenario.replications))
    t0 = time.perf_counter()
    if executor is None:
        results = []
        for r in reps:
            results.append(_summary(run_replication(prep, r, workers=workers, progress=area_progress)))
            if progress:
                progress(1)
    else:
        results = executor(_replication_task, [(scenario, protocol, tuple(vans) if vans else None, r) for r in reps])
    results.sort(key=lambda x: x["replication"])
    return {
        "scenario": scenario.name,
        "protocol": prep.mix.protocol_version,
        "calls_per_year": round(prep.calls_per_year, 1),
        "team_share": round(prep.mix.team_share, 4),
        "replications": len(reps),
        "wall_s": round(time.perf_counter() - t0, 3),
        "kpis": results[0]["kpis"],
        "per_replication": results,
        "ci95": confidence_intervals([r["kpis"] for r in results]),
    }


def program_of(scenario: Scenario, r: ReplicationResult) -> dict[str, Any]:
    """The program report of one replication, by the code of the live service's monthly report
    (reporting/program.py): a simulated year and a live month are read the same way."""
    from crisis_dispatch.reporting.program import program_report

    end = scenario.start + timedelta(seconds=scenario.horizon_s)
    window = {"start": scenario.start.isoformat(), "end": end.isoformat(), "time_zone": str(scenario.start.tzinfo)}
    impact = Impact(scenario.police_hours_per_call, scenario.fire_hours_per_call, scenario.baseline_ed_share)
    return program_report(
        r.history, r.facts, window=window, horizon_s=scenario.horizon_s, local_hour0=scenario.local_hour0, impact=impact
    )


def _summary(r: ReplicationResult) -> dict[str, Any]:
    return {"replication": r.replication, "kpis": r.kpis, "events": r.events, "wall_s": round(r.wall_s, 3)}


def _replication_task(args: tuple[Scenario, str | None, tuple[PlacedVan, ...] | None, int]) -> dict[str, Any]:
    scenario, protocol, vans, r = args
    return _summary(run_replication(prepare(scenario, protocol=protocol, vans=vans), r))
