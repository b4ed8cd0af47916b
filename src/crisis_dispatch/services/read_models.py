"""What each role sees: typed read models, one explicit allow-list per role (DOMAIN.md §5).

An incident is never redacted from a full record: it is *projected* onto the model of the
reader's role (:func:`project_incident`), which copies the fields that model declares and
nothing else (``extra="ignore"`` on input). A field added to the incident later reaches no
role until it is written into that role's model. The API declares these models as its
``response_model``s, so OpenAPI documents every answer; each carries ``view`` naming it.

| model | roles |
|---|---|
| :class:`OperationsIncident` | call-taker, dispatcher, supervisor, admin, crew (their own van's) |
| :class:`PoliceIncident` | police liaison (only incidents with police in the response, or disclosed) |
| :class:`CourtIncident` | court liaison (only CARE Court referrals) |
| :class:`AnalystIncident` | analyst (de-identified) |
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from crisis_dispatch.domain.access import POLICE_VISIBLE_FLAGS, UserRole

R = UserRole


class ReadModel(BaseModel):
    """Built from a larger record: what is not declared is dropped, never passed on."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# ----------------------------------------------------------------------------- pieces
class Place(ReadModel):
    """Where the incident is; no coordinates while its location is to confirm (a CAD sent an
    address we could not place)."""

    lat: float | None
    lon: float | None
    address: str


class Area(ReadModel):
    """A location rounded to 0.01 degree (about 1 km): enough for maps of demand, not to find a home."""

    lat: float
    lon: float


class Timestamps(ReadModel):
    received_at: str | None = None
    triaged_at: str | None = None
    queued_at: str | None = None
    dispatched_at: str | None = None
    en_route_at: str | None = None
    on_scene_at: str | None = None
    transporting_at: str | None = None
    at_destination_at: str | None = None
    closed_at: str | None = None
    cancelled_at: str | None = None


class Clock(ReadModel):
    started_at: str
    deadline: str
    budget_minutes: float
    elapsed_minutes: float
    remaining_minutes: float
    state: str
    rural: bool


class FlagName(ReadModel):
    """A triage flag by name only: its evidence quotes what the caller said."""

    name: str


class Flag(FlagName):
    evidence: str = ""
    source: str = ""
    start: int | None = None
    end: int | None = None


class TriageSummary(ReadModel):
    """A decision without its reasons and evidence (they quote the call) or who confirmed it."""

    tier: str | None = None
    priority: int | None = None
    determinant: str | None = None
    flags: list[FlagName] = []
    rules_fired: list[str] = []
    protocol_version: str | None = None
    screened_out: str | None = None
    hold_possible: bool = False
    confirmed: bool = True


class TriageRecord(TriageSummary):
    """The whole recorded decision, with who confirmed it and when."""

    id: str | None = None
    flags: list[Flag] = []  # type: ignore[assignment]
    reasons: list[str] = []
    confirmed_by: str | None = None
    confirmed_at: str | None = None


class Destination(ReadModel):
    type: str
    name: str = ""
    facility_id: str | None = None


class HoldWriter(ReadModel):
    """Who wrote a hold outside our crew (a police officer, an ED physician, a PMRT clinician)."""

    agency: str
    name: str
    credential: str
    kind: str
    designation: str = ""


class Hold(ReadModel):
    type: str
    #: Our designated crew member (staff id), or None when ``writer`` wrote it.
    placed_by: str | None = None
    writer: HoldWriter | None = None
    placed_at: str
    first_detained_at: str
    expires_at: str
    criteria: list[str]
    could_be_served_without_detention: bool
    facts: str = ""


class Exact(BaseModel):
    """A piece copied whole from a domain object's ``to_dict``: a key it gains and the model
    lacks fails loudly (tests) instead of being dropped, since the console reads these pieces."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PickupVerification(Exact):
    application_seen: bool
    application_signed: bool
    person_matches: bool
    verified_by: str
    verified_at: str


class Handover(Exact):
    received_by: str
    at: str
    recorded_by: str


class HoldTransportRecord(Exact):
    """A transport of a person on a hold written by others: the request, the crew's pickup
    verification, the handover, and the minutes left on the hold."""

    hold_type: str
    writer: HoldWriter
    first_detained_at: str
    written_at: str
    expires_at: str
    criteria: list[str]
    pickup_kind: str
    pickup_name: str
    destination: Destination
    requested_at: str
    subject_age: int | None = None
    facts: str = ""
    verification: PickupVerification | None = None
    handover: Handover | None = None
    minutes_left: int
    expired: bool
    verified: bool


class Transfer988(Exact):
    """A call sent to the 988 line: the transfer, its result, the incident it was handed back as."""

    centre: str
    reference: str
    transferred_at: str
    transferred_by: str
    result: str | None = None
    result_at: str | None = None
    result_by: str = ""
    result_note: str = ""
    handed_back_to: str | None = None


class OutcomeSummary(ReadModel):
    disposition: str
    destination: Destination | None = None
    nemsis: list[str] = []
    #: Referred to CARE Court, with whatever disposition (a hold and a CARE referral together).
    care_referral: bool = False


class OutcomeRecord(OutcomeSummary):
    recorded_at: str
    recorded_by: str
    hold: Hold | None = None
    subject_age: int | None = None
    referrals: list[str] = []
    summary: str = ""


class CallSummary(ReadModel):
    """A call without what was said or who said it."""

    id: str
    received_at: str | None = None
    call_type: str = ""
    code: str | None = None


class CallRecord(CallSummary):
    narrative: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    answers: dict[str, Any] = {}


class NoteRecord(ReadModel):
    id: str
    at: str | None = None
    by: str
    text: str


class Change(ReadModel):
    """A status change without who made it or why (the reason can quote the call)."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    subject: str
    subject_id: str
    from_: str | None = Field(default=None, alias="from")
    to: str
    at: str | None = None
    event: str = "status"
    incident_id: str | None = None
    unit_id: str | None = None


class HistoryRow(Change):
    by: str
    reason: str = ""


# ----------------------------------------------------------------------------- incidents
class IncidentCore(ReadModel):
    """What every role that sees an incident sees of it: which one, where it stands, which
    response, which van, when."""

    id: str
    status: str
    tier: str | None = None
    priority: int | None = None
    unit_id: str | None = None
    timestamps: Timestamps
    #: The location came as an address we could not place: a dispatcher must confirm it.
    location_to_confirm: bool = False


class PlacedIncident(IncidentCore):
    """With the exact place (not for analysts)."""

    location: Place
    address: str


class OperationsIncident(PlacedIncident):
    """Everything about the incident: for those who take, send and work the call."""

    view: Literal["operations"] = "operations"
    seq: int | None = None
    determinant: str | None = None
    triage: TriageRecord | None = None
    screened_out_reason: str | None = None
    subject_description: str = ""
    subject_age: int | None = None
    outcome: OutcomeRecord | None = None
    nemsis: list[str] = []
    version: int
    calls: list[CallRecord] = []
    notes: list[NoteRecord] = []
    clock: Clock | None = None
    outside_service_area: bool = False
    #: The status history (reading one incident only).
    history: list[HistoryRow] | None = None
    #: A transport of a person on a hold written by others (docs/after-the-call.md): the
    #: request, the pickup verification, the handover, the minutes left. Clinical: operations only.
    hold_transport: HoldTransportRecord | None = None
    #: A call sent to the 988 line: the transfer, its result, and the incident it was handed back as.
    phone_988: Transfer988 | None = None
    #: The 988 transfer this incident was handed back from.
    handed_back_from: str | None = None
    #: The person the incident is linked to (the person index, docs/after-the-call.md), when
    #: reading incidents (GET /incidents, /incidents/{id}). Clinical: operations only.
    person_id: str | None = None


class PoliceIncident(PlacedIncident):
    """Where to go, what danger to expect, which van is there: no narrative, no clinical data,
    no description of the person, safety flags by name only."""

    view: Literal["police"] = "police"
    safety_flags: list[FlagName] = []


class CourtIncident(PlacedIncident):
    """A CARE Court referral: the person and the outcome, not what the caller said or who called."""

    view: Literal["court"] = "court"
    triage: TriageSummary | None = None
    subject_description: str = ""
    subject_age: int | None = None
    outcome: OutcomeRecord | None = None
    nemsis: list[str] = []
    calls: list[CallSummary] = []


class AnalystIncident(IncidentCore):
    """De-identified: no person, no words of the call, no address, a location of about 1 km,
    no staff names."""

    view: Literal["analyst"] = "analyst"
    area: Area | None
    determinant: str | None = None
    triage: TriageSummary | None = None
    screened_out_reason: str | None = None
    outcome: OutcomeSummary | None = None
    nemsis: list[str] = []
    clock: Clock | None = None
    outside_service_area: bool = False


IncidentReadModel = OperationsIncident | PoliceIncident | CourtIncident | AnalystIncident
#: The API's response model for anything that answers with an incident.
IncidentView = Annotated[IncidentReadModel, Field(discriminator="view")]

INCIDENT_MODEL: Mapping[UserRole, type[IncidentReadModel]] = {
    R.CALL_TAKER: OperationsIncident,
    R.DISPATCHER: OperationsIncident,
    R.SUPERVISOR: OperationsIncident,
    R.ADMIN: OperationsIncident,
    R.CREW: OperationsIncident,
    R.POLICE_LIAISON: PoliceIncident,
    # The 911 CAD's integration account sees what a police liaison sees (it forwards to police).
    R.CAD: PoliceIncident,
    R.COURT_LIAISON: CourtIncident,
    R.ANALYST: AnalystIncident,
}


def project_incident(record: Mapping[str, Any], role: UserRole | str) -> dict[str, Any]:
    """The incident as ``role`` may see it (JSON-ready), from the full record
    (``views.incident_view`` with its clock and, for one incident, its history).

    Only the fields of the role's model are copied; the few derived ones are computed here:
    the police's safety flags (the police-relevant flags, by name), the analyst's area.
    """
    model = INCIDENT_MODEL[UserRole(role)]
    source = dict(record)
    if model is PoliceIncident:
        flags = (record.get("triage") or {}).get("flags", [])
        source["safety_flags"] = [{"name": f["name"]} for f in flags if f.get("name") in POLICE_VISIBLE_FLAGS]
    elif model is AnalystIncident:
        exact = record.get("location") or {}
        placed = exact.get("lat") is not None and exact.get("lon") is not None  # not a location to confirm
        source["area"] = {"lat": round(exact["lat"], 2), "lon": round(exact["lon"], 2)} if placed else None
    return model.model_validate(source).model_dump(mode="json", by_alias=True)


# ----------------------------------------------------------------------------- units
class CrewMember(ReadModel):
    staff_id: str
    name: str
    qualifications: list[str]


class Position(ReadModel):
    lat: float
    lon: float


class UnitCore(ReadModel):
    """A van as everyone who sees vans sees it: where it is based and whether it is busy."""

    id: str
    call_sign: str
    station_id: str
    capabilities: list[str]
    status: str
    status_since: str | None = None
    dispatchable: bool


class UnitOffer(Exact):
    """The first waiting incident a van that clears can take, in queue order."""

    incident_id: str
    tier: str | None = None
    priority: int | None = None
    #: The queue's sort key (priority, received, sequence), as text.
    queue_key: list[str]


class OperationsUnit(UnitCore):
    """A van with its crew, position and incident."""

    view: Literal["operations"] = "operations"
    incident_id: str | None = None
    position: Position | None = None
    crew: dict[str, CrewMember] = {}
    not_dispatchable_because: list[str] = []
    version: int
    #: When a van clears: the first waiting incident it can take (dispatchers confirm).
    offer: UnitOffer | None = None


class BoardUnit(UnitCore):
    """A van as police liaisons and analysts see it: no crew, no live position, no incident
    (they would show where a crisis is)."""

    view: Literal["board"] = "board"


UnitView = Annotated[OperationsUnit | BoardUnit, Field(discriminator="view")]
#: Roles that see vans as :class:`BoardUnit`.
BOARD_UNIT_ROLES = frozenset({R.POLICE_LIAISON, R.ANALYST})


def project_unit(record: Mapping[str, Any], role: UserRole | str) -> dict[str, Any]:
    model: type[ReadModel] = BoardUnit if UserRole(role) in BOARD_UNIT_ROLES else OperationsUnit
    return model.model_validate(record).model_dump(mode="json")


# ----------------------------------------------------------------------------- live feed
class FeedStatusEvent(HistoryRow):
    """One status change on the live feed, for those who run the calls (crew: their van's)."""

    id: int


class BoardStatusEvent(Change):
    """One status change on the live feed of police liaisons and analysts: no author, no reason."""

    id: int


FEED_MODEL: Mapping[UserRole, type[ReadModel] | None] = {
    R.CALL_TAKER: FeedStatusEvent,
    R.DISPATCHER: FeedStatusEvent,
    R.SUPERVISOR: FeedStatusEvent,
    R.ADMIN: FeedStatusEvent,
    R.CREW: FeedStatusEvent,
    R.POLICE_LIAISON: BoardStatusEvent,
    R.ANALYST: BoardStatusEvent,
    # Court liaisons see CARE Court referrals only, which the feed cannot tell apart.
    R.COURT_LIAISON: None,
}


def project_feed_event(record: Mapping[str, Any], role: UserRole | str) -> dict[str, Any] | None:
    """What ``role`` may see of one status change (None: nothing)."""
    model = FEED_MODEL[UserRole(role)]
    if model is None:
        return None
    return model.model_validate(record).model_dump(mode="json", by_alias=True)


# ----------------------------------------------------------------------------- disclosures
class DisclosureView(ReadModel):
    """An incident disclosed to police: by whom, to whom (one user, or the police role), why."""

    id: str
    incident_id: str
    at: str
    by: str
    reason: str
    to_user: str | None = None
    to_role: str | None = None


# ----------------------------------------------------------------------------- CARE Court
class CareRespondent(ReadModel):
    name: str
    age: int
    county_of_residence: str


class CarePetitioner(ReadModel):
    staff_id: str
    name: str
    capacity: str


class CareStage(ReadModel):
    stage: str
    on: str
    by: str
    recorded_at: str


class CareDue(ReadModel):
    """The deadline running now (the county's report, 14 court days: WIC 5977)."""

    what: str
    stage: str
    due: str
    overdue: bool
    words: str


class CareEvidenceItem(ReadModel):
    """One encounter of the evidence bundle: when, how it ended, the hold if any. No words of
    the call, no caller, no notes (they are never copied into it)."""

    incident_id: str
    kind: str
    received_at: str
    disposition: str | None = None
    hold_type: str | None = None
    hold_criteria: list[str] = []
    first_detained_at: str | None = None
    hold_written_by: str = ""
    destination: str = ""


class CarePetitionView(ReadModel):
    """A CARE matter as those who may read it see it (the team's clinicians who prepared it,
    supervisors, admins, court liaisons): the fields of form CARE-100 we know, the stages with
    their dates and the deadline running. Never the caller or the words of the call: the
    petition's ``facts`` are the clinician's statement for the court."""

    id: str
    incident_id: str
    respondent: CareRespondent
    petitioner: CarePetitioner
    county: str
    facts: str
    criteria: list[str]
    grounds: list[str]
    prepared_at: str
    prepared_by: str
    stage: str
    stages: list[CareStage] = []
    result: str = ""
    due: CareDue | None = None
    evidence_count: int = 0


class CareEvidenceBundle(ReadModel):
    petition_id: str
    window_start: str
    window_end: str
    items: list[CareEvidenceItem]


def project_petition(record: Mapping[str, Any]) -> dict[str, Any]:
    return CarePetitionView.model_validate(record).model_dump(mode="json")


def project_evidence(record: Mapping[str, Any]) -> dict[str, Any]:
    return CareEvidenceBundle.model_validate(record).model_dump(mode="json")
