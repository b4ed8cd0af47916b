"""Every route × every role: each JSON answer holds only what that role may see (issue 11 item 1).

The routes are read from the app's OpenAPI, so a new route fails here until it is given a
request below. Each answer is checked two ways:

- structurally: every incident or van in it is exactly its role's read model (validated and
  dumped again it is unchanged, so no field outside the allow-list is there, at any depth),
  and every object that looks like an incident carries its ``view``;
- by content: incidents are planted with marked words (narrative, caller, description of the
  person, a note, an outcome summary, addresses, staff names); a role never receives the
  words its allow-list excludes, whatever the route.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.care import Criterion
from crisis_dispatch.domain.outcomes import Disposition, Outcome
from crisis_dispatch.services import care, disclosures, incidents, persons
from crisis_dispatch.services.care import PetitionRequest
from crisis_dispatch.services.context import SYSTEM
from crisis_dispatch.services.incidents import CallIntake
from crisis_dispatch.services.persons import PersonDetails
from crisis_dispatch.services.read_models import BOARD_UNIT_ROLES, INCIDENT_MODEL, BoardUnit, OperationsUnit
from tests.api.conftest import Api

R = UserRole

NARRATIVE = "She says the walls whisper to her at night (marked-narrative)"
CALLER, PHONE = "Marked Callername", "555-0199"
DESCRIPTION = "marked-description: orange scarf, grey boots"
TEAM_ADDRESS = "17 Marked Team Lane"
NOTE = "marked-note: takes lithium, stopped last week"
SUMMARY = "marked-summary: agreed to a CARE plan"
ARMED_NARRATIVE = "Her son hears voices and holds a kitchen knife (marked-armed)"
ARMED_ADDRESS = "99 Marked Armed Avenue"
DISCLOSED_NARRATIVE = "Woman on the roof edge, calm (marked-disclosed)"
DISCLOSED_ADDRESS = "5 Marked Disclosed Street"
#: The person described in the incidents police do see: still not for them.
SEEN_BY_POLICE_DESCRIPTION = "marked-person: tall, red beanie"
STAFF_NAME = "of TTP-API"
#: The person index (issue 14 item 2): a person linked to the team incident; clinical roles only.
PERSON_NAME, PERSON_DESCRIPTION = (
    "Marked Personname",
    "marked-person-index: green coat",
)  # the crew's names, "peer_support_specialist of TTP-API"


@dataclass
class Planted:
    team: str  # the crew's own incident, team alone, with a CARE Court outcome
    armed: str  # police in the response
    disclosed: str  # team alone, disclosed to every police liaison
    facility: str
    person: str  # linked to the team incident
    petition: str  # a CARE petition prepared from the team incident


#: What each role must never receive, anywhere. Those who run the calls see everything.
FORBIDDEN: dict[UserRole, set[str]] = {
    R.POLICE_LIAISON: {NARRATIVE, CALLER, PHONE, DESCRIPTION, NOTE, SUMMARY, ARMED_NARRATIVE, DISCLOSED_NARRATIVE}
    | {TEAM_ADDRESS, STAFF_NAME, SEEN_BY_POLICE_DESCRIPTION, "marked-", "lithium", "subject_age"}
    | {PERSON_NAME, '"person_id"'},
    R.COURT_LIAISON: {NARRATIVE, CALLER, PHONE, NOTE, ARMED_NARRATIVE, ARMED_ADDRESS, DISCLOSED_NARRATIVE, DISCLOSED_ADDRESS}
    | {PERSON_NAME, PERSON_DESCRIPTION, '"person_id"'},
    R.ANALYST: {NARRATIVE, CALLER, PHONE, DESCRIPTION, NOTE, SUMMARY, ARMED_NARRATIVE, DISCLOSED_NARRATIVE}
    | {TEAM_ADDRESS, ARMED_ADDRESS, DISCLOSED_ADDRESS, STAFF_NAME, SEEN_BY_POLICE_DESCRIPTION, "marked-", "subject_age"}
    | {PERSON_NAME, '"person_id"'},
    R.CAD: {PERSON_NAME, PERSON_DESCRIPTION, '"person_id"'},
    R.CREW: {ARMED_NARRATIVE, ARMED_ADDRESS, DISCLOSED_NARRATIVE, DISCLOSED_ADDRESS},
}

CALL = {"lat": 34.05, "lon": -118.25, "narrative": "Walk-through call: a man is sad and alone, calm."}
ANSWERS = {"answers": {"weapon": "nope"}}
WINDOW = "start=2026-11-01T00:00:00-07:00&end=2026-12-31T00:00:00-08:00"

#: (method, OpenAPI path, the incident it is asked about, query string, body). Writes carry
#: bodies that are refused after the role gate (so that the planted state stays as it is),
#: except notes, check-ins and destinations, whose answers are worth checking.
REQUESTS: list[tuple[str, str, str | None, str, Any]] = [
    ("GET", "/api/v1/auth/me", None, "", None),
    ("POST", "/api/v1/auth/password", None, "", {}),
    ("POST", "/api/v1/auth/login", None, "", {}),
    ("GET", "/api/v1/auth/totp", None, "", None),
    ("POST", "/api/v1/auth/totp/enroll", None, "", {}),
    ("POST", "/api/v1/auth/totp/confirm", None, "", {}),
    ("POST", "/api/v1/users", None, "", {}),
    ("POST", "/api/v1/users/{username}/unlock", None, "", None),
    ("GET", "/api/v1/audit", None, "", None),
    ("POST", "/api/v1/calls", None, "", {"lat": "here"}),
    ("POST", "/api/v1/incidents/{incident_id}/calls", "team", "", {"lat": "here"}),
    ("POST", "/api/v1/incidents/{incident_id}/confirm-triage", "team", "", ANSWERS),
    ("POST", "/api/v1/triage", None, "", {"narrative": "sad and alone"}),
    ("GET", "/api/v1/incidents", None, "", None),
    ("GET", "/api/v1/incidents", None, "open=true", None),
    ("GET", "/api/v1/incidents/{incident_id}", "team", "", None),
    ("GET", "/api/v1/incidents/{incident_id}", "armed", "", None),
    ("GET", "/api/v1/incidents/{incident_id}", "disclosed", "", None),
    ("POST", "/api/v1/incidents/{incident_id}/status", "team", "", {"status": "sideways"}),
    ("POST", "/api/v1/incidents/{incident_id}/assign", "armed", "", {"unit_id": "NOPE"}),
    ("GET", "/api/v1/incidents/{incident_id}/recommendations", "armed", "", None),
    ("GET", "/api/v1/queue", None, "", None),
    ("GET", "/api/v1/alerts", None, "", None),
    ("POST", "/api/v1/incidents/{incident_id}/destinations", "team", "", {"assessment": {"age": 30}}),
    ("POST", "/api/v1/incidents/{incident_id}/outcome", "team", "", {"disposition": "sideways"}),
    ("POST", "/api/v1/incidents/{incident_id}/close", "armed", "", {"reason": ""}),
    ("POST", "/api/v1/incidents/{incident_id}/notes", "team", "", {"text": "walk-through note"}),
    ("POST", "/api/v1/incidents/{incident_id}/disclosures", "team", "", {"reason": "", "to_role": "police_liaison"}),
    ("GET", "/api/v1/disclosures", None, "", None),
    ("GET", "/api/v1/disclosures", None, "user=police-liaison", None),
    ("GET", "/api/v1/units", None, "", None),
    ("GET", "/api/v1/units/{unit_id}", None, "", None),
    ("POST", "/api/v1/units/{unit_id}/status", None, "", {"status": "sideways"}),
    ("POST", "/api/v1/units/{unit_id}/crew", None, "", {}),
    ("GET", "/api/v1/staff", None, "", None),
    ("POST", "/api/v1/staff", None, "", {"name": ""}),
    ("GET", "/api/v1/shifts", None, WINDOW, None),
    ("GET", "/api/v1/stations", None, "", None),
    ("GET", "/api/v1/facilities", None, "", None),
    ("GET", "/api/v1/facilities/{facility_id}", None, "", None),
    ("PUT", "/api/v1/facilities/{facility_id}/beds", None, "", {"beds_available": -1}),
    ("GET", "/api/v1/reports/kpis", None, WINDOW, None),
    ("GET", "/api/v1/protocol", None, "", None),
    ("GET", "/api/v1/checkins", None, "", None),
    ("POST", "/api/v1/incidents/{incident_id}/checkins", "team", "", {"comment": "walk-through check-in"}),
    ("GET", "/api/v1/reports/program", None, WINDOW, None),
    ("POST", "/api/v1/incidents/{incident_id}/location", "team", "", {"lat": "here"}),
    # Exchange with the 911 CAD (docs/interop.md).
    ("POST", "/api/v1/eido", None, "", {"$id": 5}),
    ("GET", "/api/v1/incidents/{incident_id}/eido", "team", "", None),
    ("GET", "/api/v1/incidents/{incident_id}/eido", "armed", "", None),
    ("GET", "/api/v1/subscriptions", None, "", None),
    ("POST", "/api/v1/subscriptions", None, "", {"url": 5}),
    ("PATCH", "/api/v1/subscriptions/{subscription_id}", None, "", {"url": 5}),
    ("GET", "/api/v1/outbox", None, "", None),
    ("POST", "/api/v1/outbox/{row_id}/retry", None, "", None),
    ("GET", "/api/v1/exports/nemsis", None, WINDOW, None),
    # After the call (docs/after-the-call.md): refused bodies, the planted state stays as it is.
    ("POST", "/api/v1/hold-transports", None, "", {"hold_type": 5}),
    ("POST", "/api/v1/incidents/{incident_id}/hold-transport/pickup", "team", "", {"application_seen": "yes"}),
    ("POST", "/api/v1/incidents/{incident_id}/hold-transport/handover", "team", "", {"received_by": ""}),
    ("POST", "/api/v1/incidents/{incident_id}/988/transfer", "team", "", {"centre": ""}),
    ("POST", "/api/v1/incidents/{incident_id}/988/result", "team", "", {"result": 5}),
    ("POST", "/api/v1/incidents/{incident_id}/988/handback", "team", "", {"narrative": ""}),
    # The person index (docs/after-the-call.md "Person index"): clinical roles only; refused bodies.
    ("POST", "/api/v1/persons", None, "", {"names": [5]}),
    ("GET", "/api/v1/persons", None, "name=Marked%20Personname", None),
    ("GET", "/api/v1/persons/{person_id}", None, "", None),
    ("POST", "/api/v1/incidents/{incident_id}/person", "team", "", {"person_id": ""}),
    ("DELETE", "/api/v1/incidents/{incident_id}/person", "armed", "", None),
    ("POST", "/api/v1/persons/{person_id}/merge", None, "", {"into": ""}),
    ("POST", "/api/v1/persons/{person_id}/unmerge", None, "", {"reason": ""}),
    # CARE Court (docs/after-the-call.md): a petition is planted on the team incident.
    ("POST", "/api/v1/incidents/{incident_id}/care-petitions", "team", "", {"respondent": 5}),
    ("GET", "/api/v1/care-petitions", None, "", None),
    ("GET", "/api/v1/care-petitions", None, "overdue=true", None),
    ("GET", "/api/v1/care-petitions/{petition_id}", None, "", None),
    ("POST", "/api/v1/care-petitions/{petition_id}/stages", None, "", {"stage": "sideways", "on": "2026-11-27"}),
    ("GET", "/api/v1/care-petitions/{petition_id}/evidence", None, "", None),
    # Follow-up and warm hand-offs (docs/after-the-call.md): refused bodies, the planted state stays as it is.
    ("GET", "/api/v1/follow-ups", None, "", None),
    ("GET", "/api/v1/follow-ups", None, "status=done&overdue=false&limit=5", None),
    ("GET", "/api/v1/follow-ups/overdue", None, "", None),
    ("POST", "/api/v1/follow-ups/{follow_up_id}/outcome", None, "", {"result": "sideways"}),
    ("POST", "/api/v1/follow-ups/{follow_up_id}/assign", None, "", {"owner": ""}),
    ("POST", "/api/v1/follow-ups/{follow_up_id}/cancel", None, "", {"reason": ""}),
    ("GET", "/api/v1/providers", None, "", None),
    ("POST", "/api/v1/incidents/{incident_id}/hand-offs", "team", "", {"provider_id": ""}),
    ("GET", "/api/v1/incidents/{incident_id}/hand-offs", "team", "", None),
    ("GET", "/api/v1/incidents/{incident_id}/hand-offs", "armed", "", None),
    ("POST", "/api/v1/hand-offs/{hand_off_id}/response", None, "", {"accepted": "perhaps"}),
    ("GET", "/health", None, "", None),
]
#: Routes not walked here, and where they are tested instead.
ELSEWHERE = {
    ("POST", "/api/v1/auth/logout"): "ends the session the walk runs on (tests/api/test_api_login_hardening.py)",
    ("GET", "/api/v1/events"): "a stream that does not end (tests/console/test_feed_stream.py, tests/console/test_events.py)",
}


@pytest.fixture(scope="module")
def planted(api: Api) -> Iterator[Planted]:
    ctx = api.container.ctx
    team = incidents.take_call(
        ctx,
        SYSTEM,
        CallIntake(
            lat=34.0522,
            lon=-118.2437,
            address=TEAM_ADDRESS,
            call_type="EDP",
            narrative=NARRATIVE,
            caller_name=CALLER,
            caller_phone=PHONE,
            subject_description=DESCRIPTION,
            answers={"weapon": "no", "violence": "no", "conscious_breathing": "yes"},
        ),
    ).incident
    assert team["tier"] == "MH_TEAM", team["tier"]
    incidents.assign_unit(ctx, SYSTEM, team["id"], api.crew_unit)
    incidents.change_status(ctx, SYSTEM, team["id"], "on_scene")
    incidents.add_note(ctx, SYSTEM, team["id"], NOTE)
    outcome = Outcome(
        disposition=Disposition.CARE_COURT_PETITION_RECOMMENDED, recorded_at=api.clock.now(), recorded_by="crew", summary=SUMMARY
    )
    incidents.record_outcome(ctx, SYSTEM, team["id"], outcome)
    armed = incidents.take_call(
        ctx,
        SYSTEM,
        CallIntake(
            lat=34.06,
            lon=-118.26,
            address=ARMED_ADDRESS,
            call_type="EDP",
            narrative=ARMED_NARRATIVE,
            caller_name=CALLER,
            subject_description=SEEN_BY_POLICE_DESCRIPTION,
        ),
    ).incident
    assert armed["tier"].startswith("MH_TEAM_WITH_POLICE") and armed["status"] == "queued", armed["tier"]
    disclosed = incidents.take_call(
        ctx,
        SYSTEM,
        CallIntake(
            lat=34.07,
            lon=-118.27,
            address=DISCLOSED_ADDRESS,
            narrative=DISCLOSED_NARRATIVE,
            subject_description=SEEN_BY_POLICE_DESCRIPTION,
            subject_age=41,
        ),
    ).incident
    reason = "imperative threat: she said she will jump if anyone comes near"
    disclosures.disclose(ctx, SYSTEM, disclosed["id"], reason, to_role="police_liaison")
    facilities = api.client.get("/api/v1/facilities", headers=api.h("admin")).json()
    details = PersonDetails(names=[PERSON_NAME], dob="1980", phones=["213-555-0142"], description=PERSON_DESCRIPTION)
    person = persons.create_person(ctx, SYSTEM, details)["id"]
    persons.link(ctx, SYSTEM, team["id"], person)
    petition = care.prepare(
        ctx,
        SYSTEM,
        team["id"],
        PetitionRequest(
            respondent_name="Alex Respondent",
            respondent_age=34,
            respondent_county="Los Angeles",
            county="Los Angeles",
            facts="Three crisis contacts this autumn; not in treatment.",
            criteria=[c.value for c in Criterion],
            grounds=["needs_services_to_prevent_relapse"],
            petitioner_staff_id="stf-ttp-api-psych",
        ),
    )
    facility = facilities[0]["id"] if facilities else "none-loaded"
    yield Planted(team["id"], armed["id"], disclosed["id"], facility, person, petition["id"])


def test_every_route_of_the_api_is_walked_here_or_said_where_it_is_tested(api: Api) -> None:
    routes = {(m.upper(), p) for p, ops in api.client.app.openapi()["paths"].items() for m in ops}  # type: ignore[attr-defined]
    walked = {(m, p) for m, p, *_ in REQUESTS}
    assert routes - walked - set(ELSEWHERE) == set(), "give each new route a request in REQUESTS"
    assert walked | set(ELSEWHERE) <= routes, "REQUESTS names a route the app no longer has"


def _url(planted: Planted, api: Api, path: str, target: str | None, query: str) -> str:
    url = path.format(
        incident_id=getattr(planted, target) if target else "",
        unit_id=api.crew_unit,
        facility_id=planted.facility,
        username="analyst",
        subscription_id="SUB-NONE",
        row_id=1,
        person_id=planted.person,
        petition_id=planted.petition,
        follow_up_id="FUP-NONE",
        hand_off_id="HOF-NONE",
    )
    return url + (f"?{query}" if query else "")


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _objects(v)
    elif isinstance(value, list):
        for v in value:
            yield from _objects(v)


def _check_read_models(body: Any, role: UserRole) -> None:
    """Every incident and van in ``body`` is exactly the role's read model, at every depth."""
    for obj in _objects(body):
        if "timestamps" in obj and "status" in obj:
            assert "view" in obj, f"an incident without its read model: {sorted(obj)}"
        if "view" not in obj:
            continue
        if "call_sign" in obj:
            model: Any = BoardUnit if role in BOARD_UNIT_ROLES else OperationsUnit
        else:
            model = INCIDENT_MODEL[role]
        expected_view = model.model_fields["view"].default
        assert obj["view"] == expected_view, f"{role.value} got the {obj['view']} view, not {expected_view}"
        again = model.model_validate(obj).model_dump(mode="json", by_alias=True)
        extra = sorted(set(obj) - set(again))
        assert again == obj, f"{role.value}: fields outside the allow-list of {model.__name__}: {extra or 'nested'}"


CASES = [(role, request) for role in R for request in REQUESTS]


@pytest.mark.parametrize(
    ("role", "request_"),
    CASES,
    ids=[f"{role.value}-{m} {p}{'?' + q if q else ''}{'-' + t if t else ''}" for role, (m, p, t, q, _) in CASES],
)
def test_each_answer_holds_only_what_the_role_may_see(
    api: Api, planted: Planted, role: UserRole, request_: tuple[str, str, str | None, str, Any]
) -> None:
    method, path, target, query, body = request_
    r = api.client.request(method, _url(planted, api, path, target, query), json=body, headers=api.h(role.value))
    assert r.status_code < 500, (r.status_code, r.text[:300])
    text = r.text
    for secret in FORBIDDEN.get(role, set()):
        assert secret not in text, f"{role.value} received {secret!r} from {method} {path}: {text[:300]}"
    if not r.headers.get("content-type", "").startswith("application/json"):
        return
    _check_read_models(r.json(), role)


@pytest.mark.parametrize("route", ["/api/v1/incidents", "/api/v1/incidents?open=true"])
def test_the_police_list_holds_the_police_and_the_disclosed_incidents_and_nothing_else(
    api: Api, planted: Planted, route: str
) -> None:
    listed = api.client.get(route, headers=api.h("police_liaison")).json()
    ids = {i["id"] for i in listed}
    assert {planted.armed, planted.disclosed} <= ids and planted.team not in ids
    everyone = {i["id"] for i in api.client.get(route, headers=api.h("dispatcher")).json()}
    police_or_disclosed = {
        i["id"]
        for i in api.client.get(route, headers=api.h("dispatcher")).json()
        if "POLICE" in (i["tier"] or "") or i["id"] == planted.disclosed
    }
    assert ids == police_or_disclosed and ids < everyone


def test_police_get_404_for_an_undisclosed_team_alone_incident_and_its_address_nowhere(api: Api, planted: Planted) -> None:
    r = api.client.get(f"/api/v1/incidents/{planted.team}", headers=api.h("police_liaison"))
    assert r.status_code == 404 and r.json()["detail"] == f"incident '{planted.team}' not found"
    for route in ("/api/v1/incidents", "/api/v1/units", "/api/v1/disclosures"):
        text = api.client.get(route, headers=api.h("police_liaison")).text
        assert planted.team not in text and TEAM_ADDRESS not in text


def test_the_disclosures_a_police_liaison_lists_are_those_made_to_them(api: Api, planted: Planted) -> None:
    mine = api.client.get("/api/v1/disclosures", headers=api.h("police_liaison")).json()
    assert [d["incident_id"] for d in mine] == [planted.disclosed]
    other = api.client.get("/api/v1/disclosures", params={"user": "admin"}, headers=api.h("police_liaison"))
    assert other.status_code == 403 and "made to them" in other.json()["detail"]


#: Who may use the person index at all (the others get 403 on every one of its routes).
PERSON_ROLES = {R.CALL_TAKER, R.DISPATCHER, R.CREW, R.SUPERVISOR, R.ADMIN}


@pytest.mark.parametrize("role", list(R), ids=[r.value for r in R])
def test_the_person_index_answers_clinical_roles_only(api: Api, planted: Planted, role: UserRole) -> None:
    search = api.client.get("/api/v1/persons", params={"name": PERSON_NAME}, headers=api.h(role.value))
    read = api.client.get(f"/api/v1/persons/{planted.person}", headers=api.h(role.value))
    if role not in PERSON_ROLES:
        assert search.status_code == read.status_code == 403, (search.text, read.text)
        return
    assert [c["person"]["id"] for c in search.json()["candidates"]] == [planted.person]
    if role is R.CALL_TAKER:  # searches, reads no history
        assert read.status_code == 403
        return
    assert read.status_code == 200 and [e["incident_id"] for e in read.json()["encounters"]] == [planted.team]
    team = api.client.get(f"/api/v1/incidents/{planted.team}", headers=api.h(role.value)).json()
    assert team["person_id"] == planted.person


def test_reading_a_person_is_audited_with_who_and_which_person(api: Api, planted: Planted) -> None:
    api.client.get(f"/api/v1/persons/{planted.person}", headers=api.h("supervisor"))
    rows = api.client.get("/api/v1/audit", params={"object_type": "person"}, headers=api.h("admin")).json()
    reads = [r for r in rows if r["action"] == "read" and r["object_id"] == planted.person and r["username"] == "supervisor"]
    assert reads and "encounter history" in reads[0]["detail"]
