"""Use cases of calls served by the 988 line: record the transfer and its result, and take a
handback from 988 as a new incident for the team, linked both ways and re-triaged as any call."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.errors import Conflict, InvalidInput, parse_enum
from crisis_dispatch.domain.incident import Incident
from crisis_dispatch.domain.phone_988 import Result988, Transfer988, check_transferable
from crisis_dispatch.services.read_models import project_incident

from . import audit
from .context import Actor, ServiceContext
from .incidents import CallIntake, open_incident, read_model

#: The safety answers a handback does not carry over: the caller is now the 988 counsellor.
CALLER_IS_SUBJECT = "caller_is_subject"


def _transfer_of(incident: Incident) -> Transfer988:
    if incident.phone_988 is None:
        raise Conflict(f"incident {incident.id} has no 988 transfer recorded: record the transfer first")
    return incident.phone_988


def record_transfer(
    ctx: ServiceContext, actor: Actor, incident_id: str, *, centre: str, reference: str, transferred_at: datetime | None = None
) -> dict[str, Any]:
    """The call-taker handed the call to a 988 centre: when, to which centre, its reference."""
    actor.require(Permission.CALL_CREATE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_transferable(incident.tier)
        if incident.phone_988 is not None:
            t = incident.phone_988
            raise Conflict(f"the transfer to {t.centre} (reference {t.reference}) is already recorded")
        transfer = Transfer988(
            centre=centre.strip(),
            reference=reference.strip(),
            transferred_at=transferred_at or now,
            transferred_by=actor.username,
        )
        transfer.validate(received_at=incident.received_at, now=now)
        incident.phone_988 = transfer
        reason = f"transferred to 988: {transfer.centre}, reference {transfer.reference}"
        uow.history.add(incident.event("988_transfer", now=now, by=actor.username, reason=reason))
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail="988 transfer recorded")
        view = read_model(ctx, incident, now)
        uow.commit()
    return project_incident(view, actor.role)


def record_result(ctx: ServiceContext, actor: Actor, incident_id: str, result: str, note: str = "") -> dict[str, Any]:
    """What came of the transfer: resolved by phone, or 988 will call back (interim)."""
    actor.require(Permission.CALL_CREATE)
    outcome = parse_enum(Result988, result, "988 result")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        incident.phone_988 = _transfer_of(incident).record_result(outcome, by=actor.username, now=now, note=note)
        reason = f"988 result: {outcome.value}" + (f" ({note.strip()})" if note.strip() else "")
        uow.history.add(incident.event("988_result", now=now, by=actor.username, reason=reason))
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail=f"988 result {outcome.value}")
        view = read_model(ctx, incident, now)
        uow.commit()
    return project_incident(view, actor.role)


def hand_back(
    ctx: ServiceContext,
    actor: Actor,
    incident_id: str,
    *,
    narrative: str,
    answers: dict[str, Any] | None = None,
    caller_phone: str = "",
) -> dict[str, Any]:
    """988 asks for a team in person: a new incident at the same place, with the first call's
    answers and the counsellor's words, re-triaged by the same code as any call (the counsellor
    is the caller now, so the phone rule for a caller in crisis no longer applies unless the
    answers say so). The 988 incident links to it (``phone_988.handed_back_to``) and it back
    (``handed_back_from``). The place was accepted with the first call: no area check again."""
    actor.require(Permission.CALL_CREATE)
    if not narrative.strip():
        raise InvalidInput("a handback says what 988 found: give the counsellor's words (narrative)")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        original = uow.incidents.get(incident_id)
        transfer = _transfer_of(original)
        if transfer.handed_back_to is not None:
            raise Conflict(f"988 already handed this call back: incident {transfer.handed_back_to}")
        first = original.calls[0] if original.calls else None
        known: dict[str, Any] = {}
        for call in original.calls:
            known.update(call.answers)
        known[CALLER_IS_SUBJECT] = "no"
        intake = CallIntake(
            lat=original.location.lat,
            lon=original.location.lon,
            address=original.location.address,
            call_type=first.call_type if first else "",
            code=first.code if first else None,
            narrative="\n".join(
                t for t in ((first.narrative if first else ""), f"988 handback ({transfer.centre}): {narrative.strip()}") if t
            ),
            answers=known | dict(answers or {}),
            caller_name=f"988: {transfer.centre} (reference {transfer.reference})",
            caller_phone=caller_phone,
            subject_description=original.subject_description,
            subject_age=original.subject_age,
        )
        reason = f"handed back by 988 ({transfer.centre}, reference {transfer.reference}) from incident {original.id}"
        incident, changes = open_incident(ctx, actor, intake, now=now, received=now, reason=reason)
        incident.handed_back_from = original.id
        original.phone_988 = transfer.hand_back(incident.id, by=actor.username, now=now, note=narrative)
        uow.incidents.add(incident)
        uow.flush()
        changes.append(
            original.event("988_handback", now=now, by=actor.username, reason=f"988 requested a team: incident {incident.id}")
        )
        uow.history.add_all(changes)
        audit.record(ctx, uow, actor, "create", "incident", [incident.id, original.id], detail="988 handback")
        view = read_model(ctx, incident, now)
        uow.commit()
    return project_incident(view, actor.role)
