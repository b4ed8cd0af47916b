"""Use cases of hold transports: a person on a hold written by others, moved by our van.

The request becomes an incident for the crisis team (queued, recommended and dispatched like
any team incident, by the same services); the crew verifies the written application on scene;
the handover at the designated facility closes the incident with the writer's hold as outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.errors import Conflict, InvalidInput, parse_enum
from crisis_dispatch.domain.history import StatusChange
from crisis_dispatch.domain.hold_transport import ACCEPTS_HOLDS, HoldTransport, PickupKind
from crisis_dispatch.domain.incident import Incident, IncidentStatus
from crisis_dispatch.domain.outcomes import Destination, HoldCriterion, HoldType, HoldWriter, WriterKind
from crisis_dispatch.services.ports import UnitOfWork
from crisis_dispatch.services.read_models import project_incident

from . import audit
from .context import Actor, ServiceContext
from .follow_up_close import on_close
from .incidents import (
    CallIntake,
    check_scope,
    incident_with_call,
    move,
    read_model,
    received_row,
    route_after_triage,
    service_area_override,
)

S = IncidentStatus
#: The call type on the incident's call record: what the dispatcher was asked for.
CALL_TYPE = "HOLD TRANSPORT"
#: The facility value of ``accepts`` that turns minors away (data/la/facilities.csv).
ADULTS_ONLY = "adults_only"


@dataclass(frozen=True)
class HoldTransportRequest:
    """What the dispatcher was told by the hold's writer, as plain values (checked here)."""

    hold_type: str
    writer_agency: str
    writer_name: str
    writer_credential: str
    writer_kind: str
    first_detained_at: datetime
    written_at: datetime
    criteria: Sequence[str]
    pickup_kind: str
    lat: float
    lon: float
    destination_facility_id: str
    pickup_name: str = ""
    address: str = ""
    writer_designation: str = ""
    subject_age: int | None = None
    subject_description: str = ""
    facts: str = ""
    #: A dispatcher takes a pickup outside the service area on purpose (recorded).
    outside_service_area: bool = False

    def writer(self) -> HoldWriter:
        return HoldWriter(
            agency=self.writer_agency.strip(),
            name=self.writer_name.strip(),
            credential=self.writer_credential.strip(),
            kind=parse_enum(WriterKind, self.writer_kind, "writer kind"),
            designation=self.writer_designation.strip(),
        )

    @property
    def place(self) -> str:
        """The incident's address: as given, else the name of the ED or station."""
        return self.address.strip() or self.pickup_name.strip()

    def intake(self) -> CallIntake:
        """The call record the incident keeps: who asked (the writer) and what they said."""
        return CallIntake(
            lat=self.lat,
            lon=self.lon,
            address=self.place,
            call_type=CALL_TYPE,
            narrative=self.facts,
            caller_name=f"{self.writer_name.strip()} ({self.writer_agency.strip()})",
            subject_description=self.subject_description,
            subject_age=self.subject_age,
            outside_service_area=self.outside_service_area,
        )


def request_transport(ctx: ServiceContext, actor: Actor, req: HoldTransportRequest) -> dict[str, Any]:
    """Create the incident of a hold transport and queue it for the crisis team.

    Refused (InvalidInput) when the hold has already expired, the writer is not named, the
    hold is the wrong kind for the age, or the destination does not accept holds.
    """
    actor.require(Permission.CALL_CREATE)
    hold_type = parse_enum(HoldType, req.hold_type, "hold type")
    criteria = frozenset(parse_enum(HoldCriterion, c, "hold criterion") for c in req.criteria)
    pickup_kind = parse_enum(PickupKind, req.pickup_kind, "pickup place")
    writer = req.writer()
    intake = req.intake()
    override = service_area_override(ctx, actor, intake)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        transport = HoldTransport(
            hold_type=hold_type,
            writer=writer,
            first_detained_at=req.first_detained_at,
            written_at=req.written_at,
            criteria=criteria,
            pickup_kind=pickup_kind,
            pickup_name=req.pickup_name.strip(),
            destination=_designated(uow, req.destination_facility_id, hold_type),
            requested_at=now,
            subject_age=req.subject_age,
            facts=req.facts,
        )
        transport.validate(now=now)
        incident = incident_with_call(ctx, intake, now)
        incident.hold_transport = transport
        reason = f"hold transport requested: WIC {hold_type.value} written by {writer.describe()}" + override
        changes = [
            received_row(incident, by=actor.username, reason=reason),
            incident.apply_triage(transport.triage_decision(incident.id), now=now, by=actor.username),
            *route_after_triage(incident, now=now, by=actor.username),
        ]
        uow.incidents.add(incident)
        uow.flush()
        uow.history.add_all(changes)
        audit.record(ctx, uow, actor, "create", "incident", [incident.id], detail="hold transport request" + override)
        view = read_model(ctx, incident, now)
        uow.commit()
    return project_incident(view, actor.role)


def _designated(uow: UnitOfWork, facility_id: str, hold_type: HoldType) -> Destination:
    """The destination: a known facility that accepts holds (and minors, for a 5585)."""
    facility = uow.facilities.find(facility_id.strip())
    if facility is None:
        raise InvalidInput(f"unknown facility '{facility_id}' (see GET /api/v1/facilities)")
    if ACCEPTS_HOLDS not in facility.capabilities:
        raise InvalidInput(f"{facility.name} is not a destination for holds (it lacks the capability '{ACCEPTS_HOLDS}')")
    if hold_type is HoldType.WIC_5585 and facility.accepts == ADULTS_ONLY:
        raise InvalidInput(
            f"{facility.name} takes adults only: a minor on a WIC 5585 hold goes to a facility that accepts minors"
        )
    return Destination(type=facility.type, name=facility.name, facility_id=facility.id)


def _transport_of(incident: Incident) -> HoldTransport:
    if incident.hold_transport is None:
        raise InvalidInput(f"incident {incident.id} is not a hold transport")
    return incident.hold_transport


def verify_pickup(
    ctx: ServiceContext,
    actor: Actor,
    incident_id: str,
    *,
    application_seen: bool,
    application_signed: bool,
    person_matches: bool,
) -> dict[str, Any]:
    """The crew's check of the written application on scene, before the person gets in the
    van (the crew of the assigned van, or a dispatcher on the radio)."""
    actor.require(Permission.INCIDENT_STATUS)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        transport = _transport_of(incident)
        if transport.verification is not None:
            v = transport.verification
            raise Conflict(f"the hold application was already verified by {v.verified_by} at {v.verified_at.isoformat()}")
        if incident.status is not S.ON_SCENE:
            raise Conflict(f"incident {incident.id} is {incident.status.value}: the application is verified on scene, at pickup")
        incident.hold_transport = transport.verify(
            application_seen=application_seen,
            application_signed=application_signed,
            person_matches=person_matches,
            by=actor.username,
            now=now,
        )
        left = int(transport.remaining(now).total_seconds() // 60)
        reason = f"hold application verified at pickup (seen, signed, person matches; {left} min left on the hold)"
        uow.history.add(incident.event("hold_verified", now=now, by=actor.username, reason=reason))
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail="hold application verified")
        view = read_model(ctx, incident, now)
        uow.commit()
    return project_incident(view, actor.role)


def hand_over(ctx: ServiceContext, actor: Actor, incident_id: str, received_by: str) -> dict[str, Any]:
    """The van reached the designated facility: record who received the person and the
    application, the outcome (an involuntary hold by its external writer), and close."""
    actor.require(Permission.INCIDENT_STATUS)
    actor.require(Permission.INCIDENT_OUTCOME)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        transport = _transport_of(incident)
        if incident.status not in (S.TRANSPORTING, S.AT_DESTINATION):
            raise Conflict(
                f"incident {incident.id} is {incident.status.value}: the handover is recorded at the destination "
                "(transporting or at_destination)"
            )
        changes: list[StatusChange] = []
        if incident.status is S.TRANSPORTING:
            changes += move(uow, incident, S.AT_DESTINATION, now=now, by=actor.username, reason="at the designated facility")
        transport = transport.hand_over(received_by=received_by, by=actor.username, now=now)
        incident.hold_transport = transport
        where = transport.destination.name or transport.destination.facility_id
        changes.append(
            incident.event("hold_handover", now=now, by=actor.username, reason=f"handed over to {received_by.strip()} at {where}")
        )
        incident.record_outcome(transport.outcome(recorded_by=actor.username, now=now), now=now)
        changes.append(incident.event("outcome", now=now, by=actor.username, reason="outcome involuntary_hold (hold transport)"))
        changes += move(uow, incident, S.CLOSED, now=now, by=actor.username, reason="hold transport handed over")
        uow.history.add_all(changes)
        audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail="hold transport handed over")
        on_close(ctx, uow, actor, incident)
        view = read_model(ctx, incident, now)
        uow.commit()
    return project_incident(view, actor.role)
