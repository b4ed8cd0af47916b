"""Stations and facilities, and the small bed registry staff keep current."""

from __future__ import annotations

from typing import Any

from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.errors import InvalidInput

from . import audit
from .context import Actor, ServiceContext
from .views import facility_view, station_view


def list_stations(ctx: ServiceContext, actor: Actor) -> list[dict[str, Any]]:
    actor.require(Permission.REFERENCE_READ)
    with ctx.uow() as uow:
        return [station_view(s) for s in uow.stations.list()]


def list_facilities(ctx: ServiceContext, actor: Actor, type_: str | None = None) -> list[dict[str, Any]]:
    actor.require(Permission.REFERENCE_READ)
    with ctx.uow() as uow:
        found = uow.facilities.list()
    return [facility_view(f) for f in found if type_ is None or f.type.value == type_]


def get_facility(ctx: ServiceContext, actor: Actor, facility_id: str) -> dict[str, Any]:
    actor.require(Permission.REFERENCE_READ)
    with ctx.uow() as uow:
        return facility_view(uow.facilities.get(facility_id))


def update_beds(
    ctx: ServiceContext, actor: Actor, facility_id: str, beds_available: int, beds_total: int | None = None
) -> dict[str, Any]:
    """Staff report how many beds or chairs are free now."""
    actor.require(Permission.FACILITY_UPDATE)
    if beds_available < 0 or (beds_total is not None and beds_total < 0):
        raise InvalidInput("bed counts cannot be negative")
    with ctx.uow() as uow:
        facility = uow.facilities.get(facility_id)
        total = beds_total if beds_total is not None else facility.beds_total
        if total is not None and beds_available > total:
            raise InvalidInput(f"{beds_available} beds available but only {total} in total")
        facility.beds_available = beds_available
        facility.beds_total = total
        audit.record(ctx, uow, actor, "update", "facility", [facility.id], detail=f"beds {beds_available}/{total}")
        uow.commit()
        return facility_view(facility)
