"""CARE Court over HTTP (issue 14 item 4): the crew's clinician prepares a petition, the court
liaison reads it without the caller or the words of the call and records the stages; a hold
and a CARE referral are recorded together; other roles are refused."""

from __future__ import annotations

from typing import Any

import pytest

from crisis_dispatch.domain.care import Criterion
from tests.api.conftest import Api

NARRATIVE = "Her brother says the TV talks to him (marked-care-narrative)"
CALLER = "Marked Care Caller"
PETITION = {
    "respondent": {"name": "Alex Respondent", "age": 34, "county_of_residence": "Los Angeles"},
    "county": "Los Angeles",
    "facts": "Three crisis contacts this autumn; stopped treatment.",
    "criteria": [c.value for c in Criterion],
    "grounds": ["unlikely_to_survive_safely"],
}


def on_scene(api: Api) -> str:
    inc = api.call(
        call_type="EDP",
        narrative=NARRATIVE,
        caller_name=CALLER,
        answers={"weapon": "no", "violence": "no", "conscious_breathing": "yes"},
    )
    iid = inc["id"]
    d = api.h("dispatcher")
    r = api.client.post(f"/api/v1/incidents/{iid}/assign", json={"unit_id": api.crew_unit}, headers=d)
    assert r.status_code == 200, r.text
    r = api.client.post(f"/api/v1/incidents/{iid}/status", json={"status": "on_scene"}, headers=api.h("crew"))
    assert r.status_code == 200, r.text
    return iid


def close(api: Api, iid: str, outcome: dict[str, Any]) -> None:
    r = api.client.post(f"/api/v1/incidents/{iid}/outcome", json=outcome, headers=api.h("crew"))
    assert r.status_code == 200, r.text
    assert api.client.post(f"/api/v1/incidents/{iid}/close", json={"reason": "done"}, headers=api.h("crew")).status_code == 200


def test_prepare_read_as_the_court_and_record_the_stages(api: Api) -> None:
    iid = on_scene(api)
    for role in ("dispatcher", "call_taker", "police_liaison", "analyst", "court_liaison"):
        r = api.client.post(f"/api/v1/incidents/{iid}/care-petitions", json=PETITION, headers=api.h(role))
        assert r.status_code in (403, 404), (role, r.status_code)
    young = PETITION | {"respondent": PETITION["respondent"] | {"age": 17}}
    r = api.client.post(f"/api/v1/incidents/{iid}/care-petitions", json=young, headers=api.h("crew"))
    assert r.status_code == 422 and "the respondent is 17" in r.json()["detail"]
    r = api.client.post(f"/api/v1/incidents/{iid}/care-petitions", json=PETITION, headers=api.h("crew"))
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    close(api, iid, {"disposition": "referred", "care_referral": True})

    court = api.h("court_liaison")
    listed = api.client.get("/api/v1/care-petitions", headers=court)
    assert [p["id"] for p in listed.json()] == [pid]
    for url in (
        "/api/v1/care-petitions",
        f"/api/v1/care-petitions/{pid}",
        f"/api/v1/care-petitions/{pid}/evidence",
        f"/api/v1/incidents/{iid}",
    ):
        text = api.client.get(url, headers=court).text
        assert NARRATIVE not in text and CALLER not in text, url
    today = api.clock.now().date().isoformat()
    for stage in ("filed", "prima_facie_finding", "county_report_ordered"):
        r = api.client.post(f"/api/v1/care-petitions/{pid}/stages", json={"stage": stage, "on": today}, headers=court)
        assert r.status_code == 200, r.text
    due = r.json()["due"]
    assert due["what"] == "the county's report (WIC 5977)" and not due["overdue"] and "in 14 court days" in due["words"]
    r = api.client.post(
        f"/api/v1/care-petitions/{pid}/stages", json={"stage": "graduation_or_dismissal", "on": today}, headers=court
    )
    assert r.status_code == 422 and "graduation" in r.json()["detail"]
    audit = api.client.get("/api/v1/audit", params={"object_type": "care_petition", "object_id": pid}, headers=api.h("admin"))
    assert {"create", "read", "update", "list"} <= {a["action"] for a in audit.json()}


@pytest.mark.parametrize("role", ["police_liaison", "analyst", "cad", "dispatcher", "call_taker"])
def test_other_roles_read_no_care_matter(api: Api, role: str) -> None:
    r = api.client.get("/api/v1/care-petitions", headers=api.h(role))
    assert r.status_code == 403, r.text


def test_a_hold_and_a_care_referral_are_recorded_together(api: Api) -> None:
    iid = on_scene(api)
    now = api.clock.now().isoformat()
    outcome = {
        "disposition": "involuntary_hold",
        "care_referral": True,
        "destination": {"type": "psychiatric_urgent_care", "name": "PUCC"},
        "hold": {
            "type": "5150",
            "placed_by": "stf-ttp-api-psych",
            "placed_at": now,
            "first_detained_at": now,
            "criteria": ["grave_disability"],
            "could_be_served_without_detention": False,
        },
    }
    r = api.client.post(f"/api/v1/incidents/{iid}/outcome", json=outcome, headers=api.h("crew"))
    assert r.status_code == 200, r.text
    assert r.json()["outcome"]["disposition"] == "involuntary_hold" and r.json()["outcome"]["care_referral"] is True
    seen = api.client.get(f"/api/v1/incidents/{iid}", headers=api.h("court_liaison"))
    assert seen.status_code == 200 and seen.json()["view"] == "court"
