"""The HTTP API through create_app: happy paths, bad input, roles, redaction, audit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.api.conftest import Api
from tests.integration.helpers import staffed_unit


def test_health_and_openapi_need_no_login(api: Api) -> None:
    assert api.client.get("/health").json()["status"] == "ok"
    spec = api.client.get("/openapi.json").json()
    assert "/api/v1/calls" in spec["paths"] and "/api/v1/incidents/{incident_id}/assign" in spec["paths"]


#: Routes anyone may call: logging in is how one gets a token.
PUBLIC_ROUTES = {("POST", "/api/v1/auth/login")}


def test_every_api_route_needs_a_login(api: Api) -> None:
    """Every route of the API (as OpenAPI lists them), every method, with no token and with a
    forged one: 401."""
    r = api.client.get("/api/v1/incidents")
    assert r.status_code == 401 and "log in" in r.json()["detail"]
    checked, open_routes = 0, []
    for path, operations in api.client.get("/openapi.json").json()["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        url = re.sub(r"\{[^}]+\}", "X-1", path)
        for method in sorted(m.upper() for m in operations):
            if (method, path) in PUBLIC_ROUTES:
                continue
            for headers in ({}, {"Authorization": "Bearer not-a-token"}):
                r = api.client.request(method, url, headers=headers, json={} if method in {"POST", "PUT", "PATCH"} else None)
                if r.status_code != 401:
                    open_routes.append((method, path, bool(headers), r.status_code))
            checked += 1
    assert checked >= 30, checked
    assert open_routes == []


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(api: Api) -> None:
    r = api.client.post("/api/v1/auth/login", json={"username": "dispatcher", "password": "nope-nope-nope"})
    assert r.status_code == 401 and r.json()["detail"] == "wrong username or password"


def test_call_to_closed_incident_through_the_api(api: Api) -> None:
    unit_id = staffed_unit(api.container, "TTP-HAPPY")
    incident = api.call()
    assert incident["status"] == "queued"
    path = f"/api/v1/incidents/{incident['id']}"
    d = api.h("dispatcher")
    r = api.client.post(f"{path}/assign", json={"unit_id": "TTP-HAPPY"}, headers=d)
    assert r.status_code == 200 and r.json()["unit_id"] == unit_id
    for status in ("en_route", "on_scene"):
        api.clock.advance(timedelta(minutes=5))
        r = api.client.post(f"{path}/status", json={"status": status}, headers=d)
        assert r.status_code == 200, r.text
    r = api.client.post(
        f"{path}/outcome", json={"disposition": "treated_and_released", "summary": "calmed, safety plan"}, headers=d
    )
    assert r.status_code == 200 and r.json()["outcome"]["nemsis"] == ["4227001", "4228001", "4230013", "4231005"]
    r = api.client.post(f"{path}/close", json={"reason": "done"}, headers=d)
    assert r.status_code == 200 and r.json()["status"] == "closed"
    history = api.client.get(path, headers=d).json()["history"]
    assert [h["reason"] for h in history if h["event"] == "outcome"] == ["outcome treated_and_released"]
    assert [h["to"] for h in history if h["subject"] == "incident" and h["event"] == "status"] == [
        "received",
        "triaged",
        "queued",
        "dispatched",
        "en_route",
        "on_scene",
        "closed",
    ]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "lat: Field required"),
        ({"lat": "north", "lon": -118.2}, "lat: Input should be a valid number"),
        ({"lat": 134.0, "lon": -118.2}, "lat: Input should be less than or equal to 90"),
        ({"lat": 34.0, "lon": -118.2, "answers": "yes"}, "answers: Input should be a valid dictionary"),
        ({"lat": 34.0, "lon": -118.2, "surprise": 1}, "surprise: Extra inputs are not permitted"),
        ({"lat": 34.0, "lon": -118.2, "received_at": "2026-11-27T10:00:00"}, "received_at"),
    ],
)
def test_bad_calls_get_422_with_a_readable_message(api: Api, body: dict, fragment: str) -> None:
    r = api.client.post("/api/v1/calls", json=body, headers=api.h("call_taker"))
    assert r.status_code == 422
    assert fragment in r.json()["detail"]


def test_malformed_json_is_a_422_not_a_crash(api: Api) -> None:
    r = api.client.post("/api/v1/calls", content=b"{not json", headers=api.h("call_taker") | {"content-type": "application/json"})
    assert r.status_code == 422


def test_unknown_ids_give_404(api: Api) -> None:
    d = api.h("dispatcher")
    assert api.client.get("/api/v1/incidents/INC-NOPE", headers=d).status_code == 404
    incident = api.call()
    r = api.client.post(f"/api/v1/incidents/{incident['id']}/assign", json={"unit_id": "NOPE"}, headers=d)
    assert r.status_code == 404 and "unit 'NOPE' not found" in r.json()["detail"]


def test_illegal_transitions_and_unknown_statuses(api: Api) -> None:
    incident = api.call()
    path = f"/api/v1/incidents/{incident['id']}/status"
    r = api.client.post(path, json={"status": "on_scene"}, headers=api.h("dispatcher"))
    assert r.status_code == 409 and "cannot go from 'queued' to 'on_scene'" in r.json()["detail"]
    r = api.client.post(path, json={"status": "teleported"}, headers=api.h("dispatcher"))
    assert r.status_code == 422 and "unknown incident status 'teleported'" in r.json()["detail"]


def test_second_dispatcher_gets_409_for_a_taken_van(api: Api) -> None:
    staffed_unit(api.container, "TTP-TAKEN")
    a, b = api.call(), api.call()
    assert (
        api.client.post(
            f"/api/v1/incidents/{a['id']}/assign", json={"unit_id": "TTP-TAKEN"}, headers=api.h("dispatcher")
        ).status_code
        == 200
    )
    r = api.client.post(f"/api/v1/incidents/{b['id']}/assign", json={"unit_id": "TTP-TAKEN"}, headers=api.h("supervisor"))
    assert r.status_code == 409 and "already assigned" in r.json()["detail"]


def test_idempotency_key_replays_return_the_same_incident(api: Api) -> None:
    body = {"lat": 34.1, "lon": -118.3, "narrative": "Neighbour worried about man sleeping outside, no weapons."}
    h = api.h("call_taker", **{"Idempotency-Key": "call-abc-1"})
    first = api.client.post("/api/v1/calls", json=body, headers=h)
    second = api.client.post("/api/v1/calls", json=body, headers=h)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    other = api.client.post("/api/v1/calls", json=body | {"narrative": "different"}, headers=h)
    assert other.status_code == 409


def test_outcome_validation_errors_are_422(api: Api) -> None:
    staffed_unit(api.container, "TTP-OUT")
    incident = api.call()
    path = f"/api/v1/incidents/{incident['id']}"
    d = api.h("dispatcher")
    api.client.post(f"{path}/assign", json={"unit_id": "TTP-OUT"}, headers=d)
    api.client.post(f"{path}/status", json={"status": "on_scene"}, headers=d)
    r = api.client.post(f"{path}/outcome", json={"disposition": "voluntary_transport"}, headers=d)
    assert r.status_code == 422 and "needs a destination" in r.json()["detail"]
    r = api.client.post(f"{path}/outcome", json={"disposition": "abducted_by_aliens"}, headers=d)
    assert r.status_code == 422 and "unknown disposition" in r.json()["detail"]
    now = api.clock.now().isoformat()
    hold = {
        "type": "5150",
        "placed_by": "stf-ttp-out-psych",
        "placed_at": now,
        "first_detained_at": now,
        "criteria": ["danger_to_self"],
        "could_be_served_without_detention": True,
    }
    r = api.client.post(
        f"{path}/outcome",
        json={"disposition": "involuntary_hold", "hold": hold, "destination": {"type": "psychiatric_urgent_care"}},
        headers=d,
    )
    assert r.status_code == 422 and "served without detention" in r.json()["detail"]
    hold["could_be_served_without_detention"] = False
    r = api.client.post(
        f"{path}/outcome",
        json={"disposition": "involuntary_hold", "hold": hold, "destination": {"type": "psychiatric_urgent_care"}},
        headers=d,
    )
    assert r.status_code == 200, r.text
    assert r.json()["outcome"]["hold"]["expires_at"] == (api.clock.now() + timedelta(hours=72)).isoformat()


def test_police_liaison_never_receives_clinical_fields(api: Api) -> None:
    incident = api.call(narrative="Caller's son has a knife and is threatening family; history of schizophrenia.")
    for view in (
        api.client.get(f"/api/v1/incidents/{incident['id']}", headers=api.h("police_liaison")).json(),
        *api.client.get("/api/v1/incidents", headers=api.h("police_liaison")).json(),
    ):
        assert view["view"] == "police"
        assert not {"calls", "notes", "triage", "outcome", "subject_description", "subject_age"} & set(view)
        assert "schizophrenia" not in str(view) and "knife" not in str(view)
    safety = api.client.get(f"/api/v1/incidents/{incident['id']}", headers=api.h("police_liaison")).json()["safety_flags"]
    assert {f["name"] for f in safety} >= {"weapon"} and all(set(f) == {"name"} for f in safety)


def test_analyst_sees_no_live_personal_data(api: Api) -> None:
    incident = api.call(caller_name="Pat Example", caller_phone="555-0100", subject_description="tall, red jacket")
    view = api.client.get(f"/api/v1/incidents/{incident['id']}", headers=api.h("analyst")).json()
    text = str(view)
    assert "Pat Example" not in text and "555-0100" not in text and "red jacket" not in text
    assert view["area"] == {"lat": 34.05, "lon": -118.25} and "location" not in view


def test_crew_sees_only_their_own_assignment(api: Api) -> None:
    mine, other = api.call(), api.call()
    api.client.post(f"/api/v1/incidents/{mine['id']}/assign", json={"unit_id": api.crew_unit}, headers=api.h("dispatcher"))
    listed = api.client.get("/api/v1/incidents", headers=api.h("crew")).json()
    assert [i["id"] for i in listed] == [mine["id"]]
    assert api.client.get(f"/api/v1/incidents/{other['id']}", headers=api.h("crew")).status_code == 404
    r = api.client.post(f"/api/v1/units/{api.crew_unit}/status", json={"status": "en_route"}, headers=api.h("crew"))
    assert r.status_code == 200 and r.json()["status"] == "en_route"
    api.client.post(f"/api/v1/units/{api.crew_unit}/status", json={"status": "on_scene"}, headers=api.h("crew"))
    r = api.client.post(
        f"/api/v1/incidents/{mine['id']}/outcome", json={"disposition": "treated_and_released"}, headers=api.h("crew")
    )
    assert r.status_code == 200
    r = api.client.post(f"/api/v1/units/{api.crew_unit}/status", json={"status": "available"}, headers=api.h("crew"))
    assert r.status_code == 200
    assert api.client.get(f"/api/v1/incidents/{mine['id']}", headers=api.h("dispatcher")).json()["status"] == "closed"


def test_reads_and_writes_of_personal_data_are_audited(api: Api) -> None:
    incident = api.call(narrative="He has a gun and is threatening his brother.")
    api.client.get(f"/api/v1/incidents/{incident['id']}", headers=api.h("police_liaison"))
    rows = api.client.get(
        "/api/v1/audit", params={"object_type": "incident", "object_id": incident["id"]}, headers=api.h("admin")
    ).json()
    seen = {(r["username"], r["action"]) for r in rows}
    assert ("call-taker", "create") in seen and ("police-liaison", "read") in seen
    assert api.client.get("/api/v1/audit", headers=api.h("dispatcher")).status_code == 403


def _test_pucc(api: Api) -> str:
    from crisis_dispatch.domain.outcomes import DestinationType
    from crisis_dispatch.domain.station import Facility

    with api.container.ctx.uow() as uow:
        if uow.facilities.find("pucc-test") is None:
            uow.facilities.add(
                Facility(id="pucc-test", name="Test PUCC", type=DestinationType.PSYCHIATRIC_URGENT_CARE, lat=34.0, lon=-118.2)
            )
            uow.commit()
    return "pucc-test"


def test_an_outcome_naming_a_facility_must_name_a_known_one_of_its_type(api: Api) -> None:
    pucc = _test_pucc(api)
    staffed_unit(api.container, "TTP-FAC")
    incident = api.call()
    path = f"/api/v1/incidents/{incident['id']}"
    d = api.h("dispatcher")
    api.client.post(f"{path}/assign", json={"unit_id": "TTP-FAC"}, headers=d)
    api.client.post(f"{path}/status", json={"status": "on_scene"}, headers=d)
    body = {"disposition": "voluntary_transport", "destination": {"type": "psychiatric_urgent_care", "facility_id": "nosuch"}}
    r = api.client.post(f"{path}/outcome", json=body, headers=d)
    assert r.status_code == 422 and "unknown facility 'nosuch'" in r.json()["detail"]
    body["destination"] = {"type": "emergency_department", "facility_id": pucc}
    r = api.client.post(f"{path}/outcome", json=body, headers=d)
    assert r.status_code == 422 and "is of type psychiatric_urgent_care, not emergency_department" in r.json()["detail"]
    assert api.client.get(path, headers=d).json()["outcome"] is None  # nothing half-recorded
    body["destination"] = {"type": "psychiatric_urgent_care", "facility_id": pucc}
    r = api.client.post(f"{path}/outcome", json=body, headers=d)
    assert r.status_code == 200 and r.json()["outcome"]["destination"]["name"] == "Test PUCC"


def test_bed_registry_updates(api: Api) -> None:
    _test_pucc(api)
    r = api.client.put("/api/v1/facilities/pucc-test/beds", json={"beds_available": 3, "beds_total": 12}, headers=api.h("crew"))
    assert r.status_code == 200 and r.json()["beds_available"] == 3
    r = api.client.put("/api/v1/facilities/pucc-test/beds", json={"beds_available": 13}, headers=api.h("crew"))
    assert r.status_code == 422 and "only 12 in total" in r.json()["detail"]
    r = api.client.put("/api/v1/facilities/pucc-test/beds", json={"beds_available": -1}, headers=api.h("crew"))
    assert r.status_code == 422
    assert (
        api.client.put("/api/v1/facilities/pucc-test/beds", json={"beds_available": 1}, headers=api.h("analyst")).status_code
        == 403
    )


def test_destination_queries_check_their_input(api: Api) -> None:
    incident = api.call()
    path = f"/api/v1/incidents/{incident['id']}/destinations"
    r = api.client.post(path, json={"assessment": {"age": -4}}, headers=api.h("dispatcher"))
    assert r.status_code == 422 and "age" in r.json()["detail"]
    r = api.client.post(path, json={"assessment": {"mood": "blue"}}, headers=api.h("dispatcher"))
    assert r.status_code == 422 and "unknown assessment field(s): mood" in r.json()["detail"]
    r = api.client.post(path, json={"assessment": {"age": 40}, "k": 0}, headers=api.h("dispatcher"))
    assert r.status_code == 422
    r = api.client.post(path, json={"assessment": {"age": 40}}, headers=api.h("dispatcher"))
    assert r.status_code == 200 and r.json()["incident_id"] == incident["id"]


def test_destinations_outside_the_travel_model_answer_with_a_labelled_estimate(api: Api) -> None:
    from crisis_dispatch.domain.outcomes import DestinationType
    from crisis_dispatch.domain.station import Facility

    with api.container.ctx.uow() as uow:
        if uow.facilities.find("ed-outside") is None:
            uow.facilities.add(
                Facility(id="ed-outside", name="Outside ED", type=DestinationType.EMERGENCY_DEPARTMENT, lat=34.40, lon=-118.92)
            )
            uow.commit()
    incident = api.call(lat=34.45, lon=-118.95)  # beyond the fitted LA travel model
    r = api.client.post(
        f"/api/v1/incidents/{incident['id']}/destinations", json={"assessment": {"age": 40}}, headers=api.h("dispatcher")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert "straight-line estimate" in body["eta_source"]
    assert [x["facility_id"] for x in body["ranked"]] == ["ed-outside"] and body["ranked"][0]["eta_s"] > 0


def test_triage_can_be_evaluated_without_storing_anything(api: Api) -> None:
    before = len(api.client.get("/api/v1/incidents", headers=api.h("dispatcher")).json())
    r = api.client.post(
        "/api/v1/triage",
        json={
            "call_type": "EDP",
            "narrative": "RP states son is off his meds, no weapons, not violent",
            "answers": {"weapon": False},
        },
        headers=api.h("call_taker"),
    )
    assert r.status_code == 200
    body = r.json()
    assert body["tier"].startswith("MH_TEAM") and body["protocol_version"] and body["reasons"]
    assert {"id", "tier", "priority", "determinant", "flags", "reasons", "protocol_version"} <= set(body)
    assert len(api.client.get("/api/v1/incidents", headers=api.h("dispatcher")).json()) == before


def test_intake_records_the_whole_triage_decision_on_the_incident(api: Api) -> None:
    incident = api.call(narrative="Caller says her roommate took a whole bottle of pills and is barely awake.")
    view = api.client.get(f"/api/v1/incidents/{incident['id']}", headers=api.h("dispatcher")).json()
    assert "EMS" in view["tier"]
    triage = view["triage"]
    assert triage["protocol_version"] and triage["determinant"] == view["determinant"]
    assert any(f["name"] in ("overdose", "medical") and f["evidence"] for f in triage["flags"])


def test_no_page_that_loads_scripts_from_the_internet_is_served(api: Api) -> None:
    assert api.client.get("/docs").status_code == 404
    assert api.client.get("/redoc").status_code == 404
