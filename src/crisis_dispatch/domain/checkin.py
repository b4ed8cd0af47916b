"""Safety check-ins of a crew on scene.

A crew working a scene confirms it is safe at least every :data:`CHECKIN_INTERVAL`; the
clock starts when the van arrives and restarts at each check-in. A missed check-in is a
safety alert for the dispatcher (call the crew, then send help). Time is an input: the
rule takes ``now`` and never reads a clock.

Check-ins are stored as incident notes whose text starts with :data:`CHECKIN_NOTE_PREFIX`
(no table of their own): :func:`checkin_note_text` writes that text and
:func:`is_checkin_note` recognises it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .clock import ensure_aware
from .errors import InvalidInput

#: How long a crew may stay on scene without confirming it is safe.
CHECKIN_INTERVAL = timedelta(minutes=15)
#: How long before the deadline the crew's screen says a check-in is due.
DUE_WARNING = timedelta(minutes=3)
#: Text that marks an incident note as a safety check-in.
CHECKIN_NOTE_PREFIX = "Safety check-in"


class CheckinLevel(StrEnum):
    OK = "ok"
    DUE = "due"
    MISSED = "missed"


@dataclass(frozen=True)
class CheckinState:
    """Where a crew on scene stands with its check-ins at one instant."""

    on_scene_at: datetime
    last_checkin_at: datetime | None
    due_at: datetime
    level: CheckinLevel
    #: Zero unless missed.
    overdue_by: timedelta

    def to_dict(self) -> dict[str, object]:
        return {
            "on_scene_at": self.on_scene_at.isoformat(),
            "last_checkin_at": self.last_checkin_at.isoformat() if self.last_checkin_at else None,
            "due_at": self.due_at.isoformat(),
            "level": self.level.value,
            "overdue_seconds": int(self.overdue_by.total_seconds()),
        }


def checkin_state(
    on_scene_at: datetime,
    checkins: Iterable[datetime],
    now: datetime,
    *,
    interval: timedelta = CHECKIN_INTERVAL,
    warning: timedelta = DUE_WARNING,
) -> CheckinState:
    """The check-in state of a crew that arrived at ``on_scene_at``.

    Check-ins before arrival (or after ``now``, i.e. not yet happened) do not count.
    """
    if interval <= timedelta(0) or not (timedelta(0) <= warning < interval):
        raise InvalidInput("the check-in interval must be positive and longer than its warning")
    arrived = ensure_aware(on_scene_at)
    now = ensure_aware(now)
    counted = [t for t in (ensure_aware(c) for c in checkins) if arrived <= t <= now]
    last = max(counted, default=None)
    due_at = (last or arrived) + interval
    if now >= due_at:
        level = CheckinLevel.MISSED
    elif now >= due_at - warning:
        level = CheckinLevel.DUE
    else:
        level = CheckinLevel.OK
    overdue = now - due_at if level is CheckinLevel.MISSED else timedelta(0)
    return CheckinState(on_scene_at=arrived, last_checkin_at=last, due_at=due_at, level=level, overdue_by=overdue)


def checkin_note_text(comment: str = "") -> str:
    """The note text that records a check-in (with the crew's optional short comment)."""
    comment = " ".join(comment.split())
    return f"{CHECKIN_NOTE_PREFIX}: {comment}" if comment else f"{CHECKIN_NOTE_PREFIX}: all safe"


def is_checkin_note(text: str) -> bool:
    return text.startswith(CHECKIN_NOTE_PREFIX + ":")
