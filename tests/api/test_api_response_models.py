"""Every JSON answer of the API is documented by a typed schema (issues 11 and 16): the
console's JavaScript and the CAD read these answers, and OpenAPI is their contract.

An answer documented as a bare object (``{"type": "object"}``, ``additionalProperties:
true``) or a list of them says nothing of its keys. Only the documents listed in
:data:`OPEN_DOCUMENTS` may be open, and each must say in its description what it is and
where its schema lives.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from crisis_dispatch.config import Settings
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services.dispatching import check_clocks
from tests.api.conftest import Api

#: (method, path) of the answers allowed to stay open objects, and why.
OPEN_DOCUMENTS: dict[tuple[str, str], str] = {
    # A NENA EIDO document (NENA-STA-021.1): its schema is NENA's, shipped in the package
    # (crisis_dispatch/data/eido/), hundreds of definitions; we validate against it in tests.
    ("GET", "/api/v1/incidents/{incident_id}/eido"): "NENA EIDO",
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp: Path = tmp_path_factory.mktemp("openapi")
    app = create_app(Settings(db_path=tmp / "x.db", secret_key="x" * 40))
    return app.openapi()


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def untyped(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """An object (or a list of objects) whose keys the schema does not name."""
    schema = _resolve(spec, schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return any(untyped(spec, s) for s in schema[key])
    if schema.get("type") == "array":
        return untyped(spec, schema.get("items", {}))
    if "properties" in schema:
        return False
    if schema.get("type") == "object" or not schema:
        # A map of typed values (additionalProperties: a schema) names what each value is.
        extra = schema.get("additionalProperties", True)
        return extra is True or (isinstance(extra, dict) and untyped(spec, extra))
    return False


def json_answers(spec: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any], str]]:
    """(method, path, status, schema, description) of every 2xx application/json answer."""
    found = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for code, answer in op.get("responses", {}).items():
                content = answer.get("content", {}).get("application/json")
                if code.startswith("2") and content is not None:
                    found.append((method.upper(), path, code, content.get("schema", {}), answer.get("description", "")))
    return found


def test_the_spec_has_json_answers_to_check(spec: dict[str, Any]) -> None:
    assert len(json_answers(spec)) > 70


def test_every_json_answer_has_a_typed_schema(spec: dict[str, Any]) -> None:
    open_ = [
        f"{method} {path} {code}"
        for method, path, code, schema, _ in json_answers(spec)
        if (method, path) not in OPEN_DOCUMENTS and untyped(spec, schema)
    ]
    assert open_ == [], "answers documented as bare objects (declare a response_model): " + ", ".join(open_)


def test_open_documents_say_what_they_are(spec: dict[str, Any]) -> None:
    answers = {(m, p): (schema, description) for m, p, _, schema, description in json_answers(spec)}
    for key, what in OPEN_DOCUMENTS.items():
        schema, description = answers[key]
        text = (schema.get("description", "") + " " + description).lower()
        assert what.lower() in text and "schema" in text, f"{key}: the description must name the document and its schema"


def test_open_documents_are_still_open(spec: dict[str, Any]) -> None:
    """An allow-listed answer that got a model leaves the list (it stays honest)."""
    answers = {(m, p): schema for m, p, _, schema, _ in json_answers(spec)}
    assert [k for k in OPEN_DOCUMENTS if not untyped(spec, answers[k])] == []


def test_the_event_stream_is_documented_as_one(spec: dict[str, Any]) -> None:
    answer = spec["paths"]["/api/v1/events"]["get"]["responses"]["200"]
    assert list(answer["content"]) == ["text/event-stream"]
    assert "event" in answer["description"].lower()


def test_the_check_finds_a_bare_object() -> None:
    """The walk itself can fail: a bare object, a list of them, a nullable one, a map of them."""
    bare: dict[str, Any] = {"type": "object", "additionalProperties": True}
    spec: dict[str, Any] = {"components": {"schemas": {"Typed": {"type": "object", "properties": {"a": {}}}}}}
    assert untyped(spec, bare)
    assert untyped(spec, {"type": "array", "items": bare})
    assert untyped(spec, {"anyOf": [bare, {"type": "null"}]})
    assert untyped(spec, {"type": "object", "additionalProperties": bare})
    assert untyped(spec, {})
    assert not untyped(spec, {"$ref": "#/components/schemas/Typed"})
    assert not untyped(spec, {"type": "array", "items": {"$ref": "#/components/schemas/Typed"}})
    assert not untyped(spec, {"type": "object", "additionalProperties": {"type": "string"}})
    assert not untyped(spec, {"type": "string"})


# ----------------------------------------------------------------------------- answers with content
# The models refuse a key they do not declare: these answers, which the other API tests
# read only empty or not at all, are fetched here with content, so that a key a service
# starts returning fails here (a ResponseValidationError) before it reaches the console.
def test_a_new_shift_and_an_escalation_answer_their_declared_keys(api: Api) -> None:
    staff = api.client.post(
        "/api/v1/staff",
        json={"name": "Rosa Typed", "roles": ["peer_support_specialist"], "qualifications": []},
        headers=api.h("admin"),
    )
    assert staff.status_code == 201, staff.text
    assert set(staff.json()) == {"id", "name", "roles", "qualifications", "active"}
    now = api.clock.now()
    shift = api.client.post(
        f"/api/v1/units/{api.crew_unit}/crew",
        json={
            "staff_id": staff.json()["id"],
            "role": "peer_support_specialist",
            "starts_at": (now + timedelta(days=2)).isoformat(),
            "ends_at": (now + timedelta(days=2, hours=8)).isoformat(),
        },
        headers=api.h("supervisor"),
    )
    assert shift.status_code == 201, shift.text
    assert set(shift.json()) == {"id", "unit_id", "staff_id", "role", "starts_at", "ends_at"}

    busy = api.call(narrative="Man pacing and talking to himself, calm, no weapons.")
    api.client.post(f"/api/v1/incidents/{busy['id']}/assign", json={}, headers=api.h("dispatcher"))
    waiting = api.call(narrative="Woman hearing voices, calm, no weapons, not violent.")
    assert any(q["id"] == waiting["id"] for q in api.client.get("/api/v1/queue", headers=api.h("dispatcher")).json())
    api.clock.advance(timedelta(hours=3))
    assert check_clocks(api.container.ctx), "a call waiting three hours is escalated"
    alerts = api.client.get("/api/v1/alerts", headers=api.h("supervisor"))
    assert alerts.status_code == 200, alerts.text
    assert any(a["incident_id"] == waiting["id"] for a in alerts.json())
    entry = next(q for q in api.client.get("/api/v1/queue", headers=api.h("dispatcher")).json() if q["id"] == waiting["id"])
    assert entry["escalations"] and entry["clock"]["state"]
