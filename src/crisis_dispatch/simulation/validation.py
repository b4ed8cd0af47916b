"""Queueing-theory reference values for the validation scenario (M/M/c, Erlang C)."""

from __future__ import annotations

from typing import Any

import numpy as np

from crisis_dispatch.reporting.history import INCIDENT

from .runner import prepare, run_replication
from .scenario import Scenario
from .sizing import erlang_c, expected_job_minutes

__all__ = ["erlang_c", "mmc_calls", "mmc_summary"]


def mmc_summary(s: Scenario, result: dict[str, Any]) -> dict[str, Any]:
    """Top-level queue figures every run reports (pooled over replications); for an M/M/c
    scenario (zero travel, one exponential service) also the Erlang C values."""
    reps = [r["kpis"] for r in result["per_replication"]]
    calls = sum(k["team_calls"] for k in reps) or 1
    rate = result["calls_per_year"] * result["team_share"] / 8760.0
    service = expected_job_minutes(s)
    units = reps[0]["units"]
    out: dict[str, Any] = {
        "arrival_rate_per_hour": round(rate, 6),
        "mean_service_minutes": round(service, 4),
        "units": units,
        "mean_queue_wait_minutes": round(sum((k["mean_queue_wait_minutes"] or 0) * k["team_calls"] for k in reps) / calls, 4),
        "p_wait": round(sum((k["p_wait"] or 0) * k["team_calls"] for k in reps) / calls, 5),
    }
    exponential = s.provider == "zero" and len(s.outcomes["default"]) == 1 and all(cv == 1.0 for _, cv in s.on_scene.values())
    if exponential and s.turnout_minutes == 0 and units:
        offered = rate * service / 60.0
        pw = erlang_c(units, offered)
        wq = pw / (units / service - rate / 60.0) if offered < units else float("inf")
        out["erlang_c"] = {"p_wait": round(pw, 5), "mean_queue_wait_minutes": round(wq, 4)}
    return out


def mmc_calls(args: tuple[Scenario, int]) -> dict[str, Any]:
    """One replication of a zero-travel scenario, per closed call in arrival order: minutes
    waited, calls still waiting ahead on arrival (first come, first served), minutes of
    service, minutes since the previous call; plus the replication's KPIs.

    A module-level function so a fresh (spawned) process can run it: a process whose domain
    classes the ORM has mapped runs the simulator several times slower.
    """
    scenario, replication = args
    r = run_replication(prepare(scenario), replication)
    n = len(r.facts)
    received = r.history.first_time(INCIDENT, "triaged", n)
    on_scene = r.history.first_time(INCIDENT, "on_scene", n)
    closed = r.history.first_time(INCIDENT, "closed", n)
    done = ~np.isnan(closed)  # calls still open at the horizon end the record
    received, on_scene, closed = received[done], on_scene[done], closed[done]
    # Service starts are in arrival order, so the calls still waiting when call i arrives are
    # those before it that start after it.
    waiting_ahead = np.arange(len(received)) - np.searchsorted(on_scene, received, side="right")
    return {
        "wait": (on_scene - received) / 60.0,  # zero travel: on scene when a van is free
        "waiting_ahead": np.maximum(waiting_ahead, 0),
        "service": (closed - on_scene) / 60.0,
        "interarrival": np.diff(received, prepend=0.0) / 60.0,
        "kpis": r.kpis,
    }
