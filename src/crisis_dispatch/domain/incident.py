"""Incidents: one or more calls about one person in crisis at one place.

The legal status changes are a table (:data:`ALLOWED`); every change returns a
:class:`~crisis_dispatch.domain.history.StatusChange` for the append-only history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .clock import ensure_aware
from .errors import IllegalTransition, InvalidInput, parse_enum
from .geo import LatLon, is_latlon
from .history import StatusChange, Subject
from .hold_transport import HoldTransport
from .limits import MAX_AGE, MIN_AGE, age_from_answer
from .outcomes import NEMSIS_CANCELLED_ON_SCENE, NEMSIS_CANCELLED_PRIOR_TO_ARRIVAL, TRANSPORTS, Hold, Outcome
from .phone_988 import Transfer988
from .triage.model import TriageResult


class IncidentStatus(StrEnum):
    RECEIVED = "received"
    TRIAGED = "triaged"
    QUEUED = "queued"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    TRANSPORTING = "transporting"
    AT_DESTINATION = "at_destination"
    CLOSED = "closed"
    CANCELLED = "cancelled"


S = IncidentStatus

#: Legal incident status changes. Anything else is an :class:`IllegalTransition`.
ALLOWED: dict[IncidentStatus, frozenset[IncidentStatus]] = {
    S.RECEIVED: frozenset({S.TRIAGED, S.CANCELLED}),
    # A triaged call either waits for a van, gets one, or is closed without a team
    # (screened out to police/EMS/988): that reason is on the triage record.
    S.TRIAGED: frozenset({S.QUEUED, S.DISPATCHED, S.CLOSED, S.CANCELLED}),
    S.QUEUED: frozenset({S.DISPATCHED, S.CLOSED, S.CANCELLED}),
    # A dispatched or en-route van can be recalled: the incident goes back to the queue.
    S.DISPATCHED: frozenset({S.EN_ROUTE, S.ON_SCENE, S.QUEUED, S.CANCELLED}),
    S.EN_ROUTE: frozenset({S.ON_SCENE, S.QUEUED, S.CANCELLED}),
    S.ON_SCENE: frozenset({S.TRANSPORTING, S.CLOSED}),
    S.TRANSPORTING: frozenset({S.AT_DESTINATION}),
    S.AT_DESTINATION: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

TERMINAL = frozenset(s for s, nxt in ALLOWED.items() if not nxt)
#: Statuses in which a unit is committed to the incident.
UNIT_COMMITTED = frozenset({S.DISPATCHED, S.EN_ROUTE, S.ON_SCENE, S.TRANSPORTING, S.AT_DESTINATION})
#: Statuses from which a unit may be assigned.
ASSIGNABLE = frozenset({S.TRIAGED, S.QUEUED})

#: Which timestamp field records the first entry into each status.
PHASE_FIELD: dict[IncidentStatus, str] = {s: f"{s.value}_at" for s in IncidentStatus}


@dataclass(frozen=True)
class Location:
    """Where the person is. Without coordinates (``lat`` and ``lon`` both None) it is a
    place still to confirm: a civic address a CAD sent that we could not place. Such an
    incident may wait in the queue, but no van is recommended for it until a dispatcher
    places it (:meth:`Incident.move_to`)."""

    lat: float | None
    lon: float | None
    address: str = ""

    def __post_init__(self) -> None:
        if self.lat is None or self.lon is None:
            if self.lat is not None or self.lon is not None:
                raise InvalidInput("a location needs both latitude and longitude, or neither (location to confirm)")
            if not self.address.strip():
                raise InvalidInput("a location without coordinates needs an address")
            return
        if not is_latlon(self.lat, self.lon):
            raise InvalidInput(f"location ({self.lat}, {self.lon}) is not a valid latitude/longitude")

    @property
    def placed(self) -> bool:
        """True when the location has coordinates (False: "location to confirm")."""
        return self.lat is not None and self.lon is not None

    def point(self) -> LatLon | None:
        """(lat, lon), or None for a location still to confirm."""
        if self.lat is None or self.lon is None:
            return None
        return LatLon(self.lat, self.lon)

    def describe(self) -> str:
        if self.lat is None or self.lon is None:
            return f"{self.address} (location to confirm)"
        where = f"({self.lat:.5f}, {self.lon:.5f})"
        return f"{self.address} {where}" if self.address else where

    def to_dict(self) -> dict[str, Any]:
        return {"lat": self.lat, "lon": self.lon, "address": self.address}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        lat, lon = data.get("lat"), data.get("lon")
        return cls(
            lat=None if lat is None else float(lat),
            lon=None if lon is None else float(lon),
            address=str(data.get("address", "")),
        )


@dataclass(eq=False)
class Call:
    """One 911 call. Several calls about the same crisis attach to one incident."""

    id: str
    incident_id: str
    received_at: datetime
    call_type: str = ""
    code: str | None = None
    narrative: str = ""
    caller_phone: str = ""
    caller_name: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None


@dataclass(eq=False)
class Note:
    """A free-text note by a crew member or dispatcher (clinical: never shown to police roles)."""

    id: str
    incident_id: str
    at: datetime
    by: str
    text: str


@dataclass(eq=False)
class Incident:
    id: str
    location: Location
    received_at: datetime
    status: IncidentStatus = IncidentStatus.RECEIVED
    #: Placeholders until triage decides; lower priority number = more urgent.
    tier: str | None = None
    priority: int | None = None
    determinant: str | None = None
    #: The whole triage decision (flags, evidence, reasons, protocol version) as recorded.
    triage: TriageResult | None = None
    #: Why a call was kept from the crisis team: "not_triaged" or an ineligibility reason.
    screened_out_reason: str | None = None
    #: Who answered the safety questions that confirmed a text-only decision, and when (issue 10).
    triage_confirmed_by: str | None = None
    triage_confirmed_at: datetime | None = None
    subject_description: str = ""
    subject_age: int | None = None
    unit_id: str | None = None
    outcome: Outcome | None = None
    #: A transport of a person on a hold written by someone else (None for a 911 call).
    hold_transport: HoldTransport | None = None
    #: A call served by the 988 line: the transfer and its result (None otherwise).
    phone_988: Transfer988 | None = None
    #: The 988 incident this one was handed back from (a team requested in person).
    handed_back_from: str | None = None
    seq: int | None = None
    version: int = 0
    #: When the status last changed: no later change may be dated before it.
    last_change_at: datetime | None = None
    triaged_at: datetime | None = None
    queued_at: datetime | None = None
    dispatched_at: datetime | None = None
    en_route_at: datetime | None = None
    on_scene_at: datetime | None = None
    transporting_at: datetime | None = None
    at_destination_at: datetime | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    calls: list[Call] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A naive time is refused here, not at the first change: nothing is created undated.
        self.received_at = ensure_aware(self.received_at)

    @property
    def nemsis(self) -> tuple[str, ...]:
        """NEMSIS v3.5 eDisposition codes: the outcome's, or a cancellation's (before/after arrival)."""
        if self.outcome is not None:
            return self.outcome.nemsis.codes()
        if self.status is S.CANCELLED and self.unit_id is None and self.dispatched_at is not None:
            arrived = self.on_scene_at is not None
            return (NEMSIS_CANCELLED_ON_SCENE if arrived else NEMSIS_CANCELLED_PRIOR_TO_ARRIVAL).codes()
        return ()

    @property
    def known_age(self) -> int | None:
        """The person's age: as recorded at intake, else the latest age the call-taker was
        told in a call's answers (``age``), when it reads as one (0-120)."""
        if self.subject_age is not None:
            return self.subject_age
        for call in reversed(self.calls):
            age = age_from_answer(call.answers.get("age"))
            if age is not None and MIN_AGE <= age <= MAX_AGE:
                return age
        return None

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL

    def can_go(self, to: IncidentStatus) -> bool:
        return to in ALLOWED[self.status]

    def transition(self, to: IncidentStatus | str, *, now: datetime, by: str, reason: str = "") -> StatusChange:
        """Move to ``to`` if the table allows it; record the first time each phase is reached."""
        to = parse_enum(IncidentStatus, to, "incident status")
        now = self._check_time(now)
        if not self.can_go(to):
            raise IllegalTransition("incident", self.id, self.status.value, to.value)
        if to is S.CLOSED and self.status in (S.ON_SCENE, S.AT_DESTINATION):
            self._check_outcome_fits_path()
        self._check_hold_transport(to, now)
        change = StatusChange(
            subject=Subject.INCIDENT,
            subject_id=self.id,
            from_status=self.status.value,
            to_status=to.value,
            at=now,
            by=by,
            reason=reason,
            incident_id=self.id,
            unit_id=self.unit_id,
        )
        self.status = to
        self.last_change_at = now
        attr = PHASE_FIELD[to]
        if getattr(self, attr) is None:
            setattr(self, attr, now)
        if to in (S.QUEUED, S.CANCELLED):
            # The van is released when the incident goes back to the queue or is cancelled;
            # a closed incident keeps the unit that worked it.
            self.unit_id = None
        return change

    def _check_hold_transport(self, to: IncidentStatus, now: datetime) -> None:
        """A hold transport leaves only on a verified, running hold, and closes at the
        destination only once the person was handed over."""
        transport = self.hold_transport
        if transport is None:
            return
        if to is S.TRANSPORTING and (problem := transport.start_problem(now)) is not None:
            raise IllegalTransition("incident", self.id, self.status.value, problem)
        if to is S.CLOSED and self.status is S.AT_DESTINATION and transport.handover is None:
            raise IllegalTransition(
                "incident", self.id, self.status.value, "closed (record the handover at the destination first)"
            )

    def _check_time(self, now: datetime) -> datetime:
        """History never goes backwards: a change cannot predate the last one."""
        now = ensure_aware(now)
        # last_change_at is set by every transition, so it is the latest stamp once there is one.
        latest = ensure_aware(self.last_change_at or self.received_at)
        if now < latest:
            raise InvalidInput(
                f"incident {self.id}: a change at {now.isoformat()} would predate the last one at {latest.isoformat()}"
            )
        return now

    def assign(self, unit_id: str, *, now: datetime, by: str, reason: str = "") -> StatusChange:
        """Give the incident a van: it must be waiting for one (triaged or queued)."""
        if self.status not in ASSIGNABLE:
            raise IllegalTransition("incident", self.id, self.status.value, S.DISPATCHED.value)
        self._check_time(now)
        self.unit_id = unit_id
        # transition() records self.unit_id on the history row: the van just given.
        return self.transition(S.DISPATCHED, now=now, by=by, reason=reason or f"unit {unit_id} assigned")

    def apply_triage(self, result: TriageResult, *, now: datetime, by: str) -> StatusChange:
        """Record a triage decision and move to ``triaged``."""
        if not self.can_go(S.TRIAGED):
            raise IllegalTransition("incident", self.id, self.status.value, S.TRIAGED.value)
        self._check_time(now)
        self._take_triage(result)
        return self.transition(S.TRIAGED, now=now, by=by, reason=f"triage: {self.tier}")

    def _take_triage(self, result: TriageResult) -> None:
        """Keep the decision whole and the fields the queue and the views read from it."""
        self.triage = result
        self.tier = result.tier.value
        self.priority = result.priority
        self.determinant = result.determinant
        self.screened_out_reason = result.screened_out

    def event(self, kind: str, *, now: datetime, by: str, reason: str) -> StatusChange:
        """A history row that is not a change of status (from == to): an escalation, a
        recorded outcome, a re-triage. ``kind`` names it (see ``history.StatusChange.event``)."""
        return StatusChange(
            subject=Subject.INCIDENT,
            subject_id=self.id,
            from_status=self.status.value,
            to_status=self.status.value,
            at=ensure_aware(now),
            by=by,
            reason=reason,
            incident_id=self.id,
            unit_id=self.unit_id,
            event=kind,
        )

    @property
    def location_to_confirm(self) -> bool:
        """No coordinates yet: no van is recommended until a dispatcher places it."""
        return not self.location.placed

    def move_to(self, location: Location, *, now: datetime, by: str, reason: str) -> StatusChange:
        """Place, confirm or move the incident (history event ``location``). A closed or
        cancelled incident keeps where it was."""
        if not self.is_open:
            raise IllegalTransition("incident", self.id, self.status.value, "location change")
        before = self.location
        self.location = location
        said = f"{before.describe()} -> {location.describe()}"
        return self.event("location", now=now, by=by, reason=f"{reason}: {said}" if reason else said)

    def update_triage(
        self, result: TriageResult, *, now: datetime, by: str, reason: str, event: str = "retriage"
    ) -> StatusChange:
        """A later call changed the picture: record the new decision without a status change.

        The history row (``event="retriage"`` unless told) keeps the old and new tier in its reason.
        """
        if not self.is_open or self.triage is None:
            raise IllegalTransition("incident", self.id, self.status.value, "re-triaged (only open, triaged incidents)")
        now = self._check_time(now)
        before = self.tier
        self._take_triage(result)
        self.last_change_at = now
        return self.event(event, now=now, by=by, reason=f"{reason}: tier {before} -> {self.tier}")

    def confirm_triage(self, result: TriageResult, *, now: datetime, by: str, reason: str) -> StatusChange:
        """The call-taker answered the safety questions (issue 10): keep the decision they led
        to, and who gave them and when (history event ``triage_confirmed``)."""
        change = self.update_triage(result, now=now, by=by, reason=reason, event="triage_confirmed")
        self.triage_confirmed_by = by
        self.triage_confirmed_at = change.at
        return change

    def record_outcome(self, outcome: Outcome, *, now: datetime) -> None:
        if self.status not in (S.ON_SCENE, S.TRANSPORTING, S.AT_DESTINATION):
            raise IllegalTransition("incident", self.id, self.status.value, "outcome recorded (only on scene or later)")
        outcome.validate(now=ensure_aware(now))
        if outcome.hold is not None:
            self._check_hold_times(outcome.hold, ensure_aware(now))
        if self.status in (S.TRANSPORTING, S.AT_DESTINATION) and outcome.disposition not in TRANSPORTS:
            raise InvalidInput(
                f"incident {self.id} was transported: its outcome must be a transport, not '{outcome.disposition.value}'"
            )
        self.outcome = outcome

    def _check_hold_times(self, hold: Hold, now: datetime) -> None:
        """A hold of this incident's person began after the call (no detention before it) and
        is recorded while it lasts (72 h from first detention, WIC 5150). A hold written by
        someone else (a hold transport) was written before we were asked: only its 72 h count."""
        received = ensure_aware(self.received_at)
        checked = () if hold.writer is not None else (("first detained", hold.first_detained_at), ("placed", hold.placed_at))
        for what, at in checked:
            if ensure_aware(at) < received:
                raise InvalidInput(
                    f"a hold cannot be {what} ({ensure_aware(at).isoformat()}) before the call was received "
                    f"({received.isoformat()})"
                )
        if now > hold.expires_at:
            raise InvalidInput(
                f"the hold expired at {hold.expires_at.isoformat()} (72 h from first detention at "
                f"{ensure_aware(hold.first_detained_at).isoformat()}): an expired hold cannot be recorded"
            )

    def _check_outcome_fits_path(self) -> None:
        """Closing needs an outcome, and it must say whether the team transported."""
        if self.outcome is None:
            raise IllegalTransition("incident", self.id, self.status.value, "closed (record an outcome first)")
        transported = self.status is S.AT_DESTINATION
        if transported != (self.outcome.disposition in TRANSPORTS):
            what = "a transport" if transported else f"'{self.outcome.disposition.value}' (no transport was made)"
            raise IllegalTransition(
                "incident",
                self.id,
                self.status.value,
                f"closed: the outcome must be {what}"
                if transported
                else f"closed with outcome {what}; move to transporting first or correct the outcome",
            )
