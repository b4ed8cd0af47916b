"""``POST /api/v1/incidents/{id}/disclosures`` and ``GET /api/v1/disclosures`` over HTTP."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

REASON = "imperative threat: he said he will hurt his neighbour tonight"


def test_a_supervisor_discloses_an_incident_to_a_named_police_liaison_who_then_sees_it(api: Api) -> None:
    calm = api.call()["id"]
    assert api.client.get(f"/api/v1/incidents/{calm}", headers=api.h("police_liaison")).status_code == 404
    r = api.client.post(
        f"/api/v1/incidents/{calm}/disclosures", json={"reason": REASON, "to_user": "police-liaison"}, headers=api.h("supervisor")
    )
    assert r.status_code == 201, r.text
    assert r.json() | {"id": None} == {
        "id": None,
        "incident_id": calm,
        "at": api.clock.now().isoformat(),
        "by": "supervisor",
        "reason": REASON,
        "to_user": "police-liaison",
        "to_role": None,
    }
    seen = api.client.get(f"/api/v1/incidents/{calm}", headers=api.h("police_liaison"))
    assert seen.status_code == 200 and seen.json()["view"] == "police"
    listed = api.client.get("/api/v1/disclosures", params={"user": "police-liaison"}, headers=api.h("admin")).json()
    assert r.json() in listed
    audit = api.client.get("/api/v1/audit", params={"object_type": "incident", "object_id": calm}, headers=api.h("admin"))
    assert ("supervisor", "disclose", "to police user police-liaison") in {
        (a["username"], a["action"], a["detail"]) for a in audit.json()
    }


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"reason": REASON}, "name one recipient"),
        ({"reason": REASON, "to_user": "police-liaison", "to_role": "police_liaison"}, "name one recipient"),
        ({"reason": "   ", "to_user": "police-liaison"}, "reason"),
        ({"reason": "because", "to_user": "police-liaison"}, "at least 10 characters"),
        ({"reason": REASON + "\x00", "to_user": "police-liaison"}, "U+0000"),
        ({"reason": REASON, "to_user": "dispatcher"}, "no active police_liaison"),
        ({"reason": REASON, "to_role": "analyst"}, "to_role"),
        ({"reason": REASON, "to_user": "police-liaison", "also": 1}, "also"),
    ],
)
def test_a_disclosure_without_a_reason_or_a_police_recipient_is_refused_with_a_readable_422(
    api: Api, body: dict, says: str
) -> None:
    calm = api.call()["id"]
    r = api.client.post(f"/api/v1/incidents/{calm}/disclosures", json=body, headers=api.h("supervisor"))
    assert r.status_code == 422, r.text
    assert says in r.text
    assert api.client.get(f"/api/v1/incidents/{calm}", headers=api.h("police_liaison")).status_code == 404


def test_disclosing_an_unknown_incident_is_404_and_listing_an_unknown_user_too(api: Api) -> None:
    r = api.client.post(
        "/api/v1/incidents/INC-NOPE/disclosures", json={"reason": REASON, "to_role": "police_liaison"}, headers=api.h("admin")
    )
    assert r.status_code == 404 and "INC-NOPE" in r.json()["detail"]
    r = api.client.get("/api/v1/disclosures", params={"user": "nobody"}, headers=api.h("admin"))
    assert r.status_code == 404 and "nobody" in r.json()["detail"]
