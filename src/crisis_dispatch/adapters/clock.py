"""The wall clock, used only by the composition root of the live service, and the demo's
sped-up clock."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ScaledClock:
    """The wall clock sped up ``speed`` times from an anchor: at the real instant
    ``real_anchor`` it reads ``sim_anchor``, and every real second adds ``speed`` seconds.

    The demo runs on it so that its clocks, ages and escalations move at the pace of its
    sped-up feed (a call that waited 3.5 simulated hours looks it). Two processes built with
    the same anchors read the same time.
    """

    def __init__(self, speed: float, real_anchor: datetime, sim_anchor: datetime) -> None:
        if not speed > 0:
            raise ValueError("speed must be positive")
        if real_anchor.tzinfo is None or sim_anchor.tzinfo is None:
            raise ValueError("anchors must be timezone-aware")
        self.speed, self.real_anchor, self.sim_anchor = speed, real_anchor, sim_anchor

    def now(self) -> datetime:
        return self.sim_anchor + (datetime.now(UTC) - self.real_anchor) * self.speed
