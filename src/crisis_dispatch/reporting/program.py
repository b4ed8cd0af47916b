"""The program's report for any window: one model, computed from the status history.

The live service (``services/reports.program_report``) and the simulator build the same
:class:`~crisis_dispatch.reporting.history.HistoryTable` and
:class:`~crisis_dispatch.reporting.kpis.IncidentFacts` and call :func:`program_report`, which
reads response times, fallbacks, escalations and utilisation through
:func:`~crisis_dispatch.reporting.kpis.compute_kpis` (the simulator's KPI code) and adds what a
county board reads: every share with its count and denominator (``23 of 113 (20.4 %)``),
screened-out calls by reason, holds, transports and the impact estimates with their assumptions.
Every figure is defined in docs/reporting.md (version :data:`DEFINITIONS_VERSION`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from crisis_dispatch.domain.impact import Impact
from crisis_dispatch.domain.outcomes import Disposition
from crisis_dispatch.domain.queueing import EscalationKind

from .history import HistoryTable
from .kpis import (
    NO_IMPACT,
    IncidentFacts,
    clock_minutes,
    compute_kpis,
    fell_back,
    percentiles,
    phase_times,
    team_responses,
)

#: The version of the definitions in docs/reporting.md the figures follow.
DEFINITIONS_VERSION = "2026.12.2"
#: The report's top-level keys, in order: a contract others script against.
TOP_LEVEL_KEYS: tuple[str, ...] = (
    "window",
    "team_calls",
    "outcomes",
    "response_times",
    "screened_out",
    "holds",
    "transports",
    "impact",
    "definitions_version",
)
#: Counts from 1 to SMALL_CELL - 1 are suppressed in what an analyst may export.
SMALL_CELL = 11
#: The headline outcome's name in the report (NEMSIS 4227001 + 4228001 + 4230013 + 4231005).
TREATED_ON_SITE = "treated_and_released_on_site"
#: Outcome keys: the dispositions (treated and released under its report name), then the team
#: calls without one, so that the outcome shares of the team calls add up to 1.
OUTCOME_KEYS: tuple[str, ...] = (
    *(TREATED_ON_SITE if d is Disposition.TREATED_AND_RELEASED else d.value for d in Disposition),
    "outcome_not_recorded",
    "not_reached",
)
#: The crews' watches (local time), as the LA fleet is staffed (services/seed.SHIFT_STARTS).
SHIFTS: tuple[tuple[str, int, int], ...] = (("day", 7, 15), ("evening", 15, 23), ("night", 23, 7))
BACKUP = (Disposition.ESCALATED_TO_POLICE.value, Disposition.ESCALATED_TO_EMS.value)
#: Outcomes of a person assessed and served without detention (holds avoided, WIC 5150(c)).
SERVED_WITHOUT_DETENTION = frozenset(
    d.value
    for d in (
        Disposition.TREATED_AND_RELEASED,
        Disposition.VOLUNTARY_TRANSPORT,
        Disposition.REFERRED,
        Disposition.CARE_COURT_PETITION_RECOMMENDED,
        Disposition.DECLINED_SERVICES,
    )
)
#: A screened-out call without a recorded reason (a screened-out reason is the triage's).
UNKNOWN_REASON = "reason_not_recorded"
NOT_TRIAGED = "not_triaged"


@dataclass(frozen=True)
class Share:
    """A count out of a denominator: ``23 of 113 (20.4 %)``. ``count`` is None when suppressed."""

    count: int | None
    denominator: int

    @property
    def share(self) -> float | None:
        if self.count is None or self.denominator == 0:
            return None
        return round(self.count / self.denominator, 4)

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "share": self.share, "denominator": self.denominator}

    def text(self) -> str:
        if self.count is None:
            return f"fewer than {SMALL_CELL} of {self.denominator}"
        if self.share is None:
            return f"{self.count} of {self.denominator}"
        return f"{self.count} of {self.denominator} ({100 * self.count / self.denominator:.1f} %)"


def share(count: int | np.integer[Any] | np.bool_, denominator: int | np.integer[Any]) -> Share:
    return Share(int(count), int(denominator))


def _counts(values: np.ndarray) -> dict[str, int]:
    names, counts = np.unique(values.astype(str), return_counts=True)
    return {str(k): int(v) for k, v in zip(names, counts, strict=True) if k != ""}


def times(minutes: np.ndarray, clock_min: np.ndarray) -> dict[str, Any]:
    """Response-time summary of a group of team calls: n, p50/p90/p95 (None when the
    percentile lands on a call never reached), and the shares within 60, 120 minutes and
    the call's own clock (60 urban, 120 rural)."""
    p = percentiles(minutes)
    n = len(minutes)
    return {
        "n": n,
        "p50": p["p50"],
        "p90": p["p90"],
        "p95": p["p95"],
        "within_60_min": share((minutes <= 60.0).sum(), n).to_dict(),
        "within_120_min": share((minutes <= 120.0).sum(), n).to_dict(),
        "within_clock": share((minutes <= clock_min).sum(), n).to_dict(),
    }


#: Bins of the response-time histogram (minutes); the last bin holds later calls and those never reached.
HISTOGRAM_EDGES: tuple[float, ...] = (0, 15, 30, 45, 60, 75, 90, 105, 120, 150, 180)


def histogram(minutes: np.ndarray) -> list[dict[str, Any]]:
    """Team calls by response time: ``{"from_min", "to_min", "calls"}`` per bin, ``to_min``
    None for the last (later than the last edge, or never reached)."""
    n = len(minutes)
    out = []
    for lo, hi in zip(HISTOGRAM_EDGES, (*HISTOGRAM_EDGES[1:], None), strict=True):
        sel = (minutes >= lo) & ((minutes < hi) if hi is not None else True)
        out.append({"from_min": lo, "to_min": hi, "calls": share(np.sum(sel), n).to_dict()})
    return out


def shift_of(hour: np.ndarray) -> np.ndarray:
    """The watch of each local hour of day (``SHIFTS``)."""
    out = np.full(len(hour), SHIFTS[-1][0], dtype=object)
    for name, first, end in SHIFTS:
        if first < end:
            out[(hour >= first) & (hour < end)] = name
    return out.astype(str)


def program_report(
    history: HistoryTable,
    facts: IncidentFacts,
    *,
    window: dict[str, Any],
    impact: Impact = NO_IMPACT,
    follow_ups: dict[str, Any] | None = None,
    **kpi_args: float,
) -> dict[str, Any]:
    """The program report (JSON-ready) of one history. ``window``: start, end, time zone as
    the caller states them; ``kpi_args``: ``horizon_s``, ``local_hour0`` and the vans on duty
    and busy as the window opens, as :func:`compute_kpis` takes them; ``follow_ups``: the
    follow-up tasks due in the window done on time (``count``, ``denominator``), None when
    none are recorded (a simulated history). The top-level keys are a contract others script against:
    window, team_calls, outcomes, response_times, screened_out, holds, transports, impact,
    definitions_version."""
    kpis = compute_kpis(history, facts, impact=impact, **kpi_args)  # type: ignore[arg-type]
    local_hour0 = kpi_args.get("local_hour0", 0.0)
    n = len(facts)
    triaged, queued, _, on_scene, cancelled, closed = phase_times(history, n)
    team, minutes, hour = team_responses(facts.tier, triaged, on_scene, local_hour0)
    n_team = int(team.sum())
    clock_all = clock_minutes(facts)
    rural = clock_all > 60.0
    clock_min = clock_all[team]
    reached = team & ~np.isnan(on_scene)
    disp = facts.disposition.astype(str)
    dest = facts.destination.astype(str)
    blank = np.full(n, "", dtype=str)
    station = (facts.station if facts.station is not None else blank).astype(str)
    hold_type = (facts.hold_type if facts.hold_type is not None else blank).astype(str)
    # A CARE referral is the older disposition value or the flag recorded alongside any disposition.
    care = disp == Disposition.CARE_COURT_PETITION_RECOMMENDED.value
    if facts.care_referral is not None:
        care = care | facts.care_referral.astype(bool)

    outcome_counts = _counts(disp[reached])
    outcomes = {
        key: share(outcome_counts.get(Disposition.TREATED_AND_RELEASED.value if key == TREATED_ON_SITE else key, 0), n_team)
        for key in OUTCOME_KEYS[: len(Disposition)]
    }
    outcomes["outcome_not_recorded"] = share((reached & (disp == "")).sum(), n_team)
    outcomes["not_reached"] = share((team & ~reached).sum(), n_team)

    by_station_shift: dict[str, Any] = {}
    # A call is the station's whose van reached it; the others are grouped as not reached.
    team_station = np.where(~reached[team], "not reached", np.where(station[team] == "", "unknown station", station[team]))
    team_shift = shift_of(hour)
    for st in sorted(set(team_station.tolist())):
        for sh, _, _ in SHIFTS:
            sel = (team_station == st) & (team_shift == sh)
            if sel.any():
                by_station_shift[f"{st} / {sh}"] = {"station": st, "shift": sh, **times(minutes[sel], clock_min[sel])}
    area_team = facts.area[team]
    response_times = {
        "definition": "triage to the team on scene, in minutes; a call never reached counts as later than any target",
        **times(minutes, clock_min),
        "histogram": histogram(minutes),
        "by_hour": [times(minutes[hour == h], clock_min[hour == h]) for h in range(24)],
        "by_shift": {sh: times(minutes[team_shift == sh], clock_min[team_shift == sh]) for sh, _, _ in SHIFTS},
        "by_station_shift": by_station_shift,
        "urban_rural": {
            "urban": times(minutes[~rural[team]], clock_min[~rural[team]]),
            "rural": times(minutes[rural[team]], clock_min[rural[team]]),
        },
        "by_area": {
            facts.area_names[a]: times(minutes[area_team == a], clock_min[area_team == a])
            for a in sorted(set(area_team.tolist()))
        },
        "queue_wait_minutes": kpis["queue_wait_minutes"],
        "waited": share((~np.isnan(queued[team])).sum(), n_team).to_dict(),
        "escalations": kpis["escalations"],
        "utilisation": kpis["utilisation"],
        "utilisation_by_hour": kpis["utilisation_by_hour"],
    }

    tier = facts.tier.astype(str)
    phone = tier == "PHONE_988"
    screened = ~team & ~phone
    reason = (facts.screened_out if facts.screened_out is not None else blank).astype(str)
    reason = np.where(tier == "", NOT_TRIAGED, np.where(reason == "", UNKNOWN_REASON, reason))
    fell = fell_back(history, team, on_scene)
    waiting_cancelled = team & ~reached & ~np.isnan(cancelled)
    screened_out = {
        "calls": n,
        "eligible": share(n_team, n).to_dict(),
        "reached": share(reached.sum(), n).to_dict(),
        "phone_988": share(phone.sum(), n).to_dict(),
        "screened_out": share(screened.sum(), n).to_dict(),
        "by_reason": {k: share(v, n).to_dict() for k, v in sorted(_counts(reason[screened]).items())},
        "by_responder": {
            k: share(v, n).to_dict()
            for k, v in sorted(_counts(np.where(tier == "", "default responder", tier)[screened]).items())
        },
        "eligible_not_reached": {
            "fell_back_to_police_or_ems": share(fell.sum(), n_team).to_dict(),
            "cancelled_while_waiting": share(waiting_cancelled.sum(), n_team).to_dict(),
            "open_at_end": share((team & ~reached & np.isnan(closed) & np.isnan(cancelled)).sum(), n_team).to_dict(),
        },
    }

    held = reached & (disp == Disposition.INVOLUNTARY_HOLD.value)
    assessed = reached & np.isin(disp, list(SERVED_WITHOUT_DETENTION | {Disposition.INVOLUNTARY_HOLD.value}))
    holds = {
        "placed": share(held.sum(), n_team).to_dict(),
        "5150": int((held & (hold_type == "5150")).sum()),
        "5585": int((held & (hold_type == "5585")).sum()),
        "type_not_recorded": int((held & ~np.isin(hold_type, ["5150", "5585"])).sum()),
        "avoided": share((assessed & ~held).sum(), int(assessed.sum())).to_dict(),
        "hold_transports": int((held & (dest != "")).sum()),
    }
    transported = reached & (dest != "")
    transports = {
        "total": share(transported.sum(), n_team).to_dict(),
        "by_destination": {k: share(v, n_team).to_dict() for k, v in sorted(_counts(dest[transported]).items())},
    }
    ed = int((transported & (dest == "emergency_department")).sum())
    impact_out = {
        "ed_transports": ed,
        "ed_visits_avoided": {
            "value": kpis["ed_visits_avoided"],
            "estimate": True,
            "baseline_ed_share": impact.baseline_ed_share,
            "assumption": impact.ed_assumption(),
        },
        "police_hours_freed": {"value": kpis["police_hours_freed"], "estimate": True, "method": impact.hours_method()},
        "fire_hours_freed": {"value": kpis["fire_hours_freed"], "estimate": True, "method": impact.hours_method()},
        "backup_requests": share(np.isin(disp[reached], BACKUP).sum(), int(reached.sum())).to_dict(),
        "care_court_referrals": share((care & reached).sum(), int(reached.sum())).to_dict(),
        # Follow-up tasks due in the window done by their due time (services/reports.py reads
        # them; a simulated history has none).
        "follow_up_completion": (None if follow_ups is None else Share(follow_ups["count"], follow_ups["denominator"]).to_dict()),
        "follow_up_note": (
            "follow-up contacts are not recorded in a simulated history"
            if follow_ups is None
            else "follow-up tasks due in the window done by their due time (docs/reporting.md)"
        ),
    }
    return {
        "window": window,
        "team_calls": n_team,
        "outcomes": {k: v.to_dict() for k, v in outcomes.items()},
        "response_times": response_times,
        "screened_out": screened_out,
        "holds": holds,
        "transports": transports,
        "impact": impact_out,
        "definitions_version": DEFINITIONS_VERSION,
    }


def _is_share(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"count", "share", "denominator"}


def suppress_small_cells(report: Any, threshold: int = SMALL_CELL) -> Any:
    """A copy of ``report`` with every count from 1 to ``threshold - 1`` (and its share)
    replaced by None, for anything an analyst may export. Counts of a share, hold counts and
    response-time group sizes are cells; a group of fewer calls also loses its percentiles."""

    def small(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and 0 < v < threshold

    def walk(value: Any, key: str = "") -> Any:
        if _is_share(value):
            if small(value["count"]):
                return {"count": None, "share": None, "denominator": value["denominator"], "suppressed": True}
            return dict(value)
        if isinstance(value, dict):
            out = {k: walk(v, k) for k, v in value.items()}
            if "n" in value and small(value["n"]):
                # Too few calls for their times to be shown: the size and the percentiles go.
                out.update({k: None for k in ("n", "p50", "p90", "p95", "mean_reached") if k in out}, suppressed=True)
            return out
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if key in CELL_KEYS and small(value):
            return None
        return value

    return walk(report)


#: Plain counts (not shares) that are cells of the report.
CELL_KEYS = frozenset(
    {"5150", "5585", "type_not_recorded", "hold_transports", "ed_transports", "team_calls", "calls"}
    | {k.value for k in EscalationKind}
)
