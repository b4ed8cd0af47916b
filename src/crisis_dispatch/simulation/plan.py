"""Fleet planning: the smallest fleet, its stations and its shifts that meet a response target.

Each area (the city; or each county of a statewide scenario) is planned on its own: its own
demand, its own candidate stations, its own clock (``p90<=budget``: 60 minutes urban, 120
rural). Per area:

1. **Placement** (p-median, greedy): on a sample of the area's team calls, add one station
   at a time, each time the candidate station that most reduces the mean travel time from
   the nearest van (the scenario's travel-time provider). More vans than candidate
   stations share stations, in greedy order.
2. **Sizing**: fleets on the greedy stations, all round the clock, until the target
   percentile of response time is met overall *and in every hour of the day*; the search
   starts at an Erlang C estimate for the busiest hour and never simulates a size under a
   lower bound (:mod:`.sizing`), then walks and bisects to the smallest fleet that meets
   the target with one van fewer failing.
3. **Shifts**: the most vans, last placed first, that can move from 24/7 to the 12-hour
   ``peak-12h`` shift while the target still holds at every hour (the search starts at an
   Erlang C estimate of the round-the-clock vans the quiet hours need).

Every check is a full simulation of the area through the domain. The area's calls, their
fates and the travel times from each station are drawn once and shared by every fleet
checked (common random numbers); a check whose target is already missed for certain part
way through the year stops there. Areas of a multi-area scenario are independent tasks for
the Dask executor; a single area uses the machine's second core itself: its searches ask
for fleets in pairs (a guess and one van fewer), checked at once, one in a forked copy of
the process, and its travel times are computed on both cores. Nothing here mutates its
inputs or keeps state between calls.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import numpy as np

from crisis_dispatch.reporting.history import INCIDENT, HistoryTable
from crisis_dispatch.reporting.kpis import team_responses
from crisis_dispatch.routing.provider import TravelTimeProvider

from .demand import AreaDemand, resolve_fates
from .distributed import Executor, local_executor
from .engine import AreaSimulation
from .region import PlacedVan, Region, station_etas
from .runner import Prepared, area_demand, prepare
from .scenario import Scenario, ScenarioError
from .sizing import expected_job_minutes, hourly_rates, late_share, smallest_fleet
from .target import Target, TargetError, parse_target

__all__ = [
    "AreaPlan",
    "Check",
    "FleetVan",
    "Placement",
    "Plan",
    "Target",
    "TargetError",
    "Trial",
    "evaluate",
    "expected_job_minutes",
    "greedy_placement",
    "parse_target",
    "place",
    "plan",
    "plan_area",
    "resolve_areas",
    "size_bounds",
    "check_fleet",
    "first_true",
    "AreaCase",
    "spare_cores",
]

#: Share of an area's calls a check simulates first: when the target is already missed for
#: certain on them, the check stops there. It must exceed the share of calls the target
#: lets be late (10 % for p90): on a quarter, a p90 check stops once 40 % are late.
PREFIX_SHARE = 1 / 4

#: An area with at least this many team calls (a year, all replications) first searches on
#: the prefix of its calls (a "pilot") for where the full search should start. The full
#: checks go on from the prefix runs, so a pilot at the sizes the full search checks anyway
#: costs nothing; one elsewhere costs a quarter of a check; a good start saves whole checks.
PILOT_MIN_TEAM_CALLS = 5_000

_T = TypeVar("_T")


def _area_stations(prep: Prepared, area: int) -> list[str]:
    return sorted(sid for sid, (a, _, _) in prep.region.stations.items() if a == area)


@dataclass(frozen=True)
class Placement:
    """Candidate stations of one area in the order a greedy p-median adds them."""

    order: list[str]
    #: Mean travel (seconds) from the nearest of the first k + 1 stations, per k.
    mean_travel_s: list[float]
    #: Per sampled team call: travel from the nearest candidate station (a floor for any fleet).
    floor_s: np.ndarray
    #: Per sampled team call (rows) and k: travel from the nearest of the first k + 1 stations.
    nearest_s: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


def greedy_placement(prep: Prepared, n_max: int, *, sample: int = 1500, area: int = 0) -> list[str]:
    """Stations of ``area`` in the order a greedy p-median adds them."""
    return place(prep, n_max, sample=sample, area=area).order


def place(
    prep: Prepared, n_max: int, *, sample: int = 1500, area: int = 0, demand: AreaDemand | None = None, cores: int = 0
) -> Placement:
    """Greedy p-median on a sample of the area's team calls: add, one at a time, the candidate
    station that most reduces the mean travel time from the nearest chosen station.
    ``demand``: the area's calls of replication 0, when the caller has drawn them already;
    ``cores``: processes to fork for the travel times (:func:`eta_columns`)."""
    stations = prep.region.stations
    ids = _area_stations(prep, area)
    if not ids:
        raise ScenarioError(f"area '{prep.region.areas[area].name}' has no candidate station")
    demand = area_demand(prep, 0, area) if demand is None else demand
    rows = _sample_rows(prep, demand, sample)
    cache = eta_columns(prep.region.provider, [(sid, stations[sid][1], stations[sid][2]) for sid in ids], demand, rows, cores)
    d = np.column_stack([cache[sid] for sid in ids])[rows].astype(float)  # sample x stations
    if d.shape[0] == 0:
        return Placement(ids[: max(1, n_max)], [0.0] * min(len(ids), max(1, n_max)), np.zeros(0))
    taken = np.zeros(len(ids), dtype=bool)
    chosen: list[str] = []
    means: list[float] = []
    best = np.full(d.shape[0], np.inf)
    nearest = []
    for _ in range(min(n_max, len(ids))):
        cost = np.minimum(best[:, None], d).mean(axis=0)
        cost[taken] = np.inf
        j = int(np.argmin(cost))
        taken[j] = True
        chosen.append(ids[j])
        best = np.minimum(best, d[:, j])
        means.append(float(best.mean()))
        nearest.append(best)
    return Placement(chosen, means, d.min(axis=1), np.column_stack(nearest))


def eta_columns(
    provider: TravelTimeProvider,
    stations: Sequence[tuple[str, float, float]],
    demand: AreaDemand,
    rows: np.ndarray,
    cores: int = 0,
) -> dict[str, np.ndarray]:
    """Each station's ETA column (:func:`~.region.station_etas`) for the calls ``rows``
    selects, the stations split over this process and ``cores`` forked ones. A column is the
    same whichever process computes it, and with whichever others (each trip's time is)."""
    parts = [list(stations[k :: cores + 1]) for k in range(cores + 1)] if len(stations) > 1 else [list(stations)]
    children = [(part, _fork(partial(_columns, provider, part, demand, rows))) for part in parts[1:] if part]
    out = _columns(provider, parts[0], demand, rows)
    for part, child in children:
        cols = child()
        out.update(cols if isinstance(cols, dict) else _columns(provider, part, demand, rows))
    return out


def _columns(
    provider: TravelTimeProvider, stations: Sequence[tuple[str, float, float]], demand: AreaDemand, rows: np.ndarray
) -> dict[str, np.ndarray]:
    cache: dict[str, np.ndarray] = {}
    station_etas(provider, stations, demand, rows, cache)
    return cache


def _sample_rows(prep: Prepared, demand: AreaDemand, sample: int) -> np.ndarray:
    idx = np.flatnonzero(prep.mix.team_mask[demand.mix])
    if len(idx) > sample:
        idx = idx[np.linspace(0, len(idx) - 1, sample).astype(int)]
    rows = np.zeros(len(demand), dtype=bool)
    rows[idx] = True
    return rows


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


# --------------------------------------------------------------------------- one area's calls


@dataclass
class _Calls:
    """One replication of one area: its calls and their fates, drawn once and shared by every
    fleet checked, and the travel-time column of each station used so far (the planner's own
    memo, filled as fleets use new stations)."""

    demand: AreaDemand
    fates: tuple[np.ndarray, ...]
    team: np.ndarray  # per call: does it send the team
    hour: np.ndarray  # per call: local hour of day of its arrival (= triage)
    etas: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class AreaCase:
    """What checking fleets in one area needs: its calls per replication, its target."""

    prep: Prepared
    area: int
    minutes: float
    percentile: float
    calls: list[_Calls]

    @classmethod
    def build(cls, prep: Prepared, area: int, target: Target, replications: int) -> AreaCase:
        s = prep.scenario
        calls = []
        for r in range(replications):
            d = area_demand(prep, r, area)
            hour = np.floor((s.local_hour0 + d.t / 3600.0) % 24.0).astype(int)
            calls.append(_Calls(d, resolve_fates(s, prep.mix, d), prep.mix.team_mask[d.mix], hour))
        return cls(prep, area, target.minutes_for(prep.region.areas[area]), target.percentile, calls)

    def etas(self, c: _Calls, vans: Sequence[PlacedVan]) -> np.ndarray:
        provider = self.prep.region.provider
        return station_etas(provider, [(v.station, v.lat, v.lon) for v in vans], c.demand, c.team, c.etas)

    def warm(self, stations: Sequence[str], cores: int) -> None:
        """Compute the ETA columns of ``stations`` for every replication now, over ``cores``
        forked processes and this one (:func:`eta_columns`)."""
        provider, where = self.prep.region.provider, self.prep.region.stations
        for c in self.calls:
            todo = [(sid, where[sid][1], where[sid][2]) for sid in stations if sid not in c.etas]
            c.etas.update(eta_columns(provider, todo, c.demand, c.team, cores))

    def allowance(self) -> tuple[int, np.ndarray]:
        """How many team calls may be late, overall and per hour, before the target is missed
        for certain (one fewer than the percentile allows, to stay clear of rounding)."""
        team_hours = np.concatenate([c.hour[c.team] for c in self.calls])
        per_hour = np.bincount(team_hours, minlength=24)
        q = self.percentile / 100.0
        total = len(team_hours)
        return total - math.floor(q * total), per_hour - np.floor(q * per_hour).astype(int)


def _start(case: AreaCase, c: _Calls, vans: Sequence[PlacedVan]) -> AreaSimulation:
    """``vans`` on one replication of the area's calls, ready to run."""
    prep = case.prep
    region = Region(prep.region.areas, tuple(vans), prep.region.provider, prep.region.stations)
    sim = AreaSimulation(prep.scenario, region, case.area, prep.mix, c.demand, c.fates, etas=case.etas(c, vans))
    sim.start()
    return sim


def _times(history: HistoryTable, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per call, triage and on-scene seconds (NaN when not (yet) on scene)."""
    return history.first_time(INCIDENT, "triaged", n), history.first_time(INCIDENT, "on_scene", n)


class Prefix:
    """A fleet simulated over the first ``PREFIX_SHARE`` of every replication's calls: the
    full runs, stopped at the arrival of the first call after that share, and resumable.

    Every event up to that instant is an event of the full run, so a call on scene by then
    has its final response and one still waiting has waited at least until then."""

    def __init__(self, case: AreaCase, vans: Sequence[PlacedVan]) -> None:
        total_allowed, hour_allowed = case.allowance()
        late_total, late_hour, days = 0, np.zeros(24, dtype=int), 0.0
        resp, hours = [], []
        self.runs: list[AreaSimulation] = []
        for c in case.calls:
            k = int(len(c.demand) * PREFIX_SHARE)
            sim = _start(case, c, vans)
            self.runs.append(sim)
            if k == 0 or k >= len(c.demand):
                continue
            cut = float(c.demand.t[k])
            sim.advance(cut)
            tri, on = (v[:k] for v in _times(sim.history_so_far(), len(c.demand)))
            reached = np.where(np.isnan(on), np.inf, on)
            team, hour = c.team[:k], c.hour[:k]
            late = team & ((np.minimum(reached, cut) - tri) / 60.0 > case.minutes)
            late_total += int(late.sum())
            late_hour += np.bincount(hour[late], minlength=24)
            days += cut / 86_400.0
            resp.append((np.where(reached <= cut, reached - tri, np.inf) / 60.0)[team])
            hours.append(hour[team])
        missed = late_total > total_allowed or bool((late_hour > hour_allowed).any())
        #: Simulated days after which the target is missed for certain (more team calls
        #: certainly late than the target allows over the whole run, overall or in some hour
        #: of the day), else None.
        self.missed_after_days = round(days, 1) if missed and resp else None
        #: The target on the prefix's team calls alone (a call still waiting at the cut
        #: counted as late): an estimate, used only to choose where a full search starts.
        self.pilot_meets = bool(resp) and _meets(np.concatenate(resp), np.concatenate(hours), case.percentile, case.minutes)[0]

    def close(self) -> None:
        """Drop the paused runs (when no full check will need them)."""
        for sim in self.runs:
            sim.loop.close()
        self.runs = []


@dataclass(frozen=True)
class Check:
    """One fleet checked against the target: met or not, the percentile overall (None when
    it falls on calls never reached, or when the check stopped early) and by hour."""

    meets: bool
    value: float | None
    by_hour: tuple[float | None, ...]
    #: Simulated days after which the check stopped, the target missed for certain.
    stopped_after_days: float | None = None


def check_fleet(case: AreaCase, vans: Sequence[PlacedVan], *, early_stop: bool = False, prefix: Prefix | None = None) -> Check:
    """Simulate ``vans`` over the case's replications and test the target on all the team
    calls, overall and by hour. ``early_stop``: look first at the prefix of the calls (and
    stop there when the target is missed for certain); ``prefix``: those runs, already made
    (they go on to the horizon from where they stopped: nothing is simulated twice)."""
    if early_stop and prefix is None:
        prefix = Prefix(case, vans)
    if prefix is not None and prefix.missed_after_days is not None:
        prefix.close()
        return Check(False, None, (), prefix.missed_after_days)
    runs = prefix.runs if prefix is not None and prefix.runs else [_start(case, c, vans) for c in case.calls]
    tiers = np.array([e.tier for e in case.prep.mix.entries]).astype(str)
    resp, hours = [], []
    for c, sim in zip(case.calls, runs, strict=True):
        sim.advance(sim.horizon)
        res = sim.finish()
        tri, on = _times(res.history, len(res.mix))
        _, resp_min, hour = team_responses(tiers[c.demand.mix], tri, on, case.prep.scenario.local_hour0)
        resp.append(resp_min)
        hours.append(hour)
    if prefix is not None:
        prefix.runs = []
    all_resp, all_hours = np.concatenate(resp), np.concatenate(hours)
    ok, by_hour = _meets(all_resp, all_hours, case.percentile, case.minutes)
    q = _quantile(all_resp, case.percentile)
    return Check(ok, round(q, 2) if math.isfinite(q) else None, tuple(by_hour))


def evaluate(prep: Prepared, vans: Sequence[PlacedVan], target: Target, replications: int, *, area: int = 0) -> Check:
    """Simulate ``vans`` in ``area`` (that area only, its own demand and clock) over
    ``replications`` and test the target on all its team calls, overall and by hour."""
    return check_fleet(AreaCase.build(prep, area, target, replications), vans)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Trial:
    """A fleet the search simulated."""

    vans: int
    part_time: int
    value: float | None
    meets: bool
    stopped_after_days: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"vans": self.vans, "part_time": self.part_time, "value": self.value, "meets": self.meets}
        if self.stopped_after_days is not None:
            out["stopped_after_days"] = self.stopped_after_days
        return out


@dataclass(frozen=True)
class FleetVan:
    call_sign: str
    station: str
    shift: str


@dataclass(frozen=True)
class AreaPlan:
    """One area's plan: its inputs, the fleet (empty when not met) and every fleet tried."""

    area: str
    rural: bool
    target_minutes: float
    max_vans: int
    team_calls_per_year: float
    offered_load_vans: float
    candidate_stations: int
    #: Sizes under this were not simulated: the load or the Erlang C bound rules them out.
    lower_bound_vans: int
    met: bool
    trials: tuple[Trial, ...]
    wall_s: float
    fleet: tuple[FleetVan, ...] = ()
    staffed_van_hours_per_day: float = 0.0
    value_minutes: float | None = None
    by_hour_minutes: tuple[float | None, ...] = ()
    reason: str | None = None

    @property
    def vans(self) -> int:
        return len(self.fleet)

    @property
    def vans_part_time(self) -> int:
        return sum(1 for v in self.fleet if v.shift != "24/7")

    @property
    def vans_24_7(self) -> int:
        return self.vans - self.vans_part_time

    @property
    def stations(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for v in self.fleet:
            out.setdefault(v.station, {}).setdefault(v.shift, 0)
            out[v.station][v.shift] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "area": self.area,
            "rural": self.rural,
            "target_minutes": self.target_minutes,
            "max_vans": self.max_vans,
            "team_calls_per_year": self.team_calls_per_year,
            "offered_load_vans": self.offered_load_vans,
            "candidate_stations": self.candidate_stations,
            "lower_bound_vans": self.lower_bound_vans,
            "met": self.met,
        }
        if self.met:
            out |= {
                "vans": self.vans,
                "vans_24_7": self.vans_24_7,
                "vans_part_time": self.vans_part_time,
                "fleet": [{"call_sign": v.call_sign, "station": v.station, "shift": v.shift} for v in self.fleet],
                "stations": self.stations,
                "staffed_van_hours_per_day": self.staffed_van_hours_per_day,
                "value_minutes": self.value_minutes,
                "by_hour_minutes": list(self.by_hour_minutes),
            }
        out["trials"] = [t.to_dict() for t in self.trials]
        out["wall_s"] = self.wall_s
        if self.reason is not None:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Plan:
    """Every planned area; a single-area scenario's ``to_dict`` gives that area at the top."""

    scenario: str
    target: str
    replications: int
    max_vans: int
    areas: tuple[AreaPlan, ...]
    wall_s: float
    multi_area: bool

    @property
    def met(self) -> bool:
        return all(a.met for a in self.areas)

    def totals(self) -> dict[str, Any]:
        met = [a for a in self.areas if a.met]
        return {
            "areas": len(self.areas),
            "areas_met": len(met),
            "areas_not_met": [a.area for a in self.areas if not a.met],
            "team_calls_per_year": round(sum(a.team_calls_per_year for a in self.areas), 1),
            "vans": sum(a.vans for a in met),
            "vans_24_7": sum(a.vans_24_7 for a in met),
            "vans_part_time": sum(a.vans_part_time for a in met),
            "staffed_van_hours_per_day": sum(a.staffed_van_hours_per_day for a in met),
            "cpu_s": round(sum(a.wall_s for a in self.areas), 2),
            "fleets_simulated": sum(len(a.trials) for a in self.areas),
        }

    def to_dict(self) -> dict[str, Any]:
        head = {"scenario": self.scenario, "target": self.target, "replications": self.replications, "max_vans": self.max_vans}
        if not self.multi_area:
            return {**self.areas[0].to_dict(), **head, "wall_s": self.wall_s}
        return {
            **head,
            "met": self.met,
            "areas": [a.to_dict() for a in self.areas],
            "totals": self.totals(),
            "wall_s": self.wall_s,
        }


# --------------------------------------------------------------------------- one area's search


class _Search:
    """The fleets of one area and the memo of those simulated."""

    def __init__(
        self,
        case: AreaCase,
        placement: Placement,
        target: Target,
        progress: Callable[[str], None] | None,
    ) -> None:
        self.case, self.placement, self.target, self.progress = case, placement, target, progress
        self.checked: dict[tuple[int, int], Check] = {}
        self.prefixes: dict[tuple[int, int], Prefix] = {}
        #: Checks made ahead of the search (:meth:`prefetch`), not yet asked for.
        self.ahead: dict[tuple[int, int], Check] = {}
        #: Do the searches first run on the prefix (a large area)?
        self.piloted = False
        #: Processes :meth:`prefetch` may fork next to this one (0: checks one at a time).
        self.spare_cores = 0
        self.trials: list[Trial] = []

    def vans_for(self, n: int, part_time: int = 0) -> list[PlacedVan]:
        order, stations, area = self.placement.order, self.case.prep.region.stations, self.case.area
        out = []
        for i in range(n):
            sid = order[i % len(order)]  # more vans than stations: they share stations, in greedy order
            shift = "peak-12h" if i >= n - part_time else "24/7"
            out.append(PlacedVan(f"V{i + 1}", area, stations[sid][1], stations[sid][2], shift, sid))
        return out

    def prefix(self, n: int, part_time: int = 0) -> Prefix:
        """The fleet on the first ``PREFIX_SHARE`` of the calls (memoised)."""
        if (n, part_time) not in self.prefixes:
            self.prefixes[n, part_time] = Prefix(self.case, self.vans_for(n, part_time))
        return self.prefixes[n, part_time]

    def pilot(self, n: int, part_time: int = 0) -> bool:
        """Does the fleet meet the target on the prefix alone? (An estimate: it only chooses
        where a full search starts.)"""
        pre = self.prefix(n, part_time)
        return pre.missed_after_days is None and pre.pilot_meets

    def check(self, n: int, part_time: int = 0) -> Check:
        """The fleet simulated over the whole run, unless its prefix (:meth:`prefix`, which
        the full run continues from) already misses the target for certain."""
        if (n, part_time) not in self.checked:
            res = self.ahead.pop((n, part_time), None) or self.full_check(n, part_time)
            self.checked[n, part_time] = res
            self.trials.append(Trial(n, part_time, res.value, res.meets, res.stopped_after_days))
            if self.progress:
                what = f"{n} vans" + (f" ({part_time} on peak-12h)" if part_time else "")
                name = self.case.prep.region.areas[self.case.area].name
                self.progress(f"{name}: {what}: p{self.target.percentile:g} = {res.value} min")
        return self.checked[n, part_time]

    def full_check(self, n: int, part_time: int = 0) -> Check:
        """The fleet checked (going on from its prefix runs, when made), not recorded."""
        return check_fleet(self.case, self.vans_for(n, part_time), prefix=self.prefix(n, part_time))

    def prefetch(self, keys: Sequence[tuple[int, int]]) -> None:
        """Check the fleets ``keys`` (``(vans, part_time)``, the ones the search asks next,
        in that order) at once: the first here, up to :attr:`spare_cores` of the others each in
        a forked copy of this process (which goes on from the paused prefix runs it inherits).
        Results and the order of :attr:`trials` are those of asking one at a time: a check
        made ahead is recorded only when the search asks for it."""
        todo = [k for k in dict.fromkeys(keys) if k not in self.checked and k not in self.ahead]
        forks = []
        for key in todo[1 : 1 + self.spare_cores]:
            pre = self.prefixes.get(key)
            if pre is None or pre.missed_after_days is None:  # a certain miss costs nothing
                forks.append((key, _fork(partial(self.full_check, *key))))
        if todo:
            self.check(*todo[0])
        for key, child in forks:
            res = child()
            if isinstance(res, Check):
                self.ahead[key] = res
                if key in self.prefixes:
                    self.prefixes[key].close()  # the child went on from these runs

    def close(self, keep: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset()) -> None:
        """Drop the paused runs no full check continued, but those of the fleets ``keep``
        (the ones the full search asks first). A fleet checked later anyway starts again
        from the first call: the same check (a resumed run equals a straight one), at the
        cost of its first quarter, for a fraction of the memory."""
        for key, pre in self.prefixes.items():
            if key not in keep:
                pre.close()


def _send(work: Callable[[], Any], conn: Connection) -> None:  # pragma: no cover - runs in the child
    with conn:
        conn.send(work())


def _fork(work: Callable[[], _T]) -> Callable[[], _T | None]:
    """Run ``work`` in a forked child (multiprocessing's "fork" start: the child shares this
    process's memory, copy on write, paused runs included, so ``work`` is never pickled);
    the returned function waits for its result (None when the child failed: the caller then
    does the work itself)."""
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    child = fork.Process(target=_send, args=(work, send), daemon=True)
    child.start()
    send.close()

    def result() -> _T | None:
        res: _T | None = None
        with receive, contextlib.suppress(EOFError):  # EOF: the child failed before sending
            res = receive.recv()
        child.join()
        return res if child.exitcode == 0 else None

    return result


def spare_cores() -> int:
    """Cores a single-area plan may use next to its own (at most one: the searches ask for
    fleets in pairs), 0 where processes cannot be forked."""
    if not hasattr(os, "fork") or not hasattr(os, "sched_getaffinity"):
        return 0
    return min(1, len(os.sched_getaffinity(0)) - 1)


def first_true(
    pred: Callable[[int], bool],
    lo: int,
    hi: int,
    guess: int,
    prefetch: Callable[[list[int]], None] | None = None,
) -> int:
    """The smallest ``x`` in ``(lo, hi]`` with ``pred(x)``, for a ``pred`` false up to some
    point and true from there on; ``pred(lo)`` is taken as false and ``pred(hi)`` as true
    (neither is asked). Starts at ``guess`` and its neighbour below, then walks 1, 2, 4, ...
    up from the last false (or down from the last true) and bisects. ``prefetch`` is told
    the guess and its neighbour below first (it may work them out together)."""
    if hi - lo <= 1:
        return hi
    g = min(max(guess, lo + 1), hi - 1)
    if prefetch is not None:
        prefetch([g, g - 1] if g - 1 > lo else [g])
    if pred(g):
        hi = g
        if g - 1 > lo and not pred(g - 1):
            return g
        hi = g if g - 1 <= lo else g - 1
        step = 1
        # Both true: the guess was high; walk down 1, 2, 4, ... from the last true, as up.
        while hi - lo > 1:
            cand = max(hi - step, lo + 1)
            if not pred(cand):
                lo = cand
                break
            hi, step = cand, step * 2
    else:
        lo, step = g, 1
        while hi - lo > 1:
            cand = min(lo + step, hi - 1)
            if pred(cand):
                hi = cand
                break
            lo, step = cand, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid
    return hi


@dataclass(frozen=True)
class _Sizing:
    """Where the searches start and the smallest size they simulate."""

    lower: int
    guess: int
    quiet_hours_guess: int


def size_bounds(prep: Prepared, area: int, target: Target, placement: Placement, max_vans: int) -> _Sizing:
    """The planner's queueing estimates for one area (:mod:`.sizing`).

    ``lower``: fewer vans cannot carry the offered load with travel, or leave more calls
    late than allowed even at the day's *mean* rate (the target must hold in the busiest
    hour too), each call's travel taken from the nearest of the fleet's stations (a van
    is never nearer). ``guess``: the Erlang C estimate at the busiest hour's rate.
    ``quiet_hours_guess``: the estimate for the round-the-clock vans alone, at the
    busiest hour outside the ``peak-12h`` shift.
    """
    s = prep.scenario
    a = prep.region.areas[area]
    minutes = target.minutes_for(a)
    per_hour = prep.calls_per_year * a.weight * prep.mix.team_share / 8760.0
    job = expected_job_minutes(s) + s.turnout_minutes
    near = placement.nearest_s

    def travel(c: int) -> np.ndarray:
        return near[:, min(c, near.shape[1]) - 1] / 60.0 if near.size else np.zeros(0)

    def late_at(rate: float) -> Callable[[int], float]:
        return lambda c: late_share(c, rate, job, travel(c), minutes - s.turnout_minutes)

    share = 1.0 - target.percentile / 100.0
    n0 = max(1, math.ceil(per_hour * job / 60.0))
    n0 = max(n0, math.ceil(per_hour * (job + (float(travel(n0).mean()) if near.size else 0.0)) / 60.0))
    rates = hourly_rates(s, per_hour)
    lower = smallest_fleet(late_at(per_hour), share, start=n0, stop=max_vans)
    guess = smallest_fleet(late_at(float(rates.max())), share, start=lower, stop=max_vans)
    quiet = guess
    if "peak-12h" in s.shifts:
        on = np.zeros(24, dtype=bool)
        for lo, hi in s.shifts["peak-12h"]:
            on[int(lo) : int(math.ceil(hi))] = True
        if (~on).any():
            quiet = smallest_fleet(late_at(float(rates[~on].max())), share, start=1, stop=max_vans)
    return _Sizing(min(lower, max_vans), min(guess, max_vans), quiet)


def _area_head(prep: Prepared, area: int, target: Target, max_vans: int) -> dict[str, Any]:
    s, a = prep.scenario, prep.region.areas[area]
    team_year = prep.calls_per_year * a.weight * prep.mix.team_share
    job_min = expected_job_minutes(s) + s.turnout_minutes
    return {
        "area": a.name,
        "rural": a.rural,
        "target_minutes": target.minutes_for(a),
        "max_vans": max_vans,
        "team_calls_per_year": round(team_year, 1),
        "offered_load_vans": round(team_year / 8760.0 * job_min / 60.0, 2),
        "candidate_stations": len(_area_stations(prep, area)),
    }


def _out_of_reach(placement: Placement, target: Target, minutes: float, turnout: float) -> str | None:
    """Why no fleet can serve the area (travel alone from the nearest candidate station is
    too long), or None."""
    floor = _quantile(placement.floor_s / 60.0 + turnout, target.percentile)
    if floor > minutes * 1.02:
        return f"travel alone from the nearest candidate station gives p{target.percentile:g} {floor:.1f} min > {minutes:g} min"
    return None


def _part_time(search: _Search, n: int, bounds: _Sizing) -> int:
    """The most of the ``n`` vans, last placed first, that can move to ``peak-12h``."""
    if "peak-12h" not in search.case.prep.scenario.shifts or n <= 1:
        return 0

    guess = n - bounds.quiet_hours_guess + 1
    if search.piloted:
        # Where the prefix alone first fails: the full search starts there.
        guess = first_true(lambda k: not search.pilot(n, k), 0, n, guess)
        search.close(keep={(n, guess), (n, guess - 1)})
    # The first count that fails; n (all part time) is taken to fail.
    ahead = (lambda ks: search.prefetch([(n, k) for k in ks])) if search.spare_cores else None
    first_bad = first_true(lambda k: not search.check(n, k).meets, 0, n, guess, ahead)
    return first_bad - 1


def _size(search: _Search, bounds: _Sizing, max_vans: int) -> int:
    """The smallest round-the-clock fleet that meets the target (``max_vans + 1``: none)."""
    guess = bounds.guess
    if search.piloted:
        # A large area: the queueing start is often far under the answer (Los Angeles County:
        # 29 for 42), so the search first runs on the prefix of the calls, four times cheaper.
        guess = first_true(search.pilot, bounds.lower - 1, max_vans + 1, guess)
        search.close(keep={(guess, 0), (guess - 1, 0)})
    ahead = (lambda cs: search.prefetch([(c, 0) for c in cs])) if search.spare_cores else None
    n = first_true(lambda c: search.check(c).meets, bounds.lower - 1, max_vans + 1, guess, ahead)
    search.close()  # the sizes' paused runs: the shift search starts its own
    return n


def plan_area(
    prep: Prepared,
    area: int,
    target: Target,
    *,
    max_vans: int = 60,
    replications: int = 1,
    progress: Callable[[str], None] | None = None,
    cores: int = 0,
) -> AreaPlan:
    """The smallest fleet for one area (its own demand, its own clock, its candidate stations).

    Sizing: from the Erlang C estimate at the busiest hour (never below the lower bound of
    :func:`size_bounds`) the search walks to the smallest fleet that meets the target with
    one van fewer failing. Shifts: the largest number of vans, last placed first, that can
    move to ``peak-12h`` while the target still holds at every hour. Both searches assume
    more vans (or more of them round the clock) never make the target harder to meet,
    which holds for these fleets up to simulation noise. ``cores``: processes the searches
    may fork next to this one to check two fleets at once (:meth:`_Search.prefetch`; the
    same plan, sooner).
    """
    t0 = time.perf_counter()
    case = AreaCase.build(prep, area, target, replications)
    placement = place(prep, max_vans, area=area, demand=case.calls[0].demand, cores=cores)
    bounds = size_bounds(prep, area, target, placement, max_vans)
    if cores:
        # The travel times from the stations the first checks use, on all cores at once
        # (otherwise each check computes those of its new stations as it starts).
        case.warm(placement.order[: bounds.guess + 1], cores)
    head = {**_area_head(prep, area, target, max_vans), "lower_bound_vans": bounds.lower}
    reason = _out_of_reach(placement, target, case.minutes, prep.scenario.turnout_minutes)
    if reason is not None:
        # Even a van waiting at the nearest candidate station for every call is too far away.
        return AreaPlan(**head, met=False, trials=(), wall_s=round(time.perf_counter() - t0, 2), reason=reason)
    search = _Search(case, placement, target, progress)
    search.piloted = head["team_calls_per_year"] * replications >= PILOT_MIN_TEAM_CALLS
    search.spare_cores = cores
    try:
        n = _size(search, bounds, max_vans)
        part = _part_time(search, n, bounds) if n <= max_vans else 0
    finally:
        search.close()
    if n > max_vans:
        return AreaPlan(
            **head,
            met=False,
            trials=tuple(search.trials),
            wall_s=round(time.perf_counter() - t0, 2),
            reason=f"not met with up to {max_vans} vans",
        )
    res = search.check(n, part)
    fleet = search.vans_for(n, part)
    shifts = prep.scenario.shifts
    return AreaPlan(
        **head,
        met=True,
        trials=tuple(search.trials),
        wall_s=round(time.perf_counter() - t0, 2),
        fleet=tuple(FleetVan(v.call_sign, v.station, v.shift) for v in fleet),
        staffed_van_hours_per_day=sum(sum(b - a_ for a_, b in shifts[v.shift]) for v in fleet),
        value_minutes=res.value,
        by_hour_minutes=res.by_hour,
    )


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


def _plan_areas_task(args: tuple[Scenario, Target, tuple[int, ...], int, int]) -> list[AreaPlan]:
    """Some areas' plans in a worker (Dask or in-process), one prepared scenario for them."""
    scenario, target, areas, max_vans, replications = args
    prep = prepare(scenario)
    return [plan_area(prep, a, target, max_vans=max_vans, replications=replications) for a in areas]


def _groups(prep: Prepared, chosen: Sequence[int], n_groups: int) -> list[tuple[int, ...]]:
    """The areas in ``n_groups`` tasks of about equal calls, largest area first in each
    (longest first onto the lightest group); the largest areas get a task of their own."""
    order = sorted(chosen, key=lambda i: (-prep.region.areas[i].weight, i))
    groups: list[list[int]] = [[] for _ in range(min(n_groups, len(order)))]
    load = [0.0] * len(groups)
    for i in order:
        g = min(range(len(groups)), key=lambda k: (load[k], k))
        groups[g].append(i)
        load[g] += prep.region.areas[i].weight
    return [tuple(g) for g in sorted(groups, key=lambda g: -prep.region.areas[g[0]].weight)]


def plan(
    scenario: Scenario,
    target: Target,
    *,
    max_vans: int = 60,
    replications: int = 1,
    progress: Callable[[str], None] | None = None,
    areas: Sequence[str] | None = None,
    executor: Executor | None = None,
    tasks: int = 8,
) -> Plan:
    """Plan every area of the scenario (or the listed ``areas``), each independently.

    A multi-area scenario (california) plans its areas as ``tasks`` tasks of ``executor``
    (Dask, or in this process), grouped to about equal calls, largest first.
    """
    t0 = time.perf_counter()
    prep = prepare(scenario)
    chosen = resolve_areas(prep, areas)
    multi = len(prep.region.areas) > 1
    if not multi:
        # One area: its searches check fleets in pairs on this machine's spare core.
        results = [
            plan_area(prep, 0, target, max_vans=max_vans, replications=replications, progress=progress, cores=spare_cores())
        ]
    else:
        jobs = [(scenario, target, g, max_vans, replications) for g in _groups(prep, chosen, tasks)]
        results = [r for part in (executor or local_executor)(_plan_areas_task, jobs) for r in part]
    per_area = tuple(sorted(results, key=lambda r: r.area))
    return Plan(scenario.name, str(target), replications, max_vans, per_area, round(time.perf_counter() - t0, 2), multi)
