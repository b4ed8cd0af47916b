"""Two engines, one model: our heap loop and the benchmark's SimPy version agree exactly.

The SimPy model (``benchmarks/simulation.py``) makes the same domain calls on SimPy
processes; identical KPIs on a queueing, escalating, overloaded run check the event loop's
bookkeeping against an independent implementation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crisis_dispatch.simulation.runner import prepare, run_replication

if TYPE_CHECKING:
    from crisis_dispatch.simulation.scenario import Van

from .small import small_scenario

simulation_benchmark = pytest.importorskip("benchmarks.simulation")

KEYS = (
    "team_calls",
    "response_minutes",
    "mean_queue_wait_minutes",
    "p_wait",
    "outcomes",
    "escalations",
    "fell_back_to_police_or_ems",
    "transports_by_destination",
)


def test_simpy_version_of_the_model_gives_the_same_kpis() -> None:
    s = small_scenario(days=10).with_changes(vans=load_24_7_vans())
    ours = run_replication(prepare(s), 0).kpis
    simpy = run_replication(prepare(s), 0, area_runner=simulation_benchmark.simpy_area).kpis
    assert ours["p_wait"] > 0.1  # the queue is exercised
    assert {k: ours[k] for k in KEYS} == {k: simpy[k] for k in KEYS}


def load_24_7_vans() -> tuple[Van, ...]:
    # The SimPy model has no shift processes: compare on round-the-clock vans.
    from crisis_dispatch.simulation.scenario import Van

    return (Van("S1", "lafd-004"), Van("S2", "lafd-027"), Van("S3", "lafd-064"), Van("S4", "lafd-062"))
