"""Every read and write of personal data leaves an audit record (user, action, object, time).

The records form a hash chain (``domain/audit_chain.py``); :func:`verify` checks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from crisis_dispatch.domain.audit_chain import ChainReport, verify_chain
from crisis_dispatch.domain.users import AuditRecord
from crisis_dispatch.services.ports import UnitOfWork

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


def verify(ctx: ServiceContext, page_size: int = 1000) -> ChainReport:
    """Walk the whole audit log in id order and report the first broken row (if any).

    An operator's check, run from the command line: it reads no personal data out and
    writes nothing, so it leaves no audit record of its own. The log is read a page per
    short transaction (on SQLite every transaction holds the write lock): rows are only ever
    appended, so the pages join up, and rows appended meanwhile are checked too.
    """

    def rows() -> Iterator[AuditRecord]:
        after = 0
        while True:
            with ctx.uow() as uow:
                page = uow.audit.page(after, page_size)
            if not page:
                return
            yield from page
            last = page[-1].id
            assert last is not None  # rows read back always have their id
            after = last

    def locate(row_hash: str) -> int | None:
        with ctx.uow() as uow:
            return uow.audit.locate(row_hash)

    return verify_chain(rows(), locate)
