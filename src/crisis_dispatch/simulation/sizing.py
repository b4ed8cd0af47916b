"""Queueing estimates for fleet sizing: mean job time, Erlang C and the planner's bounds.

The planner simulates every fleet it decides on; these closed forms only choose where its
search starts and which sizes it need not simulate. An area is treated as an M/M/c queue
per hour of the day: calls arrive at that hour's mean rate, a van is busy for turnout,
mean travel and the mean job, and a call is late when its wait exceeds the target less
turnout and its travel from the nearest of the fleet's stations.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .demand import DISPOSITIONS, TRANSPORT_CODES, hour_of_week_weights
from .scenario import Scenario


def expected_job_minutes(s: Scenario) -> float:
    """Mean time a van is busy per call, turnout and travel aside (from the outcome tables)."""
    probs = s.outcomes["default"]
    total = 0.0
    for disp, p in probs.items():
        job = s.on_scene[disp][0]
        if DISPOSITIONS.index(disp) in TRANSPORT_CODES:
            job += sum(share * (s.transport[d][0] + s.handover[d][0]) for d, share in s.destinations.items())
        total += p * job
    return total


def erlang_c(c: int, offered: float) -> float:
    """P(an arrival waits) in an M/M/c queue offered ``offered`` Erlang (needs offered < c).

    Through the Erlang B recursion, which never overflows (``offered**c / c!`` does for
    large fleets)."""
    if offered >= c:
        return 1.0
    b = 1.0
    for k in range(1, c + 1):
        b = offered * b / (k + offered * b)
    return c * b / (c - offered * (1.0 - b))


def late_share(c: int, rate_per_hour: float, job_min: float, travel_min: np.ndarray, allowed_min: float) -> float:
    """M/M/c estimate of the share of calls later than ``allowed_min``: a call with travel
    ``x`` (per sampled call, minutes) is late when it waits longer than ``allowed_min - x``,
    which an M/M/c queue does with probability ``C(c, a) exp(-(c - a) t / S)``; the service
    ``S`` is the job plus mean travel (1 when ``c`` vans cannot carry the load)."""
    travel = np.asarray(travel_min, dtype=float)
    service = job_min + (float(travel.mean()) if len(travel) else 0.0)
    a = rate_per_hour * service / 60.0
    if a >= c:
        return 1.0
    if len(travel) == 0:
        travel = np.zeros(1)
    slack = allowed_min - travel
    p_wait = erlang_c(c, a)
    late = np.where(slack < 0, 1.0, p_wait * np.exp(-(c - a) * np.maximum(slack, 0.0) / service))
    return float(late.mean())


def hourly_rates(s: Scenario, calls_per_hour: float) -> np.ndarray:
    """Mean arrivals an hour for each local hour of the day (the weekdays pooled, as the
    by-hour KPI pools them)."""
    return calls_per_hour * hour_of_week_weights(s).reshape(7, 24).mean(axis=0)


def smallest_fleet(late: Callable[[int], float], share: float, *, start: int = 1, stop: int = 60) -> int:
    """The smallest ``c`` in ``[start, stop]`` whose estimated late share ``late(c)`` is at
    most ``share``; ``stop + 1`` when none is."""
    for c in range(max(1, start), stop + 1):
        if late(c) <= share:
            return c
    return stop + 1
