"""Routes of follow-up after the encounter and warm hand-offs (issue 14 item 3;
docs/after-the-call.md). Clinical roles only: crew, dispatchers, supervisors, admins."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from crisis_dispatch.domain.limits import MAX_BIGINT
from crisis_dispatch.services import follow_ups
from crisis_dispatch.services.follow_ups import MAX_LIMIT, TaskQuery

from .deps import ActorDep, CtxDep
from .errors import ERROR_RESPONSES
from .schemas import _Body

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["follow-up"])


# ----------------------------------------------------------------------------- bodies
class FollowUpResultBody(_Body):
    result: Literal["reached", "not_reached", "linked_to_care", "declined"] = Field(
        description="what came of the task; not_reached opens a retry while attempts remain"
    )
    note: str = Field(default="", max_length=2000)


class FollowUpAssignBody(_Body):
    owner: str = Field(min_length=1, max_length=63, description="the username the task is given to")


class FollowUpCancelBody(_Body):
    reason: str = Field(min_length=1, max_length=2000, description="why the task is dropped")


class HandOffBody(_Body):
    provider_id: str = Field(min_length=1, max_length=120, description="a provider of GET /api/v1/providers")
    contact: str = Field(min_length=1, max_length=500, description="who was contacted at the provider, and how")
    offered_at: AwareDatetime | None = Field(default=None, description="when the person was offered (default: now)")


class HandOffResponseBody(_Body):
    accepted: bool = Field(description="true: the provider accepted the person; false: declined")
    responder_name: str = Field(min_length=1, max_length=200, description="who at the provider accepted or declined")
    responded_at: AwareDatetime | None = Field(default=None, description="when (default: now)")
    note: str = Field(default="", max_length=2000)


# ----------------------------------------------------------------------------- answers
class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class FollowUpView(_Answer):
    """A follow-up task: no clinical content beyond the rule's own description."""

    id: str
    incident_id: str
    rule_id: str
    disposition: str
    kind: str
    description: str
    created_at: str
    due_at: str
    owner_role: str
    owner: str | None
    attempt: int
    attempts_allowed: int
    status: str
    result: str | None
    done_at: str | None
    done_by: str | None
    on_time: bool | None
    note: str
    cancel_reason: str
    retry_of: str | None
    overdue: bool
    minutes_overdue: int


class FollowUpResultView(FollowUpView):
    retry: FollowUpView | None


class OverdueItem(_Answer):
    id: str
    incident_id: str
    due_at: str


class OverdueView(_Answer):
    now: str
    overdue: list[OverdueItem]


class ProviderView(_Answer):
    id: str
    name: str
    kind: str
    phone: str
    address: str
    facility_id: str | None


class HandOffView(_Answer):
    id: str
    incident_id: str
    provider_id: str
    provider_name: str
    contact: str
    offered_at: str
    offered_by: str
    status: str
    responded_at: str | None
    responder_name: str
    recorded_by: str | None
    note: str


# ----------------------------------------------------------------------------- follow-ups
@router.get("/follow-ups", response_model=list[FollowUpView])
def list_follow_ups(
    ctx: CtxDep,
    actor: ActorDep,
    status_: Annotated[
        Literal["open", "done", "cancelled"] | None, Query(alias="status", description="open (default), done or cancelled")
    ] = "open",
    due_before: Annotated[AwareDatetime | None, Query(description="only tasks due before this time (with offset)")] = None,
    owner: Annotated[str | None, Query(min_length=1, max_length=63, description="only tasks given to this username")] = None,
    overdue: Annotated[bool, Query(description="only open tasks past due now")] = False,
    incident_id: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> list[dict[str, Any]]:
    """Follow-up tasks, soonest due first (``overdue`` and ``minutes_overdue`` at the clock's
    now). Crew see the tasks given to them."""
    query = TaskQuery(
        status=status_,
        due_before=due_before,
        owner=owner,
        overdue=overdue,
        incident_id=incident_id,
        limit=limit,
        offset=offset,
    )
    return follow_ups.list_follow_ups(ctx, actor, query)


@router.get("/follow-ups/overdue", response_model=OverdueView)
def overdue_follow_ups(ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The open tasks past due now (ids and due times): the console's alert."""
    return follow_ups.overdue_summary(ctx, actor)


@router.post("/follow-ups/{follow_up_id}/outcome", response_model=FollowUpResultView)
def record_follow_up_outcome(follow_up_id: str, body: FollowUpResultBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Record what came of an open task: reached, not_reached, linked_to_care or declined.
    ``retry`` is the next attempt a not_reached opened (null when none is left)."""
    return follow_ups.record_result(ctx, actor, follow_up_id, body.result, body.note)


@router.post("/follow-ups/{follow_up_id}/assign", response_model=FollowUpView)
def assign_follow_up(follow_up_id: str, body: FollowUpAssignBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Give an open task to a user of a clinical role (crew: to themselves only)."""
    return follow_ups.assign(ctx, actor, follow_up_id, body.owner)


@router.post("/follow-ups/{follow_up_id}/cancel", response_model=FollowUpView)
def cancel_follow_up(follow_up_id: str, body: FollowUpCancelBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Drop an open task, saying why."""
    return follow_ups.cancel(ctx, actor, follow_up_id, body.reason)


# ----------------------------------------------------------------------------- hand-offs
@router.get("/providers", response_model=list[ProviderView])
def list_providers(ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The provider directory for warm hand-offs (data/la/providers.yaml)."""
    return follow_ups.list_providers(ctx, actor)


@router.post("/incidents/{incident_id}/hand-offs", status_code=status.HTTP_201_CREATED, response_model=HandOffView)
def offer_hand_off(incident_id: str, body: HandOffBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Hand the person to a named provider: who was contacted there, when. Only after a team
    reached the person (409 before)."""
    return follow_ups.offer_hand_off(
        ctx, actor, incident_id, provider_id=body.provider_id, contact=body.contact, offered_at=body.offered_at
    )


@router.get("/incidents/{incident_id}/hand-offs", response_model=list[HandOffView])
def list_hand_offs(incident_id: str, ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    return follow_ups.list_hand_offs(ctx, actor, incident_id)


@router.post("/hand-offs/{hand_off_id}/response", response_model=HandOffView)
def respond_hand_off(hand_off_id: str, body: HandOffResponseBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The provider's answer as told: accepted or declined, when, and who gave it. Once (409 after)."""
    return follow_ups.respond_hand_off(
        ctx,
        actor,
        hand_off_id,
        accepted=body.accepted,
        responder_name=body.responder_name,
        responded_at=body.responded_at,
        note=body.note,
    )
