"""Use cases of the person index (issue 14 item 2, docs/after-the-call.md "Person index").

Crews and dispatchers link an incident to a person by a click; a search only suggests. Every
read of a person's encounters, every search and every change leaves an audit row (and the
changes a row of the record's own trail, ``person_events``). Clinical roles only
(``domain/access.py``: ``PERSON_*``); a crew member reads and links only for the incident their
van has now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crisis_dispatch.adapters.name_matching import name_similarity
from crisis_dispatch.domain.access import SCOPED_TO_OWN_UNIT, Permission
from crisis_dispatch.domain.clock import ensure_aware
from crisis_dispatch.domain.errors import Conflict, InvalidInput, NotFound
from crisis_dispatch.domain.incident import Incident
from crisis_dispatch.domain.limits import check_text
from crisis_dispatch.domain.persons import Person, PersonQuery, canonical, members, new_person, suggest
from crisis_dispatch.services.ports import UnitOfWork

from . import audit
from .context import Actor, ServiceContext
from .crews import crew_unit
from .incidents import check_scope
from .person_views import (
    Encounter,
    EncounterCounts,
    MergeResult,
    PersonEvent,
    PersonLink,
    PersonRecord,
    Suggestions,
    person_summary,
    suggestion,
)

MAX_SUGGESTIONS = 20
MAX_REASON_CHARS = 1000


@dataclass(frozen=True)
class PersonDetails:
    names: Sequence[str] = ()
    dob: str | None = None
    phones: Sequence[str] = ()
    description: str = ""


# ----------------------------------------------------------------------------- create and search
def create_person(ctx: ServiceContext, actor: Actor, details: PersonDetails) -> dict[str, Any]:
    """A new record (nothing is linked: link an incident to it next)."""
    actor.require(Permission.PERSON_LINK)
    now = ctx.clock.now()
    person = new_person(
        ctx.new_id("PER"),
        names=details.names,
        dob=details.dob,
        phones=details.phones,
        description=details.description,
        by=actor.username,
        now=now,
    )
    with ctx.uow() as uow:
        uow.persons.add(person)
        uow.persons.record("create", person.id, at=now, by=actor.username)
        audit.record(ctx, uow, actor, "create", "person", [person.id])
        uow.commit()
    return person_summary(person)


def search(ctx: ServiceContext, actor: Actor, query: PersonQuery, limit: int = 10) -> dict[str, Any]:
    """Suggested matches with their score and reasons, best first. Links nothing."""
    actor.require(Permission.PERSON_SEARCH)
    query.check(ctx.clock.now().date())
    with ctx.uow() as uow:
        found = suggest(query, uow.persons.not_merged(), name_similarity=name_similarity, limit=min(limit, MAX_SUGGESTIONS))
        # Which fields were searched, never their values: the audit log is not a second index.
        detail = "search by " + ", ".join(query.given())
        audit.record(ctx, uow, actor, "search", "person", [c.person.id for c in found] or ["-"], detail=detail)
        uow.commit()
    return Suggestions.model_validate({"candidates": [suggestion(c) for c in found]}).model_dump(mode="json")


# ----------------------------------------------------------------------------- reading a person
def get_person(ctx: ServiceContext, actor: Actor, person_id: str) -> dict[str, Any]:
    """The record with its encounters (its own and those of records merged into it) and trail."""
    actor.require(Permission.PERSON_READ)
    with ctx.uow() as uow:
        person = uow.persons.get(person_id)
        _check_person_scope(ctx, uow, actor, person)
        merges = uow.persons.merges()
        group = members(person.id, merges)
        encounters = _encounters(uow, group, since=None)
        trail = [_event(e) for e in uow.persons.events(group)]
        audit.record(ctx, uow, actor, "read", "person", [person.id], detail=f"encounter history ({len(encounters)})")
        uow.commit()
    record = PersonRecord.model_validate(
        person_summary(person)
        | {"merged_from": sorted(group - {person.id}), "summary": _counts(encounters), "encounters": encounters, "trail": trail}
    )
    return record.model_dump(mode="json")


def encounters_of_person(
    ctx: ServiceContext, actor: Actor, person_id: str, since: datetime | None = None
) -> list[dict[str, Any]]:
    """The person's encounters (incidents received at or after ``since``, oldest first), with
    any hold: for a CARE petition's "holds and encounters of the last 60 days". Audited."""
    actor.require(Permission.PERSON_READ)
    with ctx.uow() as uow:
        person = uow.persons.get(person_id)
        _check_person_scope(ctx, uow, actor, person)
        group = members(person.id, uow.persons.merges())
        found = _encounters(uow, group, since=since)
        window = f" since {ensure_aware(since).isoformat()}" if since else ""
        audit.record(ctx, uow, actor, "read", "person", [person.id], detail=f"encounters{window} ({len(found)})")
        uow.commit()
    return found


def _check_person_scope(ctx: ServiceContext, uow: UnitOfWork, actor: Actor, person: Person) -> None:
    """A crew member reads only the person linked to the incident their van has now (others: 404)."""
    if actor.role not in SCOPED_TO_OWN_UNIT:
        return
    unit_id = crew_unit(uow, actor, ctx.clock.now())
    unit = uow.units.find(unit_id) if unit_id else None
    current = unit.incident_id if unit is not None else None
    linked = uow.persons.persons_of_incidents([current] if current else [])
    if canonical(person.id, uow.persons.merges()) not in linked.values():
        raise NotFound(f"person '{person.id}' not found")


def _encounters(uow: UnitOfWork, group: frozenset[str], *, since: datetime | None) -> list[dict[str, Any]]:
    links = {row["incident_id"]: row for row in uow.persons.links_of(group)}
    found = uow.incidents.list(ids=list(links), limit=max(len(links), 1)) if links else []
    if since is not None:
        found = [i for i in found if ensure_aware(i.received_at) >= ensure_aware(since)]
    found.sort(key=lambda i: (ensure_aware(i.received_at), i.id))
    return [_encounter(i, links[i.id]) for i in found]


def _encounter(incident: Incident, link: dict[str, Any]) -> dict[str, Any]:
    outcome = incident.outcome
    hold = outcome.hold if outcome else None
    destination = outcome.destination if outcome else None
    return Encounter.model_validate(
        {
            "incident_id": incident.id,
            "status": incident.status.value,
            "tier": incident.tier,
            "priority": incident.priority,
            "received_at": _iso(incident.received_at),
            "closed_at": _iso(incident.closed_at),
            "disposition": outcome.disposition.value if outcome else None,
            "destination": (destination.name or destination.type.value) if destination else None,
            "hold": None
            if hold is None
            else {
                "type": hold.type.value,
                "first_detained_at": hold.first_detained_at.isoformat(),
                "expires_at": hold.expires_at.isoformat(),
                "criteria": sorted(c.value for c in hold.criteria),
                "written_by": hold.writer.kind.value if hold.writer else "our crew",
            },
            "hold_transport": incident.hold_transport is not None,
            "linked_to": link["person_id"],
            "linked_at": ensure_aware(link["linked_at"]).isoformat(),
            "linked_by": link["linked_by"],
        }
    ).model_dump(mode="json")


def _counts(encounters: list[dict[str, Any]]) -> EncounterCounts:
    times = [e["received_at"] for e in encounters if e["received_at"]]
    return EncounterCounts(
        count=len(encounters),
        first_at=min(times) if times else None,
        last_at=max(times) if times else None,
        holds=sum(1 for e in encounters if e["hold"]),
    )


def _event(row: dict[str, Any]) -> dict[str, Any]:
    return PersonEvent.model_validate(
        row | {"at": ensure_aware(row["at"]).isoformat(), "incidents": row["incidents"] or []}
    ).model_dump(mode="json")


def _iso(value: datetime | None) -> str | None:
    return ensure_aware(value).isoformat() if value else None


# ----------------------------------------------------------------------------- links
def link(ctx: ServiceContext, actor: Actor, incident_id: str, person_id: str) -> dict[str, Any]:
    """Link the incident to the person: someone decided it is them. One person per incident;
    a merged record is not linked to (its survivor is)."""
    actor.require(Permission.PERSON_LINK)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        person = uow.persons.get(person_id)
        if person.merged_into is not None:
            raise Conflict(f"person {person.id} was merged into {person.merged_into}: link to {person.merged_into}")
        existing = uow.persons.link_of(incident.id)
        if existing is not None:
            if existing["person_id"] == person.id:
                return _link_view(existing, person.id)
            raise Conflict(f"incident {incident.id} is linked to person {existing['person_id']}: unlink it first")
        uow.persons.link(incident.id, person.id, at=now, by=actor.username)
        uow.persons.record("link", person.id, at=now, by=actor.username, incident_id=incident.id)
        audit.record(ctx, uow, actor, "link", "person", [person.id], detail=f"incident {incident.id}")
        uow.commit()
    return PersonLink(
        incident_id=incident.id, person_id=person.id, linked_at=now.isoformat(), linked_by=actor.username
    ).model_dump(mode="json")


def unlink(ctx: ServiceContext, actor: Actor, incident_id: str, reason: str = "") -> dict[str, Any]:
    """Take the link off (it was not them); the trail keeps who linked and who unlinked."""
    actor.require(Permission.PERSON_LINK)
    text = _reason(reason, required=False)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        existing = uow.persons.link_of(incident.id)
        if existing is None:
            raise NotFound(f"incident {incident.id} is not linked to a person")
        uow.persons.unlink(incident.id)
        uow.persons.record("unlink", existing["person_id"], at=now, by=actor.username, incident_id=incident.id, reason=text)
        audit.record(ctx, uow, actor, "unlink", "person", [existing["person_id"]], detail=f"incident {incident.id}")
        uow.commit()
    return PersonLink(incident_id=incident.id, unlinked=True).model_dump(mode="json")


def _link_view(row: dict[str, Any], person_id: str) -> dict[str, Any]:
    return PersonLink(
        incident_id=row["incident_id"],
        person_id=person_id,
        linked_at=ensure_aware(row["linked_at"]).isoformat(),
        linked_by=row["linked_by"],
    ).model_dump(mode="json")


# ----------------------------------------------------------------------------- merge and unmerge
def merge(ctx: ServiceContext, actor: Actor, person_id: str, into: str, reason: str) -> dict[str, Any]:
    """``person_id`` and ``into`` are the same person: the first is kept, merged into the second,
    with its links (the second's history now lists them)."""
    actor.require(Permission.PERSON_MERGE)
    text = _reason(reason, required=True)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        absorbed, survivor = uow.persons.get(person_id), uow.persons.get(into)
        merged = absorbed.merge_into(survivor, by=actor.username, now=now)
        # The incidents it carries (its own links, and those of records merged into it).
        carried = _incidents_of(uow, absorbed.id)
        uow.persons.set_merge(merged)
        return _record_merge(ctx, uow, actor, "merge", merged, survivor, carried, text)


def unmerge(ctx: ServiceContext, actor: Actor, person_id: str, reason: str) -> dict[str, Any]:
    """They were not the same person: ``person_id`` stands for itself again, with exactly the
    incidents linked to it (they never moved)."""
    actor.require(Permission.PERSON_MERGE)
    text = _reason(reason, required=True)
    with ctx.uow() as uow:
        absorbed = uow.persons.get(person_id)
        if absorbed.merged_into is None:
            raise Conflict(f"person {absorbed.id} is not merged into anyone")
        survivor = uow.persons.get(absorbed.merged_into)
        restored = absorbed.unmerge()
        uow.persons.set_merge(restored)
        return _record_merge(ctx, uow, actor, "unmerge", restored, survivor, _incidents_of(uow, absorbed.id), text)


def _incidents_of(uow: UnitOfWork, person_id: str) -> list[str]:
    return sorted(row["incident_id"] for row in uow.persons.links_of(members(person_id, uow.persons.merges())))


def _record_merge(
    ctx: ServiceContext,
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    absorbed: Person,
    survivor: Person,
    incidents: list[str],
    reason: str,
) -> dict[str, Any]:
    """The trail row (with the incidents the absorbed record holds), the audit row naming both
    records, the commit, and the answer."""
    now = ctx.clock.now()
    uow.persons.record(
        action, absorbed.id, at=now, by=actor.username, other_person_id=survivor.id, incidents=incidents, reason=reason
    )
    audit.record(ctx, uow, actor, action, "person", [absorbed.id, survivor.id], detail=f"{action} {absorbed.id} / {survivor.id}")
    uow.commit()
    answer = {"person": person_summary(absorbed), "other": person_summary(survivor), "incidents": incidents}
    return MergeResult.model_validate(answer).model_dump(mode="json")


def _reason(reason: str, *, required: bool) -> str:
    text = check_text("reason", reason or "", multiline=True).strip()
    if required and len(text) < 5:
        raise InvalidInput("say why (a reason of at least 5 characters): a merge or an unmerge is a judgement others will read")
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(f"reason: at most {MAX_REASON_CHARS} characters")
    return text
