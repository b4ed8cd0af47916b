"""The demo autopilot works calls to the end through the live use cases, and leaves people's vans alone."""

from __future__ import annotations

import threading
from datetime import timedelta

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.entrypoints.autopilot import AUTOPILOT, Autopilot, run_live_feed
from crisis_dispatch.services import incidents, reference, seed, units
from crisis_dispatch.services.context import SYSTEM
from crisis_dispatch.simulation.scenario import load_scenario


def test_the_autopilot_dispatches_and_closes_every_call_but_never_touches_manual_vans(sqlite_container: Container, clock) -> None:
    ctx = sqlite_container.ctx
    seed.seed_la(ctx, days=2)
    scenario = load_scenario("la-ttp")
    sent = run_live_feed(ctx, scenario, speed=1e9, stop_event=threading.Event(), max_calls=6, run_id="t")
    assert sent == 6
    pilot = Autopilot(ctx, scenario, speed=60.0, manual_units=frozenset({"unit-ttp-1"}), seed=7)
    for _ in range(400):
        pilot.step()
        clock.advance(timedelta(seconds=30))  # 30 real seconds = 30 simulated minutes at 60x
        open_ = incidents.list_incidents(ctx, SYSTEM, open_only=True)
        if not open_:
            break
    assert incidents.list_incidents(ctx, SYSTEM, open_only=True) == []
    done = incidents.list_incidents(ctx, SYSTEM)
    worked = [i for i in done if i["unit_id"]]
    assert worked, "some calls reached a van"
    assert all(i["outcome"] for i in worked)
    # A transport names the facility it went to (the nearest of the drawn type), as a crew would.
    destinations = [i["outcome"]["destination"] for i in worked if i["outcome"]["destination"]]
    kinds = {f["type"] for f in reference.list_facilities(ctx, SYSTEM)}
    for d in destinations:  # (a type the county has no facility of keeps its type as the name)
        assert (d["facility_id"] is not None) == (d["type"] in kinds), d
    assert all(i["unit_id"] != "unit-ttp-1" for i in done)
    assert all(u["status"] == "available" for u in units.list_units(ctx, SYSTEM))
    history = incidents.get_incident(ctx, SYSTEM, worked[0]["id"])["history"]
    assert any(h["by"] == AUTOPILOT for h in history)


def test_calls_taken_by_hand_are_left_for_a_person_to_dispatch(sqlite_container: Container, clock) -> None:
    from crisis_dispatch.services.incidents import CallIntake

    ctx = sqlite_container.ctx
    seed.seed_la(ctx, days=2)
    by_hand = incidents.take_call(
        ctx, SYSTEM, CallIntake(lat=34.05, lon=-118.25, call_type="EDP", narrative="calm, no weapons")
    ).incident
    pilot = Autopilot(ctx, load_scenario("la-ttp"), speed=60.0, seed=1)
    for _ in range(5):
        pilot.step()
        clock.advance(timedelta(seconds=30))
    assert incidents.get_incident(ctx, SYSTEM, by_hand["id"])["status"] == "queued"


def test_autopilot_durations_follow_the_scenario_contract_exponential_at_cv_one() -> None:
    import math

    import numpy as np

    from crisis_dispatch.entrypoints.autopilot import draw_minutes

    rng = np.random.default_rng(3)
    draws = np.array([draw_minutes(rng, (30.0, 1.0)) for _ in range(20_000)])
    assert abs(draws.mean() - 30.0) < 1.0
    # Exponential: e^-1 = 0.368 of draws above the mean (a lognormal with cv 1 gives 0.339).
    assert abs((draws > 30.0).mean() - math.exp(-1)) < 0.01
    assert draw_minutes(rng, (12.0, 0.0)) == 12.0


def test_the_autopilots_crews_check_in_on_scene_so_no_check_in_is_ever_missed(sqlite_container: Container, clock) -> None:
    from crisis_dispatch.services import checkin

    ctx = sqlite_container.ctx
    seed.seed_la(ctx, days=2)
    scenario = load_scenario("la-ttp")
    run_live_feed(ctx, scenario, speed=1e9, stop_event=threading.Event(), max_calls=4, run_id="c")
    # On the demo's sped-up clock one clock second is one simulated second.
    pilot = Autopilot(ctx, scenario, speed=1.0, manual_units=frozenset({"unit-ttp-1"}), seed=3)
    levels: list[str] = []
    for _ in range(24 * 60):
        pilot.step()
        levels += [c["level"] for c in checkin.checkin_states(ctx, SYSTEM)["checkins"]]
        if not incidents.list_incidents(ctx, SYSTEM, open_only=True):
            break
        clock.advance(timedelta(minutes=1))
    assert "ok" in levels, "some crew was on scene"
    assert "missed" not in levels
    notes = [n for i in incidents.list_incidents(ctx, SYSTEM) for n in incidents.get_incident(ctx, SYSTEM, i["id"])["notes"]]
    assert any(n["text"].startswith("Safety check-in") for n in notes)
