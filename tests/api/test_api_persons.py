"""The person index through the HTTP API (issue 14 item 2): search, create, link, history,
unlink, merge, unmerge; bad input answers 4xx with a readable message; roles."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api


def post(api: Api, role: str, path: str, body: dict[str, Any]) -> Any:
    return api.client.post("/api/v1" + path, json=body, headers=api.h(role))


def test_search_create_link_history_merge_unmerge(api: Api) -> None:
    a = post(api, "dispatcher", "/persons", {"names": ["Ada Example", "Addie"], "dob": "1971-05", "phones": ["213 555 0177"]})
    assert a.status_code == 201, a.text
    b = post(api, "dispatcher", "/persons", {"names": ["Ada Exampel"], "description": "blue cap"})
    pa, pb = a.json()["id"], b.json()["id"]
    incident = api.call("dispatcher")["id"]
    found = api.client.get("/api/v1/persons", params={"name": "Ada Example", "dob": "1971"}, headers=api.h("call_taker"))
    assert found.status_code == 200 and found.json()["candidates"][0]["person"]["id"] == pa
    assert any("year of birth matches (1971)" in r for r in found.json()["candidates"][0]["reasons"])
    linked = post(api, "dispatcher", f"/incidents/{incident}/person", {"person_id": pb})
    assert linked.status_code == 200 and linked.json()["person_id"] == pb
    merged = post(api, "supervisor", f"/persons/{pb}/merge", {"into": pa, "reason": "same woman, typo in the name"})
    assert merged.status_code == 200 and merged.json()["incidents"] == [incident]
    record = api.client.get(f"/api/v1/persons/{pa}", headers=api.h("dispatcher")).json()
    assert [e["incident_id"] for e in record["encounters"]] == [incident] and record["merged_from"] == [pb]
    assert api.client.get(f"/api/v1/incidents/{incident}", headers=api.h("dispatcher")).json()["person_id"] == pa
    back = post(api, "supervisor", f"/persons/{pb}/unmerge", {"reason": "two different women"})
    assert back.status_code == 200 and back.json()["incidents"] == [incident]
    unlinked = api.client.delete(f"/api/v1/incidents/{incident}/person", headers=api.h("dispatcher"))
    assert unlinked.status_code == 200 and unlinked.json()["unlinked"] is True


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        ("GET", "/persons", None, 422, "at least one of"),
        ("GET", "/persons?dob=03/07/1984", None, 422, "YYYY-MM-DD"),
        ("GET", "/persons?phone=12", None, 422, "7 digits"),
        ("GET", "/persons?name=x&limit=500", None, 422, "limit"),
        ("POST", "/persons", {}, 422, "a name (or an alias) or a description"),
        ("POST", "/persons", {"names": ["X"], "dob": "2999"}, 422, "not a possible date of birth"),
        ("POST", "/persons", {"names": ["X"], "phones": ["12"]}, 422, "7 digits"),
        ("POST", "/persons", {"names": ["X\x00"]}, 422, "control character"),
        ("GET", "/persons/PER-NOPE", None, 404, "person 'PER-NOPE' not found"),
        ("POST", "/persons/PER-NOPE/merge", {"into": "PER-NOPE2", "reason": "same person"}, 404, "not found"),
        ("POST", "/persons/PER-NOPE/unmerge", {"reason": "x"}, 422, "at least 5 characters"),
    ],
)
def test_bad_input_answers_4xx_with_a_readable_message(
    api: Api, method: str, path: str, body: Any, status: int, words: str
) -> None:
    r = api.client.request(method, "/api/v1" + path, json=body, headers=api.h("dispatcher"))
    assert r.status_code == status, r.text
    assert words in r.text


def test_linking_an_unknown_incident_or_person_is_404(api: Api) -> None:
    pid = post(api, "dispatcher", "/persons", {"names": ["Someone"]}).json()["id"]
    assert post(api, "dispatcher", "/incidents/INC-NOPE/person", {"person_id": pid}).status_code == 404
    incident = api.call("dispatcher")["id"]
    r = post(api, "dispatcher", f"/incidents/{incident}/person", {"person_id": "PER-NOPE"})
    assert r.status_code == 404 and "person 'PER-NOPE' not found" in r.text


@pytest.mark.parametrize("role", ["police_liaison", "analyst", "court_liaison", "cad"])
def test_roles_outside_the_clinical_team_are_refused_everywhere(api: Api, role: str) -> None:
    assert api.client.get("/api/v1/persons", params={"name": "Ada"}, headers=api.h(role)).status_code == 403
    assert post(api, role, "/persons", {"names": ["Ada"]}).status_code == 403
