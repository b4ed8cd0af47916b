"""Time as an input: rules take ``now`` or a :class:`Clock`, never read the wall clock.

The live service uses a system clock (see ``crisis_dispatch.adapters.clock``); tests and
the simulator use :class:`FixedClock` / their own simulated clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from .errors import InvalidInput


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


def ensure_aware(moment: datetime) -> datetime:
    """Refuse naive datetimes: every instant in the domain is timezone-aware (returned in UTC)."""
    if moment.tzinfo is UTC:
        return moment  # the common case, on the hot path of the simulator
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("times must carry a UTC offset (timezone-aware), e.g. 2026-11-27T10:00:00Z")
    return moment.astimezone(UTC)


class FixedClock:
    """A clock that only moves when told to (tests, simulation)."""

    def __init__(self, start: datetime) -> None:
        self._now = ensure_aware(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("time never goes backwards")
        self._now = self._now + delta
        return self._now

    def set(self, moment: datetime) -> None:
        moment = ensure_aware(moment)
        if moment < self._now:
            raise ValueError("time never goes backwards")
        self._now = moment
