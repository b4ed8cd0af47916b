"""The live feed's read side: status changes in the order they were written, per role.

The feed reads the append-only ``status_history`` table by increasing id. It holds no
state in the process (no in-memory pub/sub), so two API processes on one PostgreSQL show
the same feed: whatever either of them writes, both read.

Ids are handed out when a row is inserted, but transactions commit in any order: on
PostgreSQL row 12 can become visible after row 13 was read. :class:`FeedCursor` remembers
such holes for a while (:data:`GAP_PATIENCE`) and delivers a late row when it appears; a
hole that never fills was a rolled-back transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crisis_dispatch.domain.access import SCOPED_TO_OWN_UNIT, SCOPED_TO_POLICE_RESPONSE, Permission, UserRole
from crisis_dispatch.domain.history import Subject
from crisis_dispatch.domain.limits import check_db_int

from .context import Actor, ServiceContext
from .crews import crew_unit
from .incidents import police_scope
from .read_models import project_feed_event
from .views import history_view

#: Seconds a hole in the ids is waited for before it is taken for a rollback.
GAP_PATIENCE = 15.0
#: Holes wider than this are not tracked one by one (a bulk import, not a race).
MAX_TRACKED_GAP = 1000


@dataclass(frozen=True)
class FeedEvent:
    """One status change as the feed sends it: ``id`` is the history row id."""

    id: int
    data: dict[str, Any]


def latest_id(ctx: ServiceContext) -> int:
    """The id of the newest status change (0 when there is none)."""
    with ctx.uow() as uow:
        return uow.history.latest_id()


def _rows_after(ctx: ServiceContext, after_id: int, limit: int) -> list[FeedEvent]:
    with ctx.uow() as uow:
        rows = uow.history.after(after_id, limit)
        return [FeedEvent(id=int(r.id or 0), data=history_view(r) | {"id": int(r.id or 0)}) for r in rows]


def own_unit(ctx: ServiceContext, actor: Actor) -> str | None:
    """The van a crew member is on now (None for other roles or when off shift)."""
    with ctx.uow() as uow:  # a session connects on its first query: none for other roles
        return crew_unit(uow, actor, ctx.clock.now())


def visible(
    event: dict[str, Any], role: UserRole, unit_id: str | None, police_sees: set[str] | None = None
) -> dict[str, Any] | None:
    """What ``role`` may see of one status change (None: nothing): the role's feed model
    (``read_models.FEED_MODEL``) of the changes in its scope.

    Crew see only changes of their own van and of incidents assigned to it; police liaisons
    only changes of incidents in ``police_sees`` and of vans not working another incident.
    """
    if role in SCOPED_TO_OWN_UNIT:
        own = unit_id is not None and (
            event.get("unit_id") == unit_id or (event.get("subject") == Subject.UNIT.value and event.get("subject_id") == unit_id)
        )
        if not own:
            return None
    if role in SCOPED_TO_POLICE_RESPONSE:
        incident_id = event.get("incident_id")
        if incident_id is not None and incident_id not in (police_sees or set()):
            return None
    return project_feed_event(event, role)


def _police_sees(ctx: ServiceContext, actor: Actor, events: list[FeedEvent]) -> set[str] | None:
    """The incidents of ``events`` a police liaison may see (one query; None for other roles)."""
    police = police_scope(actor)
    if police is None:
        return None
    with ctx.uow() as uow:
        return uow.incidents.police_visible_ids(police, [e.data["incident_id"] for e in events if e.data.get("incident_id")])


def events_since(ctx: ServiceContext, actor: Actor, after_id: int, *, limit: int = 500) -> list[FeedEvent]:
    """Status changes after ``after_id`` that ``actor`` may see, oldest first (one read of the
    live feed's own path, so what it filters is what the feed filters)."""
    return FeedCursor(check_db_int("the feed position (an event id)", after_id)).poll(ctx, actor, limit=limit)


@dataclass
class FeedCursor:
    """One subscriber's position in the feed, robust to rows that commit out of id order."""

    last_id: int
    patience: float = GAP_PATIENCE
    monotonic: Callable[[], float] = time.monotonic
    #: Missing id -> when it was first noticed (monotonic seconds).
    gaps: dict[int, float] = field(default_factory=dict)

    def poll(self, ctx: ServiceContext, actor: Actor, *, limit: int = 500) -> list[FeedEvent]:
        """The new status changes ``actor`` may see since the last poll, oldest first."""
        actor.require(Permission.INCIDENT_READ)
        now = self.monotonic()
        self.gaps = {i: t for i, t in self.gaps.items() if now - t < self.patience}
        start = min(min(self.gaps, default=self.last_id + 1) - 1, self.last_id)
        fresh: list[FeedEvent] = []
        for ev in _rows_after(ctx, start, limit):
            if ev.id > self.last_id:
                if ev.id - self.last_id - 1 <= MAX_TRACKED_GAP:
                    self.gaps.update({i: now for i in range(self.last_id + 1, ev.id)})
                self.last_id = ev.id
                fresh.append(ev)
            elif self.gaps.pop(ev.id, None) is not None:
                fresh.append(ev)
        if not fresh:
            return []
        unit_id = own_unit(ctx, actor)
        police_sees = _police_sees(ctx, actor, fresh)
        out = []
        for ev in fresh:
            data = visible(ev.data, actor.role, unit_id, police_sees)
            if data is not None:
                out.append(FeedEvent(ev.id, data))
        return out
