"""Issue 10 over HTTP: ``POST /api/v1/triage`` says whether a decision is confirmed, and
``POST /api/v1/incidents/{id}/confirm-triage`` confirms a text-only one with the three
safety answers (who may, what it refuses, what each role then sees)."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

CALM = {"weapon": "no", "violence": "no", "conscious_breathing": "yes"}
TEXT_ONLY = {"call_type": "EDP", "narrative": "Man pacing and talking to himself, calm, no weapons."}


def confirm(api: Api, incident_id: str, body: object, role: str = "call_taker"):
    return api.client.post(f"/api/v1/incidents/{incident_id}/confirm-triage", json=body, headers=api.h(role))


def test_triage_says_a_text_only_team_alone_decision_is_unconfirmed(api: Api) -> None:
    r = api.client.post("/api/v1/triage", json=TEXT_ONLY, headers=api.h("call_taker"))
    assert r.status_code == 200
    body = r.json()
    assert body["tier"] == "MH_TEAM" and body["confirmed"] is False
    assert any(reason.startswith("unconfirmed:") for reason in body["reasons"])


def test_triage_with_the_three_answers_is_confirmed(api: Api) -> None:
    r = api.client.post("/api/v1/triage", json=TEXT_ONLY | {"answers": CALM}, headers=api.h("call_taker"))
    assert r.status_code == 200
    assert r.json()["tier"] == "MH_TEAM" and r.json()["confirmed"] is True
    assert not any(reason.startswith("unconfirmed:") for reason in r.json()["reasons"])


def test_a_decision_that_sends_police_needs_no_confirmation(api: Api) -> None:
    r = api.client.post("/api/v1/triage", json={"call_type": "EDP", "narrative": "HAS A KNIFE"}, headers=api.h("call_taker"))
    assert "POLICE" in r.json()["tier"] and r.json()["confirmed"] is True


def test_confirming_records_the_call_taker_and_the_new_decision(api: Api) -> None:
    incident = api.call()
    assert incident["triage"]["confirmed"] is False and incident["triage"]["confirmed_by"] is None
    r = confirm(api, incident["id"], {"answers": CALM})
    assert r.status_code == 200, r.text
    triage = r.json()["triage"]
    assert triage["confirmed"] is True
    assert triage["confirmed_by"] == "call-taker"
    assert triage["confirmed_at"] == api.clock.now().isoformat()
    again = api.client.get(f"/api/v1/incidents/{incident['id']}", headers=api.h("dispatcher")).json()
    assert again["triage"]["confirmed_by"] == "call-taker"
    assert again["history"][-1]["event"] == "triage_confirmed"


def test_a_weapon_answered_yes_brings_police_although_the_text_said_no_weapons(api: Api) -> None:
    incident = api.call()
    r = confirm(api, incident["id"], {"answers": CALM | {"weapon": "yes"}}, role="dispatcher")
    assert r.status_code == 200
    assert r.json()["tier"] == "MH_TEAM_WITH_POLICE" and r.json()["status"] == "queued"
    assert r.json()["triage"]["confirmed_by"] == "dispatcher"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"answers": {"weapon": "no", "violence": "no"}}, "missing answer(s) to conscious_breathing"),
        ({"answers": CALM | {"weapon": "perhaps"}}, "answer to weapon must be 'yes' or 'no'"),
        ({"answers": CALM | {"violence": 1}}, "answer to violence must be 'yes' or 'no'"),
        ({"answers": CALM | {"age": 30}}, "unknown question(s) age"),
        ({"answers": "yes"}, "answers: Input should be a valid dictionary"),
        ({}, "answers: Field required"),
        ({"answers": CALM, "note": "x"}, "note: Extra inputs are not permitted"),
    ],
)
def test_bad_confirmations_get_422_with_a_readable_message(api: Api, body: object, fragment: str) -> None:
    incident = api.call()
    r = confirm(api, incident["id"], body)
    assert r.status_code == 422, r.text
    assert fragment in r.json()["detail"]


def test_an_unknown_incident_is_404_and_a_closed_one_409(api: Api) -> None:
    r = confirm(api, "INC-NOPE", {"answers": CALM})
    assert r.status_code == 404 and "INC-NOPE" in r.json()["detail"]
    incident = api.call()
    closed = api.client.post(
        f"/api/v1/incidents/{incident['id']}/close", json={"reason": "handed to police"}, headers=api.h("dispatcher")
    )
    assert closed.status_code == 200
    r = confirm(api, incident["id"], {"answers": CALM})
    assert r.status_code == 409 and "can no longer be confirmed" in r.json()["detail"]


def test_roles_that_lacked_the_field_do_not_gain_it(api: Api) -> None:
    incident = api.call()
    assert confirm(api, incident["id"], {"answers": CALM}).status_code == 200
    path = f"/api/v1/incidents/{incident['id']}"
    police = api.client.get(path, headers=api.h("police_liaison")).json()
    assert "triage" not in police and not any("confirmed" in k for k in police)
    analyst = api.client.get(path, headers=api.h("analyst")).json()["triage"]
    assert "confirmed_by" not in analyst and "confirmed_at" not in analyst


def test_the_route_is_described_in_openapi(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    op = spec["paths"]["/api/v1/incidents/{incident_id}/confirm-triage"]["post"]
    assert "safety questions" in op["summary"]
    assert {"404", "409", "422"} <= set(op["responses"])
    schema = spec["components"]["schemas"]["ConfirmTriageRequest"]
    assert schema["required"] == ["answers"]
    assert "conscious_breathing" in schema["properties"]["answers"]["description"]
