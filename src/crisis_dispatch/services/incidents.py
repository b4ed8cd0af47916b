"""Use cases of the incident lifecycle: intake, reads, status changes, assignment, outcomes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from crisis_dispatch.domain.access import (
    SCOPED_TO_CARE_COURT,
    SCOPED_TO_OWN_UNIT,
    SCOPED_TO_POLICE_RESPONSE,
    Permission,
    allowed,
)
from crisis_dispatch.domain.disclosures import PoliceScope
from crisis_dispatch.domain.errors import (
    AssignmentConflict,
    Conflict,
    DuplicateKey,
    InvalidInput,
    NotDispatchable,
    NotFound,
    OutsideServiceArea,
    PermissionDenied,
    parse_enum,
)
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.incident import ASSIGNABLE, Call, Incident, IncidentStatus, Location, Note
from crisis_dispatch.domain.limits import check_text
from crisis_dispatch.domain.outcomes import Destination, Outcome
from crisis_dispatch.domain.triage import SAFETY_QUESTIONS, TEAM_TIERS
from crisis_dispatch.domain.unit import UnitStatus, readiness
from crisis_dispatch.services.ports import UnitOfWork

from . import audit
from .context import Actor, ServiceContext
from .crews import crew_unit, crews
from .dispatching import best_unit, clock_view
from .follow_up_close import on_close
from .read_models import project_incident
from .views import history_view, hold_transport_view, incident_view

S = IncidentStatus

#: The unit status that mirrors each incident status while the unit is committed.
UNIT_MIRROR: dict[IncidentStatus, UnitStatus] = {
    S.EN_ROUTE: UnitStatus.EN_ROUTE,
    S.ON_SCENE: UnitStatus.ON_SCENE,
    S.TRANSPORTING: UnitStatus.TRANSPORTING,
    S.AT_DESTINATION: UnitStatus.AT_DESTINATION,
    S.QUEUED: UnitStatus.AVAILABLE,
    S.CANCELLED: UnitStatus.AVAILABLE,
    S.CLOSED: UnitStatus.AVAILABLE,
}


@dataclass(frozen=True)
class CallIntake:
    #: None for both: a place still to confirm (an address a CAD sent that we could not place).
    lat: float | None
    lon: float | None
    address: str = ""
    call_type: str = ""
    code: str | None = None
    narrative: str = ""
    priority: int | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    caller_name: str = ""
    caller_phone: str = ""
    subject_description: str = ""
    subject_age: int | None = None
    received_at: datetime | None = None
    #: A dispatcher takes a call outside the service area on purpose (recorded).
    outside_service_area: bool = False

    def to_call(self, call_id: str, incident_id: str, received_at: datetime, idempotency_key: str | None = None) -> Call:
        return Call(
            id=call_id,
            incident_id=incident_id,
            received_at=received_at,
            call_type=self.call_type,
            code=self.code,
            narrative=self.narrative,
            caller_name=self.caller_name,
            caller_phone=self.caller_phone,
            answers=dict(self.answers),
            idempotency_key=idempotency_key,
        )

    def fingerprint(self) -> str:
        fields = dict(self.__dict__)
        if not self.outside_service_area:
            # Absent as before the flag existed: a retry of an earlier call still matches.
            del fields["outside_service_area"]
        body = json.dumps(
            {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items()},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class IntakeResult:
    incident: dict[str, Any]
    created: bool


def take_call(
    ctx: ServiceContext,
    actor: Actor,
    intake: CallIntake,
    idempotency_key: str | None = None,
    *,
    also: Callable[[UnitOfWork, Incident], None] | None = None,
    source: str = "call intake",
    permission: Permission = Permission.CALL_CREATE,
) -> IntakeResult:
    """Accept a call: create the incident, triage it, queue it for a team or close it with its reason.

    With an ``idempotency_key``, a retry of the same request returns the incident created
    the first time and creates nothing; the same key with a different body is a conflict.
    ``also`` runs in the same transaction once the incident is stored (an EIDO intake keeps
    its CAD reference there); ``source`` names the intake in the history and the audit;
    ``permission`` is the one the intake needs (an EIDO from the CAD: ``eido:receive``).
    """
    actor.require(permission)
    if idempotency_key is not None:
        idempotency_key = check_text("Idempotency-Key", idempotency_key.strip())
        if not idempotency_key or len(idempotency_key) > 200:
            raise InvalidInput("Idempotency-Key must be 1-200 characters")
    try:
        # One transaction for the key's look-up and the new incident: a retry is answered
        # from it, and a first call pays for one connection check-out, not two.
        with ctx.uow() as uow:
            if idempotency_key is not None:
                existing = _replay_in(ctx, uow, actor, intake, idempotency_key)
                if existing is not None:
                    return existing
            override = service_area_override(ctx, actor, intake)
            now, received = _received(ctx, intake)
            reason = ("call received" if source == "call intake" else f"call received ({source})") + override
            incident, changes = open_incident(ctx, actor, intake, now=now, received=received, reason=reason)
            incident.calls[-1].idempotency_key = idempotency_key
            uow.incidents.add(incident)
            uow.history.add_all(changes)
            uow.flush()  # one flush for the incident, its call and its history rows
            if idempotency_key is not None:
                uow.idempotency.add(idempotency_key, intake.fingerprint(), incident.id, now)
            if also is not None:
                also(uow, incident)
            audit.record(ctx, uow, actor, "create", "incident", [incident.id], detail=source + override)
            view = read_model(ctx, incident)
            uow.commit()
    except DuplicateKey:
        # Two retries raced with the same key: the other one won; answer with its incident.
        if idempotency_key is not None:
            existing = _replay(ctx, actor, intake, idempotency_key)
            if existing is not None:
                return existing
        raise
    return IntakeResult(project_incident(view, actor.role), created=True)


def incident_with_call(ctx: ServiceContext, intake: CallIntake, received: datetime) -> Incident:
    """A new incident (in ``received``) at the intake's place, about its person, with its first call."""
    incident = Incident(
        id=ctx.new_id("INC"),
        location=Location(intake.lat, intake.lon, intake.address),
        received_at=received,
        subject_description=intake.subject_description,
        subject_age=intake.subject_age,
    )
    incident.calls.append(intake.to_call(ctx.new_id("CALL"), incident.id, received))
    return incident


def open_incident(
    ctx: ServiceContext, actor: Actor, intake: CallIntake, *, now: datetime, received: datetime, reason: str
) -> tuple[Incident, list[StatusChange]]:
    """A new incident with its first call, triaged and routed (queued for a team or closed with
    its reason): the incident and its history rows, not yet stored."""
    incident = incident_with_call(ctx, intake, received)
    changes = [received_row(incident, by=actor.username, reason=reason)]
    result = ctx.triage(_triage_request(incident, intake.priority))
    changes.append(incident.apply_triage(result, now=now, by=actor.username))
    changes.extend(route_after_triage(incident, now=now, by=actor.username))
    return incident, changes


def received_row(incident: Incident, *, by: str, reason: str) -> StatusChange:
    """The first history row of a new incident: received (from nothing) when it was."""
    return StatusChange(
        subject=Subject.INCIDENT,
        subject_id=incident.id,
        from_status=None,
        to_status=S.RECEIVED.value,
        at=incident.received_at,
        by=by,
        reason=reason,
        incident_id=incident.id,
    )


def service_area_override(ctx: ServiceContext, actor: Actor, intake: CallIntake) -> str:
    """Refuse a call outside the service area (a dropped minus sign puts Los Angeles in China)
    unless a dispatcher takes it on purpose; then the words the history and audit keep."""
    area = ctx.service_area
    if area is None or intake.lat is None or intake.lon is None or area.contains(intake.lat, intake.lon):
        return ""
    where = f"({intake.lat:.5f}, {intake.lon:.5f})"
    if not intake.outside_service_area:
        raise OutsideServiceArea(
            f"the call at {where} is outside the service area, {area.describe()}: check the location "
            '(a dropped minus sign?); a dispatcher who means it sends "outside_service_area": true'
        )
    if not allowed(actor.role, Permission.INCIDENT_ASSIGN):
        raise PermissionDenied(
            f"role '{actor.role.value}' cannot take a call outside the service area ({area.name}): a dispatcher can"
        )
    return f"; outside the service area ({area.name}) at {where}, taken on purpose by {actor.username}"


def read_model(ctx: ServiceContext, incident: Incident, now: datetime | None = None) -> dict[str, Any]:
    """The incident read model with its response-time clock (before role redaction)."""
    now = now or ctx.clock.now()
    return incident_view(incident) | {
        "location_to_confirm": incident.location_to_confirm,
        "clock": clock_view(ctx, incident, now),
        "hold_transport": hold_transport_view(incident.hold_transport, now),
        "outside_service_area": ctx.outside_service_area(incident.location.lat, incident.location.lon),
    }


def attach_call(ctx: ServiceContext, actor: Actor, incident_id: str, intake: CallIntake) -> dict[str, Any]:
    """Another call about the same crisis: attach it, and re-triage on everything now known.

    A later caller who reports a weapon changes the response: the new decision is recorded
    (history event ``retriage``) when the tier changes.
    """
    actor.require(Permission.CALL_CREATE)
    now, received = _received(ctx, intake)
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        if not incident.is_open:
            raise Conflict(f"incident {incident.id} is {incident.status.value}; take the call as a new incident")
        if incident.hold_transport is not None:
            raise Conflict(f"incident {incident.id} is a hold transport, not a 911 call: add a note instead")
        add_call(ctx, uow, actor, incident, intake, now=now, received=received, reason="additional call")
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail="additional call attached")
        view = read_model(ctx, incident)
        uow.commit()
    return project_incident(view, actor.role)


def add_call(
    ctx: ServiceContext,
    uow: UnitOfWork,
    actor: Actor,
    incident: Incident,
    intake: CallIntake,
    *,
    now: datetime,
    received: datetime,
    reason: str,
) -> None:
    """Attach a call to an open incident in the caller's unit of work and re-triage on
    everything now known; a changed tier is recorded (history event ``retriage``)."""
    incident.calls.append(intake.to_call(ctx.new_id("CALL"), incident.id, received))
    result = ctx.triage(_triage_request(incident, intake.priority))
    if result.tier.value != incident.tier:
        uow.history.add(incident.update_triage(result, now=now, by=actor.username, reason=reason))


def _received(ctx: ServiceContext, intake: CallIntake) -> tuple[datetime, datetime]:
    """Now, and when the call was received (now unless the intake says); never in the future."""
    now = ctx.clock.now()
    received = intake.received_at or now
    if received > now:
        raise InvalidInput("a call cannot be received in the future")
    return now, received


def _triage_request(incident: Incident, priority: int | None = None) -> dict[str, Any]:
    """What the triage engine reads (see ``Triager``): every call of the incident so far, the
    latest one (already attached) naming the call type and code unless it left them out.
    Later answers outrank earlier ones."""
    answers: dict[str, Any] = {}
    for c in incident.calls:
        answers.update(c.answers)
    latest, first = incident.calls[-1], incident.calls[0]
    return {
        "id": incident.id,
        "call_type": latest.call_type or first.call_type,
        "narrative": "\n".join(c.narrative for c in incident.calls if c.narrative),
        "code": latest.code or first.code,
        "priority": priority,
        "answers": answers,
    }


def confirm_triage(ctx: ServiceContext, actor: Actor, incident_id: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The call-taker asked the three safety questions (issue 10): their answers join the
    latest call's, the incident is re-triaged by the same code as intake (answers outrank
    the text), and the new decision is kept with who confirmed it and when.

    ``answers`` holds exactly ``SAFETY_QUESTIONS``, each "yes" or "no". An answer that
    reveals a danger changes the response (a weapon brings police); one that takes the team
    out of the response closes a waiting incident as intake would have.
    """
    actor.require(Permission.TRIAGE_CONFIRM)
    given = _safety_answers(answers)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        if not incident.is_open:
            raise Conflict(f"incident {incident.id} is {incident.status.value}: its triage can no longer be confirmed")
        latest = incident.calls[-1]
        # A new dict: the JSON column sees an assignment, not an in-place change.
        latest.answers = {**latest.answers, **given}
        result = ctx.triage(_triage_request(incident))
        said = ", ".join(f"{q}={given[q]}" for q in SAFETY_QUESTIONS)
        changes = [incident.confirm_triage(result, now=now, by=actor.username, reason=f"triage confirmed ({said})")]
        if incident.status in ASSIGNABLE and (incident.tier or "") not in TEAM_TIERS:
            changes.extend(route_after_triage(incident, now=now, by=actor.username))
        uow.history.add_all(changes)
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail="triage confirmed")
        view = read_model(ctx, incident)
        uow.commit()
    return project_incident(view, actor.role)


def _safety_answers(answers: Any) -> dict[str, str]:
    """The three safety answers as "yes"/"no"; InvalidInput naming what is wrong."""
    if not isinstance(answers, dict):
        raise InvalidInput("answers must be an object: {" + ", ".join(f'"{q}": "yes" | "no"' for q in SAFETY_QUESTIONS) + "}")
    unknown = sorted(set(answers) - set(SAFETY_QUESTIONS))
    if unknown:
        raise InvalidInput(f"unknown question(s) {', '.join(unknown)}: a confirmation answers {', '.join(SAFETY_QUESTIONS)} only")
    missing = [q for q in SAFETY_QUESTIONS if q not in answers]
    if missing:
        raise InvalidInput(f"missing answer(s) to {', '.join(missing)}: all of {', '.join(SAFETY_QUESTIONS)} must be answered")
    out: dict[str, str] = {}
    for q in SAFETY_QUESTIONS:
        value = answers[q]
        text = value.strip().lower() if isinstance(value, str) else None
        if text not in ("yes", "no"):
            raise InvalidInput(f"answer to {q} must be 'yes' or 'no', not {value!r}")
        out[q] = text
    return out


def _replay(ctx: ServiceContext, actor: Actor, intake: CallIntake, key: str) -> IntakeResult | None:
    with ctx.uow() as uow:
        return _replay_in(ctx, uow, actor, intake, key)


def _replay_in(ctx: ServiceContext, uow: UnitOfWork, actor: Actor, intake: CallIntake, key: str) -> IntakeResult | None:
    """The incident ``key`` created (its read is audited and committed), or None when the key
    is new (nothing written)."""
    found = uow.idempotency.find(key)
    if found is None:
        return None
    if found["request_hash"] != intake.fingerprint():
        raise Conflict(f"Idempotency-Key '{key}' was already used for a different call")
    incident = uow.incidents.get(found["incident_id"])
    audit.record(ctx, uow, actor, "read", "incident", [incident.id], detail="idempotent replay")
    view = read_model(ctx, incident)
    uow.commit()
    return IntakeResult(project_incident(view, actor.role), created=False)


def route_after_triage(incident: Incident, *, now: datetime, by: str) -> list[StatusChange]:
    """A call for the crisis team waits in the queue; any other response leaves our hands."""
    tier = incident.tier or ""
    if tier in TEAM_TIERS:
        return [incident.transition(S.QUEUED, now=now, by=by, reason="awaiting a crisis team")]
    reason = incident.screened_out_reason or "ineligible"
    responders = tier or "default responder"
    detail = "; ".join(incident.triage.reasons[:3] if incident.triage else ())
    return [
        incident.transition(S.CLOSED, now=now, by=by, reason=f"screened out ({reason}) to {responders}: {detail}".rstrip(": "))
    ]


def check_scope(ctx: ServiceContext, uow: UnitOfWork, actor: Actor, incident: Incident) -> None:
    if actor.role in SCOPED_TO_OWN_UNIT:
        unit_id = crew_unit(uow, actor, ctx.clock.now())
        if unit_id is None or incident.unit_id != unit_id:
            # Not "forbidden": crew must not even learn that other incidents exist.
            raise NotFound(f"incident '{incident.id}' not found")
    if actor.role in SCOPED_TO_CARE_COURT and not uow.incidents.care_matter_ids([incident.id]):
        raise NotFound(f"incident '{incident.id}' not found")
    police = police_scope(actor)
    if police is not None and not uow.incidents.police_visible_ids(police, [incident.id]):
        raise NotFound(f"incident '{incident.id}' not found")


def police_scope(actor: Actor) -> PoliceScope | None:
    """For a police liaison, who they are to the query of what they may see (None: not police)."""
    if actor.role not in SCOPED_TO_POLICE_RESPONSE:
        return None
    return PoliceScope(actor.username, actor.role.value)


def get_incident(ctx: ServiceContext, actor: Actor, incident_id: str) -> dict[str, Any]:
    actor.require(Permission.INCIDENT_READ)
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        view = read_model(ctx, incident)
        view["history"] = [history_view(h) for h in uow.history.for_incident(incident_id)]
        view["person_id"] = uow.persons.persons_of_incidents([incident.id]).get(incident.id)
        audit.record(ctx, uow, actor, "read", "incident", [incident.id])
        uow.commit()
    return project_incident(view, actor.role)


def list_incidents(
    ctx: ServiceContext,
    actor: Actor,
    *,
    statuses: list[str] | None = None,
    open_only: bool = False,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    actor.require(Permission.INCIDENT_READ)
    parsed = [_status(s) for s in statuses or []]
    if open_only:
        parsed = [s for s in (parsed or list(S)) if s not in (S.CLOSED, S.CANCELLED)]
    with ctx.uow() as uow:
        unit_id = None
        if actor.role in SCOPED_TO_OWN_UNIT:
            unit_id = crew_unit(uow, actor, ctx.clock.now())
            if unit_id is None:
                return []
        found = uow.incidents.list(
            statuses=parsed or None,
            unit_id=unit_id,
            police=police_scope(actor),
            care_matters=actor.role in SCOPED_TO_CARE_COURT,
            limit=limit,
            offset=offset,
        )
        now = ctx.clock.now()
        persons = uow.persons.persons_of_incidents([i.id for i in found])
        views = [read_model(ctx, i, now) | {"person_id": persons.get(i.id)} for i in found]
        audit.record(ctx, uow, actor, "list", "incident", [i.id for i in found])
        uow.commit()
    return [project_incident(v, actor.role) for v in views]


def _status(value: str) -> IncidentStatus:
    return parse_enum(IncidentStatus, value, "incident status")


def change_status(
    ctx: ServiceContext, actor: Actor, incident_id: str, to: str, reason: str = "", expected_version: int | None = None
) -> dict[str, Any]:
    """Move an incident (and the van working it) to a new status."""
    actor.require(Permission.INCIDENT_STATUS)
    target = _status(to)
    if target is S.DISPATCHED:
        raise InvalidInput("use the assign action to dispatch a unit")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        _check_version(incident, expected_version)
        if target is S.CLOSED and incident.status in (S.TRIAGED, S.QUEUED) and not reason.strip():
            # Every call kept from the crisis team is logged with its reason.
            raise InvalidInput("closing an incident no team has seen needs a reason (e.g. 'handed to police')")
        uow.history.add_all(move(uow, incident, target, now=now, by=actor.username, reason=reason))
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail=f"status {target.value}")
        on_close(ctx, uow, actor, incident)
        view = read_model(ctx, incident)
        uow.commit()
    return project_incident(view, actor.role)


def move(
    uow: UnitOfWork, incident: Incident, target: IncidentStatus, *, now: datetime, by: str, reason: str = ""
) -> list[StatusChange]:
    """Move ``incident`` to ``target`` and the van working it to the mirroring status; the
    history rows of both."""
    unit_id = incident.unit_id
    changes = [incident.transition(target, now=now, by=by, reason=reason)]
    if unit_id is not None and target in UNIT_MIRROR:
        unit = uow.units.get(unit_id)
        if unit.incident_id == incident.id and unit.status is not UNIT_MIRROR[target]:
            changes.append(unit.transition(UNIT_MIRROR[target], now=now, by=by, reason=f"incident {target.value}"))
    return changes


def _check_version(incident: Incident, expected_version: int | None) -> None:
    if expected_version is not None and incident.version != expected_version:
        raise Conflict(
            f"incident {incident.id} changed since you loaded it (version {incident.version}, you had {expected_version})"
        )


def assign_unit(ctx: ServiceContext, actor: Actor, incident_id: str, unit_id: str | None, reason: str = "") -> dict[str, Any]:
    """Dispatch a van (the recommended one when ``unit_id`` is None).

    Compare-and-set: of two dispatchers racing for one van, one wins, the other gets 409.
    """
    actor.require(Permission.INCIDENT_ASSIGN)
    if unit_id is None:
        _no_automatic_van(ctx, incident_id)
        unit_id = best_unit(ctx, incident_id)
        if unit_id is None:
            raise NotDispatchable(f"no van is free, staffed and fit for incident {incident_id}: it stays in the queue")
        reason = reason or "recommended unit"
    now = ctx.clock.now()
    try:
        with ctx.uow() as uow:
            incident = uow.incidents.get(incident_id)
            unit = uow.units.get(unit_id)
            if unit.committed:
                raise AssignmentConflict(f"unit {unit.call_sign} is already assigned to incident {unit.incident_id}")
            ready = readiness(unit, crews(uow, [unit], now)[unit.id])
            if not ready.dispatchable:
                raise NotDispatchable(f"unit {unit.call_sign} cannot be dispatched: " + "; ".join(ready.reasons))
            changes = [
                incident.assign(unit.id, now=now, by=actor.username, reason=reason),
                unit.transition(
                    UnitStatus.DISPATCHED,
                    now=now,
                    by=actor.username,
                    reason=f"assigned to {incident.id}",
                    incident_id=incident.id,
                ),
            ]
            uow.flush()
            uow.history.add_all(changes)
            audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail=f"assigned {unit.call_sign}")
            view = read_model(ctx, incident)
            uow.commit()
    except Conflict as e:
        if isinstance(e, (AssignmentConflict, NotDispatchable)):
            raise
        raise AssignmentConflict(
            f"unit {unit_id} or incident {incident_id} was just changed by another dispatcher; reload and choose again"
        ) from e
    return project_incident(view, actor.role)


def _no_automatic_van(ctx: ServiceContext, incident_id: str) -> None:
    """A call outside the service area gets no van chosen for it: its travel times are a
    straight-line guess at best; nor does one whose location is still to confirm. The
    dispatcher names the van (``unit_id``) or places the incident first."""
    with ctx.uow() as uow:
        where = uow.incidents.get(incident_id).location
    if not where.placed:
        raise InvalidInput(
            f"incident {incident_id} has a location to confirm ({where.address}): no van is recommended for it; "
            "place it first (POST /api/v1/incidents/{id}/location) or name the van to send (unit_id)"
        )
    if ctx.service_area is None:
        return
    if ctx.outside_service_area(where.lat, where.lon):
        raise InvalidInput(
            f"incident {incident_id} is outside the service area ({ctx.service_area.name}): no van is recommended "
            "for it on a straight-line guess; name the van to send (unit_id)"
        )


def record_outcome(ctx: ServiceContext, actor: Actor, incident_id: str, outcome: Outcome) -> dict[str, Any]:
    actor.require(Permission.INCIDENT_OUTCOME)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        if outcome.hold is not None and outcome.hold.writer is None:
            placer = uow.staff.find(outcome.hold.placed_by)
            if placer is None:
                raise InvalidInput(f"hold placed by unknown staff member '{outcome.hold.placed_by}'")
            if not placer.can_place_hold(outcome.hold.type):
                raise InvalidInput(f"{placer.name} is not designated to write WIC {outcome.hold.type.value} holds")
        if outcome.destination is not None and outcome.destination.facility_id is not None:
            outcome = replace(outcome, destination=_checked_destination(uow, outcome.destination))
        if outcome.subject_age is None and incident.known_age is not None:
            # The age the call-taker was told counts too (a 5150 on a minor is refused).
            outcome = replace(outcome, subject_age=incident.known_age)
        before = incident.outcome
        incident.record_outcome(outcome, now=now)
        note = f"outcome {outcome.disposition.value}" + (f" (replaces {before.disposition.value})" if before else "")
        uow.history.add(incident.event("outcome", now=now, by=actor.username, reason=note))
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail=note)
        view = read_model(ctx, incident)
        uow.commit()
    return project_incident(view, actor.role)


def _checked_destination(uow: UnitOfWork, destination: Destination) -> Destination:
    """A destination naming a facility must name a known one of the same type (its name filled in)."""
    facility = uow.facilities.find(destination.facility_id or "")
    if facility is None:
        raise InvalidInput(f"unknown facility '{destination.facility_id}' (see GET /api/v1/facilities)")
    if facility.type is not destination.type:
        raise InvalidInput(
            f"facility '{facility.id}' ({facility.name}) is of type {facility.type.value}, not {destination.type.value}"
        )
    return replace(destination, name=destination.name or facility.name)


def add_note(ctx: ServiceContext, actor: Actor, incident_id: str, text: str) -> dict[str, Any]:
    actor.require(Permission.INCIDENT_NOTE)
    text = text.strip()
    if not text:
        raise InvalidInput("a note needs some text")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        append_note(ctx, uow, actor, incident, text, now)
        view = read_model(ctx, incident)
        uow.commit()
    return project_incident(view, actor.role)


def append_note(ctx: ServiceContext, uow: UnitOfWork, actor: Actor, incident: Incident, text: str, now: datetime) -> None:
    """Add a (non-empty, stripped) note to ``incident`` in the caller's unit of work, audited."""
    incident.notes.append(Note(id=ctx.new_id("NOTE"), incident_id=incident.id, at=now, by=actor.username, text=text.strip()))
    audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail="note added")


def place_incident(
    ctx: ServiceContext, actor: Actor, incident_id: str, lat: float, lon: float, address: str | None = None, reason: str = ""
) -> dict[str, Any]:
    """A dispatcher places (or moves) an incident: its location to confirm gets coordinates,
    after which vans are recommended for it. The address stays unless a new one is given.
    Recorded in the history (event ``location``) and audited."""
    actor.require(Permission.INCIDENT_ASSIGN)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        text = incident.location.address if address is None else check_text("address", address.strip())
        where = Location(lat, lon, text)
        if ctx.outside_service_area(lat, lon) and ctx.service_area is not None:
            raise OutsideServiceArea(
                f"({lat:.5f}, {lon:.5f}) is outside the service area, {ctx.service_area.describe()}: check the location"
            )
        confirming = incident.location_to_confirm
        uow.history.add(
            incident.move_to(
                where, now=now, by=actor.username, reason=reason or ("location confirmed" if confirming else "moved")
            )
        )
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail="location confirmed" if confirming else "moved")
        view = read_model(ctx, incident)
        uow.commit()
    return project_incident(view, actor.role)
