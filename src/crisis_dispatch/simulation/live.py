"""A real-time feed for the demo: the scenario's calls, submitted to the live service.

Calls come from the scenario's demand model (the area's arrival process, places and call
records of replication 0) and go through the same intake use case as the API
(``services.incidents.take_call``), paced at wall-clock speed times ``speed``. The feed only
submits calls: triage, dispatch and the crews' statuses are the live service's and the
dispatchers' business. Not wired into any command; the demo decides when to start it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from .runner import area_demand, prepare
from .scenario import Scenario

#: The intake's answers and narrative come from the call record the demand model drew.
SLEEP_SLICE_S = 0.5


def run_live_feed(
    ctx: Any,
    scenario: Scenario,
    speed: float,
    stop_event: threading.Event,
    *,
    max_calls: int | None = None,
    sleep: Callable[[float], None] | None = None,
) -> int:
    """Submit the scenario's calls through ``take_call`` until ``stop_event`` is set (or
    ``max_calls`` are sent, or the horizon is reached). Returns the number of calls sent."""
    from crisis_dispatch.services.context import SYSTEM
    from crisis_dispatch.services.incidents import CallIntake, take_call

    from .callmix import read_records

    if speed <= 0:
        raise ValueError("speed must be positive")
    prep = prepare(scenario)
    demand = area_demand(prep, 0, 0)
    records = {str(r["id"]): r for r in read_records(scenario.call_mix_file)}
    wait = sleep or (lambda s: stop_event.wait(s))
    started = time.monotonic()
    sent = 0
    for i, t in enumerate(demand.t.tolist()):
        due = started + t / speed
        while not stop_event.is_set():
            left = due - time.monotonic()
            if left <= 0:
                break
            wait(min(left, SLEEP_SLICE_S))
        if stop_event.is_set() or (max_calls is not None and sent >= max_calls):
            break
        rec = records[prep.mix.entries[int(demand.mix[i])].record_id]
        intake = CallIntake(
            lat=float(demand.lat[i]),
            lon=float(demand.lon[i]),
            call_type=str(rec.get("call_type", "")),
            code=rec.get("code"),
            narrative=str(rec.get("narrative", "")),
            answers=dict(rec.get("answers") or {}),
        )
        take_call(ctx, SYSTEM, intake, idempotency_key=f"sim-{scenario.name}-{scenario.seed}-{i}")
        sent += 1
    return sent
