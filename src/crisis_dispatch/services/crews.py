"""Who is on which van now: read from the shifts covering a moment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from crisis_dispatch.adapters.uow import UnitOfWork
from crisis_dispatch.domain.unit import Role, Staff, Unit, crew_on_shift


def crews(uow: UnitOfWork, units: Sequence[Unit], now: datetime) -> dict[str, dict[Role, Staff]]:
    """Who fills each role of each van at ``now``, by unit id (two queries for any number of vans)."""
    ids = [u.id for u in units]
    shifts = uow.shifts.covering(now, ids)
    people = uow.staff.by_ids(s.staff_id for s in shifts)
    return {unit_id: crew_on_shift(unit_id, shifts, people, now) for unit_id in ids}
