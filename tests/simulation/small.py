"""A small seeded scenario shared by the simulation tests (a month of la-ttp-20k, 3 vans)."""

from __future__ import annotations

from crisis_dispatch.simulation import Scenario, load_scenario
from crisis_dispatch.simulation.scenario import Van


def small_scenario(days: float = 14, seed: int = 11) -> Scenario:
    s = load_scenario("la-ttp-20k")
    vans = (Van("S1", "lafd-004"), Van("S2", "lafd-027", "day-12h"), Van("S3", "lafd-064", "peak-12h"))
    return s.with_changes(horizon_days=days, seed=seed, replications=1, vans=vans)
