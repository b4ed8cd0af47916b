"""The HTTP routes of ``/api/v1``: thin adapters from requests to use cases."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response, status

from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.errors import InvalidInput, parse_enum
from crisis_dispatch.domain.limits import MAX_BIGINT, MAX_INT
from crisis_dispatch.domain.outcomes import Destination, DestinationType, Disposition, Hold, HoldCriterion, HoldType, Outcome
from crisis_dispatch.services import (
    auth,
    destinations,
    disclosures,
    dispatching,
    eido,
    eido_out,
    hold_transports,
    incidents,
    nemsis,
    outbox,
    phone_988,
    reference,
    reports,
    units,
)
from crisis_dispatch.services.hold_transports import HoldTransportRequest
from crisis_dispatch.services.incidents import CallIntake
from crisis_dispatch.services.read_models import DisclosureView, IncidentView, UnitView

from . import responses as r
from . import schemas as s
from .deps import SESSION_COOKIE, ActorDep, CtxDep, bearer_token, client_address, header_token, set_session_cookie
from .errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


# ----------------------------------------------------------------------------- auth and users
@router.post("/auth/login", tags=["auth"], response_model=r.Session)
def login(body: s.LoginRequest, response: Response, ctx: CtxDep, request: Request) -> dict[str, Any]:
    """Exchange a username and password for a bearer token (also set as an HttpOnly cookie).
    Too many failed logins for the account or from the address answer 429 with Retry-After.
    An account with a second factor sends ``totp_code`` too: without it the answer is 401
    ``TotpRequired``, with a wrong or used one 401 ``WrongTotpCode`` (counted as a failed login)."""
    result = auth.login(ctx, body.username, body.password, client_address(request), body.totp_code)
    set_session_cookie(response, request, ctx, result["access_token"])
    return result


@router.post("/auth/password", tags=["auth"], response_model=r.PasswordChanged)
def change_password(body: s.PasswordChange, request: Request, response: Response, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Change your own password: every session of yours ends; the answer carries a new token."""
    result = auth.change_password(ctx, actor, body.current_password, body.new_password)
    if header_token(request) is None:  # a console session: keep it going on the new token
        set_session_cookie(response, request, ctx, result["access_token"])
    return result


@router.post("/auth/logout", tags=["auth"], status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, response: Response, ctx: CtxDep, actor: ActorDep) -> None:
    token = bearer_token(request)
    if token:
        auth.logout(ctx, token)
    response.delete_cookie(SESSION_COOKIE)


@router.get("/auth/me", tags=["auth"], response_model=r.UserRef)
def me(actor: ActorDep) -> dict[str, Any]:
    return {"username": actor.username, "role": actor.role.value, "staff_id": actor.staff_id}


@router.post("/users", tags=["users"], status_code=status.HTTP_201_CREATED, response_model=r.UserCreated)
def create_user(body: s.UserCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return auth.create_user(ctx, actor, body.username, body.password, body.role, body.staff_id)


@router.post("/users/{username}/unlock", tags=["users"], response_model=r.UserUnlocked)
def unlock_user(username: str, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Lift a lockout after repeated failed logins (admins)."""
    return auth.unlock_user(ctx, actor, username)


@router.get("/audit", tags=["users"], response_model=list[r.AuditEntry])
def audit_log(ctx: CtxDep, actor: ActorDep, object_type: str | None = None, object_id: str | None = None) -> list[dict[str, Any]]:
    return auth.list_audit(ctx, actor, object_type, object_id)


# ----------------------------------------------------------------------------- calls and triage
@router.post("/calls", tags=["calls"], status_code=status.HTTP_201_CREATED, response_model=IncidentView)
def take_call(
    body: s.CallCreate,
    response: Response,
    ctx: CtxDep,
    actor: ActorDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> dict[str, Any]:
    """Accept a 911 call: creates the incident and triages it. Send an ``Idempotency-Key``
    so that a retry returns the same incident instead of creating a second one."""
    result = incidents.take_call(ctx, actor, CallIntake(**body.model_dump()), idempotency_key)
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return result.incident


@router.post("/incidents/{incident_id}/calls", tags=["calls"], status_code=status.HTTP_201_CREATED, response_model=IncidentView)
def attach_call(incident_id: str, body: s.CallCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Another call about the same crisis; the incident is re-triaged on everything now known."""
    return incidents.attach_call(ctx, actor, incident_id, CallIntake(**body.model_dump()))


@router.post(
    "/incidents/{incident_id}/confirm-triage",
    tags=["calls"],
    summary="Confirm a text-only triage decision with the three safety questions",
    response_model=IncidentView,
    responses={
        404: {"description": "no such incident"},
        409: {"description": "the incident is closed or cancelled"},
        422: {"description": "an answer is missing, unknown, or not 'yes'/'no'"},
    },
)
def confirm_triage(incident_id: str, body: s.ConfirmTriageRequest, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The call-taker asked the safety questions of a decision that would send the crisis team
    (or the 988 phone) alone on text and codes only (``triage.confirmed`` is false). The
    answers (``weapon``, ``violence``, ``conscious_breathing``: each ``yes`` or ``no``) join
    the call's answers and outrank the text; the incident is re-triaged (a weapon brings
    police) and records who confirmed and when (``triage.confirmed_by``, ``confirmed_at``).
    Call-takers, dispatchers, supervisors and admins."""
    return incidents.confirm_triage(ctx, actor, incident_id, body.answers)


@router.post(
    "/eido",
    tags=["calls"],
    status_code=status.HTTP_201_CREATED,
    summary="Take an incident from a 911 CAD as a NENA EIDO document",
    response_model=r.EidoReceipt,
    responses={
        200: {"description": "the same document again, or an update, or an older version (ignored): see 'result'"},
        409: {"description": "the same lastUpdateTimeStamp with different content"},
        422: {"description": "the document breaks the schema: 'problems' lists the JSON paths at fault"},
    },
)
def receive_eido(document: Annotated[Any, Body()], response: Response, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """A NENA EIDO JSON document (NENA-STA-021.1) from the CAD, validated against the schema,
    then triaged as any call. The EIDO ``$id`` and agency are kept as the CAD reference: the
    first document creates the incident (201); the same document again (200, ``unchanged``),
    a newer ``lastUpdateTimeStamp`` (200, ``updated``: new notes re-triage, a moved location
    moves it) or an older one (200, ``ignored_older``) never create a second incident. A civic
    address we cannot place is kept and the incident is marked ``location_to_confirm``.
    Call-takers, dispatchers, supervisors, admins and the ``cad`` integration account
    (``X-API-Key`` header)."""
    result = eido.receive(ctx, actor, document)
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return result.to_dict()


@router.post("/triage", tags=["calls"], response_model=r.TriageDecision)
def evaluate_triage(body: s.TriageRequest, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Evaluate a call against the protocol without storing anything."""
    actor.require(Permission.TRIAGE_EVALUATE)
    return ctx.triage(body.model_dump()).to_dict()


# ----------------------------------------------------------------------------- incidents
@router.get("/incidents", tags=["incidents"], response_model=list[IncidentView])
def list_incidents(
    ctx: CtxDep,
    actor: ActorDep,
    status_: Annotated[list[str] | None, Query(alias="status")] = None,
    open_: Annotated[bool, Query(alias="open")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> list[dict[str, Any]]:
    return incidents.list_incidents(ctx, actor, statuses=status_, open_only=open_, limit=limit, offset=offset)


@router.get("/incidents/{incident_id}", tags=["incidents"], response_model=IncidentView)
def get_incident(incident_id: str, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return incidents.get_incident(ctx, actor, incident_id)


@router.post("/incidents/{incident_id}/status", tags=["incidents"], response_model=IncidentView)
def change_incident_status(incident_id: str, body: s.StatusChangeRequest, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return incidents.change_status(ctx, actor, incident_id, body.status, body.reason, body.expected_version)


@router.post("/incidents/{incident_id}/assign", tags=["incidents"], response_model=IncidentView)
def assign_unit(incident_id: str, body: s.AssignRequest, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Dispatch a van (omit ``unit_id`` for the recommended one). Two dispatchers racing
    for one van: one wins, the other gets 409."""
    return incidents.assign_unit(ctx, actor, incident_id, body.unit_id, body.reason)


@router.get("/incidents/{incident_id}/eido", tags=["incidents"], responses=r.EIDO_DOCUMENT)
def incident_eido(incident_id: str, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The incident as a NENA EIDO document (valid against NENA-STA-021.1): the CAD reference,
    incident type, PIDF-LO location, status, the assigned van as an emergency resource, the
    notes your role may see (none for the CAD), and the disposition without clinical detail."""
    return eido_out.get_incident_eido(ctx, actor, incident_id)


@router.post("/incidents/{incident_id}/location", tags=["dispatch"], response_model=IncidentView)
def place_incident(incident_id: str, body: s.LocationPlace, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Place or move an incident (dispatchers, supervisors, admins): an incident whose
    location is to confirm (an address from the CAD we could not place) gets coordinates,
    and vans are recommended for it from then on."""
    return incidents.place_incident(ctx, actor, incident_id, body.lat, body.lon, body.address, body.reason)


@router.get("/incidents/{incident_id}/recommendations", tags=["dispatch"], response_model=r.Recommendations)
def recommendations(incident_id: str, ctx: CtxDep, actor: ActorDep, k: Annotated[int, Query(ge=1, le=50)] = 3) -> dict[str, Any]:
    """The free, fully staffed vans fit for the call, fastest first, and why the others are out."""
    return dispatching.recommendations(ctx, actor, incident_id, k)


@router.get("/queue", tags=["dispatch"], response_model=list[r.QueueEntry])
def waiting_queue(ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Incidents waiting for a van, in offer order (priority, received, sequence), with clocks."""
    return dispatching.queue(ctx, actor)


@router.get("/alerts", tags=["dispatch"], response_model=list[r.Alert])
def alerts(ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Escalations of incidents still waiting for a van (supervisor alerts, fallback offers, breaches)."""
    return dispatching.alerts(ctx, actor)


@router.post("/incidents/{incident_id}/destinations", tags=["dispatch"], response_model=r.DestinationAdvice)
def recommend_destinations(incident_id: str, body: s.DestinationQuery, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Where to take the person: LA County Ref. 526 (psychiatric urgent care) and Ref. 528
    (sobering center) criteria, community facilities before emergency departments, beds,
    then travel time. Fields the crew did not record count against community destinations."""
    return destinations.recommend_for_incident(ctx, actor, incident_id, body.assessment, body.k)


@router.post("/incidents/{incident_id}/outcome", tags=["incidents"], response_model=IncidentView)
def record_outcome(incident_id: str, body: s.OutcomeCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return incidents.record_outcome(ctx, actor, incident_id, _outcome(body, actor.username, ctx.clock.now()))


@router.post("/incidents/{incident_id}/close", tags=["incidents"], response_model=IncidentView)
def close_incident(incident_id: str, body: s.CloseRequest, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return incidents.change_status(ctx, actor, incident_id, "closed", body.reason)


@router.post(
    "/incidents/{incident_id}/notes", tags=["incidents"], status_code=status.HTTP_201_CREATED, response_model=IncidentView
)
def add_note(incident_id: str, body: s.NoteCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return incidents.add_note(ctx, actor, incident_id, body.text)


@router.post(
    "/incidents/{incident_id}/disclosures",
    tags=["incidents"],
    status_code=status.HTTP_201_CREATED,
    response_model=DisclosureView,
    summary="Disclose an incident to police under the imminent-threat exception",
)
def disclose(incident_id: str, body: s.DisclosureCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Supervisors and admins: let one police liaison (``to_user``) or every police liaison
    (``to_role``: ``police_liaison``) see an incident police are not part of, saying why
    (``reason``, e.g. "imperative threat: ..."). Recorded in the disclosures, the incident's
    history and the audit (action ``disclose``); it cannot be withdrawn."""
    if (body.to_user is None) == (body.to_role is None):
        raise InvalidInput("name one recipient: to_user (a police liaison's username) or to_role (police_liaison)")
    return disclosures.disclose(ctx, actor, incident_id, body.reason, to_user=body.to_user, to_role=body.to_role)


@router.get("/disclosures", tags=["incidents"], response_model=list[DisclosureView])
def list_disclosures(
    ctx: CtxDep,
    actor: ActorDep,
    user: Annotated[str | None, Query(max_length=63, description="only those that reached this user")] = None,
) -> list[dict[str, Any]]:
    """Disclosures to police, oldest first; ``user``: those made to that person by name or to
    their role. Supervisors and admins see all; a police liaison, those made to them."""
    return disclosures.list_disclosures(ctx, actor, user)


@router.post("/hold-transports", tags=["hold transports"], status_code=status.HTTP_201_CREATED, response_model=IncidentView)
def request_hold_transport(body: s.HoldTransportCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Move a person already on a hold written by others (a PMRT clinician, a police officer,
    an ED physician) to a designated facility: creates an incident for the crisis team, queued
    like any other. Refused (422) when the hold has expired (72 h from first detention), the
    hold is the wrong kind for the age, or the facility does not accept holds."""
    data = body.model_dump()
    writer, pickup = data.pop("writer"), data.pop("pickup")
    request = HoldTransportRequest(
        **data,
        **{f"writer_{k}": v for k, v in writer.items()},
        **{f"pickup_{k}": pickup.pop(k) for k in ("kind", "name")},
        **pickup,  # lat, lon, address
    )
    return hold_transports.request_transport(ctx, actor, request)


@router.post("/incidents/{incident_id}/hold-transport/pickup", tags=["hold transports"], response_model=IncidentView)
def verify_hold_pickup(incident_id: str, body: s.PickupVerificationBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """On scene: the crew saw the written application, it is signed, and the person is the one
    named on it. The van cannot start transporting before this (409)."""
    return hold_transports.verify_pickup(ctx, actor, incident_id, **body.model_dump())


@router.post("/incidents/{incident_id}/hold-transport/handover", tags=["hold transports"], response_model=IncidentView)
def hand_over_hold(incident_id: str, body: s.HandoverBody, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """At the designated facility: who received the person and the application. Records the
    outcome (an involuntary hold by its external writer) and closes the incident."""
    return hold_transports.hand_over(ctx, actor, incident_id, body.received_by)


@router.post("/incidents/{incident_id}/988/transfer", tags=["988"], response_model=IncidentView)
def record_988_transfer(incident_id: str, body: s.Transfer988Create, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """A call triaged to the 988 line (PHONE_988) was handed to a 988 centre: when, which
    centre, its reference. Once per call (409 after); 422 for a call not triaged to 988."""
    return phone_988.record_transfer(
        ctx, actor, incident_id, centre=body.centre, reference=body.reference, transferred_at=body.transferred_at
    )


@router.post("/incidents/{incident_id}/988/result", tags=["988"], response_model=IncidentView)
def record_988_result(incident_id: str, body: s.Result988Create, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """What came of the transfer: resolved_by_phone, or call_back (interim, replaced later)."""
    return phone_988.record_result(ctx, actor, incident_id, body.result, body.note)


@router.post(
    "/incidents/{incident_id}/988/handback", tags=["988"], status_code=status.HTTP_201_CREATED, response_model=IncidentView
)
def hand_back_from_988(incident_id: str, body: s.Handback988Create, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """988 asks for a team in person: a new incident at the same place, re-triaged as any call,
    linked both ways (``handed_back_from`` here, ``phone_988.handed_back_to`` on the 988 call)."""
    return phone_988.hand_back(
        ctx, actor, incident_id, narrative=body.narrative, answers=body.answers, caller_phone=body.caller_phone
    )


def _outcome(body: s.OutcomeCreate, by: str, now: datetime) -> Outcome:
    destination = None
    if body.destination is not None:
        destination = Destination(
            type=parse_enum(DestinationType, body.destination.type, "destination type"),
            name=body.destination.name,
            facility_id=body.destination.facility_id,
        )
    hold = None
    if body.hold is not None:
        h = body.hold
        hold = Hold(
            type=parse_enum(HoldType, h.type, "hold type"),
            placed_by=h.placed_by,
            placed_at=h.placed_at,
            first_detained_at=h.first_detained_at,
            criteria=frozenset(parse_enum(HoldCriterion, c, "hold criterion") for c in h.criteria),
            could_be_served_without_detention=h.could_be_served_without_detention,
            facts=h.facts,
        )
    if len(set(body.referrals)) != len(body.referrals):
        raise InvalidInput("referrals are listed twice")
    return Outcome(
        disposition=parse_enum(Disposition, body.disposition, "disposition"),
        recorded_at=now,
        recorded_by=by,
        destination=destination,
        hold=hold,
        subject_age=body.subject_age,
        referrals=tuple(body.referrals),
        summary=body.summary,
        care_referral=body.care_referral,
    )


# ----------------------------------------------------------------------------- units, staff, shifts
@router.get("/units", tags=["units"], response_model=list[UnitView])
def list_units(ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    return units.list_units(ctx, actor)


@router.get("/units/{unit_id}", tags=["units"], response_model=UnitView)
def get_unit(unit_id: str, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return units.get_unit(ctx, actor, unit_id)


@router.post("/units/{unit_id}/status", tags=["units"], response_model=UnitView)
def set_unit_status(unit_id: str, body: s.UnitStatusRequest, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return units.set_unit_status(ctx, actor, unit_id, body.status, body.reason)


@router.post("/units/{unit_id}/crew", tags=["units"], status_code=status.HTTP_201_CREATED, response_model=r.ShiftView)
def assign_crew(unit_id: str, body: s.CrewAssignment, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Put a staff member on the van in a role for a time window (a shift)."""
    return units.assign_crew(ctx, actor, unit_id, body.staff_id, body.role, body.starts_at, body.ends_at)


@router.get("/staff", tags=["staff"], response_model=list[r.StaffMember])
def list_staff(ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    return units.list_staff(ctx, actor)


@router.post("/staff", tags=["staff"], status_code=status.HTTP_201_CREATED, response_model=r.StaffMember)
def create_staff(body: s.StaffCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return units.create_staff(ctx, actor, body.name, body.roles, body.qualifications)


@router.get("/shifts", tags=["staff"], response_model=r.ShiftWindow)
def list_shifts(
    ctx: CtxDep,
    actor: ActorDep,
    start: Annotated[datetime, Query(description="window start, ISO 8601 with offset")],
    end: Annotated[datetime, Query()],
    unit_id: str | None = None,
) -> dict[str, Any]:
    """Shifts in a window, with every gap in 24/7 coverage per van and role."""
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("start and end need a UTC offset, e.g. 2026-11-27T00:00:00Z")
    return units.list_shifts(ctx, actor, start, end, unit_id)


# ----------------------------------------------------------------------------- stations and facilities
@router.get("/stations", tags=["reference"], response_model=list[r.StationView])
def list_stations(ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    return reference.list_stations(ctx, actor)


@router.get("/facilities", tags=["reference"], response_model=list[r.FacilityView])
def list_facilities(ctx: CtxDep, actor: ActorDep, type: str | None = None) -> list[dict[str, Any]]:
    return reference.list_facilities(ctx, actor, type)


@router.get("/facilities/{facility_id}", tags=["reference"], response_model=r.FacilityView)
def get_facility(facility_id: str, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    return reference.get_facility(ctx, actor, facility_id)


@router.put("/facilities/{facility_id}/beds", tags=["reference"], response_model=r.FacilityView)
def update_beds(facility_id: str, body: s.BedUpdate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Report the beds or chairs free now (the bed registry)."""
    return reference.update_beds(ctx, actor, facility_id, body.beds_available, body.beds_total)


# ----------------------------------------------------------------------------- reports
@router.get("/reports/kpis", tags=["reports"], response_model=r.KpiReport)
def kpi_report(
    ctx: CtxDep,
    actor: ActorDep,
    start: Annotated[datetime, Query(description="window start, ISO 8601 with offset")],
    end: Annotated[datetime, Query(description="window end (exclusive)")],
    tz: Annotated[str, Query(description="time zone for hours of day")] = "America/Los_Angeles",
) -> dict[str, Any]:
    """KPIs of the incidents received in the window (e.g. a month), from the status history:
    response times by tier, county and hour; shares within 60/120 minutes; queue waits;
    utilisation; outcome mix. The simulator's reports come from the same code."""
    return reports.kpi_report(ctx, actor, start, end, tz=tz)


#: The HTML report may use its inline styles and data: images (the plots), and load nothing.
REPORT_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


@router.get("/reports/program", tags=["reports"], response_model=None, responses=r.PROGRAM_REPORT)
def program_report(
    ctx: CtxDep,
    actor: ActorDep,
    start: Annotated[datetime, Query(description="window start, ISO 8601 with offset")],
    end: Annotated[datetime, Query(description="window end (exclusive)")],
    format: Annotated[Literal["json", "csv", "html", "pdf"], Query(description="json, csv, html or pdf")] = "json",
    tz: Annotated[str, Query(description="time zone for hours of day and months")] = "America/Los_Angeles",
) -> Response:
    """The program report of the incidents received in the window (supervisor, analyst, admin):
    JSON keys window, team_calls, outcomes (each count, share, denominator), response_times,
    screened_out, holds, transports, impact, definitions_version; CSV one row per figure;
    HTML and PDF the two-page summary. Counts under 11 are suppressed for analysts."""
    body, media_type = reports.program_document(ctx, actor, start, end, fmt=format, tz=tz)
    headers = {}
    if format == "html":  # one self-contained file: its own styles and inlined plots, nothing else
        headers["Content-Security-Policy"] = REPORT_HTML_CSP
    if format in ("csv", "pdf"):
        headers["Content-Disposition"] = f'attachment; filename="program-report-{start:%Y-%m-%d}.{format}"'
    return Response(body, media_type=media_type, headers=headers)


# ----------------------------------------------------------------------------- the CAD's subscriptions and outbox
@router.post("/subscriptions", tags=["interop"], status_code=status.HTTP_201_CREATED, response_model=r.SubscriptionView)
def create_subscription(body: s.SubscriptionCreate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Register a CAD endpoint for EIDO status updates of incidents the CAD sent (admins).
    Each delivery is signed with the shared secret (see docs/interop.md)."""
    return outbox.create_subscription(ctx, actor, body.url, body.secret, body.events)


@router.get("/subscriptions", tags=["interop"], response_model=list[r.SubscriptionView])
def list_subscriptions(ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    return outbox.list_subscriptions(ctx, actor)


@router.patch("/subscriptions/{subscription_id}", tags=["interop"], response_model=r.SubscriptionView)
def update_subscription(subscription_id: str, body: s.SubscriptionUpdate, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Change the URL, secret or events, or deactivate (``"active": false``) a subscription."""
    return outbox.update_subscription(
        ctx, actor, subscription_id, url=body.url, secret=body.secret, events=body.events, active=body.active
    )


@router.get("/outbox", tags=["interop"], response_model=list[r.OutboxEntry])
def list_outbox(
    ctx: CtxDep,
    actor: ActorDep,
    state: Annotated[str | None, Query(description="pending, delivered or dead")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Deliveries to the CAD, newest first; ``state=dead`` lists the dead letters (admins)."""
    return outbox.list_outbox(ctx, actor, state, limit)


@router.post("/outbox/{row_id}/retry", tags=["interop"], response_model=r.OutboxEntry)
def retry_outbox(row_id: Annotated[int, Path(ge=1, le=MAX_INT)], ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Send a dead letter again, with the same delivery id (admins)."""
    return outbox.retry_dead(ctx, actor, row_id)


@router.get(
    "/exports/nemsis",
    tags=["reports"],
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}, "description": "a NEMSIS v3.5 EMSDataSet"}},
)
def export_nemsis(
    ctx: CtxDep,
    actor: ActorDep,
    start: Annotated[datetime, Query(description="window start, ISO 8601 with offset")],
    end: Annotated[datetime, Query(description="window end (exclusive)")],
) -> Response:
    """The crisis-team encounters received in the window as a NEMSIS v3.5 EMSDataSet for the
    county EMS agency, valid against the official XSD (supervisors, admins)."""
    document, count = nemsis.export_nemsis(ctx, actor, start, end)
    return Response(document, media_type="application/xml", headers={"X-Encounters": str(count)})
