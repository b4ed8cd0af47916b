"""Vans, their crews and shifts.

A van carries a clinical driver, a psychiatric technician and a peer support specialist;
it is dispatchable only when it is available and all three roles are filled, right now,
by staff on shift who are qualified for the role. Shifts are explicit time windows per
unit and role, so 24/7 coverage (and every gap in it) can be computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .clock import ensure_aware
from .errors import IllegalTransition, InvalidInput, parse_enum
from .geo import LatLon
from .history import StatusChange, Subject
from .outcomes import HoldType


class Role(StrEnum):
    CLINICAL_DRIVER = "clinical_driver"
    PSYCHIATRIC_TECHNICIAN = "psychiatric_technician"
    PEER_SUPPORT_SPECIALIST = "peer_support_specialist"


REQUIRED_ROLES: tuple[Role, ...] = tuple(Role)


class Qualification(StrEnum):
    #: Designated by the county to write WIC 5150 (adult) holds.
    HOLD_5150 = "hold_5150"
    #: Designated to write WIC 5585 (minor) holds.
    HOLD_5585 = "hold_5585"
    DRIVER_LICENSE = "driver_license"


HOLD_QUALIFICATION = {HoldType.WIC_5150: Qualification.HOLD_5150, HoldType.WIC_5585: Qualification.HOLD_5585}


class UnitStatus(StrEnum):
    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    TRANSPORTING = "transporting"
    AT_DESTINATION = "at_destination"
    OUT_OF_SERVICE = "out_of_service"
    OFF_SHIFT = "off_shift"


U = UnitStatus

#: Legal unit status changes.
ALLOWED: dict[UnitStatus, frozenset[UnitStatus]] = {
    U.AVAILABLE: frozenset({U.DISPATCHED, U.OUT_OF_SERVICE, U.OFF_SHIFT}),
    # Recalled before arrival: back to available.
    U.DISPATCHED: frozenset({U.EN_ROUTE, U.ON_SCENE, U.AVAILABLE, U.OUT_OF_SERVICE}),
    U.EN_ROUTE: frozenset({U.ON_SCENE, U.AVAILABLE, U.OUT_OF_SERVICE}),
    # Cleared on scene: available again.
    U.ON_SCENE: frozenset({U.TRANSPORTING, U.AVAILABLE}),
    U.TRANSPORTING: frozenset({U.AT_DESTINATION}),
    U.AT_DESTINATION: frozenset({U.AVAILABLE}),
    U.OUT_OF_SERVICE: frozenset({U.AVAILABLE, U.OFF_SHIFT}),
    U.OFF_SHIFT: frozenset({U.AVAILABLE, U.OUT_OF_SERVICE}),
}

COMMITTED = frozenset({U.DISPATCHED, U.EN_ROUTE, U.ON_SCENE, U.TRANSPORTING, U.AT_DESTINATION})


@dataclass(eq=False)
class Staff:
    id: str
    name: str
    roles: set[Role] = field(default_factory=set)
    qualifications: set[Qualification] = field(default_factory=set)
    active: bool = True

    def can_fill(self, role: Role) -> bool:
        return self.active and role in self.roles

    def can_place_hold(self, hold_type: HoldType) -> bool:
        return self.active and HOLD_QUALIFICATION[hold_type] in self.qualifications


@dataclass(eq=False)
class Shift:
    """A person staffing one role of one van from ``starts_at`` (inclusive) to ``ends_at`` (exclusive)."""

    id: str
    unit_id: str
    staff_id: str
    role: Role
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        if ensure_aware(self.ends_at) <= ensure_aware(self.starts_at):
            raise InvalidInput("a shift must end after it starts")

    def covers(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def overlaps(self, other: Shift) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


@dataclass(eq=False)
class Unit:
    id: str
    call_sign: str
    station_id: str
    capabilities: set[str] = field(default_factory=set)
    status: UnitStatus = UnitStatus.OFF_SHIFT
    incident_id: str | None = None
    status_since: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    version: int = 0

    def point(self) -> LatLon | None:
        """The van's last reported position, or None (it is then taken to be at its station)."""
        return None if self.lat is None or self.lon is None else LatLon(self.lat, self.lon)

    @property
    def committed(self) -> bool:
        return self.status in COMMITTED

    def can_go(self, to: UnitStatus) -> bool:
        return to in ALLOWED[self.status]

    def transition(
        self, to: UnitStatus | str, *, now: datetime, by: str, reason: str = "", incident_id: str | None = None
    ) -> StatusChange:
        to = parse_enum(UnitStatus, to, "unit status")
        now = ensure_aware(now)
        if self.status_since is not None and now < ensure_aware(self.status_since):
            raise InvalidInput(
                f"unit {self.call_sign}: a change at {now.isoformat()} would predate its current status "
                f"(since {self.status_since.isoformat()})"
            )
        if not self.can_go(to):
            raise IllegalTransition("unit", self.call_sign, self.status.value, to.value)
        if to is U.DISPATCHED:
            if incident_id is None:
                raise InvalidInput("a unit is dispatched to an incident")
            self.incident_id = incident_id
        change = StatusChange(
            subject=Subject.UNIT,
            subject_id=self.id,
            from_status=self.status.value,
            to_status=to.value,
            at=now,
            by=by,
            reason=reason,
            incident_id=self.incident_id,
            unit_id=self.id,
        )
        self.status = to
        self.status_since = now
        if to not in COMMITTED:
            self.incident_id = None
        return change


def crew_on_shift(unit_id: str, shifts: Iterable[Shift], staff: dict[str, Staff], now: datetime) -> dict[Role, Staff]:
    """Who fills each role of the unit at ``now`` (the earliest-starting qualified shift wins)."""
    now = ensure_aware(now)
    crew: dict[Role, Staff] = {}
    for shift in sorted(shifts, key=lambda s: (s.starts_at, s.id)):
        if shift.unit_id != unit_id or not shift.covers(now) or shift.role in crew:
            continue
        person = staff.get(shift.staff_id)
        if person is not None and person.can_fill(shift.role):
            crew[shift.role] = person
    return crew


def missing_roles(crew: dict[Role, Staff]) -> list[Role]:
    return [r for r in REQUIRED_ROLES if r not in crew]


@dataclass(frozen=True)
class Readiness:
    dispatchable: bool
    reasons: tuple[str, ...]


def readiness(unit: Unit, crew: dict[Role, Staff]) -> Readiness:
    """Can this unit take a call now, and if not, every reason why."""
    reasons: list[str] = []
    if unit.status is not U.AVAILABLE:
        reasons.append(f"it is {unit.status.value.replace('_', ' ')}")
    missing = missing_roles(crew)
    if missing:
        reasons.append("no " + ", ".join(r.value for r in missing) + " on shift")
    driver = crew.get(Role.CLINICAL_DRIVER)
    if driver is not None and Qualification.DRIVER_LICENSE not in driver.qualifications:
        reasons.append(f"the clinical driver ({driver.name}) holds no driver licence")
    ids = [s.id for s in crew.values()]
    if len(set(ids)) != len(ids):
        reasons.append("one person cannot fill two roles")
    return Readiness(not reasons, tuple(reasons))


def can_place_holds(crew: dict[Role, Staff], hold_type: HoldType = HoldType.WIC_5150) -> bool:
    return any(s.can_place_hold(hold_type) for s in crew.values())


@dataclass(frozen=True)
class CoverageGap:
    unit_id: str
    role: Role
    starts_at: datetime
    ends_at: datetime


def coverage_gaps(unit_id: str, shifts: Sequence[Shift], start: datetime, end: datetime) -> list[CoverageGap]:
    """The windows within [start, end) where a role of the unit has nobody on shift.

    An empty list means the unit is staffed around the clock over the period.
    """
    start, end = ensure_aware(start), ensure_aware(end)
    gaps: list[CoverageGap] = []
    for role in REQUIRED_ROLES:
        windows = sorted(
            (max(s.starts_at, start), min(s.ends_at, end))
            for s in shifts
            if s.unit_id == unit_id and s.role is role and s.ends_at > start and s.starts_at < end
        )
        cursor = start
        for a, b in windows:
            if a > cursor:
                gaps.append(CoverageGap(unit_id, role, cursor, a))
            cursor = max(cursor, b)
        if cursor < end:
            gaps.append(CoverageGap(unit_id, role, cursor, end))
    return gaps


def overlapping_shift_for_staff(new: Shift, existing: Iterable[Shift]) -> Shift | None:
    """A person cannot be on two shifts at once (e.g. on two vans)."""
    for s in existing:
        if s.staff_id == new.staff_id and s.id != new.id and s.overlaps(new):
            return s
    return None
