"""Calls served by the 988 line through the HTTP API: transfer, result, handback; bad input."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.integration.test_phone_988 import CALM_CALLER


def post(api: Api, path: str, json: dict[str, Any], role: str = "call_taker") -> Any:
    return api.client.post(f"/api/v1{path}", json=json, headers=api.h(role))


@pytest.fixture
def phone_call(api: Api) -> str:
    incident = api.call(**CALM_CALLER)
    assert incident["tier"] == "PHONE_988"
    return incident["id"]


def test_transfer_result_and_handback_through_the_api(api: Api, phone_call: str) -> None:
    r = post(api, f"/incidents/{phone_call}/988/transfer", {"centre": "Didi Hirsch 988", "reference": "DH-API-1"})
    assert r.status_code == 200 and r.json()["phone_988"]["reference"] == "DH-API-1"
    r = post(api, f"/incidents/{phone_call}/988/result", {"result": "call_back", "note": "tonight"})
    assert r.status_code == 200 and r.json()["phone_988"]["result"] == "call_back"
    r = post(api, f"/incidents/{phone_call}/988/handback", {"narrative": "She asks for someone in person."}, "dispatcher")
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["handed_back_from"] == phone_call and new["status"] == "queued"
    old = api.client.get(f"/api/v1/incidents/{phone_call}", headers=api.h("dispatcher")).json()
    assert old["phone_988"]["handed_back_to"] == new["id"]
    r = post(api, f"/incidents/{phone_call}/988/handback", {"narrative": "again"})
    assert r.status_code == 409 and new["id"] in r.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "code", "words"),
    [
        ("transfer", {"centre": "", "reference": "x"}, 422, "centre"),
        ("transfer", {"centre": "Didi", "reference": "x", "transferred_at": "2026-11-27T10:00:00"}, 422, "timezone"),
        ("transfer", {"centre": "Didi", "reference": "x", "transferred_at": "2020-01-01T00:00:00Z"}, 422, "before the call"),
        ("result", {"result": "resolved_by_phone"}, 409, "transfer first"),
        ("handback", {"narrative": "come"}, 409, "transfer first"),
        ("handback", {"narrative": "x", "answers": {"age": True}}, 422, "age"),
    ],
)
def test_bad_input_is_refused_with_a_readable_message(
    api: Api, phone_call: str, path: str, body: dict[str, Any], code: int, words: str
) -> None:
    r = post(api, f"/incidents/{phone_call}/988/{path}", body)
    assert r.status_code == code, r.text
    assert words in r.json()["detail"] and "Traceback" not in r.text


def test_a_team_call_is_not_transferred_to_988(api: Api) -> None:
    iid = api.call()["id"]
    r = post(api, f"/incidents/{iid}/988/transfer", {"centre": "Didi", "reference": "x"})
    assert r.status_code == 422 and "988" in r.json()["detail"]


@pytest.mark.parametrize("role", ["crew", "analyst", "police_liaison", "court_liaison"])
def test_only_those_who_take_calls_record_988(api: Api, phone_call: str, role: str) -> None:
    r = post(api, f"/incidents/{phone_call}/988/transfer", {"centre": "Didi", "reference": "x"}, role)
    assert r.status_code == 403


def test_police_and_analysts_do_not_see_the_988_record(api: Api, phone_call: str) -> None:
    post(api, f"/incidents/{phone_call}/988/transfer", {"centre": "Didi Hirsch 988", "reference": "DH-API-2"})
    for role in ("police_liaison", "analyst"):
        view = api.client.get(f"/api/v1/incidents/{phone_call}", headers=api.h(role)).json()
        assert "phone_988" not in view
