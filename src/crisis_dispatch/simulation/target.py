"""Planning targets: a percentile of response time and its bound (``p90<=60m``, ``p90<=budget``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crisis_dispatch.domain.queueing import budget_for

from .region import Area

TARGET = re.compile(r"^\s*p(\d{1,2}(?:\.\d+)?)\s*<=\s*(?:(budget)|(\d+(?:\.\d+)?)\s*(m|min|h)?)\s*$", re.IGNORECASE)
#: The accepted forms, for error messages.
TARGET_FORMS = "'p90<=60m' (or 60min), 'p95<=2h' or 'p90<=budget' (each area's own 60/120-minute clock)"


class TargetError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    """A response-time percentile and its bound; ``minutes=None`` is each area's own Medi-Cal
    budget (60 minutes urban, 120 rural: ``domain.queueing.budget_for``)."""

    percentile: float
    minutes: float | None

    def minutes_for(self, area: Area) -> float:
        if self.minutes is None:
            return budget_for(area.rural).total_seconds() / 60.0
        return self.minutes

    def __str__(self) -> str:
        bound = "budget" if self.minutes is None else f"{self.minutes:g}m"
        return f"p{self.percentile:g}<={bound}"


def parse_target(text: str) -> Target:
    """``"p90<=60m"`` → 90th percentile of response time at most 60 minutes (``min`` too, ``h``
    for hours; a bare number is refused, it could be either); ``"p90<=budget"`` → at most each
    area's own 60/120-minute budget."""
    m = TARGET.match(text)
    if not m:
        raise TargetError(f"bad target '{text}': expected {TARGET_FORMS}")
    pct = float(m.group(1))
    if not 0 < pct < 100:
        raise TargetError(f"bad target '{text}': the percentile must be in (0, 100)")
    if m.group(2):
        return Target(pct, None)
    if not m.group(4):
        # A bare number is ambiguous (minutes? hours?): a unit is required.
        raise TargetError(f"bad target '{text}': the time needs a unit (m, min or h); expected {TARGET_FORMS}")
    value, unit = float(m.group(3)), m.group(4).lower()
    if value <= 0:
        raise TargetError(f"bad target '{text}': the time must be positive")
    return Target(pct, value * 60 if unit == "h" else value)
