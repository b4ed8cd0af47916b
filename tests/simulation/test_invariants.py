"""Invariants on every run: legal changes only, time forward, one incident per unit, ends known."""

from __future__ import annotations

import numpy as np
import pytest

from crisis_dispatch.reporting.history import STATUS_CODES
from crisis_dispatch.simulation import load_scenario, shipped_scenarios
from crisis_dispatch.simulation.invariants import check_invariants
from crisis_dispatch.simulation.runner import prepare, run_replication

from .small import small_scenario


@pytest.mark.parametrize("name", shipped_scenarios())
def test_every_shipped_scenario_keeps_the_invariants_over_a_few_days(name: str) -> None:
    s = load_scenario(name).with_changes(horizon_days=3 if name != "california" else 0.5)
    r = run_replication(prepare(s), 0)
    assert len(r.history) > 0
    assert check_invariants(r.history, s.horizon_s) == []


def test_an_overloaded_fleet_with_part_time_shifts_keeps_the_invariants() -> None:
    s = small_scenario(days=21)
    r = run_replication(prepare(s), 0)
    assert r.kpis["p_wait"] > 0.2  # the queue, escalations and fallbacks are exercised
    assert r.kpis["fell_back_to_police_or_ems"] > 0
    # The live report reads fallbacks from the history: it finds exactly the simulator's own record.
    assert r.facts.fell_back is not None
    assert r.kpis["fell_back_to_police_or_ems"] == int(r.facts.fell_back.sum())
    assert sum(r.kpis["escalations"].values()) > 0
    assert check_invariants(r.history, s.horizon_s) == []


def test_every_incident_is_closed_cancelled_or_still_open_at_the_horizon() -> None:
    s = small_scenario(days=7)
    r = run_replication(prepare(s), 0)
    k = r.kpis
    closed = set(r.history.subject_id[(r.history.subject == 0) & (r.history.to_status == STATUS_CODES["closed"])].tolist())
    cancelled = set(r.history.subject_id[(r.history.subject == 0) & (r.history.to_status == STATUS_CODES["cancelled"])].tolist())
    assert len(closed | cancelled) + k["open_at_horizon"] == k["calls"]


def test_the_checker_catches_a_unit_sent_on_two_incidents() -> None:
    s = small_scenario(days=2)
    h = run_replication(prepare(s), 0).history
    rows = np.flatnonzero((h.subject == 1) & (h.to_status == STATUS_CODES["dispatched"]))
    h.from_status[rows[1]] = STATUS_CODES["on_scene"]
    problems = check_invariants(h, s.horizon_s)
    assert any("illegal unit change" in p for p in problems)
    assert any("dispatched while not available" in p for p in problems)


def test_the_checker_catches_time_going_backwards() -> None:
    s = small_scenario(days=2)
    h = run_replication(prepare(s), 0).history
    h.t[10] = h.t[9] - 60
    assert any("backwards" in p for p in check_invariants(h, s.horizon_s))


def test_a_simulated_run_is_reported_by_the_live_program_reports_code() -> None:
    from crisis_dispatch.simulation.runner import program_of

    s = small_scenario(days=7)
    r = run_replication(prepare(s), 0)
    report = program_of(s, r)
    assert report["team_calls"] == r.kpis["team_calls"]
    assert sum(v["count"] for v in report["outcomes"].values()) == report["team_calls"]
    fell = report["screened_out"]["eligible_not_reached"]["fell_back_to_police_or_ems"]["count"]
    assert fell == r.kpis["fell_back_to_police_or_ems"]
    assert report["response_times"]["p50"] == r.kpis["response_minutes"]["p50"]
    assert report["impact"]["ed_visits_avoided"]["value"] == r.kpis["ed_visits_avoided"]
