"""The Los Angeles demo: LAFD stations, LA County facilities, five crisis vans with 24/7 crews.

Idempotent: running it again adds what is missing and tops up shifts, never duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crisis_dispatch.data.reference import la_facilities, la_stations
from crisis_dispatch.domain.outcomes import DestinationType
from crisis_dispatch.domain.station import Facility, Station
from crisis_dispatch.domain.unit import Qualification, Role, Shift, Staff, Unit, UnitStatus
from crisis_dispatch.services.ports import UnitOfWork

from .context import ServiceContext

LA_TZ = ZoneInfo("America/Los_Angeles")

#: The five demo vans and the LAFD stations they wait at (spread over the city:
#: downtown, Hollywood, the Valley, South LA, the Westside).
LA_VANS: tuple[tuple[str, str], ...] = (
    ("TTP-1", "lafd-004"),
    ("TTP-2", "lafd-027"),
    ("TTP-3", "lafd-039"),
    ("TTP-4", "lafd-064"),
    ("TTP-5", "lafd-062"),
)
#: Three 8-hour shifts a day, local time (day, evening, night).
SHIFT_STARTS = (time(7), time(15), time(23))

_FIRST = ("Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jamal", "Kim", "Luis", "Maya", "Nico", "Omar")
_LAST = ("Reyes", "Park", "Nguyen")


@dataclass(frozen=True)
class SeedReport:
    stations: int
    facilities: int
    units: int
    staff: int
    shifts: int

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _staff_id(van: int, role: Role, slot: int) -> str:
    return f"stf-ttp{van}-{role.value.split('_')[0]}-{slot}"


def _staff_member(van: int, role: Role, slot: int) -> Staff:
    """The generated person in seat ``role`` of shift ``slot`` on van number ``van``."""
    k = (van - 1) * 3 + slot
    r = list(Role).index(role)
    quals = {Qualification.DRIVER_LICENSE} if role is Role.CLINICAL_DRIVER else set()
    if role is Role.PSYCHIATRIC_TECHNICIAN:
        # Psych techs on these vans are county-designated to write holds.
        quals |= {Qualification.HOLD_5150, Qualification.HOLD_5585}
    return Staff(
        id=_staff_id(van, role, slot),
        name=f"{_FIRST[(k * 3 + r) % len(_FIRST)]} {_LAST[(k + r) % len(_LAST)]}",
        roles={role},
        qualifications=quals,
    )


def _add_facilities(uow: UnitOfWork) -> int:
    """Add the LA facilities that have a location and are not there yet; how many were added."""
    known = {f.id for f in uow.facilities.list()}
    added = 0
    for f in la_facilities():
        # Not f.has_location: the same test, written so that the type checker sees floats.
        if f.id in known or f.lat is None or f.lon is None:
            continue
        uow.facilities.add(
            Facility(
                id=f.id,
                name=f.name,
                type=DestinationType(f.type),
                lat=f.lat,
                lon=f.lon,
                address=f.address,
                accepts=f.accepts,
                capabilities=set(f.capabilities),
                beds_available=None,
                beds_total=f.capacity,
            )
        )
        added += 1
    return added


def seed_la(
    ctx: ServiceContext, *, days: int = 30, start: date | None = None, demo_crew_staff_id: str | None = None
) -> SeedReport:
    """Load LA reference data and the demo fleet; shifts cover ``days`` days from ``start`` (local).

    ``demo_crew_staff_id`` (demo only) puts one person in TTP-1's peer-support seat on every
    shift, so that a single demo crew login always has a van to work.
    """
    now = ctx.clock.now()
    first_day = start or now.astimezone(LA_TZ).date() - timedelta(days=1)
    added = dict(stations=0, facilities=0, units=0, staff=0, shifts=0)
    with ctx.uow() as uow:
        known = {s.id for s in uow.stations.list()}
        station_pos = {}
        for rec in la_stations():
            station_pos[rec.id] = (rec.lat, rec.lon)
            if rec.id not in known:
                uow.stations.add(Station(id=rec.id, name=rec.name, lat=rec.lat, lon=rec.lon, address=rec.address))
                added["stations"] += 1
        added["facilities"] = _add_facilities(uow)
        uow.flush()
        for n, (call_sign, station_id) in enumerate(LA_VANS, start=1):
            unit = uow.units.by_call_sign(call_sign)
            if unit is None:
                lat, lon = station_pos[station_id]
                unit = Unit(
                    id=f"unit-ttp-{n}",
                    call_sign=call_sign,
                    station_id=station_id,
                    capabilities={"transport", "mental_health"},
                    status=UnitStatus.AVAILABLE,
                    status_since=now,
                    lat=lat,
                    lon=lon,
                )
                uow.units.add(unit)
                added["units"] += 1
            for role in Role:
                for slot in range(len(SHIFT_STARTS)):
                    if uow.staff.find(_staff_id(n, role, slot)) is None:
                        uow.staff.add(_staff_member(n, role, slot))
                        added["staff"] += 1
        uow.flush()
        window_start = datetime.combine(first_day, time(0), LA_TZ).astimezone(UTC)
        window_end = window_start + timedelta(days=days + 1)
        existing = {(s.unit_id, s.role, s.starts_at) for s in uow.shifts.in_window(window_start, window_end)}
        for n in range(1, len(LA_VANS) + 1):
            unit_id = f"unit-ttp-{n}"
            for d in range(-1, days + 1):
                day = first_day + timedelta(days=d)
                for slot, start_t in enumerate(SHIFT_STARTS):
                    starts = datetime.combine(day, start_t, LA_TZ).astimezone(UTC)
                    # End at the next shift's local start, so DST days have no gap or overlap.
                    nxt = slot + 1
                    end_day = day + timedelta(days=nxt // len(SHIFT_STARTS))
                    ends = datetime.combine(end_day, SHIFT_STARTS[nxt % len(SHIFT_STARTS)], LA_TZ).astimezone(UTC)
                    if ends <= window_start or starts >= window_end:
                        continue
                    for role in Role:
                        if (unit_id, role, starts) in existing:
                            continue
                        uow.shifts.add(
                            Shift(
                                id=f"shf-{unit_id}-{role.value[:4]}-{starts:%Y%m%d%H}",
                                unit_id=unit_id,
                                staff_id=demo_crew_staff_id
                                if demo_crew_staff_id and n == 1 and role is Role.PEER_SUPPORT_SPECIALIST
                                else _staff_id(n, role, slot),
                                role=role,
                                starts_at=starts,
                                ends_at=ends,
                            )
                        )
                        added["shifts"] += 1
        uow.commit()
    return SeedReport(**added)
