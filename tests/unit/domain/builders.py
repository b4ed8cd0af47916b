"""Plain domain objects for the domain unit tests: no database, no clock but the one given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crisis_dispatch.domain.incident import Incident, IncidentStatus, Location
from crisis_dispatch.domain.outcomes import (
    Destination,
    DestinationType,
    Disposition,
    Hold,
    HoldCriterion,
    HoldType,
    Outcome,
)
from crisis_dispatch.domain.triage.flags import Flag, FlagSource
from crisis_dispatch.domain.triage.model import TriageResult
from crisis_dispatch.domain.triage.tier import Tier
from crisis_dispatch.domain.unit import Qualification, Role, Shift, Staff, Unit, UnitStatus

#: 10:00 in Los Angeles on a Friday.
T0 = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

#: A point in Boyle Heights (not a real call's address).
SOMEWHERE = Location(lat=34.0412345, lon=-118.2156789, address="100 Example St, Los Angeles, CA 90033")


def decided(
    tier: str | Tier = "MH_TEAM",
    priority: int = 3,
    *,
    determinant: str = "X",
    screened_out: str | None = None,
    flags: tuple[str, ...] = (),
    hold_possible: bool = False,
) -> TriageResult:
    """A triage decision as the engine returns it, with only what a test cares about."""
    return TriageResult(
        call_id="CALL-1",
        tier=Tier(tier),
        priority=priority,
        determinant=determinant,
        flags=tuple(Flag(name, evidence="test", source=FlagSource.ANSWER) for name in flags),
        reasons=(),
        rules_fired=(),
        protocol_version="test",
        screened_out=screened_out,
        hold_possible=hold_possible,
    )


#: The shortest legal path from ``received`` into each incident status (written out by hand,
#: so that tests can put an incident in any status without reading the transition table).
PATH_TO: dict[IncidentStatus, tuple[IncidentStatus, ...]] = {
    IncidentStatus.RECEIVED: (),
    IncidentStatus.TRIAGED: (IncidentStatus.TRIAGED,),
    IncidentStatus.QUEUED: (IncidentStatus.TRIAGED, IncidentStatus.QUEUED),
    IncidentStatus.DISPATCHED: (IncidentStatus.TRIAGED, IncidentStatus.DISPATCHED),
    IncidentStatus.EN_ROUTE: (IncidentStatus.TRIAGED, IncidentStatus.DISPATCHED, IncidentStatus.EN_ROUTE),
    IncidentStatus.ON_SCENE: (IncidentStatus.TRIAGED, IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE),
    IncidentStatus.TRANSPORTING: (
        IncidentStatus.TRIAGED,
        IncidentStatus.DISPATCHED,
        IncidentStatus.ON_SCENE,
        IncidentStatus.TRANSPORTING,
    ),
    IncidentStatus.AT_DESTINATION: (
        IncidentStatus.TRIAGED,
        IncidentStatus.DISPATCHED,
        IncidentStatus.ON_SCENE,
        IncidentStatus.TRANSPORTING,
        IncidentStatus.AT_DESTINATION,
    ),
    IncidentStatus.CLOSED: (IncidentStatus.TRIAGED, IncidentStatus.CLOSED),
    IncidentStatus.CANCELLED: (IncidentStatus.CANCELLED,),
}

#: The same for units, starting from ``off_shift`` (a new van is off shift).
UNIT_PATH_TO: dict[UnitStatus, tuple[UnitStatus, ...]] = {
    UnitStatus.OFF_SHIFT: (),
    UnitStatus.AVAILABLE: (UnitStatus.AVAILABLE,),
    UnitStatus.DISPATCHED: (UnitStatus.AVAILABLE, UnitStatus.DISPATCHED),
    UnitStatus.EN_ROUTE: (UnitStatus.AVAILABLE, UnitStatus.DISPATCHED, UnitStatus.EN_ROUTE),
    UnitStatus.ON_SCENE: (UnitStatus.AVAILABLE, UnitStatus.DISPATCHED, UnitStatus.ON_SCENE),
    UnitStatus.TRANSPORTING: (
        UnitStatus.AVAILABLE,
        UnitStatus.DISPATCHED,
        UnitStatus.ON_SCENE,
        UnitStatus.TRANSPORTING,
    ),
    UnitStatus.AT_DESTINATION: (
        UnitStatus.AVAILABLE,
        UnitStatus.DISPATCHED,
        UnitStatus.ON_SCENE,
        UnitStatus.TRANSPORTING,
        UnitStatus.AT_DESTINATION,
    ),
    UnitStatus.OUT_OF_SERVICE: (UnitStatus.OUT_OF_SERVICE,),
}


def new_incident(ident: str = "INC-1", *, at: datetime = T0) -> Incident:
    return Incident(id=ident, location=SOMEWHERE, received_at=at)


def treated_and_released(at: datetime = T0, by: str = "crew-1") -> Outcome:
    return Outcome(disposition=Disposition.TREATED_AND_RELEASED, recorded_at=at, recorded_by=by)


def transported(at: datetime = T0, by: str = "crew-1") -> Outcome:
    return Outcome(
        disposition=Disposition.VOLUNTARY_TRANSPORT,
        recorded_at=at,
        recorded_by=by,
        destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE, "Example PUCC"),
    )


def record_outcome_to_close(incident: Incident, now: datetime) -> None:
    """Before closing from the scene or a destination: record the outcome that fits the path."""
    if incident.status is IncidentStatus.ON_SCENE:
        incident.record_outcome(treated_and_released(now), now=now)
    elif incident.status is IncidentStatus.AT_DESTINATION:
        incident.record_outcome(transported(now), now=now)


def hold(
    *,
    type: HoldType = HoldType.WIC_5150,
    first_detained_at: datetime = T0,
    placed_at: datetime | None = None,
    criteria: frozenset[HoldCriterion] = frozenset({HoldCriterion.DANGER_TO_SELF}),
    could_be_served_without_detention: bool = False,
) -> Hold:
    return Hold(
        type=type,
        placed_by="staff-tech",
        placed_at=placed_at if placed_at is not None else first_detained_at + 20 * MINUTE,
        first_detained_at=first_detained_at,
        criteria=criteria,
        could_be_served_without_detention=could_be_served_without_detention,
        facts="stated a plan to harm self; no safe place to stay",
    )


def hold_outcome(the_hold: Hold, *, age: int | None = 35, at: datetime | None = None) -> Outcome:
    return Outcome(
        disposition=Disposition.INVOLUNTARY_HOLD,
        recorded_at=at if at is not None else the_hold.placed_at,
        recorded_by="staff-tech",
        destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE, "Example PUCC"),
        hold=the_hold,
        subject_age=age,
    )


def incident_in(status: IncidentStatus, ident: str = "INC-1", *, start: datetime = T0) -> Incident:
    """An incident walked along :data:`PATH_TO` one minute per step (outcome recorded on scene)."""
    incident = new_incident(ident, at=start)
    now = start
    for step in PATH_TO[status]:
        now += MINUTE
        if step is IncidentStatus.DISPATCHED:
            incident.assign("U-1", now=now, by="dispatcher-1")
            continue
        if step is IncidentStatus.CLOSED:
            record_outcome_to_close(incident, now)
        incident.transition(step, now=now, by="dispatcher-1")
    return incident


def unit_in(status: UnitStatus, ident: str = "U-1", *, start: datetime = T0) -> Unit:
    unit = Unit(id=ident, call_sign=f"PMRT {ident}", station_id="lafd-004")
    now = start
    for step in UNIT_PATH_TO[status]:
        now += MINUTE
        unit.transition(step, now=now, by="dispatcher-1", incident_id="INC-1")
    return unit


# --------------------------------------------------------------------------- crews and shifts

DRIVER, TECH, PEER = Role.CLINICAL_DRIVER, Role.PSYCHIATRIC_TECHNICIAN, Role.PEER_SUPPORT_SPECIALIST


def person(ident: str, *roles: Role, quals: tuple[Qualification, ...] = (), active: bool = True) -> Staff:
    return Staff(id=ident, name=f"Person {ident}", roles=set(roles), qualifications=set(quals), active=active)


def full_roster() -> dict[str, Staff]:
    """One qualified person per role; the technician may write 5150 holds."""
    return {
        "drv": person("drv", DRIVER, quals=(Qualification.DRIVER_LICENSE,)),
        "tech": person("tech", TECH, quals=(Qualification.HOLD_5150,)),
        "peer": person("peer", PEER),
    }


def shift(
    staff_id: str,
    role: Role,
    starts_at: datetime,
    ends_at: datetime,
    *,
    unit_id: str = "U-1",
    ident: str | None = None,
) -> Shift:
    return Shift(
        id=ident or f"{unit_id}/{staff_id}/{role.value}/{starts_at.isoformat()}",
        unit_id=unit_id,
        staff_id=staff_id,
        role=role,
        starts_at=starts_at,
        ends_at=ends_at,
    )


def day_shifts(starts_at: datetime = T0, hours: int = 8, unit_id: str = "U-1") -> list[Shift]:
    """The full roster on one shift of ``hours`` from ``starts_at``."""
    ends_at = starts_at + hours * HOUR
    return [
        shift("drv", DRIVER, starts_at, ends_at, unit_id=unit_id),
        shift("tech", TECH, starts_at, ends_at, unit_id=unit_id),
        shift("peer", PEER, starts_at, ends_at, unit_id=unit_id),
    ]
