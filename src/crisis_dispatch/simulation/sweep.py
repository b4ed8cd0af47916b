"""Parameter sweeps: a grid (TOML) of fleet sizes, shift patterns, protocols and demand growth,
every point simulated (on Dask) and reported side by side.

A grid file is a ``[grid]`` table; every key is optional and the points are all
combinations of the listed values (:data:`GRID_EXAMPLE` is a complete one; it and the axes
live in the import-free :mod:`.grid`, re-exported here).
"""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path
from typing import Any

from crisis_dispatch.adapters.config.errors import ConfigError
from crisis_dispatch.adapters.config.grid import GridContext, validate_grid

from .distributed import Executor, local_executor
from .grid import AXES, EXAMPLE, GRID_EXAMPLE
from .region import PlacedVan, build_region
from .runner import prepare, run_replication
from .scenario import Scenario, ScenarioError
from .whatif import check_protocol

__all__ = ["AXES", "EXAMPLE", "GRID_EXAMPLE", "REPORTED", "load_grid", "points", "sweep"]
REPORTED = (
    "team_calls",
    "response_minutes.p50",
    "response_minutes.p90",
    "share_within_60_min",
    "share_within_budget",
    "p_wait",
    "mean_queue_wait_minutes",
    "utilisation",
    "fell_back_to_police_or_ems",
    "ed_visits_avoided",
)


def load_grid(path: str | Path, scenario: Scenario | None = None) -> dict[str, Any]:
    """Read and check a grid file; every bad value is refused here, before anything runs.

    The rules are :mod:`crisis_dispatch.adapters.config.grid`'s; given the ``scenario``,
    shift names must be its own and ``fleet_size`` needs one area. All problems are reported
    in one :class:`ScenarioError` line, each naming its key and value.
    """
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(f"grid file not found: {p}")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{p}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{p}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    context = GridContext(protocol_problem=_protocol_problem)
    if scenario is not None:
        table = data.get("grid")
        single = len(build_region(scenario).areas) == 1 if isinstance(table, dict) and "fleet_size" in table else None
        context = GridContext(scenario.name, tuple(scenario.shifts), single, _protocol_problem)
    try:
        return validate_grid(data.get("grid"), context)
    except ConfigError as exc:
        raise ScenarioError(f"{p}: {exc}") from None


def _protocol_problem(name: str) -> str | None:
    try:
        check_protocol(name)
    except ScenarioError as exc:
        return str(exc)
    return None


def points(grid: dict[str, Any]) -> list[dict[str, Any]]:
    axes = [a for a in AXES if a in grid]
    return [dict(zip(axes, combo, strict=True)) for combo in itertools.product(*(grid[a] for a in axes))]


def _grown(scenario: Scenario, point: dict[str, Any]) -> Scenario:
    """The scenario at this point's demand growth (and with its shift checked)."""
    s = scenario
    if "demand_growth" in point:
        g = float(point["demand_growth"])
        s = s.with_changes(
            annual_calls=s.annual_calls * g,
            team_calls_per_year=None if s.team_calls_per_year is None else s.team_calls_per_year * g,
        )
    if "shift" in point and point["shift"] not in s.shifts:
        raise ScenarioError(f"unknown shift '{point['shift']}' (defined: {', '.join(s.shifts)})")
    return s


def _placement(s: Scenario, n: int) -> tuple[PlacedVan, ...]:
    """``n`` round-the-clock vans on the stations a greedy p-median picks for the (grown)
    scenario ``s``; more vans than candidate stations share stations, in greedy order (as
    plan does)."""
    from .plan import greedy_placement

    prep = prepare(s)
    order = greedy_placement(prep, n)
    st = prep.region.stations
    return tuple(
        PlacedVan(f"V{i + 1}", 0, st[sid][1], st[sid][2], "24/7", sid)
        for i, sid in ((i, order[i % len(order)]) for i in range(n))
    )


def _point_vans(
    s: Scenario, point: dict[str, Any], placements: dict[tuple[Any, int], tuple[PlacedVan, ...]]
) -> tuple[PlacedVan, ...] | None:
    """The fleet of a point: ``fleet_size`` vans on the greedy stations (one placement per
    demand growth and size, computed once and shared by every shift, protocol and
    replication: it depends on nothing else), or the scenario's vans on the point's shift."""
    if "fleet_size" in point:
        n = int(point["fleet_size"])
        key = (point.get("demand_growth"), n)
        if key not in placements:
            placements[key] = _placement(s, n)
        shift = point.get("shift", "24/7")
        return tuple(PlacedVan(v.call_sign, v.area, v.lat, v.lon, shift, v.station) for v in placements[key])
    if "shift" in point:
        return tuple(PlacedVan(v.call_sign, v.area, v.lat, v.lon, point["shift"], v.station) for v in build_region(s).vans)
    return None


def _task(args: tuple[Scenario, dict[str, Any], int, tuple[PlacedVan, ...] | None]) -> dict[str, Any]:
    scenario, point, replication, vans = args
    s = _grown(scenario, point)
    r = run_replication(prepare(s, protocol=point.get("protocol"), vans=vans), replication)
    return {"point": point, "replication": replication, "kpis": r.kpis}


def sweep(scenario: Scenario, grid: dict[str, Any], *, executor: Executor | None = None) -> dict[str, Any]:
    from .runner import confidence_intervals

    reps = int(grid.get("replications", scenario.replications))
    pts = points(grid)
    if any("fleet_size" in p for p in pts) and len(build_region(scenario).areas) != 1:
        raise ScenarioError("fleet_size sweeps need a single-area scenario (la-ttp, la-ttp-20k)")
    placements: dict[tuple[Any, int], tuple[PlacedVan, ...]] = {}
    fleets = [_point_vans(_grown(scenario, p), p, placements) for p in pts]
    tasks = [(scenario, p, r, vans) for p, vans in zip(pts, fleets, strict=True) for r in range(reps)]
    results = (executor or local_executor)(_task, tasks)
    table = []
    for p in pts:
        ks = [r["kpis"] for r in results if r["point"] == p]
        ci = confidence_intervals(ks)
        row: dict[str, Any] = dict(p)
        for key in REPORTED:
            c = ci.get(key)
            row[key] = None if c is None else c["mean"]
            if c is not None and c["ci95_low"] is not None:
                row[key + ".ci95"] = [c["ci95_low"], c["ci95_high"]]
        table.append(row)
    return {"scenario": scenario.name, "grid": grid, "replications": reps, "points": table}
