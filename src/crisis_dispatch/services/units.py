"""Use cases for vans, staff and shifts (crew assignment)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crisis_dispatch.domain.access import SCOPED_TO_OWN_UNIT, Permission
from crisis_dispatch.domain.errors import InvalidInput, PermissionDenied, parse_enum
from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.domain.unit import (
    COMMITTED,
    Qualification,
    Role,
    Shift,
    Staff,
    Unit,
    UnitStatus,
    coverage_gaps,
    overlapping_shift_for_staff,
    readiness,
)
from crisis_dispatch.services.ports import UnitOfWork

from . import audit
from .context import Actor, ServiceContext
from .crews import crew_unit, crews
from .dispatching import offer_for_unit
from .follow_up_close import on_close
from .read_models import project_unit
from .views import shift_view, staff_view, unit_view

#: Incident status that mirrors a unit status reported by the crew.
INCIDENT_MIRROR: dict[UnitStatus, IncidentStatus] = {
    UnitStatus.EN_ROUTE: IncidentStatus.EN_ROUTE,
    UnitStatus.ON_SCENE: IncidentStatus.ON_SCENE,
    UnitStatus.TRANSPORTING: IncidentStatus.TRANSPORTING,
    UnitStatus.AT_DESTINATION: IncidentStatus.AT_DESTINATION,
}


def _views(uow: UnitOfWork, units: list[Unit], now: datetime) -> list[dict[str, Any]]:
    on_shift = crews(uow, units, now)
    return [unit_view(u, on_shift[u.id], readiness(u, on_shift[u.id])) for u in units]


def list_units(ctx: ServiceContext, actor: Actor) -> list[dict[str, Any]]:
    actor.require(Permission.UNIT_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        views = _views(uow, uow.units.list(), now)
        # Crew names are personal data of staff: reads are audited like incidents.
        audit.record(ctx, uow, actor, "list", "unit", [v["id"] for v in views])
        uow.commit()
    return [project_unit(v, actor.role) for v in views]


def get_unit(ctx: ServiceContext, actor: Actor, unit_id: str) -> dict[str, Any]:
    actor.require(Permission.UNIT_READ)
    with ctx.uow() as uow:
        unit = uow.units.get(unit_id)
        (view,) = _views(uow, [unit], ctx.clock.now())
        audit.record(ctx, uow, actor, "read", "unit", [unit.id])
        uow.commit()
    return project_unit(view, actor.role)


def set_unit_status(ctx: ServiceContext, actor: Actor, unit_id: str, to: str, reason: str = "") -> dict[str, Any]:
    """A status reported for the van; while it works an incident, the incident follows."""
    actor.require(Permission.UNIT_STATUS)
    target = parse_enum(UnitStatus, to, "unit status")
    if target is UnitStatus.DISPATCHED:
        raise InvalidInput("use the incident assign action to dispatch a unit")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        unit = uow.units.get(unit_id)
        if actor.role in SCOPED_TO_OWN_UNIT and crew_unit(uow, actor, now) != unit.id:
            raise PermissionDenied("crew may only change the status of their own van")
        incident = uow.incidents.get(unit.incident_id) if unit.incident_id else None
        changes = []
        if incident is not None and target in INCIDENT_MIRROR:
            changes.append(incident.transition(INCIDENT_MIRROR[target], now=now, by=actor.username, reason=reason))
        elif incident is not None and target is UnitStatus.AVAILABLE and unit.status in COMMITTED:
            # Clearing: closing needs an outcome once the team has seen the person;
            # a recall before arrival sends the incident back to the queue.
            nxt = (
                IncidentStatus.CLOSED
                if incident.status in (IncidentStatus.ON_SCENE, IncidentStatus.AT_DESTINATION)
                else IncidentStatus.QUEUED
            )
            changes.append(incident.transition(nxt, now=now, by=actor.username, reason=reason or "unit cleared"))
        elif incident is not None and target is UnitStatus.OUT_OF_SERVICE:
            # A van that breaks down on the way leaves its incident waiting for another.
            changes.append(
                incident.transition(
                    IncidentStatus.QUEUED, now=now, by=actor.username, reason=reason or f"{unit.call_sign} out of service"
                )
            )
        changes.append(unit.transition(target, now=now, by=actor.username, reason=reason))
        uow.history.add_all(changes)
        if incident is not None:
            audit.record(ctx, uow, actor, "update", "incident", [incident.id], detail=f"unit {target.value}")
            on_close(ctx, uow, actor, incident)
        (view,) = _views(uow, [unit], now)
        if unit.status is UnitStatus.AVAILABLE:
            # A van that clears is offered the queue in order (the dispatcher confirms).
            view["offer"] = offer_for_unit(ctx, uow, unit, now)
        uow.commit()
    return project_unit(view, actor.role)


def create_staff(
    ctx: ServiceContext, actor: Actor, name: str, roles: list[str], qualifications: list[str] | None = None
) -> dict[str, Any]:
    actor.require(Permission.CREW_MANAGE)
    if not name.strip():
        raise InvalidInput("a staff member needs a name")
    person = Staff(
        id=ctx.new_id("STF"),
        name=name.strip(),
        roles={parse_enum(Role, r, "role") for r in roles},
        qualifications={parse_enum(Qualification, q, "qualification") for q in qualifications or []},
    )
    if not person.roles:
        raise InvalidInput("a staff member needs at least one role they can fill")
    with ctx.uow() as uow:
        uow.staff.add(person)
        audit.record(ctx, uow, actor, "create", "staff", [person.id])
        uow.commit()
    return staff_view(person)


def list_staff(ctx: ServiceContext, actor: Actor) -> list[dict[str, Any]]:
    actor.require(Permission.STAFF_READ)
    with ctx.uow() as uow:
        people = uow.staff.list()
        audit.record(ctx, uow, actor, "list", "staff", [p.id for p in people])
        uow.commit()
    return [staff_view(p) for p in people]


def assign_crew(
    ctx: ServiceContext, actor: Actor, unit_id: str, staff_id: str, role: str, starts_at: datetime, ends_at: datetime
) -> dict[str, Any]:
    """Put a person on a van in a role for a time window (a shift)."""
    actor.require(Permission.CREW_MANAGE)
    role_ = parse_enum(Role, role, "role")
    with ctx.uow() as uow:
        unit = uow.units.get(unit_id)
        person = uow.staff.get(staff_id)
        if not person.can_fill(role_):
            raise InvalidInput(f"{person.name} is not qualified as {role_.value}")
        shift = Shift(id=ctx.new_id("SHF"), unit_id=unit.id, staff_id=person.id, role=role_, starts_at=starts_at, ends_at=ends_at)
        clash = overlapping_shift_for_staff(shift, uow.shifts.in_window(starts_at, ends_at, staff_id=person.id))
        if clash is not None:
            raise InvalidInput(
                f"{person.name} is already on shift {clash.id} from {clash.starts_at.isoformat()} to {clash.ends_at.isoformat()}"
            )
        same_role = [s for s in uow.shifts.in_window(starts_at, ends_at, unit_id=unit.id) if s.role is role_]
        if same_role:
            raise InvalidInput(f"{unit.call_sign} already has a {role_.value} on shift {same_role[0].id} in that window")
        uow.shifts.add(shift)
        audit.record(ctx, uow, actor, "create", "shift", [shift.id], detail=f"{person.id} on {unit.call_sign} as {role_.value}")
        uow.commit()
    return shift_view(shift)


def list_shifts(ctx: ServiceContext, actor: Actor, start: datetime, end: datetime, unit_id: str | None = None) -> dict[str, Any]:
    """Shifts in a window with every coverage gap per unit and role (24/7 made explicit)."""
    actor.require(Permission.STAFF_READ)
    if end <= start:
        raise InvalidInput("the window must end after it starts")
    with ctx.uow() as uow:
        units = [uow.units.get(unit_id)] if unit_id else uow.units.list()
        found = uow.shifts.in_window(start, end, unit_id=unit_id)
        people = uow.staff.by_ids(s.staff_id for s in found)
        uow.commit()
    # A shift covers its seat only when the person is active and qualified for the role.
    staffed = [s for s in found if s.staff_id in people and people[s.staff_id].can_fill(s.role)]
    gaps = [g for u in units for g in coverage_gaps(u.id, staffed, start, end)]
    return {
        "shifts": [shift_view(s) for s in found],
        "gaps": [
            {"unit_id": g.unit_id, "role": g.role.value, "starts_at": g.starts_at.isoformat(), "ends_at": g.ends_at.isoformat()}
            for g in gaps
        ],
        "covered_24_7": not gaps,
    }
