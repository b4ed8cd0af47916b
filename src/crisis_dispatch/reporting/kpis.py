"""Key performance indicators computed from status history and incident facts.

Response time is counted as the Medi-Cal clock counts it: from triage (a mobile response
is determined to be needed) to the team on scene. Calls the team never reached (handed to
the fallback responder, or still waiting at the end) count as later than any target: they
enter the percentiles as +infinity, so a percentile that lands on them is reported as
``None`` ("not met") rather than flattering the fleet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from crisis_dispatch.domain.impact import Impact
from crisis_dispatch.domain.queueing import EscalationKind
from crisis_dispatch.domain.triage import TEAM_TIERS

from .history import EVENT_CODES, INCIDENT, STATUS_CODES, UNIT, HistoryTable

__all__ = ["Impact", "IncidentFacts", "compute_kpis"]

PERCENTILES = (50, 90, 95)
#: No impact assumptions (the simulator's scenarios and the live settings give theirs).
NO_IMPACT = Impact()
COMMITTED_UNIT = tuple(STATUS_CODES[s] for s in ("dispatched", "en_route", "on_scene", "transporting", "at_destination"))
OFF_DUTY = tuple(STATUS_CODES[s] for s in ("off_shift", "out_of_service"))


@dataclass
class IncidentFacts:
    """Per incident (same index as in the history): what reports need beyond statuses."""

    tier: np.ndarray  # str
    area: np.ndarray  # int index into area_names
    area_names: list[str]
    area_rural: list[bool]
    disposition: np.ndarray  # str, "" when none recorded
    destination: np.ndarray  # str, "" when no transport
    #: The simulator's own record of calls handed to the fallback responder; reports derive
    #: fallbacks from the history instead (:func:`fell_back`), and tests check the two agree.
    fell_back: np.ndarray | None = None
    #: Why triage kept the call from the team ("" for a team call; see Incident.screened_out_reason).
    screened_out: np.ndarray | None = None
    #: The hold placed ("5150", "5585", "" none or not recorded).
    hold_type: np.ndarray | None = None
    #: The station of the van that reached the call ("" none).
    station: np.ndarray | None = None
    #: A CARE Court referral recorded with the outcome, alongside any disposition (bool).
    care_referral: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.tier)


def _minutes(x: np.ndarray) -> np.ndarray:
    return x / 60.0


_TEAM_TIER_NAMES = sorted(t.value for t in TEAM_TIERS)


def team_responses(
    tier: np.ndarray, triaged: np.ndarray, on_scene: np.ndarray, local_hour0: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per incident, whether it is a team call (a tier of ``TEAM_TIERS``); per team call, its response
    in minutes (triage to on scene, +infinity when the team never got there) and the local hour
    of day it was triaged in (``local_hour0``: the hour of day at t = 0, minutes as a fraction).
    ``triaged`` and ``on_scene`` are per incident (:meth:`HistoryTable.first_time`)."""
    team = np.isin(tier.astype(str), _TEAM_TIER_NAMES) if len(tier) else np.zeros(0, bool)
    minutes = _minutes(np.where(np.isnan(on_scene), np.inf, on_scene - triaged)[team])
    hour = np.floor((local_hour0 + triaged[team] / 3600.0) % 24.0).astype(int)
    return team, minutes, hour


PHASES = ("triaged", "queued", "dispatched", "on_scene", "cancelled", "closed")


def phase_times(history: HistoryTable, n: int) -> tuple[np.ndarray, ...]:
    """Per incident, when it first reached each of ``PHASES`` (seconds, NaN never), in that order."""
    return tuple(history.first_time(INCIDENT, phase, n) for phase in PHASES)


def clock_minutes(facts: IncidentFacts) -> np.ndarray:
    """Per incident, its response-time clock: 120 minutes in a rural county, else 60 (Medi-Cal)."""
    rural = np.asarray(facts.area_rural, dtype=bool)[facts.area] if len(facts) else np.zeros(0, bool)
    return np.where(rural, 120.0, 60.0)


def fell_back(history: HistoryTable, team: np.ndarray, on_scene: np.ndarray) -> np.ndarray:
    """Per incident: a team call no team reached that was handed to another responder while
    it waited (closed from triaged or queued: the live "handed to police" close, and the
    simulator's fallback after ``fallback_after_minutes``)."""
    return team & np.isnan(on_scene) & history.left_waiting_for("closed", len(team))


def percentiles(values: np.ndarray) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for p in PERCENTILES:
        if len(values) == 0:
            out[f"p{p}"] = None
            continue
        v = float(np.percentile(values, p, method="inverted_cdf"))
        out[f"p{p}"] = None if not np.isfinite(v) else round(v, 3)
    finite = values[np.isfinite(values)]
    out["mean_reached"] = round(float(finite.mean()), 3) if len(finite) else None
    out["n"] = int(len(values))
    return out


def step_integral(t: np.ndarray, delta: np.ndarray, edges: np.ndarray, level0: float = 0.0) -> np.ndarray:
    """Integral over each bin of ``edges`` of a step function: ``level0`` plus the deltas at times ``t``."""
    if len(t) == 0:
        return np.diff(edges) * level0
    order = np.argsort(t, kind="stable")
    tt, level = t[order], level0 + np.cumsum(delta[order])
    e0 = edges[0]
    knots = np.empty(len(tt))
    knots[0] = level0 * (tt[0] - e0)
    knots[1:] = knots[0] + np.cumsum(level[:-1] * np.diff(tt))
    k = np.searchsorted(tt, edges, side="right") - 1
    kk = np.maximum(k, 0)
    value = np.where(k < 0, level0 * (edges - e0), knots[kk] + level[kk] * (edges - tt[kk]))
    return np.diff(value)


def compute_kpis(
    history: HistoryTable,
    facts: IncidentFacts,
    *,
    horizon_s: float,
    local_hour0: float = 0.0,
    impact: Impact = NO_IMPACT,
    units_on_duty_at_start: int = 0,
    units_busy_at_start: int = 0,
) -> dict[str, Any]:
    """KPIs of one history. A live report's window opens on units already on duty (or on a
    job): ``units_on_duty_at_start`` / ``units_busy_at_start`` say how many, since their
    rows predate the window (a simulation starts every van with a row at t = 0)."""
    n = len(facts)
    triaged, queued, dispatched, on_scene, cancelled, closed = phase_times(history, n)
    team, resp_min, hour = team_responses(facts.tier, triaged, on_scene, local_hour0)
    budget_min = clock_minutes(facts)[team]

    waited = ~np.isnan(queued[team])
    # A wait ends with a van, a cancellation, or the call handed to another responder (closed).
    left = np.fmin(cancelled[team], closed[team])
    wait_end = np.where(np.isnan(dispatched[team]), np.where(np.isnan(left), horizon_s, left), dispatched[team])
    wait = _minutes(np.where(waited, wait_end - triaged[team], 0.0))

    by_tier = {str(k): percentiles(resp_min[facts.tier[team] == k]) for k in sorted(set(facts.tier[team].tolist()))}
    area_team = facts.area[team]
    by_area = {facts.area_names[a]: percentiles(resp_min[area_team == a]) for a in sorted(set(area_team.tolist()))}
    by_hour = [percentiles(resp_min[hour == h]) for h in range(24)]

    # Utilisation by hour of day, from unit status changes.
    is_unit = history.subject == UNIT
    frm, to, t = history.from_status[is_unit], history.to_status[is_unit], history.t[is_unit]
    busy_delta = np.where(to == STATUS_CODES["dispatched"], 1.0, 0.0) - np.where(
        (to == STATUS_CODES["available"]) & np.isin(frm, COMMITTED_UNIT), 1.0, 0.0
    )
    duty_delta = np.where((to == STATUS_CODES["available"]) & (np.isin(frm, OFF_DUTY)), 1.0, 0.0) - np.where(
        np.isin(to, OFF_DUTY) & (frm == STATUS_CODES["available"]), 1.0, 0.0
    )
    edges = np.arange(0.0, horizon_s + 3600.0, 3600.0)
    edges[-1] = min(edges[-1], horizon_s)
    busy = step_integral(t, busy_delta, edges, level0=float(units_busy_at_start))
    duty = step_integral(t, duty_delta, edges, level0=float(units_on_duty_at_start))
    hod = np.floor((local_hour0 + edges[:-1] / 3600.0) % 24.0).astype(int)
    util = []
    for h in range(24):
        d = duty[hod == h].sum()
        util.append(round(float(busy[hod == h].sum() / d), 4) if d > 0 else None)
    overall_util = float(busy.sum() / duty.sum()) if duty.sum() > 0 else None

    disp = facts.disposition.astype(str)
    dest = facts.destination.astype(str)
    reached = team & ~np.isnan(on_scene)
    outcome_mix = {k: int(v) for k, v in zip(*np.unique(disp[reached & (disp != "")], return_counts=True), strict=True)}
    transports = {k: int(v) for k, v in zip(*np.unique(dest[reached & (dest != "")], return_counts=True), strict=True)}
    holds = int((disp == "involuntary_hold").sum())
    tier_s = facts.tier.astype(str)
    no_police = np.char.find(tier_s, "POLICE") < 0 if n else np.zeros(0, bool)
    no_ems = np.char.find(tier_s, "EMS") < 0 if n else np.zeros(0, bool)
    police_freed = impact.police_hours_per_call * float((reached & no_police & (disp != "escalated_to_police")).sum())
    fire_freed = impact.fire_hours_per_call * float((reached & no_ems & (disp != "escalated_to_ems")).sum())
    ed_transports = int((dest[reached] == "emergency_department").sum())
    ed_avoided = impact.baseline_ed_share * float(reached.sum()) - ed_transports

    on_incident = history.subject == INCIDENT
    escalations = {
        k.value: int((on_incident & (history.event == EVENT_CODES[f"escalation:{k.value}"])).sum()) for k in EscalationKind
    }

    n_team = int(team.sum())
    phone = int((tier_s == "PHONE_988").sum())
    screened = n - n_team - phone
    fell_back_n = int(fell_back(history, team, on_scene).sum())
    open_at_end = int((team & np.isnan(closed) & np.isnan(cancelled)).sum())

    def within(m: float) -> float | None:
        return round(float((resp_min <= m).mean()), 4) if n_team else None

    return {
        "calls": int(n),
        "team_calls": n_team,
        "phone_988_calls": phone,
        "screened_out_to_police_or_ems": int(screened),
        "fell_back_to_police_or_ems": fell_back_n,
        "share_served_by_team": round(float(reached.sum() / n), 4) if n else None,
        "share_left_to_police_or_ems": round(float((screened + fell_back_n) / n), 4) if n else None,
        "response_minutes": percentiles(resp_min),
        "response_minutes_by_tier": by_tier,
        "response_minutes_by_area": by_area,
        "response_minutes_by_hour": by_hour,
        "share_within_60_min": within(60.0),
        "share_within_120_min": within(120.0),
        "share_within_budget": round(float((resp_min <= budget_min).mean()), 4) if n_team else None,
        "p_wait": round(float(waited.mean()), 5) if n_team else None,
        "mean_queue_wait_minutes": round(float(wait.mean()), 4) if n_team else None,
        "queue_wait_minutes": percentiles(wait),
        "utilisation": round(overall_util, 4) if overall_util is not None else None,
        "utilisation_by_hour": util,
        "outcomes": outcome_mix,
        "transports_by_destination": transports,
        "holds": holds,
        "police_hours_freed": round(police_freed, 1),
        "fire_hours_freed": round(fire_freed, 1),
        "ed_visits_avoided": round(ed_avoided, 1),
        "escalations": escalations,
        "open_at_horizon": open_at_end,
    }
