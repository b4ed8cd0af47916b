"""The live feed submits the scenario's calls through the real intake use case."""

from __future__ import annotations

import threading

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.services import incidents
from crisis_dispatch.services.context import SYSTEM
from crisis_dispatch.simulation.live import run_live_feed

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
