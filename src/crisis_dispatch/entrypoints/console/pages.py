"""The HTML pages. Each page is a server-rendered shell; its data comes from the API
(role-redacted and audited there) and the live feed, so a page never shows more than
the API would give the same user."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from crisis_dispatch import __version__
from crisis_dispatch.domain.access import Permission, UserRole, allowed
from crisis_dispatch.domain.care import CRITERION_TEXT, GROUND_TEXT, Criterion, Ground
from crisis_dispatch.domain.destinations import PatientAssessment
from crisis_dispatch.domain.hold_transport import PickupKind
from crisis_dispatch.domain.outcomes import DestinationType, Disposition, HoldCriterion, WriterKind
from crisis_dispatch.domain.triage import SAFETY_QUESTIONS
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import Actor

from ..api.deps import CSRF_FIELD, client_address, get_ctx, set_session_cookie
from .api import protocol_summary
from .paths import TEMPLATES
from .session import HOME, PAGE_ROLES, ROLE_LABEL, SESSION_COOKIE, page_actor

router = APIRouter(include_in_schema=False)
#: The time zone the reports page counts months in (the program's own: Los Angeles).
REPORT_TZ = "America/Los_Angeles"

#: Pages load scripts, styles and data from this server only (no inline script, no third party).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _render(
    request: Request,
    template: str,
    actor: Actor | None,
    code: int = 200,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HTMLResponse:
    token = request.cookies.get(SESSION_COOKIE)
    context = {
        "actor": actor,
        "role": actor.role.value if actor else None,
        "role_label": ROLE_LABEL[actor.role] if actor else None,
        "version": __version__,
        "demo": request.app.state.container.settings.demo,
        # The clocks on screen run on the server's time (the tests' clock is not the wall clock).
        "server_now": get_ctx(request).clock.now().isoformat(),
        # ... and at its speed: the demo's clock runs faster than the wall clock.
        "clock_rate": getattr(get_ctx(request).clock, "speed", 1.0),
        # The page's scripts send it with every change (X-CSRF-Token); its forms carry it.
        "csrf_token": auth.csrf_token(get_ctx(request), token) if actor and token else "",
    } | extra
    return TEMPLATES.TemplateResponse(request, template, context, status_code=code, headers=SECURITY_HEADERS | (headers or {}))


def _to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/")
def home(request: Request) -> Response:
    actor = page_actor(request)
    if actor is None:
        return RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    return RedirectResponse(HOME[actor.role], status_code=status.HTTP_303_SEE_OTHER)


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    return _render(request, "login.html", None, next=_safe_next(next), error=None)


def _safe_next(target: str) -> str:
    """Only our own pages: never redirect a fresh login to another site."""
    return target if target in PAGE_ROLES else ""


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=63)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form()] = "",
    totp_code: Annotated[str, Form(max_length=10)] = "",
    challenge: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Step 1: username and password. For an account with a second factor, step 2 asks for
    the one-time code (the page carries the step-1 ``challenge``, not the password)."""
    ctx = get_ctx(request)
    page: dict[str, Any] = {"next": _safe_next(next), "username": username}
    if not username.strip() or not (password or challenge):
        return _render(request, "login.html", None, code=422, error="Enter your username and password.", **page)
    try:
        result = auth.login(ctx, username.strip(), password, client_address(request), totp_code or None, challenge or None)
    except auth.LoginThrottled as e:
        headers = {"Retry-After": str(e.retry_after)}
        return _render(request, "login.html", None, code=429, headers=headers, error=_sentence(e), **page)
    except auth.TotpRequired as e:
        # The password was right: ask for the code (or say why none can be given).
        error = None if e.challenge else _sentence(e)
        return _render(request, "login.html", None, code=401, error=error, challenge=e.challenge, **page)
    except auth.WrongTotpCode as e:
        return _render(request, "login.html", None, code=401, error=_sentence(e), challenge=challenge, **page)
    except auth.AuthenticationFailed:
        return _render(request, "login.html", None, code=401, error="Wrong username or password.", **page)
    role = result["user"]["role"]
    target = _safe_next(next)
    if not target or UserRole(role) not in PAGE_ROLES[target]:
        target = HOME[UserRole(role)]
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    set_session_cookie(response, request, ctx, result["access_token"])
    return response


def _sentence(e: Exception) -> str:
    message = str(e)
    return message[0].upper() + message[1:] + "."


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            auth.check_csrf(get_ctx(request), token, csrf_token)
        except auth.CsrfFailed as e:
            return PlainTextResponse(str(e), status_code=status.HTTP_403_FORBIDDEN)
        auth.logout(get_ctx(request), token)
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _page(request: Request, path: str, template: str, **extra: Any) -> Response:
    actor = page_actor(request)
    if actor is None:
        return _to_login(request)
    if actor.role not in PAGE_ROLES[path]:
        return _render(request, "forbidden.html", actor, code=403, home=HOME[actor.role])
    # What the page offers follows the role's permissions (the API checks them again).
    can = {p.name.lower(): allowed(actor.role, p) for p in Permission}
    return _render(request, template, actor, can=can, home_path=HOME[actor.role], **extra)


#: The short name of each safety question, as the confirmation form asks it (issue 10).
SAFETY_SHORT = {"weapon": "Weapon?", "violence": "Violence?", "conscious_breathing": "Awake and breathing?"}


def safety_questions(protocol: dict[str, Any]) -> list[dict[str, str]]:
    """The three questions that confirm a text-only decision: id, short name and the protocol's text."""
    texts = {q["id"]: q["text"] for q in protocol["questions"]}
    return [{"id": q, "short": SAFETY_SHORT.get(q, _label(q)), "text": texts.get(q, "")} for q in SAFETY_QUESTIONS]


#: Who wrote a hold, as a dispatcher says it (acronyms kept upper case).
WRITER_LABELS = {
    WriterKind.PMRT_CLINICIAN: "PMRT clinician",
    WriterKind.POLICE_OFFICER: "Police officer",
    WriterKind.ED_PHYSICIAN: "ED physician",
    WriterKind.OTHER_DESIGNATED: "Other designated writer",
}


@router.get("/console")
def console(request: Request) -> Response:
    """The dispatcher console: map, queue, new call, recommended vans, unit board, alerts."""
    protocol = protocol_summary(request.app.state.container.settings.protocol_path)
    return _page(
        request,
        "/console",
        "console.html",
        protocol=protocol,
        safety_questions=safety_questions(protocol),
        hold_criteria=[(c.value, _label(c.value)) for c in HoldCriterion],
        writer_kinds=[(k.value, WRITER_LABELS[k]) for k in WriterKind],
        pickup_kinds=[(k.value, _label(k.value)) for k in PickupKind],
    )


#: Flags a crew usually finds true of a person a crisis team takes to a community facility.
ASSESSMENT_TRUE_BY_DEFAULT = frozenset({"behavioral_crisis", "ambulatory", "cooperative"})
#: Asked by the service from other fields of the form (age from the incident, consent from the disposition).
ASSESSMENT_FROM_ELSEWHERE = frozenset({"age", "consent"})
#: Labels a crew reads faster than the field names.
ASSESSMENT_LABELS = {
    "heart_rate": "Heart rate (bpm)",
    "resp_rate": "Breaths per minute",
    "spo2": "SpO2 on room air (%)",
    "sbp": "Systolic BP (mmHg)",
    "gcs": "GCS (3-15)",
    "glucose": "Glucose (mg/dL)",
    "chest_pain_sob_abdominal_syncope": "Chest pain, short of breath, abdominal pain or fainting",
    "loss_of_consciousness_24h": "Fainted or seized in the last 24 h",
    "focal_neuro_deficit": "Focal neurological deficit",
    "crew_judges_unstable": "Not stable enough for a community facility",
    "midazolam_given": "Midazolam given for agitation",
}


def assessment_fields() -> tuple[list[tuple[str, str]], list[tuple[str, str, bool]]]:
    """The destination rules' assessment (``PatientAssessment``) as form fields: numbers, then yes/no flags."""
    numbers, flags = [], []
    for f in dataclasses.fields(PatientAssessment):
        if f.name in ASSESSMENT_FROM_ELSEWHERE:
            continue
        if "bool" in str(f.type):
            flags.append((f.name, ASSESSMENT_LABELS.get(f.name, _label(f.name)), f.name in ASSESSMENT_TRUE_BY_DEFAULT))
        else:
            numbers.append((f.name, ASSESSMENT_LABELS.get(f.name, _label(f.name))))
    return numbers, flags


@router.get("/crew")
def crew(request: Request) -> Response:
    """The crew's phone view: own assignment, status buttons, check-in, outcome, notes."""
    numbers, flags = assessment_fields()
    return _page(
        request,
        "/crew",
        "crew.html",
        dispositions=[(d.value, _label(d.value)) for d in Disposition],
        destination_types=[(d.value, _label(d.value)) for d in DestinationType],
        hold_criteria=[(c.value, _label(c.value)) for c in HoldCriterion],
        assessment_numbers=numbers,
        assessment_flags=flags,
        care_criteria=[(c.value, CRITERION_TEXT[c]) for c in Criterion],
        care_grounds=[(g.value, GROUND_TEXT[g]) for g in Ground],
    )


@router.get("/board")
def board(request: Request) -> Response:
    """The read-only board of police liaisons, analysts and court liaisons (what the API allows)."""
    return _page(request, "/board", "board.html")


@router.get("/reports")
def program_reports(request: Request) -> Response:
    """The program report for supervisors (and analysts, admins): this month so far and last
    month side by side, with the PDF, HTML, CSV and JSON of each (GET /api/v1/reports/program)."""
    zone = ZoneInfo(REPORT_TZ)
    now = get_ctx(request).clock.now().astimezone(zone)
    this_month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    months = [
        {
            "key": key,
            "label": f"{a:%B %Y}{suffix}",
            "start": a.replace(tzinfo=zone).isoformat(),
            "end": b.replace(tzinfo=zone).isoformat(),
        }
        for key, a, b, suffix in (("last", last_month, this_month, ""), ("this", this_month, next_month, " (so far)"))
    ]
    return _page(request, "/reports", "reports.html", months=months, time_zone=REPORT_TZ)
