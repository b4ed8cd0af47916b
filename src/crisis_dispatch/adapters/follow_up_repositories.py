"""Repositories of follow-up tasks and warm hand-offs: rows through SQLAlchemy Core, built
into the domain's frozen objects (``domain/follow_ups.py``)."""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import NotFound
from crisis_dispatch.domain.follow_ups import FollowUpTask, HandOff, HandOffStatus, TaskKind, TaskResult, TaskStatus
from crisis_dispatch.domain.outcomes import Disposition

from . import orm


def _task_row(task: FollowUpTask) -> dict[str, Any]:
    return {
        "id": task.id,
        "incident_id": task.incident_id,
        "rule_id": task.rule_id,
        "disposition": task.disposition.value,
        "kind": task.kind.value,
        "description": task.description,
        "created_at": task.created_at,
        "due_at": task.due_at,
        "owner_role": task.owner_role.value,
        "owner": task.owner,
        "attempt": task.attempt,
        "attempts_allowed": task.attempts_allowed,
        "retry_after_minutes": int(task.retry_after.total_seconds() // 60),
        "status": task.status.value,
        "result": task.result.value if task.result else None,
        "done_at": task.done_at,
        "done_by": task.done_by,
        "note": task.note,
        "cancel_reason": task.cancel_reason,
        "retry_of": task.retry_of,
    }


def _task(row: Any) -> FollowUpTask:
    return FollowUpTask(
        id=row["id"],
        incident_id=row["incident_id"],
        rule_id=row["rule_id"],
        disposition=Disposition(row["disposition"]),
        kind=TaskKind(row["kind"]),
        description=row["description"],
        created_at=row["created_at"],
        due_at=row["due_at"],
        owner_role=UserRole(row["owner_role"]),
        attempt=row["attempt"],
        attempts_allowed=row["attempts_allowed"],
        retry_after=timedelta(minutes=row["retry_after_minutes"]),
        status=TaskStatus(row["status"]),
        owner=row["owner"],
        result=TaskResult(row["result"]) if row["result"] else None,
        done_at=row["done_at"],
        done_by=row["done_by"],
        note=row["note"],
        cancel_reason=row["cancel_reason"],
        retry_of=row["retry_of"],
    )


class FollowUpRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_all(self, tasks: builtins.list[FollowUpTask]) -> None:
        if tasks:
            self.session.execute(insert(orm.follow_up_tasks), [_task_row(t) for t in tasks])

    def get(self, task_id: str) -> FollowUpTask:
        t = orm.follow_up_tasks
        row = self.session.execute(select(t).where(t.c.id == task_id)).mappings().first()
        if row is None:
            raise NotFound(f"follow-up '{task_id}' not found")
        return _task(row)

    def save(self, task: FollowUpTask) -> None:
        t = orm.follow_up_tasks
        values = _task_row(task)
        del values["id"]
        self.session.execute(update(t).where(t.c.id == task.id).values(**values))

    def list(
        self,
        *,
        status: TaskStatus | None = None,
        due_before: datetime | None = None,
        owner: str | None = None,
        incident_id: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> builtins.list[FollowUpTask]:
        """Tasks, soonest due first."""
        t = orm.follow_up_tasks
        query = select(t).order_by(t.c.due_at, t.c.id)
        if status is not None:
            query = query.where(t.c.status == status.value)
        if due_before is not None:
            query = query.where(t.c.due_at < due_before)
        if owner is not None:
            query = query.where(t.c.owner == owner)
        if incident_id is not None:
            query = query.where(t.c.incident_id == incident_id)
        return [_task(r) for r in self.session.execute(query.limit(limit).offset(offset)).mappings()]

    def due_between(self, start: datetime, end: datetime) -> builtins.list[FollowUpTask]:
        t = orm.follow_up_tasks
        query = select(t).where(t.c.due_at >= start, t.c.due_at < end).order_by(t.c.due_at, t.c.id)
        return [_task(r) for r in self.session.execute(query).mappings()]

    def count_for_incident(self, incident_id: str) -> int:
        t = orm.follow_up_tasks
        return int(self.session.execute(select(func.count()).select_from(t).where(t.c.incident_id == incident_id)).scalar_one())


def _hand_off(row: Any) -> HandOff:
    return HandOff(
        id=row["id"],
        incident_id=row["incident_id"],
        provider_id=row["provider_id"],
        provider_name=row["provider_name"],
        contact=row["contact"],
        offered_at=row["offered_at"],
        offered_by=row["offered_by"],
        status=HandOffStatus(row["status"]),
        responded_at=row["responded_at"],
        responder_name=row["responder_name"],
        recorded_by=row["recorded_by"],
        note=row["note"],
    )


def _hand_off_row(h: HandOff) -> dict[str, Any]:
    return {
        "id": h.id,
        "incident_id": h.incident_id,
        "provider_id": h.provider_id,
        "provider_name": h.provider_name,
        "contact": h.contact,
        "offered_at": h.offered_at,
        "offered_by": h.offered_by,
        "status": h.status.value,
        "responded_at": h.responded_at,
        "responder_name": h.responder_name,
        "recorded_by": h.recorded_by,
        "note": h.note,
    }


class HandOffRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, hand_off: HandOff) -> None:
        self.session.execute(insert(orm.hand_offs).values(**_hand_off_row(hand_off)))

    def get(self, hand_off_id: str) -> HandOff:
        t = orm.hand_offs
        row = self.session.execute(select(t).where(t.c.id == hand_off_id)).mappings().first()
        if row is None:
            raise NotFound(f"hand-off '{hand_off_id}' not found")
        return _hand_off(row)

    def save(self, hand_off: HandOff) -> None:
        t = orm.hand_offs
        values = _hand_off_row(hand_off)
        del values["id"]
        self.session.execute(update(t).where(t.c.id == hand_off.id).values(**values))

    def for_incident(self, incident_id: str) -> builtins.list[HandOff]:
        t = orm.hand_offs
        query = select(t).where(t.c.incident_id == incident_id).order_by(t.c.offered_at, t.c.id)
        return [_hand_off(r) for r in self.session.execute(query).mappings()]
