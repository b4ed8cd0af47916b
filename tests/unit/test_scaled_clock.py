"""The demo's sped-up clock: two processes built from the same settings read the same time,
and it runs ``speed`` times as fast as the wall clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from crisis_dispatch.adapters.clock import ScaledClock, SystemClock
from crisis_dispatch.bootstrap import clock_for
from crisis_dispatch.config import Settings


def test_it_reads_the_sim_anchor_at_the_real_anchor_and_runs_speed_times_as_fast() -> None:
    real = datetime.now(UTC) - timedelta(seconds=10)
    sim = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    clock = ScaledClock(60.0, real, sim)
    first = clock.now()
    assert abs((first - sim).total_seconds() - 600) < 60
    time.sleep(0.2)
    moved = (clock.now() - first).total_seconds()
    assert 0.2 * 60 * 0.9 < moved < 0.2 * 60 * 3  # at least 12 s of sim time for 0.2 s of real time


def test_the_settings_choose_the_clock_and_two_builds_agree() -> None:
    assert isinstance(clock_for(Settings()), SystemClock)
    anchor = datetime.now(UTC)
    settings = Settings(clock_speed=60.0, clock_real_anchor=anchor, clock_sim_anchor=anchor + timedelta(hours=3))
    a, b = clock_for(settings), clock_for(settings)
    assert isinstance(a, ScaledClock)
    assert abs((a.now() - b.now()).total_seconds()) < 5
    assert a.now() > anchor + timedelta(hours=3)


@pytest.mark.parametrize("speed", [0.0, -1.0])
def test_a_clock_that_stands_still_or_runs_backwards_is_refused(speed: float) -> None:
    now = datetime.now(UTC)
    with pytest.raises(ValueError):
        ScaledClock(speed, now, now)
