"""The API's answers that are not an incident, a van or a disclosure (those are the per-role
read models of ``services/read_models.py``): typed, so that OpenAPI documents every key the
console's JavaScript and the CAD read (issues 11 and 16).

Each model copies the exact dictionary its use case returns. Unlike the read models (which
project a larger record and drop what they do not declare), these refuse a key they do not
declare (``extra="forbid"``): a key a service starts returning fails the tests with a
``ResponseValidationError`` instead of silently vanishing from the answer.

A few documents stay open objects, described in OpenAPI with where their schema is:
:data:`EIDO_DOCUMENT` and :data:`EVENT_STREAM`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from crisis_dispatch.services.read_models import Clock, Exact, IncidentView


class Answer(Exact):
    """An answer whose every key is declared: an undeclared one is an error, never dropped."""


# ----------------------------------------------------------------------------- auth and users
class UserRef(Answer):
    """Who is logged in: the role decides what every other answer shows."""

    username: str
    role: str
    #: For crew members: their staff record (links the login to shifts on a van).
    staff_id: str | None


class Session(Answer):
    """A bearer token (also set as the HttpOnly session cookie for the console)."""

    access_token: str
    token_type: Literal["bearer"]
    expires_at: str
    user: UserRef


class PasswordChanged(Session):
    """A new session: every earlier session of the user ended."""

    sessions_ended: int


class UserCreated(Answer):
    id: str
    username: str
    role: str
    staff_id: str | None


class UserUnlocked(Answer):
    username: str
    was_locked: bool


class AuditEntry(Answer):
    """One row of the hash-chained audit log: who read or wrote what, and when."""

    id: int | None
    at: str
    user_id: str | None
    username: str
    role: str
    action: str
    object_type: str
    object_id: str
    detail: str


# ----------------------------------------------------------------------------- calls and triage
class EidoReceipt(Answer):
    """What became of a NENA EIDO document from the CAD (our answer, not an EIDO document)."""

    result: Literal["created", "unchanged", "updated", "ignored_older"]
    message: str
    #: What an update changed (``updated``), in words.
    changes: list[str]
    incident_id: str
    tier: str | None
    status: str | None
    location_to_confirm: bool
    incident: IncidentView


class TriageFlag(Answer):
    """A flag with the words that raised it (``start``/``end``: their place in the narrative)."""

    name: str
    evidence: str
    source: str
    start: int | None = None
    end: int | None = None


class TriageDecision(Answer):
    """A triage decision evaluated without storing anything (``POST /triage``)."""

    id: str
    tier: str
    priority: int
    determinant: str
    flags: list[TriageFlag]
    reasons: list[str]
    protocol_version: str
    #: None when the crisis team (or the 988 phone) responds; otherwise why not.
    screened_out: str | None
    rules_fired: list[str]
    hold_possible: bool
    #: False: the team would go alone on text and codes only; ask the safety questions.
    confirmed: bool


# ----------------------------------------------------------------------------- dispatch
class Needs(Answer):
    capabilities: list[str]
    #: A hold-designated crew member is wanted (5150/5585), or None.
    hold_writer: str | None


class RankedUnit(Answer):
    rank: int
    unit_id: str
    call_sign: str
    eta_s: float
    eta_minutes: float
    #: Crew role -> the person's name.
    crew: dict[str, str]


class ExcludedUnit(Answer):
    unit_id: str
    call_sign: str
    reasons: list[str]


class Recommendations(Answer):
    """The free, staffed, fit vans, fastest first, and why each other van is out."""

    incident_id: str
    status: str
    needs: Needs
    ranked: list[RankedUnit]
    excluded: list[ExcludedUnit]
    #: ``provider`` (the travel-time model's driving times; the console labels anything else
    #: as a straight-line estimate) or the straight-line estimate's description.
    eta_source: str
    outside_service_area: bool
    location_to_confirm: bool
    #: What a dispatcher must know before sending a van on these times, or None.
    warning: str | None
    clock: Clock | None


class RoundedLocation(Answer):
    """To 4 decimals; both None while the location is to confirm."""

    lat: float | None
    lon: float | None


class QueueEntry(Answer):
    """An incident waiting for a van, in offer order."""

    position: int
    id: str
    tier: str | None
    priority: int | None
    determinant: str | None
    received_at: str
    location: RoundedLocation
    location_to_confirm: bool
    clock: Clock | None
    #: The escalation kinds recorded so far (e.g. supervisor_alert, breach).
    escalations: list[str]


class Alert(Answer):
    """An escalation of an incident still waiting for a van."""

    incident_id: str
    kind: str
    message: str
    at: str


class RankedDestination(Answer):
    rank: int
    facility_id: str
    name: str
    type: str
    eta_s: float
    eta_minutes: float
    beds_available: int | None
    reasons_for: list[str]


class ExcludedDestination(Answer):
    facility_id: str
    name: str
    reasons: list[str]


class DestinationAdvice(Answer):
    """Where to take the person: LA County Ref. 526/528 criteria, beds, then travel time."""

    incident_id: str
    eta_source: str
    ranked: list[RankedDestination]
    excluded: list[ExcludedDestination]
    #: Facility type -> why the person does not fit it.
    unsuitable_types: dict[str, list[str]]
    #: The findings that require an emergency department (empty: none).
    emergency_department_required: list[str]


# ----------------------------------------------------------------------------- staff and shifts
class StaffMember(Answer):
    id: str
    name: str
    roles: list[str]
    qualifications: list[str]
    active: bool


class ShiftView(Answer):
    """A staff member on a van in a role for a time window."""

    id: str
    unit_id: str
    staff_id: str
    role: str
    starts_at: str
    ends_at: str


class CoverageGap(Answer):
    """A window in which a van's role has nobody active and qualified on shift."""

    unit_id: str
    role: str
    starts_at: str
    ends_at: str


class ShiftWindow(Answer):
    shifts: list[ShiftView]
    gaps: list[CoverageGap]
    covered_24_7: bool


# ----------------------------------------------------------------------------- stations and facilities
class StationView(Answer):
    id: str
    name: str
    lat: float
    lon: float
    address: str


class FacilityView(Answer):
    id: str
    name: str
    type: str
    lat: float
    lon: float
    address: str
    #: The ages it takes (all_ages, adults_only, adolescents_13_plus_and_adults).
    accepts: str
    capabilities: list[str]
    #: The bed registry: None when nobody reported.
    beds_available: int | None
    beds_total: int | None


# ----------------------------------------------------------------------------- the CAD's subscriptions and outbox
class SubscriptionView(Answer):
    """A CAD endpoint for EIDO status updates: never its secret."""

    id: str
    url: str
    events: list[str]
    active: bool
    created_at: str
    created_by: str


class OutboxEntry(Answer):
    """One delivery to the CAD; ``delivery_id`` is the same on every attempt."""

    id: int
    delivery_id: str
    subscription_id: str
    incident_id: str
    event: str
    state: Literal["pending", "delivered", "dead"]
    attempts: int
    created_at: str | None
    #: Only while pending.
    next_attempt_at: str | None
    delivered_at: str | None
    dead_at: str | None
    last_error: str | None


# ----------------------------------------------------------------------------- console
class ProtocolQuestion(Answer):
    id: str
    text: str
    type: str
    choices: list[str]


class ProtocolSummary(Answer):
    """The triage protocol's questions, in the order the call-taker's form asks them."""

    protocol: str
    version: str
    questions: list[ProtocolQuestion]


class CheckinState(Answer):
    """Where a crew on scene stands with its safety check-ins."""

    incident_id: str
    unit_id: str | None
    call_sign: str | None
    on_scene_at: str
    last_checkin_at: str | None
    due_at: str
    level: Literal["ok", "due", "missed"]
    #: Zero unless missed.
    overdue_seconds: int


class CheckinRecorded(Answer):
    """A check-in on an incident with no on-scene time recorded: no clock to show."""

    incident_id: str


class CheckinBoard(Answer):
    now: str
    checkins: list[CheckinState]


# ----------------------------------------------------------------------------- the KPI report
class Percentiles(Answer):
    """Minutes at the 50th, 90th and 95th percentile (None: none, or not reached); a call
    never reached counts as later than any; ``mean_reached`` over those reached."""

    p50: float | None
    p90: float | None
    p95: float | None
    mean_reached: float | None
    n: int


class Kpis(Answer):
    """The simulator's KPI block (reporting.kpis.compute_kpis) over the window's history.
    Shares are 0 to 1 (None without a denominator)."""

    calls: int
    team_calls: int
    phone_988_calls: int
    screened_out_to_police_or_ems: int
    fell_back_to_police_or_ems: int
    share_served_by_team: float | None
    share_left_to_police_or_ems: float | None
    #: Triage to the team on scene.
    response_minutes: Percentiles
    response_minutes_by_tier: dict[str, Percentiles]
    response_minutes_by_area: dict[str, Percentiles]
    #: 24 entries, by local hour of day.
    response_minutes_by_hour: list[Percentiles]
    share_within_60_min: float | None
    share_within_120_min: float | None
    #: Within each call's own budget (60 minutes urban, 120 rural).
    share_within_budget: float | None
    p_wait: float | None
    mean_queue_wait_minutes: float | None
    queue_wait_minutes: Percentiles
    utilisation: float | None
    utilisation_by_hour: list[float | None]
    #: Disposition -> calls reached with it.
    outcomes: dict[str, int]
    transports_by_destination: dict[str, int]
    holds: int
    police_hours_freed: float
    fire_hours_freed: float
    ed_visits_avoided: float
    #: Escalation kind -> how many were recorded.
    escalations: dict[str, int]
    open_at_horizon: int


class HoldTransportFigures(Answer):
    requested: int
    verified_at_pickup: int
    handed_over: int
    minutes_pickup_to_handover: Percentiles
    fewest_hours_left_at_handover: float | None


class Phone988Figures(Answer):
    transferred: int
    #: Result -> transfers (``none_yet``: no result recorded).
    results: dict[str, int]
    handed_back_for_a_team: int


class CareFigures(Answer):
    referrals: int
    referrals_with_a_hold: int
    petitions_prepared: int
    petitions_filed: int
    #: How ended petitions ended -> how many.
    ended: dict[str, int]


class PersonIndexFigures(Answer):
    """De-identified counts: no id, no name."""

    encounters_linked: int
    people: int
    people_seen_twice_or_more: int


class ShareCell(Answer):
    count: int
    share: float | None
    denominator: int


class FollowUpFigures(Answer):
    """The follow-up tasks due in the window, at the time of asking."""

    due: int
    done_on_time: int
    done_late: int
    overdue: int
    open_not_yet_due: int
    cancelled: int
    by_result: dict[str, int]
    by_kind: dict[str, int]
    completion_on_time: ShareCell


class AfterTheCall(Answer):
    hold_transports: HoldTransportFigures
    phone_988: Phone988Figures
    care: CareFigures
    person_index: PersonIndexFigures
    follow_ups: FollowUpFigures


class KpiReport(Answer):
    """KPIs of the incidents received in [start, end) (docs/reporting.md)."""

    start: str
    end: str
    time_zone: str
    kpis: Kpis
    after_the_call: AfterTheCall


# ----------------------------------------------------------------------------- the program report
# reporting/program.py; docs/reporting.md explains every figure. An analyst's copy has its
# small cells suppressed (reporting.program.suppress_small_cells): a count under 11 becomes
# None and its share or group says ``suppressed``.
class ProgramShare(Answer):
    """``count`` of ``denominator`` (``share`` rounded to 4 decimals, None when the denominator is 0)."""

    count: int | None
    share: float | None
    denominator: int
    suppressed: bool = False


class ReportWindow(Answer):
    start: str
    end: str
    time_zone: str


class GroupTimes(Answer):
    """Response times of a group of team calls (triage to on scene, minutes): a percentile is
    None when it lands on a call never reached."""

    n: int | None
    p50: float | None
    p90: float | None
    p95: float | None
    within_60_min: ProgramShare
    within_120_min: ProgramShare
    #: Within the call's own clock (60 minutes urban, 120 rural).
    within_clock: ProgramShare
    suppressed: bool = False


class StationShiftTimes(GroupTimes):
    station: str
    shift: str


class HistogramBin(Answer):
    from_min: float
    #: None for the last bin (later, or never reached).
    to_min: float | None
    calls: ProgramShare


class UrbanRural(Answer):
    urban: GroupTimes
    rural: GroupTimes


class SuppressiblePercentiles(Percentiles):
    n: int | None  # type: ignore[assignment]  # None once suppressed
    suppressed: bool = False


class ProgramResponseTimes(GroupTimes):
    definition: str
    histogram: list[HistogramBin]
    #: 24 entries, by local hour of day.
    by_hour: list[GroupTimes]
    by_shift: dict[str, GroupTimes]
    #: "station / shift" -> its calls' times.
    by_station_shift: dict[str, StationShiftTimes]
    urban_rural: UrbanRural
    by_area: dict[str, GroupTimes]
    queue_wait_minutes: SuppressiblePercentiles
    waited: ProgramShare
    escalations: dict[str, int]
    utilisation: float | None
    utilisation_by_hour: list[float | None]


class EligibleNotReached(Answer):
    fell_back_to_police_or_ems: ProgramShare
    cancelled_while_waiting: ProgramShare
    open_at_end: ProgramShare


class ScreenedOutFigures(Answer):
    """Eligible versus reached: the calls' fate, screened-out ones by reason and by responder."""

    calls: int | None
    eligible: ProgramShare
    reached: ProgramShare
    phone_988: ProgramShare
    screened_out: ProgramShare
    by_reason: dict[str, ProgramShare]
    by_responder: dict[str, ProgramShare]
    eligible_not_reached: EligibleNotReached


class HoldFigures(Answer):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    placed: ProgramShare
    wic_5150: int | None = Field(alias="5150")
    wic_5585: int | None = Field(alias="5585")
    type_not_recorded: int | None
    #: Of the calls assessed for a hold, those served without one.
    avoided: ProgramShare
    hold_transports: int | None


class TransportFigures(Answer):
    total: ProgramShare
    by_destination: dict[str, ProgramShare]


class EdEstimate(Answer):
    value: float
    estimate: bool
    baseline_ed_share: float
    assumption: str


class HoursEstimate(Answer):
    value: float
    estimate: bool
    method: str


class ImpactFigures(Answer):
    """Estimates say so (``estimate``) and carry their assumption."""

    ed_transports: int | None
    ed_visits_avoided: EdEstimate
    police_hours_freed: HoursEstimate
    fire_hours_freed: HoursEstimate
    backup_requests: ProgramShare
    care_court_referrals: ProgramShare
    #: None in a simulated history (no follow-ups recorded): ``follow_up_note`` says so.
    follow_up_completion: ProgramShare | None
    follow_up_note: str


class ProgramReport(Answer):
    """The program report's JSON (``format=json``); its top-level keys are a contract."""

    window: ReportWindow
    team_calls: int | None
    outcomes: dict[str, ProgramShare]
    response_times: ProgramResponseTimes
    screened_out: ScreenedOutFigures
    holds: HoldFigures
    transports: TransportFigures
    impact: ImpactFigures
    definitions_version: str


# ----------------------------------------------------------------------------- meta
class Health(Answer):
    status: Literal["ok"]
    version: str
    #: The SQL dialect (sqlite, postgresql).
    database: str


# ----------------------------------------------------------------------------- open documents
# Documents whose schema is not ours (EIDO) or that are not JSON (the live feed): described
# in OpenAPI by what they are and where their schema lives (tests/api/test_api_response_models.py).
def open_document(description: str) -> dict[int | str, Any]:
    """The ``responses`` entry of a route answering an open JSON document (its 200)."""
    schema = {"type": "object", "additionalProperties": True, "description": description}
    return {200: {"description": description, "content": {"application/json": {"schema": schema}}}}


EIDO_DOCUMENT = open_document(
    "A NENA EIDO document (NENA-STA-021.1). Its schema is NENA's EIDO JSON Schema, shipped in the "
    "package as crisis_dispatch/data/eido/openapi.yaml (components.schemas.EmergencyIncidentDataObjectType)."
)
#: The program report: a ProgramReport in JSON, or that report as CSV, HTML or PDF. The route
#: answers bytes: FastAPI documents the model but does not check them (the tests do).
PROGRAM_REPORT: dict[int | str, Any] = {
    200: {
        "model": ProgramReport,
        "description": "The program report (docs/reporting.md): a ProgramReport with format=json, "
        "else that report as CSV (one row per figure), HTML or PDF (the two-page summary).",
        "content": {"text/csv": {}, "text/html": {}, "application/pdf": {}},
    }
}
EVENT_STREAM: dict[int | str, Any] = {
    200: {
        "description": "A text/event-stream (Server-Sent Events, not JSON): events 'status' (one status "
        "change as the role may see it: FeedStatusEvent or BoardStatusEvent), 'checkins' (a CheckinBoard), "
        "'tick' ({now, rate}) and 'logout' ({reason}); each event's data is one JSON object.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}
