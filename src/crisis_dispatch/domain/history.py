"""The append-only status history: one row per change of an incident or a unit.

It is the audit trail (who, when, from, to, why) and the source of every interval that
reports compute (call to dispatch, dispatch to on scene, time on scene, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

#: The event of a change of status (reports of intervals read these rows).
STATUS_EVENT = "status"
#: The event of an escalation of a waiting incident: "escalation:<kind>".
ESCALATION_PREFIX = "escalation:"


class Subject(StrEnum):
    INCIDENT = "incident"
    UNIT = "unit"


@dataclass(eq=False)
class StatusChange:
    """One change of status. Never updated or deleted once written."""

    subject: Subject
    subject_id: str
    from_status: str | None
    to_status: str
    at: datetime
    by: str
    reason: str = ""
    incident_id: str | None = None
    unit_id: str | None = None
    #: "status" for a change of status; "escalation:<kind>" for an escalation of a waiting
    #: incident (from and to are then the same status). Reports of intervals use "status" rows.
    event: str = STATUS_EVENT
    id: int | None = None
