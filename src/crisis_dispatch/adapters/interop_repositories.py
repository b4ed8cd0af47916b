"""Repositories of the exchange with the 911 CAD: EIDO links, subscriptions, the outbox.

Plain rows (dictionaries) through SQLAlchemy Core: these records have no behaviour of their own.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session

from crisis_dispatch.domain.errors import NotFound

from . import orm


class EidoLinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        #: The incidents given a link in this unit of work.
        self.linked: set[str] = set()

    def find(self, eido_id: str) -> dict[str, Any] | None:
        row = self.session.execute(select(orm.eido_links).where(orm.eido_links.c.eido_id == eido_id)).mappings().first()
        return None if row is None else dict(row)

    def for_incident(self, incident_id: str) -> dict[str, Any] | None:
        t = orm.eido_links
        row = self.session.execute(select(t).where(t.c.incident_id == incident_id)).mappings().first()
        return None if row is None else dict(row)

    def add(self, **values: Any) -> None:
        self.session.execute(insert(orm.eido_links).values(**values))
        self.linked.add(values["incident_id"])

    def update(self, eido_id: str, **values: Any) -> None:
        self.session.execute(update(orm.eido_links).where(orm.eido_links.c.eido_id == eido_id).values(**values))


class SubscriptionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, **values: Any) -> None:
        self.session.execute(insert(orm.subscriptions).values(**values))

    def get(self, subscription_id: str) -> dict[str, Any]:
        t = orm.subscriptions
        row = self.session.execute(select(t).where(t.c.id == subscription_id)).mappings().first()
        if row is None:
            raise NotFound(f"subscription '{subscription_id}' not found")
        return dict(row)

    def list(self, *, active_only: bool = False) -> builtins.list[dict[str, Any]]:
        t = orm.subscriptions
        query = select(t).order_by(t.c.created_at, t.c.id)
        if active_only:
            query = query.where(t.c.active.is_(True))
        return [dict(r) for r in self.session.execute(query).mappings()]

    def update(self, subscription_id: str, **values: Any) -> None:
        t = orm.subscriptions
        self.session.execute(update(t).where(t.c.id == subscription_id).values(**values))


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, **values: Any) -> None:
        self.session.execute(insert(orm.outbox).values(**values))

    def get(self, row_id: int) -> dict[str, Any]:
        t = orm.outbox
        row = self.session.execute(select(t).where(t.c.id == row_id)).mappings().first()
        if row is None:
            raise NotFound(f"outbox entry {row_id} not found")
        return dict(row)

    def due(self, now: datetime, limit: int) -> builtins.list[dict[str, Any]]:
        """Pending rows whose time has come and that are first in line for their
        subscription and incident (per-incident order: a later update waits for an earlier one)."""
        t = orm.outbox
        earlier = orm.outbox.alias("earlier")
        blocked = (
            select(earlier.c.id)
            .where(
                and_(
                    earlier.c.subscription_id == t.c.subscription_id,
                    earlier.c.incident_id == t.c.incident_id,
                    earlier.c.id < t.c.id,
                    earlier.c.delivered_at.is_(None),
                    earlier.c.dead_at.is_(None),
                )
            )
            .exists()
        )
        query = (
            select(t)
            .where(t.c.delivered_at.is_(None), t.c.dead_at.is_(None), t.c.next_attempt_at <= now, ~blocked)
            .order_by(t.c.id)
            .limit(limit)
        )
        return [dict(r) for r in self.session.execute(query).mappings()]

    def list(self, *, state: str | None = None, limit: int = 200) -> builtins.list[dict[str, Any]]:
        t = orm.outbox
        query = select(t).order_by(t.c.id.desc()).limit(limit)
        if state == "dead":
            query = query.where(t.c.dead_at.is_not(None))
        elif state == "pending":
            query = query.where(t.c.delivered_at.is_(None), t.c.dead_at.is_(None))
        elif state == "delivered":
            query = query.where(t.c.delivered_at.is_not(None))
        return [dict(r) for r in self.session.execute(query).mappings()]

    def set(self, row_id: int, **values: Any) -> None:
        self.session.execute(update(orm.outbox).where(orm.outbox.c.id == row_id).values(**values))

    def claim(self, row_id: int, seen_next_attempt_at: datetime, until: datetime) -> bool:
        """Claim a due row until ``until`` unless another worker did since it was read
        (compare-and-set on ``next_attempt_at``): True when this worker has it."""
        t = orm.outbox.c
        result = self.session.execute(
            update(orm.outbox)
            .where(t.id == row_id, t.next_attempt_at == seen_next_attempt_at, t.delivered_at.is_(None), t.dead_at.is_(None))
            .values(next_attempt_at=until)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
