"""Use cases of disclosure to police: a supervisor discloses an incident, with a reason, to a
named police liaison or to every police liaison; anyone may later see who was told what."""

from __future__ import annotations

from typing import Any

from crisis_dispatch.domain.access import Permission, UserRole
from crisis_dispatch.domain.disclosures import DISCLOSABLE_ROLE, Disclosure, PoliceScope, checked_reason
from crisis_dispatch.domain.errors import InvalidInput, NotFound, PermissionDenied

from . import audit
from .context import Actor, ServiceContext
from .read_models import DisclosureView

#: The history row's ``event`` of a disclosure (it is shown in the incident's history).
DISCLOSURE_EVENT = "disclosure"


def disclose(
    ctx: ServiceContext, actor: Actor, incident_id: str, reason: str, *, to_user: str | None = None, to_role: str | None = None
) -> dict[str, Any]:
    """Disclose ``incident_id`` to the police user ``to_user`` or to the role ``to_role``.

    Recorded three times over: the disclosure itself (who, to whom, when, why), a row of the
    incident's history (``event`` "disclosure", with the reason) and an audit row (action
    ``disclose``). From then on the recipient sees the incident as police see any other.
    """
    actor.require(Permission.INCIDENT_DISCLOSE)
    text = checked_reason(reason)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        if to_user is not None:
            user = uow.users.by_username(to_user)
            if user is None or not user.active or user.role is not DISCLOSABLE_ROLE:
                raise InvalidInput(f"'{to_user}' is no active {DISCLOSABLE_ROLE.value}: disclosures go to police liaisons only")
        disclosure = Disclosure(
            id=ctx.new_id("DISC"),
            incident_id=incident.id,
            at=now,
            by=actor.username,
            reason=text,
            to_username=to_user,
            to_role=to_role,
        )
        uow.disclosures.add(disclosure)
        uow.history.add(
            incident.event(DISCLOSURE_EVENT, now=now, by=actor.username, reason=f"disclosed to {disclosure.recipient}: {text}")
        )
        audit.record(ctx, uow, actor, "disclose", "incident", [incident.id], detail=f"to {disclosure.recipient}")
        uow.commit()
    return _view(disclosure)


def list_disclosures(ctx: ServiceContext, actor: Actor, user: str | None = None) -> list[dict[str, Any]]:
    """The disclosures made, oldest first; with ``user``, those that reached that person (by
    name, or to their role). A police liaison sees those that reached them only."""
    actor.require(Permission.DISCLOSURE_READ)
    if actor.role is UserRole.POLICE_LIAISON:
        if user is not None and user != actor.username:
            raise PermissionDenied("a police liaison sees only the disclosures made to them")
        user = actor.username
    with ctx.uow() as uow:
        recipient = None
        if user is not None:
            found = uow.users.by_username(user)
            if found is None:
                raise NotFound(f"user '{user}' not found")
            recipient = PoliceScope(found.username, found.role.value)
        rows = uow.disclosures.list(recipient=recipient)
        audit.record(ctx, uow, actor, "list", "disclosure", [d.id for d in rows], detail=f"for {user}" if user else "")
        uow.commit()
    return [_view(d) for d in rows]


def _view(d: Disclosure) -> dict[str, Any]:
    return DisclosureView(
        id=d.id,
        incident_id=d.incident_id,
        at=d.at.isoformat(),
        by=d.by,
        reason=d.reason,
        to_user=d.to_username,
        to_role=d.to_role,
    ).model_dump(mode="json")
