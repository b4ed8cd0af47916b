"""Hold transports through the HTTP API: request, dispatch, pickup verification, handover;
bad input answers 4xx with a readable message; roles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from crisis_dispatch.domain.outcomes import DestinationType
from crisis_dispatch.domain.station import Facility
from crisis_dispatch.services.read_models import AnalystIncident, OperationsIncident, PoliceIncident
from tests.api.conftest import Api
from tests.integration.helpers import T0, staffed_unit

FACILITY = "api-pucc"


@pytest.fixture(scope="module", autouse=True)
def designated_facility(api: Api) -> None:
    with api.container.ctx.uow() as uow:
        if uow.facilities.find(FACILITY) is None:
            uow.facilities.add(
                Facility(
                    id=FACILITY,
                    name="API Psychiatric Urgent Care",
                    type=DestinationType.PSYCHIATRIC_URGENT_CARE,
                    lat=34.06,
                    lon=-118.22,
                    capabilities={"accepts_5150_holds"},
                )
            )
            uow.commit()


def body(**overrides: Any) -> dict[str, Any]:
    now = T0
    return {
        "hold_type": "5150",
        "writer": {"agency": "LAPD Central", "name": "Officer A. Example", "credential": "12345", "kind": "police_officer"},
        "first_detained_at": (now - timedelta(hours=10)).isoformat(),
        "written_at": (now - timedelta(hours=9)).isoformat(),
        "criteria": ["danger_to_self"],
        "pickup": {"kind": "police_station", "name": "LAPD Central Station", "lat": 34.0443, "lon": -118.2468},
        "destination_facility_id": FACILITY,
        "subject_age": 40,
    } | overrides


def post(api: Api, path: str, json: dict[str, Any], role: str = "dispatcher") -> Any:
    return api.client.post(f"/api/v1{path}", json=json, headers=api.h(role))


def test_a_dispatcher_requests_a_hold_transport_and_the_crew_carries_it_out(api: Api) -> None:
    unit_id = staffed_unit(api.container, "TTP-HOLD", hold_writer=False)
    r = post(api, "/hold-transports", body())
    assert r.status_code == 201, r.text
    incident = r.json()
    assert incident["status"] == "queued" and incident["hold_transport"]["minutes_left"] > 0
    iid = incident["id"]
    r = api.client.get(f"/api/v1/incidents/{iid}/recommendations", headers=api.h("dispatcher"))
    assert r.status_code == 200 and unit_id in [x["unit_id"] for x in r.json()["ranked"]]
    assert post(api, f"/incidents/{iid}/assign", {"unit_id": "TTP-HOLD"}).status_code == 200
    assert post(api, f"/incidents/{iid}/status", {"status": "on_scene"}).status_code == 200
    r = post(api, f"/incidents/{iid}/status", {"status": "transporting"})
    assert r.status_code == 409 and "verify" in r.json()["detail"]
    checklist = {"application_seen": True, "application_signed": True, "person_matches": False}
    r = post(api, f"/incidents/{iid}/hold-transport/pickup", checklist)
    assert r.status_code == 422 and "person matches" in r.json()["detail"]
    r = post(api, f"/incidents/{iid}/hold-transport/pickup", checklist | {"person_matches": True})
    assert r.status_code == 200 and r.json()["hold_transport"]["verified"]
    assert post(api, f"/incidents/{iid}/status", {"status": "transporting"}).status_code == 200
    r = post(api, f"/incidents/{iid}/hold-transport/handover", {"received_by": "RN B. Example"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "closed" and done["outcome"]["hold"]["writer"]["name"] == "Officer A. Example"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"first_detained_at": (T0 - timedelta(hours=80)).isoformat()}, "expired"),
        ({"hold_type": "5250"}, "unknown hold type '5250'"),
        ({"destination_facility_id": "nowhere"}, "unknown facility"),
        ({"criteria": []}, "criteria"),
        ({"first_detained_at": "2026-11-27T08:00:00"}, "timezone"),
        ({"writer": {"agency": "LAPD", "name": "X", "credential": "1", "kind": "sheriff"}}, "writer kind"),
        ({"pickup": {"kind": "street", "lat": 34.05, "lon": 200}}, "pickup.lon"),
        ({"subject_age": 15}, "5585"),
    ],
)
def test_bad_requests_are_refused_with_a_readable_message(api: Api, change: dict[str, Any], words: str) -> None:
    if "first_detained_at" in change and words == "expired":
        change = change | {"written_at": (T0 - timedelta(hours=79)).isoformat()}
    r = post(api, "/hold-transports", body(**change))
    assert r.status_code == 422, r.text
    assert words in r.json()["detail"] and "Traceback" not in r.text


def test_the_pickup_and_handover_of_a_911_call_are_refused(api: Api) -> None:
    iid = api.call()["id"]
    r = post(
        api,
        f"/incidents/{iid}/hold-transport/pickup",
        {"application_seen": True, "application_signed": True, "person_matches": True},
    )
    assert r.status_code == 422 and "not a hold transport" in r.json()["detail"]
    r = post(api, f"/incidents/{iid}/hold-transport/handover", {"received_by": "someone"})
    assert r.status_code == 422 and "not a hold transport" in r.json()["detail"]


@pytest.mark.parametrize("role", ["call_taker", "dispatcher", "supervisor", "admin"])
def test_those_who_take_calls_may_request_a_hold_transport(api: Api, role: str) -> None:
    assert post(api, "/hold-transports", body(), role).status_code == 201


@pytest.mark.parametrize("role", ["crew", "analyst", "police_liaison", "court_liaison"])
def test_other_roles_may_not_request_a_hold_transport(api: Api, role: str) -> None:
    assert post(api, "/hold-transports", body(), role).status_code == 403


def test_police_and_analysts_do_not_see_the_hold(api: Api) -> None:
    iid = post(api, "/hold-transports", body()).json()["id"]
    assert "hold_transport" in OperationsIncident.model_fields
    assert "hold_transport" not in PoliceIncident.model_fields | AnalystIncident.model_fields
    for role in ("police_liaison", "analyst"):
        view = api.client.get(f"/api/v1/incidents/{iid}", headers=api.h(role)).json()
        assert "hold_transport" not in view
