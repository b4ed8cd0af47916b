"""How a response ended, and the involuntary holds (WIC 5150 adults, 5585 minors).

Every disposition maps to NEMSIS v3.5 eDisposition codes so that records can be
exchanged with EMS systems: unit disposition (4227xxx), patient evaluation/care
(4228xxx), transport disposition (4230xxx) and reason for refusal/release (4231xxx).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .clock import ensure_aware
from .errors import InvalidInput

HOLD_DURATION = timedelta(hours=72)


class Disposition(StrEnum):
    TREATED_AND_RELEASED = "treated_and_released"
    VOLUNTARY_TRANSPORT = "voluntary_transport"
    INVOLUNTARY_HOLD = "involuntary_hold"
    REFERRED = "referred"
    DECLINED_SERVICES = "declined_services"
    NO_PERSON_FOUND = "no_person_found"
    ESCALATED_TO_EMS = "escalated_to_ems"
    ESCALATED_TO_POLICE = "escalated_to_police"
    CARE_COURT_PETITION_RECOMMENDED = "care_court_petition_recommended"


class DestinationType(StrEnum):
    PSYCHIATRIC_URGENT_CARE = "psychiatric_urgent_care"
    SOBERING_CENTER = "sobering_center"
    CRISIS_RESIDENTIAL = "crisis_residential"
    EMERGENCY_DEPARTMENT = "emergency_department"
    OTHER = "other"


class HoldType(StrEnum):
    WIC_5150 = "5150"  # adults
    WIC_5585 = "5585"  # minors


def check_hold_age(hold: HoldType, age: int | None) -> None:
    """Raise InvalidInput when ``hold`` is the wrong kind for ``age``: a minor is held under
    WIC 5585, an adult under 5150. An unknown age has nothing to check."""
    if age is None:
        return
    if age < 18 and hold is HoldType.WIC_5150:
        raise InvalidInput("a minor is held under WIC 5585, not 5150")
    if age >= 18 and hold is HoldType.WIC_5585:
        raise InvalidInput("WIC 5585 is for minors; an adult is held under 5150")


class WriterKind(StrEnum):
    """Who may write a hold that our van carries out (WIC 5150(a): a peace officer, a
    designated member of a mobile crisis team, a professional person in charge of a facility
    or designated by the county)."""

    PMRT_CLINICIAN = "pmrt_clinician"
    POLICE_OFFICER = "police_officer"
    ED_PHYSICIAN = "ed_physician"
    OTHER_DESIGNATED = "other_designated"


@dataclass(frozen=True)
class HoldWriter:
    """The writer of a hold who is not on our roster: as written on the application."""

    agency: str
    name: str
    #: Badge or licence number.
    credential: str
    kind: WriterKind
    #: The county designation the writer holds, as stated (e.g. "LACDMH designated, PMRT").
    designation: str = ""

    def validate(self) -> None:
        for what, value in (("agency", self.agency), ("name", self.name), ("credential", self.credential)):
            if not value.strip():
                label = "badge or licence number (credential)" if what == "credential" else what
                raise InvalidInput(f"the hold's writer needs a {label}, as written on the application")

    def describe(self) -> str:
        return f"{self.name} ({self.kind.value.replace('_', ' ')}, {self.agency}, #{self.credential})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "name": self.name,
            "credential": self.credential,
            "kind": self.kind.value,
            "designation": self.designation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HoldWriter:
        return cls(
            agency=data["agency"],
            name=data["name"],
            credential=data["credential"],
            kind=WriterKind(data["kind"]),
            designation=data.get("designation", ""),
        )


class HoldCriterion(StrEnum):
    DANGER_TO_SELF = "danger_to_self"
    DANGER_TO_OTHERS = "danger_to_others"
    GRAVE_DISABILITY = "grave_disability"


@dataclass(frozen=True)
class NemsisDisposition:
    unit_disposition: str
    patient_evaluation_care: str | None
    transport_disposition: str | None
    reason_for_refusal_release: str | None

    def codes(self) -> tuple[str, ...]:
        return tuple(
            c
            for c in (
                self.unit_disposition,
                self.patient_evaluation_care,
                self.transport_disposition,
                self.reason_for_refusal_release,
            )
            if c is not None
        )


#: NEMSIS v3.5 mapping. "Treated and released on site" = 4227001 + 4228001 + 4230013 + 4231005
#: (Patient Contact Made, Evaluated and Care Provided, No Transport, Released Following
#: Protocol Guidelines).
NEMSIS: dict[Disposition, NemsisDisposition] = {
    Disposition.TREATED_AND_RELEASED: NemsisDisposition("4227001", "4228001", "4230013", "4231005"),
    # Transport by this unit (this crew only).
    Disposition.VOLUNTARY_TRANSPORT: NemsisDisposition("4227001", "4228001", "4230001", None),
    Disposition.INVOLUNTARY_HOLD: NemsisDisposition("4227001", "4228001", "4230001", None),
    # Support services provided, no transport, released per protocol with a referral.
    Disposition.REFERRED: NemsisDisposition("4227001", "4228009", "4230013", "4231005"),
    # Refused evaluation/care and transport; transport "not necessary" in the person's view.
    Disposition.DECLINED_SERVICES: NemsisDisposition("4227001", "4228007", "4230009", "4231003"),
    Disposition.NO_PERSON_FOUND: NemsisDisposition("4227009", None, None, None),
    # Handed to EMS: transported by another EMS unit/agency.
    Disposition.ESCALATED_TO_EMS: NemsisDisposition("4227001", "4228001", "4230005", None),
    Disposition.ESCALATED_TO_POLICE: NemsisDisposition("4227001", "4228001", "4230013", "4231007"),
    Disposition.CARE_COURT_PETITION_RECOMMENDED: NemsisDisposition("4227001", "4228009", "4230013", "4231005"),
}

#: A cancelled response: before arrival, or on scene.
NEMSIS_CANCELLED_PRIOR_TO_ARRIVAL = NemsisDisposition("4227005", None, None, None)
NEMSIS_CANCELLED_ON_SCENE = NemsisDisposition("4227003", None, None, None)


@dataclass(frozen=True)
class Destination:
    type: DestinationType
    name: str = ""
    facility_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type.value, "name": self.name, "facility_id": self.facility_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Destination:
        return cls(type=DestinationType(data["type"]), name=data.get("name", ""), facility_id=data.get("facility_id"))


@dataclass(frozen=True)
class Hold:
    """An involuntary hold. It lasts up to 72 hours from *first detention*, not from writing.

    Written either by a designated member of our crew (``placed_by``, a staff id) or by
    someone outside (``writer``: a police officer, an ED physician, another team) whose hold
    our van carries out; never both.
    """

    type: HoldType
    placed_by: str
    placed_at: datetime
    first_detained_at: datetime
    criteria: frozenset[HoldCriterion]
    #: WIC 5150(c): the evaluator considered whether the person can be served without detention.
    could_be_served_without_detention: bool
    facts: str = ""
    writer: HoldWriter | None = None

    @property
    def expires_at(self) -> datetime:
        # In UTC: 72 real hours, whatever daylight-saving change falls in between.
        return ensure_aware(self.first_detained_at) + HOLD_DURATION

    def remaining(self, now: datetime) -> timedelta:
        return max(self.expires_at - ensure_aware(now), timedelta(0))

    def validate(self, *, subject_age: int | None) -> None:
        if self.writer is not None and self.placed_by:
            raise InvalidInput("a hold is written either by our staff (placed_by) or by an external writer, not both")
        if self.writer is None and not self.placed_by:
            raise InvalidInput("a hold needs who wrote it: placed_by (our staff) or an external writer")
        if self.writer is not None:
            self.writer.validate()
        if not self.criteria:
            raise InvalidInput("a hold needs at least one criterion: danger to self, danger to others or grave disability")
        if self.could_be_served_without_detention:
            raise InvalidInput("a hold cannot be placed when the person could be served without detention (WIC 5150(c))")
        if ensure_aware(self.first_detained_at) > ensure_aware(self.placed_at):
            raise InvalidInput("first detention cannot be after the hold was placed")
        check_hold_age(self.type, subject_age)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type.value,
            "placed_by": self.placed_by,
            "placed_at": self.placed_at.isoformat(),
            "first_detained_at": self.first_detained_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "criteria": sorted(c.value for c in self.criteria),
            "could_be_served_without_detention": self.could_be_served_without_detention,
            "facts": self.facts,
        }
        # Our own crew's holds keep the record they always had: no "writer" key.
        if self.writer is not None:
            out["writer"] = self.writer.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hold:
        return cls(
            type=HoldType(data["type"]),
            placed_by=data.get("placed_by", ""),
            placed_at=datetime.fromisoformat(data["placed_at"]),
            first_detained_at=datetime.fromisoformat(data["first_detained_at"]),
            criteria=frozenset(HoldCriterion(c) for c in data["criteria"]),
            could_be_served_without_detention=bool(data["could_be_served_without_detention"]),
            facts=data.get("facts", ""),
            writer=HoldWriter.from_dict(data["writer"]) if data.get("writer") else None,
        )


TRANSPORTS = frozenset({Disposition.VOLUNTARY_TRANSPORT, Disposition.INVOLUNTARY_HOLD})


@dataclass(frozen=True)
class Outcome:
    disposition: Disposition
    recorded_at: datetime
    recorded_by: str
    destination: Destination | None = None
    hold: Hold | None = None
    subject_age: int | None = None
    referrals: tuple[str, ...] = field(default_factory=tuple)
    summary: str = ""
    #: Referred to CARE Court (a petition recommended), with any disposition: "an involuntary
    #: hold and a CARE referral" are both recorded. The older disposition value
    #: ``care_court_petition_recommended`` still means a referral (see :attr:`care_referred`).
    care_referral: bool = False

    def __post_init__(self) -> None:
        if self.disposition is Disposition.CARE_COURT_PETITION_RECOMMENDED:
            object.__setattr__(self, "care_referral", True)  # the older value is a referral

    @property
    def care_referred(self) -> bool:
        return self.care_referral

    @property
    def nemsis(self) -> NemsisDisposition:
        return NEMSIS[self.disposition]

    @property
    def ed_visit(self) -> bool:
        return self.destination is not None and self.destination.type is DestinationType.EMERGENCY_DEPARTMENT

    def validate(self, *, now: datetime) -> None:
        d = self.disposition
        if d in TRANSPORTS and self.destination is None:
            raise InvalidInput(f"outcome '{d.value}' needs a destination")
        if d not in TRANSPORTS and self.destination is not None:
            raise InvalidInput(f"outcome '{d.value}' has no destination (only transports do)")
        if d is Disposition.INVOLUNTARY_HOLD:
            if self.hold is None:
                raise InvalidInput("an involuntary hold needs its details: type, placed by, criteria, first detention")
            self.hold.validate(subject_age=self.subject_age)
            if ensure_aware(self.hold.placed_at) > now:
                raise InvalidInput("a hold cannot be placed in the future")
        elif self.hold is not None:
            raise InvalidInput(f"outcome '{d.value}' cannot carry hold details")

    def to_dict(self) -> dict[str, Any]:
        return {
            "disposition": self.disposition.value,
            "recorded_at": self.recorded_at.isoformat(),
            "recorded_by": self.recorded_by,
            "destination": self.destination.to_dict() if self.destination else None,
            "hold": self.hold.to_dict() if self.hold else None,
            "subject_age": self.subject_age,
            "referrals": list(self.referrals),
            "summary": self.summary,
            "care_referral": self.care_referred,
            "nemsis": list(self.nemsis.codes()),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            disposition=Disposition(data["disposition"]),
            recorded_at=datetime.fromisoformat(data["recorded_at"]),
            recorded_by=data["recorded_by"],
            destination=Destination.from_dict(data["destination"]) if data.get("destination") else None,
            hold=Hold.from_dict(data["hold"]) if data.get("hold") else None,
            subject_age=data.get("subject_age"),
            referrals=tuple(data.get("referrals", ())),
            summary=data.get("summary", ""),
            care_referral=bool(data.get("care_referral", False)),
        )
