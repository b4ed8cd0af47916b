"""Every read and write of personal data leaves an audit record (user, action, object, time)."""

from __future__ import annotations

from collections.abc import Iterable

from crisis_dispatch.adapters.uow import UnitOfWork
from crisis_dispatch.domain.users import AuditRecord

from .context import Actor, ServiceContext


def record(
    ctx: ServiceContext, uow: UnitOfWork, actor: Actor, action: str, object_type: str, object_ids: Iterable[str], detail: str = ""
) -> None:
    now = ctx.clock.now()
    for object_id in object_ids:
        uow.audit.add(
            AuditRecord(
                at=now,
                user_id=actor.user_id,
                username=actor.username,
                role=actor.role.value,
                action=action,
                object_type=object_type,
                object_id=object_id,
                detail=detail,
            )
        )
