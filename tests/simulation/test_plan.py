"""Fleet planning per area: each county on its own demand, stations and clock, with totals."""

from __future__ import annotations

from typing import Any

import pytest

from crisis_dispatch.simulation import Scenario, ScenarioError, load_scenario
from crisis_dispatch.simulation.plan import Target, TargetError, parse_target, plan

# Two urban counties and a rural one (under 50 people per square mile).
COUNTIES = ["San Francisco", "Santa Cruz", "Sierra"]


def three_counties(days: float = 21, rings: int = 1) -> Scenario:
    """A few weeks of the statewide scenario, one ring of candidate stations per county."""
    return load_scenario("california").with_changes(horizon_days=days, candidate_rings=rings)


def _by_area(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["area"]: r for r in result["areas"]}


def plan_dict(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """The plan as the CLI's ``--json`` shows it."""
    return plan(*args, **kwargs).to_dict()


def test_budget_target_gives_each_county_its_own_clock_and_the_plan_meets_it_at_every_hour() -> None:
    result = plan_dict(three_counties(), parse_target("p90<=budget"), areas=COUNTIES)
    areas = _by_area(result)
    assert sorted(areas) == sorted(COUNTIES)
    assert areas["Sierra"]["rural"] and areas["Sierra"]["target_minutes"] == 120
    assert areas["San Francisco"]["target_minutes"] == 60
    for r in areas.values():
        assert r["met"], r
        assert r["value_minutes"] <= r["target_minutes"]
        assert all(v is None or v <= r["target_minutes"] for v in r["by_hour_minutes"])
        assert r["vans"] == r["vans_24_7"] + r["vans_part_time"] == len(r["fleet"])
        assert sum(sum(c.values()) for c in r["stations"].values()) == r["vans"]
        # Every van waits at one of its own county's candidate stations.
        assert all(v["station"].startswith(r["area"]) for v in r["fleet"])
    totals = result["totals"]
    assert totals["vans"] == sum(r["vans"] for r in areas.values())
    assert totals["staffed_van_hours_per_day"] == sum(r["staffed_van_hours_per_day"] for r in areas.values())
    assert result["met"] and totals["areas_not_met"] == []


def test_a_county_plans_the_same_alone_as_with_others() -> None:
    s, target = three_counties(), parse_target("p90<=45m")
    alone = _by_area(plan_dict(s, target, areas=["Santa Cruz"]))["Santa Cruz"]
    together = _by_area(plan_dict(s, target, areas=COUNTIES))["Santa Cruz"]
    alone.pop("wall_s"), together.pop("wall_s")
    assert alone == together


def test_smallest_fleet_fails_with_one_van_fewer() -> None:
    r = _by_area(plan_dict(three_counties(), parse_target("p90<=60m"), areas=["San Francisco"]))["San Francisco"]
    assert r["vans"] > 1
    assert any(t["vans"] == r["vans"] - 1 and t["part_time"] == 0 and not t["meets"] for t in r["trials"])


def test_more_vans_than_candidate_stations_share_the_stations() -> None:
    # No rings: the county centre is the only candidate, as where the simulated fleet waits.
    r = _by_area(plan_dict(three_counties(rings=0), parse_target("p90<=60m"), areas=["San Francisco"]))["San Francisco"]
    assert r["candidate_stations"] == 1
    assert r["vans"] > 1 and set(r["stations"]) == {"San Francisco"}


def test_a_county_out_of_reach_of_every_candidate_station_is_not_met_without_simulating() -> None:
    result = plan_dict(three_counties(), parse_target("p90<=5m"), areas=["Santa Cruz"])
    r = result["areas"][0]
    assert not result["met"] and result["totals"]["areas_not_met"] == ["Santa Cruz"]
    assert not r["met"] and r["trials"] == [] and "travel alone" in r["reason"]


def test_an_unknown_county_is_a_scenario_error_naming_it() -> None:
    with pytest.raises(ScenarioError, match="'Atlantis'"):
        plan_dict(three_counties(), parse_target("p90<=budget"), areas=["Atlantis"])


def test_single_area_scenarios_keep_their_plan_at_the_top_level() -> None:
    s = load_scenario("la-ttp").with_changes(horizon_days=30)
    result = plan_dict(s, parse_target("p90<=budget"))
    assert "areas" not in result
    assert result["met"] and result["target_minutes"] == 60 and result["vans"] >= 1


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("p90<=budget", Target(90, None)),
        ("P95 <= Budget", Target(95, None)),
        ("p90<=1.5h", Target(90, 90)),
        ("P95 <= 2h", Target(95, 120)),
    ],
)
def test_targets_parse_a_budget_or_a_time(text: str, target: Target) -> None:
    assert parse_target(text) == target
    assert str(parse_target("p90<=budget")) == "p90<=budget"


@pytest.mark.parametrize(
    "text",
    ["p90<=", "p0<=60m", "p100<=60m", "p90<=0m", "p90<=budgets", "90<=60m", "p90<=60s", "p90<=60", "p95<=1.5", "p90 < 60"],
)
def test_bad_targets_are_rejected_with_the_text(text: str) -> None:
    with pytest.raises(TargetError, match="bad target"):
        parse_target(text)


def test_a_target_without_a_unit_is_refused_naming_the_accepted_forms() -> None:
    with pytest.raises(TargetError, match=r"needs a unit \(m, min or h\).*'p90<=60m' \(or 60min\), 'p95<=2h' or 'p90<=budget'"):
        parse_target("p90<=60")
    assert parse_target("p90<=60min") == parse_target("p90<=60m") == Target(90, 60)


@pytest.mark.slow
def test_counties_planned_on_a_local_dask_cluster_match_the_in_process_plan() -> None:
    from crisis_dispatch.simulation.distributed import dask_executor

    s, target = three_counties(days=14), parse_target("p90<=budget")
    here = plan_dict(s, target, areas=COUNTIES)
    with dask_executor(workers=2) as ex:
        there = plan_dict(s, target, areas=COUNTIES, executor=ex)
    strip = [{k: v for k, v in r.items() if k != "wall_s"} for r in here["areas"]]
    assert [{k: v for k, v in r.items() if k != "wall_s"} for r in there["areas"]] == strip


def test_a_plan_checks_each_hour_of_day_as_the_run_reports_it_when_the_start_is_not_on_the_hour() -> None:
    from datetime import datetime

    from crisis_dispatch.simulation.plan import evaluate
    from crisis_dispatch.simulation.runner import prepare, run_replication

    s = load_scenario("la-ttp").with_changes(horizon_days=3, start=datetime.fromisoformat("2025-01-06T07:30:00-08:00"))
    prep = prepare(s)
    kpis = run_replication(prep, 0).kpis
    checked = evaluate(prep, list(prep.region.vans), Target(90, 60), 1)
    reported = [h["p90"] for h in kpis["response_minutes_by_hour"]]
    assert [None if v is None else round(v, 2) for v in reported] == list(checked.by_hour)
