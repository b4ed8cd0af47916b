"""The simulator against queueing theory: M/M/c waits agree with the Erlang C formula.

Soundness, measured rather than assumed: the validation scenario runs four independent
seeded replications of ten years of an M/M/2 queue at 50 % load (about 350,000 calls, two
processes). Each replication's calls are cut into 25 batches of consecutive calls (about
3,500 each, far longer than the queue's memory, so the batch means are nearly
independent); the standard error of every estimate comes from the spread of the 100 batch
means.

* P(wait): standard error 0.53 % of Erlang C's 1/3 (measured); the test asserts it is
  below 1 % and that the whole 95 % interval lies within 3 % of Erlang C.
* Mean queue wait: the raw mean of the simulated waits (the ``mean_queue_wait_minutes``
  every run reports) has a standard error of 1.2 %: an M/M/2 wait is noisy and
  autocorrelated, and 3 % is only about 2.5 standard errors. So the same run is also
  estimated with less noise, two standard variance reductions on the simulated calls:
  each waiting call counts what it can expect given the queue it found (all vans busy and
  q calls ahead: (q + 1) x 60 / 2 minutes; conditional Monte Carlo), and each batch is
  corrected by how far its mean service time and mean time between calls fell from their
  known 60 minutes (control variates, Lavenberg & Welch). Standard error 0.71 % (measured):
  the test asserts it is below 1 % and that its 95 % interval lies within 3 % of Erlang C.
  Because both corrections lean on the known means, the test first checks that the
  simulated service and inter-arrival means are within 1 % of them.

The test can fail: with the service time 5 % longer (63 minutes) than the 60 minutes the
test computes Erlang C from, P(wait) lands 9 % high, the raw mean wait 21 % high and the
mean service time 5 % off.
"""

from __future__ import annotations

import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from crisis_dispatch.simulation import Scenario, load_scenario
from crisis_dispatch.simulation.validation import erlang_c, mmc_calls

BATCHES_PER_REPLICATION = 25


def _batch_means(x: np.ndarray, batches: int) -> np.ndarray:
    size = len(x) // batches
    return x[: size * batches].reshape(batches, size).mean(axis=1)


def _controlled(y: np.ndarray, controls: np.ndarray) -> tuple[float, float]:
    """Control-variate estimate of the mean of batch means ``y`` and its standard error:
    the intercept of ``y`` regressed on ``controls`` (deviations with known mean zero)."""
    x = np.column_stack([np.ones(len(y)), controls])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ coef
    dof = len(y) - x.shape[1]
    return float(coef[0]), math.sqrt(residual @ residual / dof * np.linalg.inv(x.T @ x)[0, 0])


def estimates(scenario: Scenario, mean_service: float, mean_interarrival: float) -> dict[str, float]:
    """Replications on two processes; P(wait) and mean wait with batch-means standard errors."""
    # Fresh processes: forked from a test process whose domain classes the ORM has mapped
    # (an earlier test's container), the simulator runs about four times slower.
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        reps = list(pool.map(mmc_calls, [(scenario, r) for r in range(scenario.replications)]))
    b = BATCHES_PER_REPLICATION
    units = len(scenario.vans)
    wait = np.concatenate([_batch_means(x["wait"], b) for x in reps])
    # What a waiting call can expect, given the queue it finds (all vans busy, q calls ahead):
    # (q + 1) mean service times shared by the vans. Same mean as the realised waits, less noise.
    expected = np.concatenate(
        [_batch_means(np.where(x["wait"] > 0, (x["waiting_ahead"] + 1) * mean_service / units, 0.0), b) for x in reps]
    )
    waited = np.concatenate([_batch_means((x["wait"] > 0).astype(float), b) for x in reps])
    service = np.concatenate([_batch_means(x["service"], b) for x in reps])
    gaps = np.concatenate([_batch_means(x["interarrival"], b) for x in reps])
    k = len(wait)
    controls = np.column_stack([service - mean_service, gaps - mean_interarrival])
    cv_wait, cv_se = _controlled(expected, controls)
    kpis = [x["kpis"] for x in reps]
    team = sum(x["team_calls"] for x in kpis)
    return {
        "calls": float(team),
        "kpi_p_wait": sum(x["p_wait"] * x["team_calls"] for x in kpis) / team,
        "kpi_mean_wait": sum(x["mean_queue_wait_minutes"] * x["team_calls"] for x in kpis) / team,
        "mean_service": float(service.mean()),
        "mean_interarrival": float(gaps.mean()),
        "p_wait": float(waited.mean()),
        "p_wait_se": float(waited.std(ddof=1) / math.sqrt(k)),
        "mean_wait": float(wait.mean()),
        "mean_wait_se": float(wait.std(ddof=1) / math.sqrt(k)),
        "cv_mean_wait": cv_wait,
        "cv_mean_wait_se": cv_se,
    }


def theory(scenario: Scenario, mean_service: float) -> tuple[int, float, float, float]:
    """Units, mean minutes between calls, Erlang C P(wait) and mean queue wait (minutes)."""
    c = len(scenario.vans)
    lam_per_min = scenario.annual_calls / (365 * 24 * 60)
    p_wait = erlang_c(c, lam_per_min * mean_service)
    return c, 1.0 / lam_per_min, p_wait, p_wait / (c / mean_service - lam_per_min)


@pytest.mark.slow
def test_mmc_queue_wait_and_probability_of_waiting_match_erlang_c() -> None:
    scenario = load_scenario("validation/mmc")
    mean_service = 60.0  # what the test believes; the scenario must say the same
    assert scenario.on_scene["treated_and_released"] == (mean_service, 1.0)  # exponential
    _, gap, p_wait, wq = theory(scenario, mean_service)

    est = estimates(scenario, mean_service, gap)

    assert est["calls"] > 300_000
    # The per-call reconstruction is the simulator's own KPI.
    assert est["p_wait"] == pytest.approx(est["kpi_p_wait"], rel=1e-3)
    assert est["mean_wait"] == pytest.approx(est["kpi_mean_wait"], rel=1e-3)
    # The inputs are the model's: mean service and mean time between calls within 1 %
    # (about six standard errors), so the control variates correct noise, not a wrong input.
    assert est["mean_service"] == pytest.approx(mean_service, rel=0.01)
    assert est["mean_interarrival"] == pytest.approx(gap, rel=0.01)
    # Enough calls: the standard error of each checked estimate is below 1 %, and its whole
    # 95 % confidence interval lies within 3 % of Erlang C.
    for value, se, exact in ((est["p_wait"], est["p_wait_se"], p_wait), (est["cv_mean_wait"], est["cv_mean_wait_se"], wq)):
        assert se / exact < 0.01
        assert abs(value - exact) + 1.96 * se <= 0.03 * exact, (value, se, exact)
    # The mean queue wait every run reports (raw, about 2.5 standard errors at 3 %).
    assert est["kpi_mean_wait"] == pytest.approx(wq, rel=0.03)


def test_erlang_c_formula_matches_a_textbook_value() -> None:
    # M/M/2 at one Erlang: P(wait) = 1/3. The function simulate --json reports, which the
    # slow test above also measures the simulator against.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
