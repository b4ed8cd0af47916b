"""EIDO intake: an incident a 911 CAD sends as a NENA EIDO document (NENA-STA-021.1).

A document is validated against the shipped schema, read (``adapters.eido_reader``), and then
taken as any call through the same intake as ``POST /calls`` (triage, queue or screened out).
The EIDO ``$id`` and the issuing agency become the incident's CAD reference (``eido_links``):

* first document for an ``$id``: a new incident (``created``);
* the very same document again: nothing new (``unchanged``);
* a later ``lastUpdateTimeStamp``: an update of the same incident (``updated``): new notes are
  attached as a call and re-triage it, a moved location moves it;
* an earlier one: ignored (``ignored_older``), and the answer says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crisis_dispatch.adapters import eido_reader
from crisis_dispatch.adapters.eido_reader import EidoIncoming, EidoPlace
from crisis_dispatch.adapters.eido_schema import load_schema
from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.errors import Conflict, DuplicateKey, InvalidDocument, InvalidInput
from crisis_dispatch.domain.incident import Incident, Location
from crisis_dispatch.services.ports import UnitOfWork
from crisis_dispatch.services.read_models import project_incident

from . import audit
from .context import Actor, ServiceContext
from .incidents import CallIntake, add_call, read_model, take_call

CREATED = "created"
UNCHANGED = "unchanged"
UPDATED = "updated"
IGNORED_OLDER = "ignored_older"


@dataclass(frozen=True)
class EidoResult:
    outcome: str
    incident: dict[str, Any]
    message: str
    changes: tuple[str, ...] = ()

    @property
    def created(self) -> bool:
        return self.outcome == CREATED

    def to_dict(self) -> dict[str, Any]:
        view = self.incident
        return {
            "result": self.outcome,
            "message": self.message,
            "changes": list(self.changes),
            "incident_id": view["id"],
            "tier": view.get("tier"),
            "status": view.get("status"),
            "location_to_confirm": view.get("location_to_confirm", False),
            "incident": view,
        }


def validate(document: Any) -> None:
    """:class:`InvalidDocument` listing the JSON paths at fault, or nothing."""
    if not isinstance(document, dict):
        raise InvalidDocument("an EIDO document is a JSON object", [{"path": "$", "message": "not a JSON object"}])
    problems = load_schema().problems(document)
    if problems:
        paths = ", ".join(p.path for p in problems[:5]) + (" …" if len(problems) > 5 else "")
        raise InvalidDocument(f"the EIDO document breaks the NENA-STA-021.1 schema at {paths}", [p.to_dict() for p in problems])


def receive(ctx: ServiceContext, actor: Actor, document: Any) -> EidoResult:
    """Take an EIDO document: create, update, recognise a replay, or ignore an older version."""
    actor.require(Permission.EIDO_RECEIVE)
    validate(document)
    incoming = eido_reader.read(document)
    for attempt in range(2):
        with ctx.uow() as uow:
            link = uow.eido_links.find(incoming.eido_id)
        if link is None:
            try:
                return _create(ctx, actor, incoming)
            except DuplicateKey:
                if attempt:
                    raise
                continue  # the same $id arrived twice at once: the other one created it
        return _known(ctx, actor, incoming, link)
    raise AssertionError("unreachable")


def _intake(incoming: EidoIncoming, place: Location, received: datetime | None) -> CallIntake:
    return CallIntake(
        lat=place.lat,
        lon=place.lon,
        address=place.address,
        call_type=incoming.call_type,
        code=incoming.code,
        narrative=incoming.narrative,
        caller_name=incoming.caller_name,
        caller_phone=incoming.caller_phone,
        received_at=received,
        # The CAD has already taken the call: an address outside our area is its decision.
        outside_service_area=False,
    )


def _location(place: EidoPlace | None) -> Location:
    if place is None:
        raise InvalidDocument(
            "the EIDO carries no location we can read",
            [{"path": "$.locationComponent", "message": "no locationByValue with a gml:Point, gml:Circle or civicAddress"}],
        )
    if place.lat is None:
        return Location(None, None, place.address or "address not given")
    return Location(place.lat, place.lon, place.address)


def _place_dict(place: EidoPlace | None) -> dict[str, Any] | None:
    return None if place is None else {"lat": place.lat, "lon": place.lon, "address": place.address}


def _create(ctx: ServiceContext, actor: Actor, incoming: EidoIncoming) -> EidoResult:
    now = ctx.clock.now()
    received = min(incoming.received_at, now) if incoming.received_at else None
    where = _location(incoming.place)
    if where.placed and ctx.outside_service_area(where.lat, where.lon):
        raise InvalidInput(f"the EIDO's location {where.describe()} is outside the service area: this centre does not serve it")

    def keep_link(uow: UnitOfWork, incident: Incident) -> None:
        uow.eido_links.add(
            eido_id=incoming.eido_id,
            agency=incoming.agency,
            incident_id=incident.id,
            updated_at=incoming.updated_at,
            document_hash=incoming.fingerprint,
            note_ids=[n.id for n in incoming.notes],
            location=_place_dict(incoming.place),
            received_at=now,
        )

    result = take_call(
        ctx,
        actor,
        _intake(incoming, where, received),
        also=keep_link,
        source=f"EIDO {incoming.eido_id}",
        permission=Permission.EIDO_RECEIVE,
    )
    message = f"incident {result.incident['id']} created from EIDO {incoming.eido_id} ({incoming.agency})"
    if not where.placed:
        message += f"; location to confirm: {where.address}"
    return EidoResult(CREATED, result.incident, message)


def _known(ctx: ServiceContext, actor: Actor, incoming: EidoIncoming, link: dict[str, Any]) -> EidoResult:
    stored_at: datetime = link["updated_at"]
    if incoming.fingerprint == link["document_hash"]:
        return _unchanged(ctx, actor, link, UNCHANGED, f"EIDO {incoming.eido_id} already received: nothing new")
    if incoming.updated_at < stored_at:
        return _unchanged(
            ctx,
            actor,
            link,
            IGNORED_OLDER,
            f"ignored: this EIDO (lastUpdateTimeStamp {incoming.updated_at.isoformat()}) is older than the one "
            f"already applied ({stored_at.isoformat()})",
        )
    if incoming.updated_at == stored_at:
        raise Conflict(
            f"EIDO {incoming.eido_id} with lastUpdateTimeStamp {stored_at.isoformat()} was already received with "
            "different content: an update needs a later lastUpdateTimeStamp"
        )
    return _update(ctx, actor, incoming, link)


def _unchanged(ctx: ServiceContext, actor: Actor, link: dict[str, Any], outcome: str, message: str) -> EidoResult:
    with ctx.uow() as uow:
        incident = uow.incidents.get(link["incident_id"])
        audit.record(ctx, uow, actor, "read", "incident", [incident.id], detail=f"EIDO {outcome}")
        view = read_model(ctx, incident)
        uow.commit()
    return EidoResult(outcome, project_incident(view, actor.role), message)


def _update(ctx: ServiceContext, actor: Actor, incoming: EidoIncoming, link: dict[str, Any]) -> EidoResult:
    now = ctx.clock.now()
    seen = set(link["note_ids"] or [])
    fresh = [n for n in incoming.notes if n.id not in seen and n.text]
    changes: list[str] = []
    with ctx.uow() as uow:
        incident = uow.incidents.get(link["incident_id"])
        moved = _place_dict(incoming.place) != link["location"] and incoming.place is not None
        if moved and incident.is_open:
            where = _location(incoming.place)
            if where.placed or not incident.location.placed:
                # An address we cannot place never replaces coordinates a dispatcher confirmed.
                uow.history.add(incident.move_to(where, now=now, by=actor.username, reason=f"EIDO update {incoming.eido_id}"))
                changes.append("location moved" if where.placed else "address changed (location to confirm)")
        if fresh and incident.is_open:
            text = "\n".join(n.text for n in fresh)
            intake = CallIntake(lat=None, lon=None, address=incident.location.address or "-", narrative=text)
            add_call(ctx, uow, actor, incident, intake, now=now, received=now, reason="EIDO update: new notes")
            changes.append(f"{len(fresh)} new note(s) attached and re-triaged")
        if not incident.is_open and (fresh or moved):
            changes.append(f"incident is {incident.status.value}: the update is stored, nothing re-triaged")
        uow.eido_links.update(
            incoming.eido_id,
            updated_at=incoming.updated_at,
            document_hash=incoming.fingerprint,
            note_ids=sorted(seen | {n.id for n in incoming.notes}),
            location=_place_dict(incoming.place),
        )
        audit.record(
            ctx, uow, actor, "update", "incident", [incident.id], detail="EIDO update: " + ("; ".join(changes) or "no change")
        )
        view = read_model(ctx, incident)
        uow.commit()
    message = f"incident {incident.id} updated from EIDO {incoming.eido_id}: " + ("; ".join(changes) or "nothing we use changed")
    return EidoResult(UPDATED, project_incident(view, actor.role), message, tuple(changes))
