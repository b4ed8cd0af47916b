"""Eligibility what-if in operations terms: the same calls under two protocols.

Demand is fixed by the scenario's own protocol (the same calls, the same fates drawn from
the same generators), so the difference between the runs is the triage alone: how many
calls reach a team, how fast, how they end, and what that frees.
"""

from __future__ import annotations

from typing import Any

from .callmix import build_call_mix
from .distributed import Executor
from .runner import run
from .scenario import Scenario

COMPARED = (
    "team_calls", "share_served_by_team", "share_left_to_police_or_ems", "fell_back_to_police_or_ems",
    "response_minutes.p50", "response_minutes.p90", "share_within_60_min", "share_within_budget",
    "mean_queue_wait_minutes", "utilisation", "holds", "police_hours_freed", "fire_hours_freed", "ed_visits_avoided",
)


def _get(d: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        d = d.get(part) if isinstance(d, dict) else None  # type: ignore[assignment]
    return d


def tier_mix(scenario: Scenario, protocol: str) -> dict[str, float]:
    mix = build_call_mix(scenario.call_mix_file, protocol)
    out: dict[str, float] = {}
    for p, e in zip(mix.probabilities, mix.entries, strict=True):
        out[e.tier] = round(out.get(e.tier, 0.0) + float(p), 4)
    return dict(sorted(out.items()))


def whatif(
    scenario: Scenario, protocol_a: str, protocol_b: str, *, replications: int | None = None,
    executor: Executor | None = None,
) -> dict[str, Any]:
    a = run(scenario, replications=replications, protocol=protocol_a, executor=executor)
    b = run(scenario, replications=replications, protocol=protocol_b, executor=executor)
    rows = []
    for key in COMPARED:
        va = (a["ci95"].get(key) or {}).get("mean", _get(a["kpis"], key))
        vb = (b["ci95"].get(key) or {}).get("mean", _get(b["kpis"], key))
        delta = None if va is None or vb is None else round(vb - va, 4)
        rows.append({"kpi": key, "a": va, "b": vb, "change": delta})
    return {
        "scenario": scenario.name,
        "protocol_a": a["protocol"],
        "protocol_b": b["protocol"],
        "calls_per_year": a["calls_per_year"],
        "tier_mix_a": tier_mix(scenario, protocol_a),
        "tier_mix_b": tier_mix(scenario, protocol_b),
        "comparison": rows,
        "outcomes_a": a["kpis"]["outcomes"],
        "outcomes_b": b["kpis"]["outcomes"],
        "runs": {"a": a, "b": b},
    }
