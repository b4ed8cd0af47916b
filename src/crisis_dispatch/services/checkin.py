"""Use cases of the crew's safety check-ins on scene (rule: ``domain/checkin.py``).

A check-in is stored as an incident note (see :func:`~crisis_dispatch.domain.checkin.checkin_note_text`):
no table of its own, audited like every note, never shown to police roles.
"""

from __future__ import annotations

from typing import Any

from crisis_dispatch.domain.access import SCOPED_TO_OWN_UNIT, Permission
from crisis_dispatch.domain.checkin import checkin_note_text, checkin_state, is_checkin_note
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.incident import Incident, IncidentStatus

from . import audit, incidents
from .context import Actor, ServiceContext
from .crews import crew_unit


def check_in(ctx: ServiceContext, actor: Actor, incident_id: str, comment: str = "") -> dict[str, Any]:
    """Record that the crew on scene is safe; restarts the check-in clock."""
    actor.require(Permission.INCIDENT_NOTE)
    if len(comment) > 500:
        raise InvalidInput("a check-in comment is at most 500 characters")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        incidents.check_scope(ctx, uow, actor, incident)  # crew: their own van's incident only
        audit.record(ctx, uow, actor, "read", "incident", [incident.id])
        if incident.status is not IncidentStatus.ON_SCENE:
            uow.commit()  # the refusal tells the status: the read stays audited
            raise InvalidInput(f"incident {incident.id} is {incident.status.value}: safety check-ins are for crews on scene")
        incidents.append_note(ctx, uow, actor, incident, checkin_note_text(comment), now)
        unit = uow.units.find(incident.unit_id) if incident.unit_id else None
        call_signs = {unit.id: unit.call_sign} if unit else {}
        uow.commit()
    return _state(incident, call_signs, now) if incident.on_scene_at else {"incident_id": incident.id}


def _state(incident: Incident, call_signs: dict[str, str], now: Any) -> dict[str, Any]:
    assert incident.on_scene_at is not None
    times = [n.at for n in incident.notes if is_checkin_note(n.text)]
    state = checkin_state(incident.on_scene_at, times, now)
    return {
        "incident_id": incident.id,
        "unit_id": incident.unit_id,
        "call_sign": call_signs.get(incident.unit_id or "", incident.unit_id),
    } | state.to_dict()


def checkin_states(ctx: ServiceContext, actor: Actor) -> dict[str, Any]:
    """The check-in clock of every crew on scene that ``actor`` may follow (crew: their own).

    Carries no personal data: incident and van ids and times only.
    """
    actor.require(Permission.INCIDENT_STATUS)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        unit_id = None
        if actor.role in SCOPED_TO_OWN_UNIT:
            unit_id = crew_unit(uow, actor, now)
            if unit_id is None:
                return {"now": now.isoformat(), "checkins": []}
        on_scene = uow.incidents.list(statuses=[IncidentStatus.ON_SCENE], unit_id=unit_id, limit=1000)
        call_signs = {u.id: u.call_sign for u in uow.units.list()}
        states = [_state(i, call_signs, now) for i in on_scene if i.on_scene_at is not None]
    states.sort(key=lambda s: s["due_at"])
    return {"now": now.isoformat(), "checkins": states}
