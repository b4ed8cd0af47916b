"""Use cases of follow-up after the encounter and warm hand-offs (issue 14 item 3).

Tasks are created when an encounter closes (``services/follow_up_close.py``); here they are
listed (soonest due first), assigned to a person, and closed with what came of them (a "not
reached" opens the retry while attempts remain) or cancelled with a reason. A warm hand-off
names a provider from the directory and records the provider's answer. Every change and every
read of these records is audited. Clinical roles only (crew, dispatcher, supervisor, admin);
a crew member sees the tasks given to them, and hands off only their own van's incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crisis_dispatch.adapters.follow_up_data import load_providers
from crisis_dispatch.domain.access import SCOPED_TO_OWN_UNIT, Permission, allowed
from crisis_dispatch.domain.clock import ensure_aware
from crisis_dispatch.domain.errors import Conflict, InvalidInput, NotFound, parse_enum
from crisis_dispatch.domain.follow_ups import FollowUpTask, HandOff, Provider, TaskResult, TaskStatus
from crisis_dispatch.services.ports import UnitOfWork

from . import audit
from .context import Actor, ServiceContext
from .incidents import check_scope

#: Most tasks one list answers.
MAX_LIMIT = 500


@dataclass(frozen=True)
class TaskQuery:
    status: str | None = "open"
    due_before: datetime | None = None
    owner: str | None = None
    overdue: bool = False
    incident_id: str | None = None
    limit: int = 200
    offset: int = 0


def _visible(actor: Actor, task: FollowUpTask) -> FollowUpTask:
    """A crew member reaches only the tasks given to them; others are 'not found' to them."""
    if actor.role in SCOPED_TO_OWN_UNIT and task.owner != actor.username:
        raise NotFound(f"follow-up '{task.id}' not found")
    return task


def list_follow_ups(ctx: ServiceContext, actor: Actor, query: TaskQuery) -> list[dict[str, Any]]:
    """Tasks soonest due first; ``overdue`` keeps the open ones past due at the clock's now."""
    actor.require(Permission.FOLLOW_UP_WORK)
    status = parse_enum(TaskStatus, query.status, "follow-up status") if query.status else None
    if query.due_before is not None and query.due_before.tzinfo is None:
        raise InvalidInput("due_before needs a UTC offset, e.g. 2026-12-04T00:00:00Z")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be from 1 to {MAX_LIMIT}")
    owner = query.owner
    if actor.role in SCOPED_TO_OWN_UNIT:
        if owner not in (None, actor.username):
            raise InvalidInput("crew list the follow-ups given to them (owner is yourself or left out)")
        owner = actor.username
    now = ctx.clock.now()
    if query.overdue:
        status = TaskStatus.OPEN
    due_before = now if query.overdue and query.due_before is None else query.due_before
    if query.overdue and query.due_before is not None:
        due_before = min(ensure_aware(query.due_before), now)
    with ctx.uow() as uow:
        tasks = uow.follow_ups.list(
            status=status,
            due_before=due_before,
            owner=owner,
            incident_id=query.incident_id,
            limit=query.limit,
            offset=query.offset,
        )
        audit.record(ctx, uow, actor, "list", "follow_up", [t.id for t in tasks])
        uow.commit()
    return [t.to_dict(now) for t in tasks]


def overdue_summary(ctx: ServiceContext, actor: Actor) -> dict[str, Any]:
    """How many tasks are open and which are overdue now (for the console's alert): ids and
    due times only."""
    actor.require(Permission.FOLLOW_UP_WORK)
    now = ctx.clock.now()
    owner = actor.username if actor.role in SCOPED_TO_OWN_UNIT else None
    with ctx.uow() as uow:
        late = uow.follow_ups.list(status=TaskStatus.OPEN, due_before=now, owner=owner, limit=MAX_LIMIT)
    return {
        "now": now.isoformat(),
        "overdue": [{"id": t.id, "incident_id": t.incident_id, "due_at": t.to_dict(now)["due_at"]} for t in late],
    }


def _task_for_change(uow: UnitOfWork, actor: Actor, task_id: str) -> FollowUpTask:
    task = _visible(actor, uow.follow_ups.get(task_id))
    if task.status is not TaskStatus.OPEN:
        raise Conflict(f"follow-up {task.id} is already {task.status.value}")
    return task


def record_result(ctx: ServiceContext, actor: Actor, task_id: str, result: str, note: str = "") -> dict[str, Any]:
    """What came of a task: reached, not_reached, linked_to_care or declined. Answers the task
    and, for a "not reached" with attempts left, the retry (``retry``)."""
    actor.require(Permission.FOLLOW_UP_WORK)
    outcome = parse_enum(TaskResult, result, "follow-up result")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        task = _task_for_change(uow, actor, task_id)
        done, retry = task.complete(outcome, by=actor.username, now=now, note=note, new_id=lambda: ctx.new_id("FUP"))
        uow.follow_ups.save(done)
        detail = f"result {outcome.value} (attempt {task.attempt} of {task.attempts_allowed})"
        audit.record(ctx, uow, actor, "update", "follow_up", [task.id], detail=detail)
        if retry is not None:
            uow.follow_ups.add_all([retry])
            audit.record(ctx, uow, actor, "create", "follow_up", [retry.id], detail=f"retry of {task.id}")
        uow.commit()
    return done.to_dict(now) | {"retry": retry.to_dict(now) if retry else None}


def assign(ctx: ServiceContext, actor: Actor, task_id: str, owner: str) -> dict[str, Any]:
    """Give an open task to a person (a username of a clinical role). Dispatchers, supervisors
    and admins give tasks to anyone; a crew member may take a task only for themselves."""
    actor.require(Permission.FOLLOW_UP_WORK)
    now = ctx.clock.now()
    if actor.role in SCOPED_TO_OWN_UNIT and owner.strip() != actor.username:
        raise InvalidInput("crew may take a follow-up for themselves only")
    with ctx.uow() as uow:
        user = uow.users.by_username(owner.strip()) if owner.strip() else None
        if user is None:
            raise InvalidInput(f"unknown user '{owner}': a follow-up is given to a user by username")
        if not allowed(user.role, Permission.FOLLOW_UP_WORK):
            raise InvalidInput(f"{user.username} ({user.role.value}) does not work follow-ups")
        task = uow.follow_ups.get(task_id)
        if task.status is not TaskStatus.OPEN:
            raise Conflict(f"follow-up {task.id} is already {task.status.value}")
        task = task.assign(user.username)
        uow.follow_ups.save(task)
        audit.record(ctx, uow, actor, "update", "follow_up", [task.id], detail=f"assigned to {user.username}")
        uow.commit()
    return task.to_dict(now)


def cancel(ctx: ServiceContext, actor: Actor, task_id: str, reason: str) -> dict[str, Any]:
    """Cancel an open task, saying why (the person moved away, died, asked not to be called)."""
    actor.require(Permission.FOLLOW_UP_WORK)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        task = _task_for_change(uow, actor, task_id).cancel(reason, by=actor.username, now=now)
        uow.follow_ups.save(task)
        audit.record(ctx, uow, actor, "update", "follow_up", [task.id], detail="cancelled")
        uow.commit()
    return task.to_dict(now)


# ----------------------------------------------------------------------------- hand-offs
def list_providers(ctx: ServiceContext, actor: Actor) -> list[dict[str, Any]]:
    actor.require(Permission.HAND_OFF_RECORD)
    return [p.to_dict() for p in load_providers()]


def _provider(provider_id: str) -> Provider:
    found = next((p for p in load_providers() if p.id == provider_id.strip()), None)
    if found is None:
        raise InvalidInput(f"unknown provider '{provider_id}' (see GET /api/v1/providers)")
    return found


def offer_hand_off(
    ctx: ServiceContext, actor: Actor, incident_id: str, *, provider_id: str, contact: str, offered_at: datetime | None = None
) -> dict[str, Any]:
    """Hand the person to a named provider: who was contacted there and when (default now).
    Only for an incident a team has seen (on scene or later)."""
    actor.require(Permission.HAND_OFF_RECORD)
    provider = _provider(provider_id)
    now = ctx.clock.now()
    at = ensure_aware(offered_at) if offered_at is not None else now
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        if incident.on_scene_at is None:
            raise Conflict(
                f"incident {incident.id} is {incident.status.value}: a hand-off follows an encounter (on scene or later)"
            )
        hand_off = HandOff(
            id=ctx.new_id("HOF"),
            incident_id=incident.id,
            provider_id=provider.id,
            provider_name=provider.name,
            contact=contact.strip(),
            offered_at=at,
            offered_by=actor.username,
        )
        hand_off.validate(now)
        uow.hand_offs.add(hand_off)
        audit.record(ctx, uow, actor, "create", "hand_off", [hand_off.id], detail=f"{incident.id} to {provider.id}")
        uow.commit()
    return hand_off.to_dict()


def respond_hand_off(
    ctx: ServiceContext,
    actor: Actor,
    hand_off_id: str,
    *,
    accepted: bool,
    responder_name: str,
    responded_at: datetime | None = None,
    note: str = "",
) -> dict[str, Any]:
    """The provider's answer, as told: accepted or declined, when (default now), by whom."""
    actor.require(Permission.HAND_OFF_RECORD)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        hand_off = uow.hand_offs.get(hand_off_id)
        try:
            check_scope(ctx, uow, actor, uow.incidents.get(hand_off.incident_id))
        except NotFound:
            raise NotFound(f"hand-off '{hand_off_id}' not found") from None
        if hand_off.responded_at is not None:
            raise Conflict(f"hand-off {hand_off.id} was already {hand_off.status.value} by {hand_off.responder_name}")
        at = ensure_aware(responded_at) if responded_at is not None else now
        hand_off = hand_off.respond(
            accepted=accepted, responder_name=responder_name, at=at, by=actor.username, now=now, note=note
        )
        uow.hand_offs.save(hand_off)
        audit.record(ctx, uow, actor, "update", "hand_off", [hand_off.id], detail=hand_off.status.value)
        uow.commit()
    return hand_off.to_dict()


def list_hand_offs(ctx: ServiceContext, actor: Actor, incident_id: str) -> list[dict[str, Any]]:
    actor.require(Permission.HAND_OFF_RECORD)
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        found = uow.hand_offs.for_incident(incident.id)
        audit.record(ctx, uow, actor, "list", "hand_off", [h.id for h in found])
        uow.commit()
    return [h.to_dict() for h in found]
