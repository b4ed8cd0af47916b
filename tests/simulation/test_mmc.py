"""The simulator against queueing theory: M/M/c waits agree with the Erlang C formula."""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor

import pytest

from crisis_dispatch.simulation import load_scenario, run


def erlang_c(c: int, offered: float) -> float:
    """Probability that an arrival waits in an M/M/c queue with offered load ``offered`` Erlang."""
    below = sum(offered**k / math.factorial(k) for k in range(c))
    top = offered**c / math.factorial(c) * c / (c - offered)
    return top / (below + top)


def _pool_map(fn, args):  # type: ignore[no-untyped-def]
    with ProcessPoolExecutor(max_workers=2) as pool:
        return list(pool.map(fn, args))


@pytest.mark.slow
def test_mmc_queue_wait_and_probability_of_waiting_match_erlang_c() -> None:
    scenario = load_scenario("validation/mmc")
    c = len(scenario.vans)
    lam_per_min = scenario.annual_calls / (365 * 24 * 60)
    mean_service = scenario.on_scene["treated_and_released"][0]
    assert scenario.on_scene["treated_and_released"][1] == 1.0  # exponential
    offered = lam_per_min * mean_service
    p_wait = erlang_c(c, offered)
    wq = p_wait / (c / mean_service - lam_per_min)

    result = run(scenario, executor=_pool_map)
    reps = [r["kpis"] for r in result["per_replication"]]
    calls = sum(k["team_calls"] for k in reps)
    sim_p = sum(k["p_wait"] * k["team_calls"] for k in reps) / calls
    sim_wq = sum(k["mean_queue_wait_minutes"] * k["team_calls"] for k in reps) / calls

    assert calls > 150_000
    assert sim_p == pytest.approx(p_wait, rel=0.03)
    assert sim_wq == pytest.approx(wq, rel=0.03)


def test_erlang_c_formula_matches_a_textbook_value() -> None:
    # M/M/2 at one Erlang: P(wait) = 1/3.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
