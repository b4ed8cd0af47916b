"""The person index (issue 14 item 2, docs/after-the-call.md "Person index"): create a person,
search for suggested matches, read a person's encounters, link and unlink an incident, merge and
unmerge. Clinical roles only (crew for their own incident); police, analysts, court liaisons
and the CAD get 403. Every read and change is audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import Field

from crisis_dispatch.domain.persons import MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_NAMES, MAX_PHONES, PersonQuery
from crisis_dispatch.services import persons
from crisis_dispatch.services.person_views import MergeResult, PersonLink, PersonRecord, PersonSummary, Suggestions
from crisis_dispatch.services.persons import PersonDetails

from .deps import ActorDep, CtxDep
from .errors import ERROR_RESPONSES
from .schemas import _Body

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["persons"])

Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
Phone = Annotated[str, Field(min_length=1, max_length=40)]


class PersonCreate(_Body):
    names: list[Name] = Field(default_factory=list, max_length=MAX_NAMES, description="the name used first, then aliases")
    dob: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY; empty when unknown")
    phones: list[Phone] = Field(default_factory=list, max_length=MAX_PHONES)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_CHARS, description="what the person looks like")


class LinkBody(_Body):
    person_id: str = Field(min_length=1, max_length=40)


class MergeBody(_Body):
    into: str = Field(min_length=1, max_length=40, description="the record that stays")
    reason: str = Field(min_length=1, max_length=1000, description="why they are the same person")


class UnmergeBody(_Body):
    reason: str = Field(min_length=1, max_length=1000, description="why they are not the same person")


@router.post("/persons", status_code=status.HTTP_201_CREATED, response_model=PersonSummary)
def create_person(body: PersonCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """A new person record (a name or a description at least). Nothing is linked: link next."""
    details = PersonDetails(names=body.names, dob=body.dob, phones=body.phones, description=body.description)
    return persons.create_person(ctx, actor, details)


@router.get("/persons", response_model=Suggestions)
def search_persons(
    ctx: CtxDep,
    actor: ActorDep,
    name: Annotated[str, Query(max_length=MAX_NAME_CHARS)] = "",
    dob: Annotated[str, Query(max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY")] = "",
    phone: Annotated[str, Query(max_length=40)] = "",
    description: Annotated[str, Query(max_length=MAX_DESCRIPTION_CHARS)] = "",
    limit: Annotated[int, Query(ge=1, le=persons.MAX_SUGGESTIONS)] = 10,
) -> dict[str, Any]:
    """Suggested matches, best first, each with its score (0-100) and the reasons. A
    suggestion is never a link. Call-takers may search; police, analysts, court liaisons may not."""
    return persons.search(ctx, actor, PersonQuery(name=name, dob=dob, phone=phone, description=description), limit)


@router.get("/persons/{person_id}", response_model=PersonRecord)
def get_person(person_id: str, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The person with their encounters (incidents linked to them or to records merged into
    them: times, tier, outcome, holds) and the record's trail. Every read is audited."""
    return persons.get_person(ctx, actor, person_id)


@router.post("/incidents/{incident_id}/person", response_model=PersonLink)
def link_person(incident_id: str, body: LinkBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Link the incident to a person (one person per incident): someone decided it is them."""
    return persons.link(ctx, actor, incident_id, body.person_id)


@router.delete("/incidents/{incident_id}/person", response_model=PersonLink)
def unlink_person(
    incident_id: str, ctx: CtxDep, actor: ActorDep, reason: Annotated[str, Query(max_length=1000)] = ""
) -> dict[str, Any]:
    """Take the incident's link to a person off (it was not them)."""
    return persons.unlink(ctx, actor, incident_id, reason)


@router.post("/persons/{person_id}/merge", response_model=MergeResult)
def merge_persons(person_id: str, body: MergeBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """``person_id`` is the same person as ``into``: it is kept, merged into ``into``, with its links."""
    return persons.merge(ctx, actor, person_id, body.into, body.reason)


@router.post("/persons/{person_id}/unmerge", response_model=MergeResult)
def unmerge_person(person_id: str, body: UnmergeBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Undo a merge: the record stands for itself again with exactly the incidents linked to it."""
    return persons.unmerge(ctx, actor, person_id, body.reason)
