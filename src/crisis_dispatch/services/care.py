"""Use cases of CARE Court petitions (the CARE Act, WIC 5970 et seq.): prepare one from an
encounter, with its evidence bundle from our records; follow its stages and the county's
report deadline (14 court days, WIC 5977). Whether the respondent is eligible is for the court:
the petition records what the clinician attests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from crisis_dispatch.data.reference import judicial_holidays
from crisis_dispatch.domain.access import SCOPED_TO_OWN_UNIT, Permission
from crisis_dispatch.domain.care import (
    EVIDENCE_WINDOW,
    CarePetition,
    Criterion,
    EvidenceItem,
    Ground,
    Petitioner,
    Respondent,
    Stage,
    county,
    evidence_bundle,
    in_evidence_window,
)
from crisis_dispatch.domain.clock import ensure_aware
from crisis_dispatch.domain.court_days import CourtCalendar
from crisis_dispatch.domain.errors import Conflict, InvalidInput, NotFound, parse_enum
from crisis_dispatch.domain.incident import Incident
from crisis_dispatch.domain.persons import canonical, members
from crisis_dispatch.services.ports import UnitOfWork
from crisis_dispatch.services.read_models import project_evidence, project_petition

from . import audit
from .context import Actor, ServiceContext
from .incidents import check_scope

#: California's courts keep Pacific time: a stage's date and "today" are read there.
COURT_TZ = ZoneInfo("America/Los_Angeles")


@cache
def calendar() -> CourtCalendar:
    return judicial_holidays()


def today(ctx: ServiceContext) -> date:
    return ctx.clock.now().astimezone(COURT_TZ).date()


@dataclass(frozen=True)
class PetitionRequest:
    """What the clinician fills in (form CARE-100, as far as we know its fields)."""

    respondent_name: str
    respondent_age: int
    respondent_county: str
    county: str
    facts: str
    criteria: Sequence[str]
    grounds: Sequence[str]
    #: Other incidents of the same person the clinician lists for the evidence bundle.
    evidence_incident_ids: Sequence[str] = ()
    #: The clinician who petitions; default: the crew member who is logged in.
    petitioner_staff_id: str | None = None


def person_encounters(uow: UnitOfWork, incident: Incident) -> list[str]:
    """Every other incident of the person ``incident`` is linked to in the person index (and
    of the records merged into theirs); none when it is linked to nobody. What it returns is
    filtered to the 60-day window, never refused."""
    merges = uow.persons.merges()
    person = uow.persons.persons_of_incidents([incident.id]).get(incident.id)
    if person is None:
        return []
    links = uow.persons.links_of(members(canonical(person, merges), merges))
    return [row["incident_id"] for row in links if row["incident_id"] != incident.id]


def evidence_item(incident: Incident) -> EvidenceItem:
    """What the bundle keeps of one incident: no words of the call, no caller, no notes."""
    outcome, hold = incident.outcome, incident.outcome.hold if incident.outcome else None
    writer = ""
    if hold is not None:
        writer = (
            "our crisis team" if hold.writer is None else f"{hold.writer.kind.value.replace('_', ' ')} ({hold.writer.agency})"
        )
    destination = outcome.destination if outcome else None
    return EvidenceItem(
        incident_id=incident.id,
        received_at=ensure_aware(incident.received_at),
        disposition=outcome.disposition.value if outcome else None,
        hold_type=hold.type.value if hold else None,
        hold_criteria=tuple(sorted(c.value for c in hold.criteria)) if hold else (),
        first_detained_at=ensure_aware(hold.first_detained_at) if hold else None,
        hold_written_by=writer,
        destination=(destination.name or destination.type.value) if destination else "",
    )


def gather_evidence(
    uow: UnitOfWork, incident: Incident, listed: Sequence[str], prepared_at: datetime
) -> tuple[EvidenceItem, ...]:
    """The encounter itself, the incidents listed (refused when unknown or outside the 60
    days), and the person's other encounters in the window (:func:`person_encounters`)."""
    items = [evidence_item(incident)]
    for ident in dict.fromkeys(i.strip() for i in listed if i.strip() and i.strip() != incident.id):
        found = uow.incidents.find(ident)
        if found is None:
            raise InvalidInput(f"incident '{ident}' listed as evidence is not in our records")
        items.append(evidence_item(found))
    for ident in person_encounters(uow, incident):
        found = uow.incidents.find(ident)
        if found is not None and in_evidence_window(found.received_at, prepared_at):
            items.append(evidence_item(found))
    return evidence_bundle(items, prepared_at=prepared_at)


def _petitioner(uow: UnitOfWork, actor: Actor, staff_id: str | None) -> Petitioner:
    ident = (staff_id or "").strip() or actor.staff_id
    if not ident:
        raise InvalidInput("name the clinician who petitions (petitioner_staff_id): a member of the mobile crisis team")
    staff = uow.staff.find(ident)
    if staff is None or not staff.active:
        raise InvalidInput(f"the petitioner '{ident}' is not an active member of our crisis team's staff")
    return Petitioner(staff_id=staff.id, name=staff.name)


def prepare(ctx: ServiceContext, actor: Actor, incident_id: str, req: PetitionRequest) -> dict[str, Any]:
    """Prepare a CARE petition from an encounter (an incident a team reached), with its
    evidence bundle. One petition per incident."""
    actor.require(Permission.CARE_PREPARE)
    criteria = frozenset(parse_enum(Criterion, c, "CARE criterion") for c in req.criteria)
    grounds = frozenset(parse_enum(Ground, g, "CARE ground") for g in req.grounds)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        if incident.on_scene_at is None:
            raise InvalidInput(
                f"a CARE petition is prepared from an encounter: no team reached the person of incident {incident.id}"
            )
        existing = uow.care.list(incident_ids=[incident.id], limit=1)
        if existing:
            raise Conflict(f"a CARE petition was already prepared from incident {incident.id}: {existing[0].id}")
        petition = CarePetition(
            id=ctx.new_id("CARE"),
            incident_id=incident.id,
            respondent=Respondent(
                name=req.respondent_name.strip(),
                age=req.respondent_age,
                county_of_residence=req.respondent_county.strip(),
            ),
            petitioner=_petitioner(uow, actor, req.petitioner_staff_id),
            county=req.county.strip(),
            facts=req.facts.strip(),
            criteria=criteria,
            grounds=grounds,
            prepared_at=now,
            prepared_by=actor.username,
        )
        petition.validate()
        petition = _counties_named(petition)
        petition = replace(petition, evidence=gather_evidence(uow, incident, req.evidence_incident_ids, now))
        uow.care.add(petition)
        uow.history.add(
            incident.event("care_petition", now=now, by=actor.username, reason=f"CARE petition {petition.id} prepared")
        )
        audit.record(ctx, uow, actor, "create", "care_petition", [petition.id], detail=f"from incident {incident.id}")
        audit.record(ctx, uow, actor, "read", "incident", [e.incident_id for e in petition.evidence], detail="CARE evidence")
        uow.commit()
    return _view(ctx, petition)


def _counties_named(petition: CarePetition) -> CarePetition:
    respondent = replace(petition.respondent, county_of_residence=county(petition.respondent.county_of_residence))
    return replace(petition, county=county(petition.county), respondent=respondent)


def _view(ctx: ServiceContext, petition: CarePetition) -> dict[str, Any]:
    record = petition.to_dict()
    due = petition.due(calendar(), today(ctx))
    record |= {"stage": petition.stage.value, "due": due.to_dict() if due else None, "evidence_count": len(petition.evidence)}
    return project_petition(record)


def _check_petition_scope(actor: Actor, petition: CarePetition) -> None:
    """Crew read the petitions they prepared; the others who may read, every CARE matter."""
    if actor.role in SCOPED_TO_OWN_UNIT and petition.prepared_by != actor.username:
        raise NotFound(f"CARE petition '{petition.id}' not found")


def list_petitions(
    ctx: ServiceContext, actor: Actor, *, overdue: bool = False, incident_id: str | None = None
) -> list[dict[str, Any]]:
    actor.require(Permission.CARE_READ)
    with ctx.uow() as uow:
        found = uow.care.list(
            incident_ids=[incident_id] if incident_id else None,
            prepared_by=actor.username if actor.role in SCOPED_TO_OWN_UNIT else None,
        )
        views = [_view(ctx, p) for p in found]
        if overdue:
            views = [v for v in views if v["due"] and v["due"]["overdue"]]
        audit.record(ctx, uow, actor, "list", "care_petition", [v["id"] for v in views])
        uow.commit()
    return views


def get_petition(ctx: ServiceContext, actor: Actor, petition_id: str) -> dict[str, Any]:
    actor.require(Permission.CARE_READ)
    with ctx.uow() as uow:
        petition = uow.care.get(petition_id)
        _check_petition_scope(actor, petition)
        audit.record(ctx, uow, actor, "read", "care_petition", [petition.id])
        uow.commit()
    return _view(ctx, petition)


def record_stage(ctx: ServiceContext, actor: Actor, petition_id: str, stage: str, on: date, result: str = "") -> dict[str, Any]:
    """The next stage of the matter on its date (in order; none before the previous one or the
    petition, none in the future)."""
    actor.require(Permission.CARE_STAGE)
    next_stage = parse_enum(Stage, stage, "CARE stage")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        petition = uow.care.get(petition_id)
        _check_petition_scope(actor, petition)
        petition = petition.record_stage(next_stage, on, by=actor.username, now=now, today=today(ctx), result=result.strip())
        uow.care.save(petition)
        incident = uow.incidents.get(petition.incident_id)
        why = f"CARE petition {petition.id}: {next_stage.value} on {on.isoformat()}" + (
            f" ({result.strip()})" if result.strip() else ""
        )
        uow.history.add(incident.event("care_stage", now=now, by=actor.username, reason=why))
        audit.record(
            ctx, uow, actor, "update", "care_petition", [petition.id], detail=f"stage {next_stage.value} on {on.isoformat()}"
        )
        uow.commit()
    return _view(ctx, petition)


def evidence(ctx: ServiceContext, actor: Actor, petition_id: str) -> dict[str, Any]:
    """The evidence bundle kept with the petition (as it was when prepared)."""
    actor.require(Permission.CARE_READ)
    with ctx.uow() as uow:
        petition = uow.care.get(petition_id)
        _check_petition_scope(actor, petition)
        audit.record(ctx, uow, actor, "read", "care_petition", [petition.id], detail="evidence bundle")
        uow.commit()
    end = ensure_aware(petition.prepared_at)
    return project_evidence(
        {
            "petition_id": petition.id,
            "window_start": (end - EVIDENCE_WINDOW).isoformat(),
            "window_end": end.isoformat(),
            "items": [e.to_dict() for e in petition.evidence],
        }
    )
