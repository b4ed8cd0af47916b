"""The planner's search: the Erlang C bounds, the early stop, the result dataclasses, and
that planning leaves its inputs alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from crisis_dispatch.simulation import load_scenario
from crisis_dispatch.simulation import plan as plan_module
from crisis_dispatch.simulation.plan import (
    AreaCase,
    AreaPlan,
    Plan,
    Trial,
    check_fleet,
    first_true,
    place,
    plan,
    plan_area,
    size_bounds,
)
from crisis_dispatch.simulation.runner import prepare
from crisis_dispatch.simulation.sizing import erlang_c, late_share
from crisis_dispatch.simulation.target import Target, parse_target

from .test_plan import three_counties


@pytest.mark.parametrize("guess", [-3, 1, 4, 5, 6, 9, 12, 40])
@pytest.mark.parametrize("first", [1, 2, 5, 11, 20])
def test_the_search_finds_the_first_true_size_from_any_guess(guess: int, first: int) -> None:
    asked: list[int] = []

    def pred(x: int) -> bool:
        asked.append(x)
        return x >= first

    assert first_true(pred, 0, 21, guess) == first
    assert 0 not in asked and 21 not in asked and len(asked) == len(set(asked))


def test_no_size_meets_with_every_answer_false() -> None:
    assert first_true(lambda x: False, 2, 9, 4) == 9


def test_erlang_c_through_the_recursion_matches_the_closed_form_and_survives_large_fleets() -> None:
    import math

    for c, a in ((2, 1.0), (5, 3.2), (12, 9.5)):
        below = sum(a**k / math.factorial(k) for k in range(c))
        top = a**c / math.factorial(c) * c / (c - a)
        assert erlang_c(c, a) == pytest.approx(top / (below + top), rel=1e-12)
    assert 0 < erlang_c(400, 380.0) < 1
    assert late_share(3, 10.0, 60.0, np.zeros(1), 30.0) == 1.0  # 10 Erlang on 3 vans: never carried


@pytest.mark.parametrize(
    ("scenario", "areas", "target"),
    [
        ("california", ["San Francisco", "Santa Cruz", "Sierra", "Fresno"], "p90<=budget"),
        ("california", ["San Francisco", "Santa Cruz"], "p90<=45m"),
        ("la-ttp-20k", None, "p90<=60m"),
        ("la-ttp-20k", None, "p95<=40m"),
        ("la-ttp", None, "p90<=30m"),
    ],
)
def test_the_lower_bound_never_skips_a_size_that_meets_the_target(scenario: str, areas: list[str] | None, target: str) -> None:
    """One van under the bound is simulated here and must fail (three weeks of calls)."""
    s = load_scenario(scenario).with_changes(horizon_days=21)
    if scenario == "california":
        s = s.with_changes(candidate_rings=1)
    prep = prepare(s)
    t = parse_target(target)
    indices = plan_module.resolve_areas(prep, areas)
    for area in indices:
        case = AreaCase.build(prep, area, t, 1)
        placement = place(prep, 60, area=area, demand=case.calls[0].demand)
        bounds = size_bounds(prep, area, t, placement, 60)
        assert bounds.lower <= bounds.guess
        if bounds.lower <= 1:
            continue
        st = prep.region.stations
        sids = [placement.order[i % len(placement.order)] for i in range(bounds.lower - 1)]
        vans = [plan_module.PlacedVan(f"V{i + 1}", area, st[sid][1], st[sid][2], "24/7", sid) for i, sid in enumerate(sids)]
        assert not check_fleet(case, vans).meets, (scenario, prep.region.areas[area].name, bounds)


def test_the_early_stop_gives_the_full_answer_when_it_cannot_decide_and_stops_a_clear_miss() -> None:
    s = load_scenario("la-ttp-20k").with_changes(horizon_days=60)
    prep = prepare(s)
    case = AreaCase.build(prep, 0, Target(90, 60), 1)
    placement = place(prep, 12, demand=case.calls[0].demand)
    st = prep.region.stations

    def vans(n: int) -> list[plan_module.PlacedVan]:
        sids = placement.order[:n]
        return [plan_module.PlacedVan(f"V{i + 1}", 0, st[sid][1], st[sid][2], "24/7", sid) for i, sid in enumerate(sids)]

    full = check_fleet(case, vans(2))
    early = check_fleet(case, vans(2), early_stop=True)
    assert not full.meets and not early.meets and early.stopped_after_days is not None and early.stopped_after_days < 20
    assert check_fleet(case, vans(10), early_stop=True) == check_fleet(case, vans(10))


def test_plan_returns_dataclasses_and_leaves_its_inputs_alone() -> None:
    s = three_counties(days=14)
    before = repr(s)
    result = plan(s, parse_target("p90<=budget"), areas=["Sierra", "Santa Cruz"])
    assert repr(s) == before
    assert isinstance(result, Plan) and dataclasses.is_dataclass(result)
    assert [a.area for a in result.areas] == ["Santa Cruz", "Sierra"]
    for a in result.areas:
        assert isinstance(a, AreaPlan) and all(isinstance(t, Trial) for t in a.trials)
        assert a.vans == a.vans_24_7 + a.vans_part_time == len(a.fleet)
        assert a.lower_bound_vans <= a.vans
    shape = result.to_dict()
    assert set(shape) == {"scenario", "target", "replications", "max_vans", "met", "areas", "totals", "wall_s"}
    assert shape["totals"]["vans"] == sum(a.vans for a in result.areas)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.areas[0].met = False  # type: ignore[misc]


def test_plan_area_does_not_touch_the_prepared_scenario() -> None:
    prep = prepare(load_scenario("la-ttp").with_changes(horizon_days=21))
    region, vans, cache = prep.region, prep.region.vans, dict(prep.eta_cache)
    first = plan_area(prep, 0, Target(90, 60))
    assert prep.region is region and prep.region.vans == vans and prep.eta_cache == cache
    second = plan_area(prep, 0, Target(90, 60))
    assert dataclasses.replace(first, wall_s=0) == dataclasses.replace(second, wall_s=0)


def test_the_plan_module_keeps_no_state_between_calls() -> None:
    mutable = {k: v for k, v in vars(plan_module).items() if isinstance(v, (dict, list, set)) and not k.startswith("__")}
    assert mutable == {} or set(mutable) <= {"__all__"}


@pytest.mark.parametrize("calls_a_year", [1_000, 8_760, 20_000, 45_000])
def test_over_arrival_rates_the_bound_never_exceeds_the_planned_size_and_the_pilot_changes_no_fleet(
    calls_a_year: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The M/M/c scenario (one station, no travel, hour-long jobs) at four volumes, two
    months each, p90 within 30 minutes: the lower bound is at most the fleet the search
    finds (which fails with one van fewer), and searching first on the prefix of the calls
    (the pilot) gives the very same plan as searching without it."""
    s = load_scenario("validation/mmc").with_changes(horizon_days=60, replications=1, annual_calls=calls_a_year)
    prep = prepare(s)
    target = parse_target("p90<=30m")
    plans = {}
    for pilot in (True, False):
        monkeypatch.setattr(plan_module, "PILOT_MIN_TEAM_CALLS", 0 if pilot else float("inf"))
        plans[pilot] = plan_area(prep, 0, target, max_vans=40)
    with_pilot, without = plans[True], plans[False]
    assert with_pilot.met and without.met
    assert with_pilot.lower_bound_vans <= with_pilot.vans
    assert (with_pilot.fleet, with_pilot.value_minutes, with_pilot.by_hour_minutes) == (
        without.fleet,
        without.value_minutes,
        without.by_hour_minutes,
    )
    fewer = {t.vans: t.meets for t in without.trials if t.part_time == 0}
    below = with_pilot.vans - 1
    if below == with_pilot.lower_bound_vans - 1 and below >= 1:
        # The search took one van under the bound as failing: simulate it.
        vans = [plan_module.PlacedVan(f"V{i + 1}", 0, 34.05, -118.25, "24/7", "base") for i in range(below)]
        fewer[below] = plan_module.evaluate(prep, vans, target, 1).meets
    assert with_pilot.vans == 1 or fewer[below] is False


def test_a_check_that_goes_on_from_its_prefix_equals_one_run_straight_through() -> None:
    s = load_scenario("la-ttp-20k").with_changes(horizon_days=30)
    prep = prepare(s)
    case = AreaCase.build(prep, 0, Target(90, 60), 2)
    placement = place(prep, 12, demand=case.calls[0].demand)
    st = prep.region.stations
    vans = [plan_module.PlacedVan(f"V{i + 1}", 0, st[sid][1], st[sid][2], "24/7", sid) for i, sid in enumerate(placement.order)]
    prefix = plan_module.Prefix(case, vans)
    assert prefix.missed_after_days is None and len(prefix.runs) == 2
    assert check_fleet(case, vans, prefix=prefix) == check_fleet(case, vans)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="checks fleets in forked processes")
@pytest.mark.parametrize(("scenario", "target"), [("la-ttp-20k", "p90<=60m"), ("validation/mmc", "p90<=30m")])
def test_checking_two_fleets_at_once_on_a_spare_core_gives_the_same_plan_and_trials(scenario: str, target: str) -> None:
    """The searches ask for fleets in pairs (a guess and one van fewer, one part-time van
    more or fewer): checked together, one in a forked process, the plan, every trial and
    their order are those of checking one at a time; so are the placement's travel times."""
    s = load_scenario(scenario).with_changes(horizon_days=45, replications=1)
    prep = prepare(s)
    one, two = (plan_area(prep, 0, parse_target(target), max_vans=30, cores=c) for c in (0, 1))
    assert dataclasses.replace(two, wall_s=0.0) == dataclasses.replace(one, wall_s=0.0)
    assert one.met and len(one.trials) >= 2
    a, b = (place(prep, 30, cores=c) for c in (0, 1))
    assert a.order == b.order and a.mean_travel_s == b.mean_travel_s
    assert np.array_equal(a.floor_s, b.floor_s) and np.array_equal(a.nearest_s, b.nearest_s)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="forks")
def test_a_forked_check_that_fails_is_reported_as_none_so_the_caller_does_it_itself() -> None:
    def broken() -> int:
        raise RuntimeError("no")

    assert plan_module._fork(broken)() is None
    assert plan_module._fork(lambda: 41 + 1)() == 42
