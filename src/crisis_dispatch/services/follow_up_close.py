"""The follow-up tasks of an encounter, created in the transaction that closes it.

Every close path that can carry an outcome calls :func:`on_close` before its commit: a status
change to ``closed`` (``services/incidents``), the van clearing (``services/units``), the
handover of a hold transport (``services/hold_transports``). Kept apart from the follow-up use
cases (``services/follow_ups``) so that those close paths import nothing that imports them.
"""

from __future__ import annotations

from crisis_dispatch.adapters.follow_up_data import load_follow_up_rules
from crisis_dispatch.domain.follow_ups import FollowUpTask, tasks_for_close
from crisis_dispatch.domain.incident import Incident, IncidentStatus
from crisis_dispatch.services.ports import UnitOfWork

from . import audit
from .context import Actor, ServiceContext


def on_close(ctx: ServiceContext, uow: UnitOfWork, actor: Actor, incident: Incident) -> list[FollowUpTask]:
    """Create the follow-up tasks the rules give the incident's outcome, once, when the
    incident is closed with an outcome (an incident closed without one gets none: nobody
    was seen). Audited; returns the tasks created."""
    if incident.status is not IncidentStatus.CLOSED or incident.outcome is None or incident.closed_at is None:
        return []
    if uow.follow_ups.count_for_incident(incident.id):
        return []
    tasks = tasks_for_close(
        load_follow_up_rules(),
        incident_id=incident.id,
        disposition=incident.outcome.disposition,
        closed_at=incident.closed_at,
        new_id=lambda: ctx.new_id("FUP"),
    )
    if tasks:
        uow.follow_ups.add_all(tasks)
        rules = ", ".join(t.rule_id for t in tasks)
        audit.record(ctx, uow, actor, "create", "follow_up", [t.id for t in tasks], detail=f"on close of {incident.id}: {rules}")
    return tasks
