"""Input that cannot hurt (issue "Privacy, security and robustness", item 4), through the API:
every finding a new user made is a clear 4xx with a message, never a 500 or a silent accept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisis_dispatch.entrypoints.api.app import create_app
from tests.api.conftest import Api
from tests.integration.helpers import staffed_unit

MAX_BIGINT = 2**63 - 1
CHINA = {"lat": 34.05, "lon": 118.24}  # Los Angeles with the sign of the longitude dropped


def _post_json(api: Api, path: str, body: dict[str, Any], role: str = "call_taker") -> Any:
    """POST ``body`` as JSON with every non-ASCII character escaped (a lone surrogate too, as
    any JSON client may send ``"\\ud800"``)."""
    return api.client.post(path, content=json.dumps(body).encode(), headers=api.h(role) | {"content-type": "application/json"})


def _on_scene(api: Api, call_sign: str, **call: Any) -> str:
    """An incident (from ``call``) with the van ``call_sign`` on scene; its path."""
    staffed_unit(api.container, call_sign)
    incident = api.call(**call)
    path = f"/api/v1/incidents/{incident['id']}"
    d = api.h("dispatcher")
    assert api.client.post(f"{path}/assign", json={"unit_id": call_sign}, headers=d).status_code == 200
    assert api.client.post(f"{path}/status", json={"status": "on_scene"}, headers=d).status_code == 200
    return path


def _hold_outcome(placed_by: str, *, placed_at: str, first_detained_at: str, type_: str = "5150", **extra: Any) -> dict[str, Any]:
    hold = {
        "type": type_,
        "placed_by": placed_by,
        "placed_at": placed_at,
        "first_detained_at": first_detained_at,
        "criteria": ["danger_to_self"],
        "could_be_served_without_detention": False,
    }
    return {"disposition": "involuntary_hold", "hold": hold, "destination": {"type": "psychiatric_urgent_care"}} | extra


# --------------------------------------------------------------------------- control characters


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"], ids=repr)
@pytest.mark.parametrize("field", ["narrative", "address", "call_type", "caller_name", "subject_description", "code"])
def test_a_control_character_in_any_call_field_is_a_422_naming_the_field(api: Api, field: str, char: str) -> None:
    r = _post_json(api, "/api/v1/calls", {"lat": 34.05, "lon": -118.25, field: f"ab{char}cd"})
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "ValidationError"
    assert f"{field}: " in r.json()["detail"] and "control character" in r.json()["detail"]


def test_tab_newline_and_carriage_return_stay_allowed_in_free_text(api: Api) -> None:
    incident = api.call(narrative="line one\r\n\tline two", subject_description="tall\nred jacket")
    assert incident["calls"][0]["narrative"] == "line one\r\n\tline two"


def test_a_newline_in_a_one_line_field_is_refused(api: Api) -> None:
    r = api.client.post(
        "/api/v1/calls", json={"lat": 34.05, "lon": -118.25, "caller_phone": "555\n0100"}, headers=api.h("call_taker")
    )
    assert r.status_code == 422 and "caller_phone: " in r.json()["detail"]


def test_a_control_character_in_answers_keys_or_values_is_refused(api: Api) -> None:
    for answers in ({"weapon\x00": "no"}, {"weapon": "no\x00"}):
        r = api.client.post("/api/v1/calls", json={"lat": 34.05, "lon": -118.25, "answers": answers}, headers=api.h("call_taker"))
        assert r.status_code == 422 and "answers: " in r.json()["detail"], r.text


def test_a_nul_in_the_login_username_is_a_422_without_logging_in(api: Api) -> None:
    r = api.client.post("/api/v1/auth/login", json={"username": "dispatcher\x00", "password": "whatever-long"})
    assert r.status_code == 422 and "username: " in r.json()["detail"]


def test_a_nul_in_a_note_is_a_422(api: Api) -> None:
    incident = api.call()
    r = api.client.post(f"/api/v1/incidents/{incident['id']}/notes", json={"text": "ok\x00"}, headers=api.h("dispatcher"))
    assert r.status_code == 422 and "text: " in r.json()["detail"]


def test_a_nul_in_a_path_or_a_query_parameter_is_a_422(api: Api) -> None:
    d = api.h("dispatcher")
    r = api.client.get("/api/v1/incidents/INC-%00X", headers=d)
    assert r.status_code == 422 and "path" in r.json()["detail"]
    r = api.client.get("/api/v1/audit?object_id=%00", headers=api.h("admin"))
    assert r.status_code == 422 and "object_id" in r.json()["detail"]


def test_a_control_character_in_the_idempotency_key_is_a_422(api: Api) -> None:
    h = api.h("call_taker", **{"Idempotency-Key": "key\x01one"})
    r = api.client.post("/api/v1/calls", json={"lat": 34.05, "lon": -118.25}, headers=h)
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["detail"]


TEXT_FIELDS = ["narrative", "address", "call_type", "caller_name", "caller_phone", "subject_description", "code"]
CONTROL = st.sampled_from([chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(TEXT_FIELDS),
    before=st.text(max_size=10),
    char=CONTROL,
    after=st.text(max_size=10),
)
def test_any_text_with_a_control_character_is_a_422_never_a_5xx(api: Api, field: str, before: str, char: str, after: str) -> None:
    r = api.client.post(
        "/api/v1/calls", json={"lat": 34.05, "lon": -118.25, field: before + char + after}, headers=api.h("call_taker")
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("invalid request: ") and f"{field}: " in r.json()["detail"]


# --------------------------------------------------------------------------- integers in range


def test_an_event_id_beyond_the_databases_range_is_a_422_not_an_overflow(api: Api) -> None:
    r = api.client.get("/api/v1/events?after=9223372036855824384", headers=api.h("dispatcher"))
    assert r.status_code == 422 and "after: " in r.json()["detail"]
    r = api.client.get("/api/v1/events", headers=api.h("dispatcher", **{"Last-Event-ID": str(MAX_BIGINT + 1)}))
    assert r.status_code == 422 and "Last-Event-ID" in r.json()["detail"]


def test_an_offset_or_a_bed_count_beyond_the_databases_range_is_a_422(api: Api) -> None:
    r = api.client.get(f"/api/v1/incidents?offset={MAX_BIGINT + 1}", headers=api.h("dispatcher"))
    assert r.status_code == 422 and "offset: " in r.json()["detail"]
    r = api.client.put("/api/v1/facilities/anything/beds", json={"beds_available": 2**40}, headers=api.h("admin"))
    assert r.status_code == 422 and "beds_available: " in r.json()["detail"]


# --------------------------------------------------------------------------- numbers are numbers


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"lat": True, "lon": -118.25}, "lat: Input should be a valid number"),
        ({"lat": 34.05, "lon": False}, "lon: Input should be a valid number"),
        ({"lat": 34.05, "lon": -118.25, "priority": True}, "priority: Input should be a valid integer"),
        ({"lat": 34.05, "lon": -118.25, "subject_age": True}, "subject_age: Input should be a valid integer"),
        ({"lat": 34.05, "lon": -118.25, "subject_age": -5}, "subject_age: Input should be greater than or equal to 0"),
        ({"lat": 34.05, "lon": -118.25, "subject_age": 250}, "subject_age: Input should be less than or equal to 120"),
        ({"lat": 34.05, "lon": -118.25, "answers": {"age": -5}}, "answers: "),
        ({"lat": 34.05, "lon": -118.25, "answers": {"age": 250}}, "answers: "),
        ({"lat": 34.05, "lon": -118.25, "answers": {"age": True}}, "answers: "),
    ],
)
def test_booleans_are_not_numbers_and_ages_are_0_to_120(api: Api, body: dict[str, Any], fragment: str) -> None:
    r = api.client.post("/api/v1/calls", json=body, headers=api.h("call_taker"))
    assert r.status_code == 422, r.text
    assert fragment in r.json()["detail"]


def test_an_age_answer_the_reader_does_not_understand_is_still_accepted(api: Api) -> None:
    assert api.call(answers={"age": "unknown"})["status"] == "queued"
    assert api.call(answers={"age": 120}, subject_age=0)["subject_age"] == 0


# --------------------------------------------------------------------------- the service area


@pytest.mark.parametrize(
    "where",
    [CHINA, {"lat": 40.7128, "lon": -74.0060}, {"lat": -36.8485, "lon": 174.7633}],
    ids=["china", "new-york", "new-zealand"],
)
def test_a_call_outside_the_service_area_is_a_422_naming_the_area(api: Api, where: dict[str, float]) -> None:
    r = api.client.post("/api/v1/calls", json=where | {"narrative": "man talking to himself"}, headers=api.h("call_taker"))
    assert r.status_code == 422, r.text
    assert "Los Angeles County" in r.json()["detail"] and "outside_service_area" in r.json()["detail"]
    assert r.json()["error"] == "OutsideServiceArea"


def test_a_dispatcher_may_take_a_call_outside_the_area_and_it_is_recorded(api: Api) -> None:
    staffed_unit(api.container, "TTP-FAR")
    incident = api.call(role="dispatcher", outside_service_area=True, **CHINA)
    assert incident["status"] == "queued" and incident["outside_service_area"] is True
    d = api.h("dispatcher")
    path = f"/api/v1/incidents/{incident['id']}"
    history = api.client.get(path, headers=d).json()["history"]
    assert "outside the service area (Los Angeles County)" in history[0]["reason"]
    audit = api.client.get(f"/api/v1/audit?object_id={incident['id']}", headers=api.h("admin")).json()
    assert any("outside the service area" in (a.get("detail") or "") for a in audit)
    recs = api.client.get(f"{path}/recommendations", headers=d).json()
    assert recs["outside_service_area"] is True and recs["eta_source"].startswith("straight-line")
    assert "Los Angeles County" in recs["warning"]
    # The recommended van is never sent on its own to a call outside the area: name it.
    r = api.client.post(f"{path}/assign", json={}, headers=d)
    assert r.status_code == 422 and "outside the service area" in r.json()["detail"] and "unit_id" in r.json()["detail"]
    r = api.client.post(f"{path}/assign", json={"unit_id": "TTP-FAR"}, headers=d)
    assert r.status_code == 200, r.text


def test_only_roles_that_dispatch_may_override_the_service_area(api: Api) -> None:
    r = api.client.post("/api/v1/calls", json=CHINA | {"outside_service_area": True}, headers=api.h("call_taker"))
    assert r.status_code == 403 and "outside the service area" in r.json()["detail"]


def test_a_call_inside_the_area_is_not_marked(api: Api) -> None:
    assert api.call()["outside_service_area"] is False


# --------------------------------------------------------------------------- holds


def test_a_5150_on_a_minor_whose_age_came_in_the_answers_is_refused(api: Api) -> None:
    path = _on_scene(api, "TTP-MINOR", answers={"age": 15})
    now = api.clock.now().isoformat()
    d = api.h("dispatcher")
    r = api.client.post(
        f"{path}/outcome", json=_hold_outcome("stf-ttp-minor-psych", placed_at=now, first_detained_at=now), headers=d
    )
    assert r.status_code == 422 and "minor" in r.json()["detail"] and "5585" in r.json()["detail"], r.text


def test_a_hold_first_detained_before_the_call_was_received_is_refused(api: Api) -> None:
    received = api.clock.now() - timedelta(hours=1)
    path = _on_scene(api, "TTP-EARLY", received_at=received.isoformat())
    body = _hold_outcome(
        "stf-ttp-early-psych",
        placed_at=(received - timedelta(minutes=30)).isoformat(),
        first_detained_at=(received - timedelta(hours=1)).isoformat(),
    )
    r = api.client.post(f"{path}/outcome", json=body, headers=api.h("dispatcher"))
    assert r.status_code == 422 and "before the call was received" in r.json()["detail"], r.text


def test_a_hold_recorded_after_it_expired_is_refused(api: Api) -> None:
    now = api.clock.now()
    path = _on_scene(api, "TTP-LATE", received_at=(now - timedelta(days=6)).isoformat())
    body = _hold_outcome(
        "stf-ttp-late-psych",
        placed_at=(now - timedelta(days=5)).isoformat(),
        first_detained_at=(now - timedelta(days=5)).isoformat(),
    )
    r = api.client.post(f"{path}/outcome", json=body, headers=api.h("dispatcher"))
    assert r.status_code == 422 and "expired" in r.json()["detail"] and "72 h" in r.json()["detail"], r.text


def test_an_outcome_age_outside_0_to_120_is_a_422(api: Api) -> None:
    path = _on_scene(api, "TTP-AGE")
    r = api.client.post(
        f"{path}/outcome", json={"disposition": "treated_and_released", "subject_age": 250}, headers=api.h("dispatcher")
    )
    assert r.status_code == 422 and "subject_age: " in r.json()["detail"]


# --------------------------------------------------------------------------- body size


@pytest.fixture
def small_cap(api: Api) -> Iterator[TestClient]:
    """The same app with a 2 kB body cap (the setting), so the tests send little."""
    settings_ = api.container.settings.model_copy(update={"max_body_bytes": 2048})
    with TestClient(create_app(settings_, container=api.container)) as client:
        yield client


def test_a_streamed_body_over_the_cap_is_a_413_before_it_is_parsed(api: Api, small_cap: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"lat": 34.05, "lon": -118.25, "narrative": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    h = api.h("call_taker") | {"content-type": "application/json"}
    r = small_cap.post("/api/v1/calls", content=chunks(), headers=h)
    assert r.status_code == 413, r.text
    assert r.json()["error"] == "PayloadTooLarge" and "2048 bytes" in r.json()["detail"]


def test_a_declared_length_over_the_cap_is_refused_without_reading(api: Api, small_cap: TestClient) -> None:
    r = small_cap.post("/api/v1/auth/login", content=b"x" * 4096, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "2048 bytes" in r.json()["detail"]


def test_a_body_under_the_cap_still_works(api: Api, small_cap: TestClient) -> None:
    r = small_cap.post("/api/v1/calls", json={"lat": 34.05, "lon": -118.25, "narrative": "calm"}, headers=api.h("call_taker"))
    assert r.status_code == 201, r.text
    assert small_cap.get("/health").status_code == 200


def test_the_default_cap_is_one_megabyte(api: Api) -> None:
    assert api.container.settings.max_body_bytes == 1024 * 1024
    h = api.h("call_taker") | {"content-type": "application/json"}
    r = api.client.post("/api/v1/calls", content=b'{"narrative": "' + b"x" * (1024 * 1024) + b'"}', headers=h)
    assert r.status_code == 413
