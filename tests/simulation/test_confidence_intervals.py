"""Confidence intervals across replications never leave the values a KPI can take."""

from __future__ import annotations

import math

import pytest

from crisis_dispatch.simulation.runner import confidence_intervals, kpi_bounds


def test_a_share_interval_from_two_replications_stays_within_zero_and_one() -> None:
    ci = confidence_intervals([{"share_within_60_min": 0.70, "p_wait": 0.01}, {"share_within_60_min": 0.98, "p_wait": 0.2}])
    assert ci["share_within_60_min"]["ci95_high"] == 1.0 and ci["share_within_60_min"]["mean"] == 0.84
    assert ci["p_wait"]["ci95_low"] == 0.0


def test_a_count_interval_never_goes_below_zero_but_ed_visits_avoided_may() -> None:
    ci = confidence_intervals([{"holds": 1, "ed_visits_avoided": -3.0}, {"holds": 9, "ed_visits_avoided": 2.0}])
    assert ci["holds"]["ci95_low"] == 0.0 and ci["holds"]["ci95_high"] > 9
    assert ci["ed_visits_avoided"]["ci95_low"] < -3.0


def test_an_interval_well_inside_its_bounds_is_not_touched() -> None:
    ci = confidence_intervals([{"share_served_by_team": 0.50}, {"share_served_by_team": 0.52}, {"share_served_by_team": 0.51}])
    half = 4.302652729911275 * 0.01 / math.sqrt(3)  # t(0.975, 2) x s / sqrt(n)
    assert ci["share_served_by_team"]["ci95_low"] == pytest.approx(0.51 - half, abs=1e-4)
    assert ci["share_served_by_team"]["ci95_high"] == pytest.approx(0.51 + half, abs=1e-4)


@pytest.mark.parametrize(
    ("key", "bounds"),
    [
        ("share_within_budget", (0.0, 1.0)),
        ("utilisation_by_hour.7", (0.0, 1.0)),
        ("response_minutes_by_area.Los Angeles.p90", (0.0, math.inf)),
        ("ed_visits_avoided", (-math.inf, math.inf)),
    ],
)
def test_each_kpi_has_the_range_its_meaning_gives_it(key: str, bounds: tuple[float, float]) -> None:
    assert kpi_bounds(key) == bounds
