"""The live feed submits the scenario's calls through the real intake use case."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.autopilot import run_live_feed
from crisis_dispatch.services import incidents
from crisis_dispatch.services.context import SYSTEM
from crisis_dispatch.simulation.runner import area_demand, prepare

from .small import small_scenario


def test_live_feed_turns_scenario_calls_into_triaged_incidents(sqlite_container: Container) -> None:
    stop = threading.Event()
    sent = run_live_feed(sqlite_container.ctx, small_scenario(days=1), speed=1e9, stop_event=stop, max_calls=5)
    assert sent == 5
    rows = incidents.list_incidents(sqlite_container.ctx, SYSTEM)
    assert len(rows) == 5
    assert all(r["tier"] for r in rows)


def test_live_feed_stops_when_told() -> None:
    stop = threading.Event()
    stop.set()
    assert run_live_feed(object(), small_scenario(days=1), speed=1.0, stop_event=stop) == 0


def test_the_backlog_goes_in_at_once_received_in_the_past_and_the_rest_waits_its_time(
    sqlite_container: Container, clock: FixedClock
) -> None:
    scenario = small_scenario(days=1)
    offset, backlog = 12 * 3600.0, 4 * 3600.0
    demand = area_demand(prepare(scenario), 0, 0)
    times = demand.t.tolist()
    expected_backlog = [t for t in times if offset - backlog <= t < offset]
    assert expected_backlog, "the small scenario has calls in the backlog window"
    stop = threading.Event()
    waits: list[float] = []

    def sleep(s: float) -> None:  # the first call after the backlog would wait: stop there
        waits.append(s)
        stop.set()

    sent = run_live_feed(
        sqlite_container.ctx, scenario, 60.0, stop, start_offset_s=offset, backlog_s=backlog, clock_rate=1.0, sleep=sleep
    )
    assert sent == len(expected_backlog)
    assert waits, "calls after the start wait for their time"
    rows = incidents.list_incidents(sqlite_container.ctx, SYSTEM, limit=500)
    received = sorted(datetime.fromisoformat(r["timestamps"]["received_at"]) for r in rows)
    # On a clock that runs at the scenario's pace, each backlog call was received
    # (start - t) seconds before now.
    assert received == sorted(clock.now() - timedelta(seconds=offset - t) for t in expected_backlog)
    assert all(r.startswith("near ") or r == "" for r in (x["address"] for x in rows))
