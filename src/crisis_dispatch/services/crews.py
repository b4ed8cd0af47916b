"""Who is on which van now, and which van a crew member is on: read from the shifts covering a moment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from crisis_dispatch.domain.access import SCOPED_TO_OWN_UNIT
from crisis_dispatch.domain.unit import Role, Staff, Unit, crew_on_shift
from crisis_dispatch.services.ports import UnitOfWork

from .context import Actor


def crews(uow: UnitOfWork, units: Sequence[Unit], now: datetime) -> dict[str, dict[Role, Staff]]:
    """Who fills each role of each van at ``now``, by unit id (two queries for any number of vans)."""
    ids = [u.id for u in units]
    shifts = uow.shifts.covering(now, ids)
    people = uow.staff.by_ids(s.staff_id for s in shifts)
    return {unit_id: crew_on_shift(unit_id, shifts, people, now) for unit_id in ids}


def crew_unit(uow: UnitOfWork, actor: Actor, now: datetime) -> str | None:
    """The van a crew member is on at ``now`` (None for roles not scoped to a van, or off shift)."""
    if actor.role not in SCOPED_TO_OWN_UNIT or actor.staff_id is None:
        return None
    return uow.shifts.current_unit_for_staff(actor.staff_id, now)
