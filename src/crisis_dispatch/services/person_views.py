"""What the person index answers (issue 14 item 2): typed models, for clinical roles only.

No incident view is embedded: an encounter says when, which response, what came of it and any
hold, nothing of what the caller said. None of these objects carries ``view`` or
``timestamps``: they are not incidents and no role model of an incident applies to them.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from crisis_dispatch.domain.persons import Candidate, Person

from .read_models import ReadModel


class PersonSummary(ReadModel):
    """A person record as written by crews and dispatchers (nothing in it is verified)."""

    id: str
    name: str
    names: list[str]
    dob: str | None = None
    phones: list[str] = []
    description: str = ""
    created_by: str
    created_at: str
    #: Set when the record was merged into another (it is kept so that an unmerge restores it).
    merged_into: str | None = None
    merged_at: str | None = None
    merged_by: str | None = None


class Suggestion(ReadModel):
    """A suggested match: never a link. The score is 0-100; the reasons say what agreed or differed."""

    person: PersonSummary
    score: float
    reasons: list[str]


class Suggestions(ReadModel):
    candidates: list[Suggestion]
    note: str = "suggestions only: nothing is linked until someone links an incident to a person"


class EncounterHold(ReadModel):
    type: str
    first_detained_at: str
    expires_at: str
    criteria: list[str] = []
    #: "our crew" or the external writer's kind (police_officer, ed_physician, ...).
    written_by: str


class Encounter(ReadModel):
    """One incident linked to the person: when, which response, what came of it."""

    incident_id: str
    status: str
    tier: str | None = None
    priority: int | None = None
    received_at: str | None = None
    closed_at: str | None = None
    disposition: str | None = None
    destination: str | None = None
    hold: EncounterHold | None = None
    hold_transport: bool = False
    #: The record the incident is linked to (this person, or one merged into them).
    linked_to: str
    linked_at: str
    linked_by: str


class EncounterCounts(ReadModel):
    count: int
    first_at: str | None = None
    last_at: str | None = None
    holds: int = 0


class PersonEvent(ReadModel):
    """One line of the record's trail: created, linked, unlinked, merged, unmerged."""

    at: str
    by: str
    action: str
    person_id: str
    other_person_id: str | None = None
    incident_id: str | None = None
    incidents: list[str] = []
    reason: str = ""


class PersonRecord(PersonSummary):
    """A person with their encounters (audited on every read)."""

    #: Records merged into this one (directly or through another).
    merged_from: list[str] = []
    summary: EncounterCounts
    encounters: list[Encounter]
    trail: list[PersonEvent] = []


class PersonLink(ReadModel):
    incident_id: str
    #: The person the incident belongs to now (a merged record's survivor); None after an unlink.
    person_id: str | None = None
    linked_at: str | None = None
    linked_by: str | None = None
    unlinked: bool = False


class MergeResult(ReadModel):
    """A merge or an unmerge: the two records and the incidents the absorbed record holds."""

    person: PersonSummary
    other: PersonSummary
    incidents: list[str] = Field(description="the absorbed record's incidents (a merge), or those it takes back (an unmerge)")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def person_summary(p: Person) -> dict[str, Any]:
    return PersonSummary(
        id=p.id,
        name=p.name,
        names=list(p.names),
        dob=str(p.dob) if p.dob else None,
        phones=list(p.phones),
        description=p.description,
        created_by=p.created_by,
        created_at=p.created_at.isoformat(),
        merged_into=p.merged_into,
        merged_at=_iso(p.merged_at),
        merged_by=p.merged_by,
    ).model_dump(mode="json")


def suggestion(c: Candidate) -> dict[str, Any]:
    return {"person": person_summary(c.person), "score": c.score, "reasons": list(c.reasons)}
