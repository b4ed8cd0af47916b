"""Eligibility what-if in operations terms: the same calls under two protocols.

Demand is fixed by the scenario's own protocol (the same calls, the same fates drawn from
the same generators), so the difference between the runs is the triage alone: how many
calls reach a team, how fast, how they end, and what that frees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crisis_dispatch.adapters.protocol_loader import packaged_protocol_names, resolve_protocol
from crisis_dispatch.domain.triage import ProtocolError

from .callmix import build_call_mix
from .distributed import Executor
from .runner import run
from .scenario import Scenario, ScenarioError

COMPARED = (
    "team_calls",
    "share_served_by_team",
    "share_left_to_police_or_ems",
    "fell_back_to_police_or_ems",
    "response_minutes.p50",
    "response_minutes.p90",
    "share_within_60_min",
    "share_within_budget",
    "mean_queue_wait_minutes",
    "utilisation",
    "holds",
    "police_hours_freed",
    "fire_hours_freed",
    "ed_visits_avoided",
)


def check_protocol(name_or_path: str) -> None:
    """Refuse, in one line, a protocol that is neither packaged nor a valid YAML file.

    Checked before any simulation starts (and before a Dask cluster does), so a typo costs
    nothing; a file with several problems is reported as ``"N errors: a; b; c"``.
    """
    packaged = [n.removesuffix(".yaml") for n in packaged_protocol_names()]
    if not Path(name_or_path).is_file() and name_or_path.removesuffix(".yaml") not in packaged:
        raise ScenarioError(
            f"protocol '{name_or_path}' not found: neither a file nor a packaged protocol (packaged: {', '.join(packaged)})"
        )
    try:
        resolve_protocol(name_or_path)  # the very rule the run uses (callmix.resolve_protocol): a file wins
    except ProtocolError as exc:
        n = len(exc.errors)
        raise ScenarioError(
            f"protocol '{name_or_path}': {n} error{'s' if n != 1 else ''}: " + "; ".join(" ".join(e.split()) for e in exc.errors)
        ) from None


def describe_tier_mix(mix: dict[str, float]) -> str:
    """``{"EMS": 0.11, "MH_TEAM": 0.052}`` → ``"EMS 11 %, MH_TEAM 5.2 %"``, largest share first."""

    def pct(share: float) -> str:
        return f"{share * 100:.0f} %" if share >= 0.1 else f"{share * 100:.1f} %"

    return ", ".join(f"{tier} {pct(share)}" for tier, share in sorted(mix.items(), key=lambda kv: (-kv[1], kv[0])))


def tier_mix(scenario: Scenario, protocol: str) -> dict[str, float]:
    mix = build_call_mix(scenario.call_mix_file, protocol)
    out: dict[str, float] = {}
    for p, e in zip(mix.probabilities, mix.entries, strict=True):
        out[e.tier] = round(out.get(e.tier, 0.0) + float(p), 4)
    return dict(sorted(out.items()))


def whatif(
    scenario: Scenario,
    protocol_a: str,
    protocol_b: str,
    *,
    replications: int | None = None,
    executor: Executor | None = None,
) -> dict[str, Any]:
    a = run(scenario, replications=replications, protocol=protocol_a, executor=executor)
    b = run(scenario, replications=replications, protocol=protocol_b, executor=executor)
    rows = []
    for key in COMPARED:
        # every KPI with a number in some replication is in ci95; one that is not has none
        va = (a["ci95"].get(key) or {}).get("mean")
        vb = (b["ci95"].get(key) or {}).get("mean")
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
