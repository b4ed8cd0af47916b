"""Transport of a person already on a hold written by someone else (WIC 5150 adults, 5585 minors).

A PMRT clinician, a police officer or an emergency-department physician wrote the hold; our
van moves the person to a designated (LPS) facility instead of an ambulance or a police car.
The software checks only what is written here: a named writer, a hold of the right kind for the
age, the 72 hours from *first detention* (WIC 5150(a)), a destination that accepts holds, the
crew's check of the written application at pickup and the handover. Whether the hold is lawful
is for the writer and the receiving facility, never for this code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .clock import ensure_aware
from .errors import InvalidInput
from .outcomes import (
    HOLD_DURATION,
    Destination,
    Disposition,
    Hold,
    HoldCriterion,
    HoldType,
    HoldWriter,
    Outcome,
    check_hold_age,
)
from .triage.model import TriageResult
from .triage.tier import Tier

#: The facility capability that makes it a destination for a hold (data/la/facilities.csv).
ACCEPTS_HOLDS = "accepts_5150_holds"
#: The triage record of a hold transport: it is no 911 call, so the protocol does not read it;
#: it goes to the crisis team at the priority of a calm team call (3), and the queue orders it
#: by that and by when it was requested, like any team incident.
DETERMINANT = "HOLD-TRANSPORT"
PRIORITY = 3
PROTOCOL = "hold-transport-1"


class PickupKind(StrEnum):
    """Where the person on the hold is waiting."""

    EMERGENCY_DEPARTMENT = "emergency_department"
    POLICE_STATION = "police_station"
    STREET = "street"
    OTHER = "other"


#: Places the crew must find by name (an ED, a station); on the street the address is enough.
NAMED_PLACES = frozenset({PickupKind.EMERGENCY_DEPARTMENT, PickupKind.POLICE_STATION})


@dataclass(frozen=True)
class PickupVerification:
    """What the crew checked on the written application before the person got in the van."""

    application_seen: bool
    application_signed: bool
    person_matches: bool
    verified_by: str
    verified_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "application_seen": self.application_seen,
            "application_signed": self.application_signed,
            "person_matches": self.person_matches,
            "verified_by": self.verified_by,
            "verified_at": self.verified_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PickupVerification:
        return cls(
            application_seen=bool(data["application_seen"]),
            application_signed=bool(data["application_signed"]),
            person_matches=bool(data["person_matches"]),
            verified_by=data["verified_by"],
            verified_at=datetime.fromisoformat(data["verified_at"]),
        )


@dataclass(frozen=True)
class Handover:
    """Who at the destination took the person and the application, and when."""

    received_by: str
    at: datetime
    recorded_by: str

    def to_dict(self) -> dict[str, Any]:
        return {"received_by": self.received_by, "at": self.at.isoformat(), "recorded_by": self.recorded_by}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Handover:
        return cls(received_by=data["received_by"], at=datetime.fromisoformat(data["at"]), recorded_by=data["recorded_by"])


@dataclass(frozen=True)
class HoldTransport:
    """A request to move a person on someone else's hold, and what the crew recorded on it."""

    hold_type: HoldType
    writer: HoldWriter
    #: The 72 hours run from here (WIC 5150(a)), not from the writing or the request.
    first_detained_at: datetime
    written_at: datetime
    #: The grounds stated on the application.
    criteria: frozenset[HoldCriterion]
    pickup_kind: PickupKind
    pickup_name: str
    destination: Destination
    requested_at: datetime
    subject_age: int | None = None
    facts: str = ""
    verification: PickupVerification | None = None
    handover: Handover | None = None

    @property
    def expires_at(self) -> datetime:
        return ensure_aware(self.first_detained_at) + HOLD_DURATION

    def remaining(self, now: datetime) -> timedelta:
        return max(self.expires_at - ensure_aware(now), timedelta(0))

    def expired(self, now: datetime) -> bool:
        return ensure_aware(now) >= self.expires_at

    def _check_not_expired(self, now: datetime, doing: str) -> None:
        if self.expired(now):
            raise InvalidInput(
                f"the hold expired at {self.expires_at.isoformat()} (72 h from first detention at "
                f"{ensure_aware(self.first_detained_at).isoformat()}): {doing}"
            )

    def validate(self, *, now: datetime) -> None:
        """The request as the dispatcher sends it: refused when incomplete or already expired."""
        self.writer.validate()
        if not self.criteria:
            raise InvalidInput("a hold states at least one criterion: danger to self, danger to others or grave disability")
        detained, written = ensure_aware(self.first_detained_at), ensure_aware(self.written_at)
        if written < detained:
            raise InvalidInput("the application cannot be written before the first detention")
        if written > ensure_aware(now):
            raise InvalidInput("the application cannot be written in the future")
        self._check_not_expired(now, "a transport cannot be requested on an expired hold")
        check_hold_age(self.hold_type, self.subject_age)
        if self.pickup_kind in NAMED_PLACES and not self.pickup_name.strip():
            raise InvalidInput(f"a pickup at a {self.pickup_kind.value.replace('_', ' ')} needs its name")
        if not self.destination.facility_id:
            raise InvalidInput("the destination must be a designated facility, named by its id (see GET /api/v1/facilities)")

    def verify(
        self, *, application_seen: bool, application_signed: bool, person_matches: bool, by: str, now: datetime
    ) -> HoldTransport:
        """The crew's check at pickup: every item of the checklist, on a hold still running."""
        missing = [
            what
            for what, ok in (
                ("application seen", application_seen),
                ("application signed", application_signed),
                ("person matches", person_matches),
            )
            if not ok
        ]
        if missing:
            raise InvalidInput(
                "the transport cannot start until the written application is verified; not confirmed: " + ", ".join(missing)
            )
        self._check_not_expired(now, "do not transport; call the writer or the dispatcher")
        check = PickupVerification(True, True, True, verified_by=by, verified_at=ensure_aware(now))
        return replace(self, verification=check)

    def start_problem(self, now: datetime) -> str | None:
        """Why the van may not leave with the person now (None when it may)."""
        if self.verification is None:
            return "transporting (verify the written hold application at pickup first)"
        if self.expired(now):
            return f"transporting (the hold expired at {self.expires_at.isoformat()})"
        return None

    def hand_over(self, *, received_by: str, by: str, now: datetime) -> HoldTransport:
        if self.verification is None:
            raise InvalidInput("no handover before the written application was verified at pickup")
        if not received_by.strip():
            raise InvalidInput("the handover needs the name of the person who received the patient and the application")
        return replace(self, handover=Handover(received_by=received_by.strip(), at=ensure_aware(now), recorded_by=by))

    def hold(self) -> Hold:
        """The external writer's hold, as it goes on the outcome."""
        return Hold(
            type=self.hold_type,
            placed_by="",
            placed_at=self.written_at,
            first_detained_at=self.first_detained_at,
            criteria=self.criteria,
            # The writer's evaluation (WIC 5150(c)), not ours: the application was written.
            could_be_served_without_detention=False,
            facts=self.facts,
            writer=self.writer,
        )

    def outcome(self, *, recorded_by: str, now: datetime) -> Outcome:
        return Outcome(
            disposition=Disposition.INVOLUNTARY_HOLD,
            recorded_at=ensure_aware(now),
            recorded_by=recorded_by,
            destination=self.destination,
            hold=self.hold(),
            subject_age=self.subject_age,
            summary=f"hold transport: WIC {self.hold_type.value} written by {self.writer.describe()}",
        )

    def triage_decision(self, incident_id: str) -> TriageResult:
        """The decision recorded on the incident: the crisis team, no protocol reading."""
        return TriageResult(
            call_id=incident_id,
            tier=Tier.MH_TEAM,
            priority=PRIORITY,
            determinant=DETERMINANT,
            flags=(),
            reasons=(f"transport on a WIC {self.hold_type.value} hold written by {self.writer.describe()}",),
            rules_fired=("hold-transport",),
            protocol_version=PROTOCOL,
            screened_out=None,
            # The hold is written: the van needs no crew member who may write one.
            hold_possible=False,
            confirmed=True,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "hold_type": self.hold_type.value,
            "writer": self.writer.to_dict(),
            "first_detained_at": self.first_detained_at.isoformat(),
            "written_at": self.written_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "criteria": sorted(c.value for c in self.criteria),
            "pickup_kind": self.pickup_kind.value,
            "pickup_name": self.pickup_name,
            "destination": self.destination.to_dict(),
            "requested_at": self.requested_at.isoformat(),
            "subject_age": self.subject_age,
            "facts": self.facts,
            "verification": self.verification.to_dict() if self.verification else None,
            "handover": self.handover.to_dict() if self.handover else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HoldTransport:
        return cls(
            hold_type=HoldType(data["hold_type"]),
            writer=HoldWriter.from_dict(data["writer"]),
            first_detained_at=datetime.fromisoformat(data["first_detained_at"]),
            written_at=datetime.fromisoformat(data["written_at"]),
            criteria=frozenset(HoldCriterion(c) for c in data["criteria"]),
            pickup_kind=PickupKind(data["pickup_kind"]),
            pickup_name=data.get("pickup_name", ""),
            destination=Destination.from_dict(data["destination"]),
            requested_at=datetime.fromisoformat(data["requested_at"]),
            subject_age=data.get("subject_age"),
            facts=data.get("facts", ""),
            verification=PickupVerification.from_dict(data["verification"]) if data.get("verification") else None,
            handover=Handover.from_dict(data["handover"]) if data.get("handover") else None,
        )
