"""Status back to the 911 CAD through a transactional outbox.

* Admins register subscriptions: a CAD endpoint (URL), a shared secret and the events it wants
  (``assigned``, ``status``, ``screened_out``, ``closed``).
* Every unit of work that records a change of an incident with a CAD reference writes, in the
  same transaction, one outbox row per matching active subscription: the incident as an EIDO
  document, as the CAD may see it (:func:`write_outbox`, wired by the composition root).
* A worker (:func:`deliver_due`; inside ``serve`` and ``crisis-dispatch outbox run``) POSTs each
  row with an HMAC-SHA256 signature and its delivery id, in order per incident, retrying with
  exponential backoff and jitter; after ``max_attempts`` failures the row is a dead letter that
  admins list and re-send. Delivery is at least once: a worker killed mid-delivery leaves the
  row claimed for a short lease, after which it is sent again with the same delivery id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from crisis_dispatch.domain.access import Permission, UserRole
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.domain.interop import CadEvent
from crisis_dispatch.domain.limits import MAX_INT, check_db_int
from crisis_dispatch.services.ports import UnitOfWork

from . import audit
from .context import Actor, ServiceContext
from .eido_out import incident_document

S = IncidentStatus
SIGNATURE_HEADER = "X-Crisis-Dispatch-Signature"
TIMESTAMP_HEADER = "X-Crisis-Dispatch-Timestamp"
DELIVERY_HEADER = "X-Crisis-Dispatch-Delivery"
EVENT_HEADER = "X-Crisis-Dispatch-Event"
#: How long a claimed delivery belongs to the worker that claimed it; a worker killed
#: mid-delivery leaves it to be sent again after this.
LEASE = timedelta(seconds=60)
MIN_SECRET = 16

#: Which event a history row is, for a CAD (None: not reported).
_PRIORITY = (CadEvent.SCREENED_OUT, CadEvent.CLOSED, CadEvent.ASSIGNED, CadEvent.STATUS)


class DeliveryFailed(Exception):
    """The CAD endpoint did not take the delivery (no answer, or not a 2xx)."""


#: POST ``body`` to ``url`` with ``headers``; raise :class:`DeliveryFailed` unless it is taken.
Sender = Callable[[str, bytes, dict[str, str]], None]


def event_of(change: StatusChange, screened_out: bool) -> CadEvent | None:
    if change.subject is not Subject.INCIDENT:
        return None
    if change.event == "status":
        if change.to_status == S.DISPATCHED.value:
            return CadEvent.ASSIGNED
        if change.to_status == S.CLOSED.value:
            early = change.from_status in (S.RECEIVED.value, S.TRIAGED.value, S.QUEUED.value)
            return CadEvent.SCREENED_OUT if early and screened_out else CadEvent.CLOSED
        return CadEvent.STATUS
    if change.event in ("outcome", "retriage", "location", "triage_confirmed"):
        return CadEvent.STATUS
    return None


def write_outbox(ctx: ServiceContext, uow: UnitOfWork) -> None:
    """In the committing transaction: one row per (incident with a CAD reference, active
    subscription wanting one of the events its changes are). Called by the unit of work."""
    by_incident: dict[str, list[StatusChange]] = {}
    for change in uow.history.added:
        if change.incident_id:
            by_incident.setdefault(change.incident_id, []).append(change)
    if not by_incident:
        return
    subscriptions = None
    for incident_id, changes in by_incident.items():
        if incident_id in uow.incidents.created and incident_id not in uow.eido_links.linked:
            # New in this transaction and given no CAD reference in it: none can exist (no
            # other transaction sees the row yet), so no query for it.
            continue
        if uow.eido_links.for_incident(incident_id) is None:
            continue
        if subscriptions is None:
            subscriptions = uow.subscriptions.list(active_only=True)
        if not subscriptions:
            return
        incident = uow.incidents.get(incident_id)
        kinds = {k for c in changes if (k := event_of(c, incident.screened_out_reason is not None)) is not None}
        if not kinds:
            continue
        kind = next(k for k in _PRIORITY if k in kinds)
        document = None
        now = ctx.clock.now()
        for sub in subscriptions:
            if not kinds & set(sub["events"]):
                continue
            document = document or incident_document(ctx, uow, incident, UserRole.CAD)
            uow.outbox.add(
                event_id=ctx.new_id("EVT"),
                subscription_id=sub["id"],
                incident_id=incident_id,
                event=kind.value,
                payload=document,
                created_at=now,
                attempts=0,
                next_attempt_at=now,
            )


# ----------------------------------------------------------------------------- subscriptions
def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"subscription URL must be http(s)://host/path, not {url!r}")
    return url.strip()


def _check_events(events: list[str] | None) -> list[str]:
    known = [e.value for e in CadEvent]
    chosen = list(dict.fromkeys(events or known))
    unknown = [e for e in chosen if e not in known]
    if unknown:
        raise InvalidInput(f"unknown event(s) {', '.join(unknown)} (expected some of: {', '.join(known)})")
    return chosen


def _check_secret(secret: str) -> str:
    if len(secret) < MIN_SECRET or len(secret) > 200:
        raise InvalidInput(f"the shared secret must be {MIN_SECRET}-200 characters")
    return secret


def subscription_view(row: dict[str, Any]) -> dict[str, Any]:
    """A subscription as shown: never its secret."""
    return {
        "id": row["id"],
        "url": row["url"],
        "events": list(row["events"]),
        "active": row["active"],
        "created_at": row["created_at"].isoformat(),
        "created_by": row["created_by"],
    }


def create_subscription(
    ctx: ServiceContext, actor: Actor, url: str, secret: str, events: list[str] | None = None
) -> dict[str, Any]:
    actor.require(Permission.SUBSCRIPTION_MANAGE)
    chosen = _check_events(events)
    row: dict[str, Any] = {
        "id": ctx.new_id("SUB"),
        "url": _check_url(url),
        "secret": _check_secret(secret),
        "events": chosen,
        "active": True,
        "created_at": ctx.clock.now(),
        "created_by": actor.username,
    }
    with ctx.uow() as uow:
        uow.subscriptions.add(**row)
        audit.record(ctx, uow, actor, "create", "subscription", [row["id"]], detail=f"{row['url']} {','.join(chosen)}")
        uow.commit()
    return subscription_view(row)


def list_subscriptions(ctx: ServiceContext, actor: Actor) -> list[dict[str, Any]]:
    actor.require(Permission.SUBSCRIPTION_MANAGE)
    with ctx.uow() as uow:
        return [subscription_view(r) for r in uow.subscriptions.list()]


def update_subscription(
    ctx: ServiceContext,
    actor: Actor,
    subscription_id: str,
    *,
    url: str | None = None,
    secret: str | None = None,
    events: list[str] | None = None,
    active: bool | None = None,
) -> dict[str, Any]:
    """Change a subscription (a deactivated one gets no new rows; rows already written stay)."""
    actor.require(Permission.SUBSCRIPTION_MANAGE)
    values: dict[str, Any] = {}
    if url is not None:
        values["url"] = _check_url(url)
    if secret is not None:
        values["secret"] = _check_secret(secret)
    if events is not None:
        values["events"] = _check_events(events)
    if active is not None:
        values["active"] = active
    with ctx.uow() as uow:
        uow.subscriptions.get(subscription_id)
        if values:
            uow.subscriptions.update(subscription_id, **values)
        what = ", ".join(sorted(k if k != "secret" else "secret (new)" for k in values)) or "nothing"
        audit.record(ctx, uow, actor, "update", "subscription", [subscription_id], detail=f"changed {what}")
        row = uow.subscriptions.get(subscription_id)
        uow.commit()
    return subscription_view(row)


# ----------------------------------------------------------------------------- delivery
def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over ``<timestamp>.<body>`` with the shared secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def body_of(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


@dataclass
class DeliveryReport:
    delivered: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, int]:
        return {"delivered": len(self.delivered), "failed": len(self.failed), "dead": len(self.dead)}


def deliver_due(
    ctx: ServiceContext, send: Sender, *, limit: int = 50, lease: timedelta = LEASE, rng: random.Random | None = None
) -> DeliveryReport:
    """Deliver what is due now, in order per incident. Rows are claimed first (a conditional
    update, so two workers never send one row at the same moment), sent outside any
    transaction, then marked delivered, retried later, or dead."""
    rng = rng or random.Random()
    now = ctx.clock.now()
    claimed: list[dict[str, Any]] = []
    with ctx.uow() as uow:
        for row in uow.outbox.due(now, limit):
            if uow.outbox.claim(row["id"], row["next_attempt_at"], now + lease):
                claimed.append(row | {"secret": uow.subscriptions.get(row["subscription_id"])["secret"]})
        subs = {s["id"]: s["url"] for s in uow.subscriptions.list()}
        uow.commit()
    report = DeliveryReport()
    stalled: set[tuple[str, str]] = set()
    for row in claimed:
        key = (row["subscription_id"], row["incident_id"])
        if key in stalled:
            # An earlier update of this incident just failed: keep the order, try again later.
            _release(ctx, row["id"], now)
            continue
        body = body_of(row["payload"])
        stamp = now.isoformat()
        headers = {
            "Content-Type": "application/json",
            DELIVERY_HEADER: row["event_id"],
            EVENT_HEADER: row["event"],
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: sign(row["secret"], stamp, body),
        }
        try:
            send(subs[row["subscription_id"]], body, headers)
        except DeliveryFailed as e:
            stalled.add(key)
            _failed(ctx, row, str(e), now, rng, report)
            continue
        with ctx.uow() as uow:
            uow.outbox.set(row["id"], delivered_at=ctx.clock.now(), attempts=row["attempts"] + 1, last_error=None)
            uow.commit()
        report.delivered.append(row["event_id"])
    return report


def _release(ctx: ServiceContext, row_id: int, now: datetime) -> None:
    with ctx.uow() as uow:
        uow.outbox.set(row_id, next_attempt_at=now)
        uow.commit()


def _failed(
    ctx: ServiceContext, row: dict[str, Any], error: str, now: datetime, rng: random.Random, report: DeliveryReport
) -> None:
    attempts = row["attempts"] + 1
    policy = ctx.outbox_retry
    values: dict[str, Any] = {"attempts": attempts, "last_error": error[:2000]}
    if policy.is_dead(attempts):
        values["dead_at"] = now
        report.dead.append(row["event_id"])
    else:
        values["next_attempt_at"] = now + policy.delay(attempts, rng)
        report.failed.append(row["event_id"])
    with ctx.uow() as uow:
        uow.outbox.set(row["id"], **values)
        uow.commit()


def outbox_view(row: dict[str, Any]) -> dict[str, Any]:
    def iso(v: datetime | None) -> str | None:
        return v.isoformat() if v else None

    state = "delivered" if row["delivered_at"] else "dead" if row["dead_at"] else "pending"
    return {
        "id": row["id"],
        "delivery_id": row["event_id"],
        "subscription_id": row["subscription_id"],
        "incident_id": row["incident_id"],
        "event": row["event"],
        "state": state,
        "attempts": row["attempts"],
        "created_at": iso(row["created_at"]),
        "next_attempt_at": iso(row["next_attempt_at"]) if state == "pending" else None,
        "delivered_at": iso(row["delivered_at"]),
        "dead_at": iso(row["dead_at"]),
        "last_error": row["last_error"],
    }


def list_outbox(ctx: ServiceContext, actor: Actor, state: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Deliveries, newest first; ``state`` one of pending, delivered, dead (admins)."""
    actor.require(Permission.SUBSCRIPTION_MANAGE)
    if state not in (None, "pending", "delivered", "dead"):
        raise InvalidInput(f"unknown state {state!r} (expected pending, delivered or dead)")
    with ctx.uow() as uow:
        return [outbox_view(r) for r in uow.outbox.list(state=state, limit=limit)]


def retry_dead(ctx: ServiceContext, actor: Actor, row_id: int) -> dict[str, Any]:
    """Send a dead letter again (same delivery id, attempts counted afresh)."""
    actor.require(Permission.SUBSCRIPTION_MANAGE)
    # The outbox id is a 32-bit column: PostgreSQL answers a larger one with an error.
    check_db_int("outbox entry id", row_id, low=1, high=MAX_INT)
    with ctx.uow() as uow:
        row = uow.outbox.get(row_id)
        if row["dead_at"] is None:
            raise InvalidInput(f"outbox entry {row_id} is not a dead letter ({outbox_view(row)['state']})")
        uow.outbox.set(row_id, dead_at=None, attempts=0, next_attempt_at=ctx.clock.now())
        audit.record(ctx, uow, actor, "update", "outbox", [str(row_id)], detail="dead letter re-sent")
        row = uow.outbox.get(row_id)
        uow.commit()
    return outbox_view(row)
