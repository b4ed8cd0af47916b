"""Small builders shared by the integration and API tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.station import Station
from crisis_dispatch.domain.unit import Qualification, Role, Shift, Staff, Unit, UnitStatus
from crisis_dispatch.services import incidents
from crisis_dispatch.services.context import SYSTEM, Actor
from crisis_dispatch.services.incidents import CallIntake

T0 = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles

CALM_CALL = dict(
    lat=34.0522,
    lon=-118.2437,
    address="5th St & Main St, Los Angeles",
    call_type="EDP",
    narrative="Caller says her brother is hearing voices and is scared. No weapons, not violent.",
    answers={},
)


def staffed_unit(container: Container, call_sign: str = "TTP-9", *, hold_writer: bool = True, hours: int = 12) -> str:
    """A van at a station with all three roles on shift from now for ``hours``."""
    ctx = container.ctx
    now = ctx.clock.now()
    with ctx.uow() as uow:
        if uow.stations.find("st-test") is None:
            uow.stations.add(Station(id="st-test", name="Test station", lat=34.05, lon=-118.25))
        unit = Unit(
            id=f"unit-{call_sign.lower()}",
            call_sign=call_sign,
            station_id="st-test",
            status=UnitStatus.AVAILABLE,
            lat=34.05,
            lon=-118.25,
        )
        uow.units.add(unit)
        uow.flush()
        for role in Role:
            quals = {Qualification.HOLD_5150} if (hold_writer and role is Role.PSYCHIATRIC_TECHNICIAN) else set()
            if role is Role.CLINICAL_DRIVER:
                quals = {Qualification.DRIVER_LICENSE}
            person = Staff(
                id=f"stf-{call_sign.lower()}-{role.value[:5]}",
                name=f"{role.value} of {call_sign}",
                roles={role},
                qualifications=quals,
            )
            uow.staff.add(person)
            uow.flush()
            uow.shifts.add(
                Shift(
                    id=f"shf-{call_sign.lower()}-{role.value[:5]}",
                    unit_id=unit.id,
                    staff_id=person.id,
                    role=role,
                    starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(hours=hours),
                )
            )
        uow.commit()
        return unit.id


def crew_of(call_sign: str) -> Actor:
    """The crew login of the peer-support seat of a van built by ``staffed_unit``."""
    return Actor("crew-" + call_sign, UserRole.CREW, staff_id=f"stf-{call_sign.lower()}-peer_")


def new_incident(container: Container, **overrides: Any) -> str:
    result = incidents.take_call(container.ctx, SYSTEM, CallIntake(**(CALM_CALL | overrides)))
    return result.incident["id"]
