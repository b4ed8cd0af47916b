"""EIDO intake over HTTP: POST /api/v1/eido, the CAD's API key, location to confirm."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.integration.helpers import T0
from tests.support import eido

from .conftest import Api

CALM = "<p>Caller's brother is <b>hearing voices</b> and scared.</p><p>No weapons, not violent.</p>"


def post(api: Api, doc: dict[str, Any], role: str = "cad") -> Any:
    return api.client.post("/api/v1/eido", json=doc, headers=api.h(role))


def test_the_official_nena_sample_imports_with_its_delaware_address_to_confirm(api: Api) -> None:
    sample = eido.official_sample()
    r = post(api, sample)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["result"] == "created" and body["location_to_confirm"] is True
    assert "42 W Cellular Street, Wilmington, DE" in body["incident"]["address"]
    assert body["incident"]["location"]["lat"] is None
    again = post(api, sample)
    assert again.status_code == 200 and again.json()["result"] == "unchanged"
    assert again.json()["incident_id"] == body["incident_id"]


def test_a_document_written_from_the_schema_is_triaged_like_a_call_with_notes_as_plain_text(api: Api) -> None:
    doc = eido.document("urn:emergency:uid:incidentid:t1:lacounty", T0 - timedelta(minutes=5), notes=[("n1", CALM)])
    r = post(api, doc)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["location_to_confirm"] is False
    incident = api.client.get(f"/api/v1/incidents/{body['incident_id']}", headers=api.h("dispatcher")).json()
    call = incident["calls"][0]
    assert call["code"] == "EDP" and call["call_type"] == "MENTAL HEALTH"
    assert call["narrative"] == "Caller's brother is hearing voices and scared.\nNo weapons, not violent."
    assert call["caller_name"] == "Ana Reyes" and call["caller_phone"] == "+13105550100"
    assert incident["location"] == {"lat": 34.0522, "lon": -118.2437, "address": ""}
    assert incident["status"] == "queued" and incident["tier"].startswith("MH_TEAM")


def test_a_newer_document_updates_the_same_incident_an_older_one_is_ignored(api: Api) -> None:
    ident = "urn:emergency:uid:incidentid:t2:lacounty"
    first = post(api, eido.document(ident, T0 - timedelta(minutes=10), notes=[("t2-n1", CALM)])).json()
    newer = eido.document(
        ident,
        T0 - timedelta(minutes=2),
        location=eido.point(34.0600, -118.2500),
        notes=[("t2-n1", CALM), ("t2-n2", "<p>Update: he now has a <b>knife</b> in his hand.</p>")],
    )
    r = post(api, newer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["result"] == "updated" and body["incident_id"] == first["incident_id"]
    assert "location moved" in body["changes"]
    assert body["tier"] != first["tier"] and "POLICE" in body["tier"]
    incident = api.client.get(f"/api/v1/incidents/{first['incident_id']}", headers=api.h("dispatcher")).json()
    assert incident["location"]["lat"] == 34.06 and len(incident["calls"]) == 2
    assert {"location", "retriage"} <= {h["event"] for h in incident["history"]}

    older = post(api, eido.document(ident, T0 - timedelta(minutes=20), notes=[("t2-n9", "<p>old</p>")]))
    assert older.status_code == 200 and older.json()["result"] == "ignored_older"
    assert "older than the one already applied" in older.json()["message"]
    assert older.json()["incident_id"] == first["incident_id"]
    listed = api.client.get("/api/v1/incidents?limit=1000", headers=api.h("dispatcher")).json()
    assert sum(1 for i in listed if i["id"] == first["incident_id"]) == 1


def test_same_timestamp_with_different_content_is_a_conflict(api: Api) -> None:
    ident = "urn:emergency:uid:incidentid:t3:lacounty"
    at = T0 - timedelta(minutes=3)
    assert post(api, eido.document(ident, at, notes=[("t3-n1", CALM)])).status_code == 201
    r = post(api, eido.document(ident, at, notes=[("t3-n1", CALM), ("t3-n2", "<p>more</p>")]))
    assert r.status_code == 409 and "later lastUpdateTimeStamp" in r.json()["detail"]


def test_an_invalid_document_is_refused_with_the_json_paths_at_fault(api: Api) -> None:
    doc = eido.document("urn:emergency:uid:incidentid:bad:lacounty", T0)
    del doc["agencyComponent"]
    doc["eidoVersion"] = "9.9"
    doc["callComponent"][0]["direction"] = 7
    r = post(api, doc)
    assert r.status_code == 422
    paths = {p["path"] for p in r.json()["problems"]}
    assert {"$", "$.eidoVersion", "$.callComponent[0].direction"} <= paths
    assert "agencyComponent" in r.text


def test_pidf_lo_that_is_not_xml_is_refused_with_its_path(api: Api) -> None:
    r = post(api, eido.document("urn:emergency:uid:incidentid:badxml:lacounty", T0, location="<presence><unclosed>"))
    assert r.status_code == 422
    assert r.json()["problems"][0]["path"] == "$.locationComponent[0].locationByValue"


def test_a_circle_is_placed_at_its_centre(api: Api) -> None:
    r = post(api, eido.document("urn:emergency:uid:incidentid:circle:lacounty", T0, location=eido.circle(34.07, -118.26)))
    assert r.status_code == 201, r.text
    assert r.json()["incident"]["location"]["lat"] == 34.07


def test_the_cad_key_is_checked_and_the_cad_reads_no_incident_views(api: Api) -> None:
    doc = eido.document("urn:emergency:uid:incidentid:key:lacounty", T0)
    wrong = api.client.post("/api/v1/eido", json=doc, headers={"X-API-Key": "county-cad:not-the-key"})
    assert wrong.status_code == 401 and "API key" in wrong.json()["detail"]
    assert api.client.get("/api/v1/incidents", headers=api.h("cad")).status_code == 403
    for role in ("crew", "analyst", "police_liaison", "court_liaison"):
        assert post(api, doc, role).status_code == 403, role
    assert post(api, doc, "call_taker").status_code == 201
    login = api.client.post("/api/v1/auth/login", json={"username": "county-cad", "password": api.cad_key.split(":", 1)[1]})
    assert login.status_code == 401
    audit = api.client.get("/api/v1/audit?object_type=user", headers=api.h("admin")).json()
    assert any(a["action"] == "api_key_failed" for a in audit)


def test_location_to_confirm_gets_no_van_until_a_dispatcher_places_it(api: Api) -> None:
    doc = eido.document(
        "urn:emergency:uid:incidentid:civic:lacounty",
        T0,
        location=eido.civic("200", "Spring", "St", "Los Angeles"),
        notes=[("c1", CALM)],
    )
    body = post(api, doc).json()
    iid = body["incident_id"]
    assert body["location_to_confirm"] is True and body["status"] == "queued"
    rec = api.client.get(f"/api/v1/incidents/{iid}/recommendations", headers=api.h("dispatcher")).json()
    assert rec["ranked"] == [] and rec["location_to_confirm"] is True
    assert "location to confirm" in rec["warning"]
    assert all(
        e["reasons"] == ["the incident's location is to confirm"] for e in rec["excluded"] if e["unit_id"] == api.crew_unit
    )
    assign = api.client.post(f"/api/v1/incidents/{iid}/assign", json={}, headers=api.h("dispatcher"))
    assert assign.status_code == 422 and "location to confirm" in assign.json()["detail"]
    queue = api.client.get("/api/v1/queue", headers=api.h("dispatcher")).json()
    waiting = next(q for q in queue if q["id"] == iid)
    assert waiting["location"] == {"lat": None, "lon": None} and waiting["location_to_confirm"] is True

    assert (
        api.client.post(
            f"/api/v1/incidents/{iid}/location", json={"lat": 34.05, "lon": -118.24}, headers=api.h("call_taker")
        ).status_code
        == 403
    )
    placed = api.client.post(
        f"/api/v1/incidents/{iid}/location", json={"lat": 34.0537, "lon": -118.2428}, headers=api.h("dispatcher")
    )
    assert placed.status_code == 200, placed.text
    assert placed.json()["location_to_confirm"] is False
    assert placed.json()["address"] == "200 Spring St, Los Angeles, CA, US"
    rec = api.client.get(f"/api/v1/incidents/{iid}/recommendations", headers=api.h("dispatcher")).json()
    assert [r["unit_id"] for r in rec["ranked"]] == [api.crew_unit] and rec["warning"] is None
    bad = api.client.post(f"/api/v1/incidents/{iid}/location", json={"lat": 91, "lon": 0}, headers=api.h("dispatcher"))
    assert bad.status_code == 422


# ----------------------------------------------------------------------------- EIDO out


def eido_of(api: Api, incident_id: str, role: str = "cad") -> dict[str, Any]:
    r = api.client.get(f"/api/v1/incidents/{incident_id}/eido", headers=api.h(role))
    assert r.status_code == 200, r.text
    return r.json()


def test_our_incident_goes_back_as_a_valid_eido_with_the_cad_reference_van_and_disposition(api: Api) -> None:
    from crisis_dispatch.adapters import eido_reader
    from crisis_dispatch.adapters.eido_schema import load_schema

    ident = "urn:emergency:uid:incidentid:out:lacounty"
    iid = post(api, eido.document(ident, T0 - timedelta(minutes=4), notes=[("o1", CALM)])).json()["incident_id"]
    note = api.client.post(
        f"/api/v1/incidents/{iid}/notes", json={"text": "Mother says <he> is off medication"}, headers=api.h("dispatcher")
    )
    assert note.status_code == 201
    queued = eido_of(api, iid)
    assert load_schema().problems(queued) == []
    assert queued["$id"] == ident and queued["incidentComponent"]["incidentStatusCommonRegistryText"] == ["Pending"]
    assert queued["incidentComponent"]["incidentTypeCommonRegistryText"] == "EDP"
    assert "notesComponent" not in queued, "the CAD sees no clinical note"
    back = eido_reader.read(queued)
    assert (back.place.lat, back.place.lon) == (34.0522, -118.2437) if back.place else False
    for_dispatcher = eido_of(api, iid, "dispatcher")
    assert load_schema().problems(for_dispatcher) == []
    assert eido_reader.read(for_dispatcher).notes[0].text == "Mother says <he> is off medication"

    assert (
        api.client.post(
            f"/api/v1/incidents/{iid}/assign", json={"unit_id": api.crew_unit}, headers=api.h("dispatcher")
        ).status_code
        == 200
    )
    for step in ("en_route", "on_scene"):
        r = api.client.post(f"/api/v1/incidents/{iid}/status", json={"status": step}, headers=api.h("dispatcher"))
        assert r.status_code == 200, r.text
    outcome = {"disposition": "treated_and_released", "summary": "Talked for an hour; diagnosis and plan discussed."}
    assert api.client.post(f"/api/v1/incidents/{iid}/outcome", json=outcome, headers=api.h("crew")).status_code == 200
    r = api.client.post(f"/api/v1/incidents/{iid}/close", json={"reason": "done"}, headers=api.h("dispatcher"))
    assert r.status_code == 200, r.text
    closed = eido_of(api, iid)
    assert load_schema().problems(closed) == []
    assert closed["incidentComponent"]["incidentStatusCommonRegistryText"] == ["Closed"]
    unit = closed["emergencyResourceComponent"][0]
    assert unit["emergencyResourceName"] == "TTP-API" and unit["primaryUnitStatusRegistryText"] == "Available"
    disposition = closed["incidentComponent"]["dispositionComponent"][0]
    assert disposition["dispositionDescriptionText"] == "treated and released on site"
    assert "diagnosis" not in str(closed) and "hour" not in str(closed)


def test_a_screened_out_call_tells_the_cad_who_was_sent_and_why(api: Api) -> None:
    from crisis_dispatch.adapters.eido_schema import load_schema

    doc = eido.document(
        "urn:emergency:uid:incidentid:od:lacounty",
        T0 - timedelta(minutes=1),
        code="OD",
        internal="OVERDOSE",
        notes=[("od1", "<p>Took a whole bottle of pills, now unconscious and not breathing.</p>")],
    )
    iid = post(api, doc).json()["incident_id"]
    out = eido_of(api, iid)
    assert load_schema().problems(out) == []
    text = out["incidentComponent"]["dispositionComponent"][0]["dispositionDescriptionText"]
    assert text == "EMS sent (overdose)" and out["incidentComponent"]["incidentStatusCommonRegistryText"] == ["Closed"]
    sample = eido_of(api, post(api, eido.official_sample()).json()["incident_id"])
    assert load_schema().problems(sample) == []
    assert "Cellular Street" in sample["locationComponent"][0]["locationByValue"]
    words = sample["incidentComponent"]["dispositionComponent"][0]["dispositionDescriptionText"]
    assert words.startswith("not triaged: not enough information")
    assert api.client.get(f"/api/v1/incidents/{iid}/eido", headers=api.h("police_liaison")).status_code == 403


def test_admins_manage_subscriptions_and_see_the_outbox_others_may_not(api: Api) -> None:
    body = {"url": "https://cad.example.gov/eido", "secret": "0123456789abcdef-secret", "events": ["assigned", "closed"]}
    assert api.client.post("/api/v1/subscriptions", json=body, headers=api.h("dispatcher")).status_code == 403
    assert api.client.post("/api/v1/subscriptions", json=body, headers=api.h("cad")).status_code == 403
    r = api.client.post("/api/v1/subscriptions", json=body, headers=api.h("admin"))
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["events"] == ["assigned", "closed"] and "secret" not in sub
    short = api.client.post("/api/v1/subscriptions", json=body | {"secret": "short"}, headers=api.h("admin"))
    assert short.status_code == 422
    bad = api.client.post("/api/v1/subscriptions", json=body | {"events": ["gossip"]}, headers=api.h("admin"))
    assert bad.status_code == 422 and "unknown event(s) gossip" in bad.json()["detail"]
    off = api.client.patch(f"/api/v1/subscriptions/{sub['id']}", json={"active": False}, headers=api.h("admin"))
    assert off.status_code == 200 and off.json()["active"] is False
    listed = api.client.get("/api/v1/subscriptions", headers=api.h("admin")).json()
    assert [s["id"] for s in listed if s["id"] == sub["id"]] and "secret" not in str(listed)
    assert api.client.patch("/api/v1/subscriptions/SUB-NOPE", json={"active": True}, headers=api.h("admin")).status_code == 404
    assert api.client.get("/api/v1/outbox?state=dead", headers=api.h("admin")).status_code == 200
    assert api.client.get("/api/v1/outbox?state=lost", headers=api.h("admin")).status_code == 422
    assert api.client.get("/api/v1/outbox", headers=api.h("supervisor")).status_code == 403
    assert api.client.post("/api/v1/outbox/999999/retry", headers=api.h("admin")).status_code == 404
    audit = api.client.get("/api/v1/audit?object_type=subscription", headers=api.h("admin")).json()
    assert {a["action"] for a in audit} == {"create", "update"}


def test_the_nemsis_export_is_xml_for_supervisors_and_admins_only(api: Api) -> None:
    iid = api.call()["id"]
    assert (
        api.client.post(
            f"/api/v1/incidents/{iid}/assign", json={"unit_id": api.crew_unit}, headers=api.h("dispatcher")
        ).status_code
        == 200
    )
    r = api.client.post(
        f"/api/v1/incidents/{iid}/status", json={"status": "cancelled", "reason": "test"}, headers=api.h("dispatcher")
    )
    assert r.status_code == 200, r.text
    window = "start=2026-11-27T00:00:00Z&end=2026-11-28T00:00:00Z"
    for role in ("dispatcher", "analyst", "cad"):
        assert api.client.get(f"/api/v1/exports/nemsis?{window}", headers=api.h(role)).status_code == 403, role
    r = api.client.get(f"/api/v1/exports/nemsis?{window}", headers=api.h("supervisor"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert int(r.headers["x-encounters"]) >= 1 and b"<EMSDataSet" in r.content
    empty = api.client.get("/api/v1/exports/nemsis?start=2020-01-01T00:00:00Z&end=2020-01-02T00:00:00Z", headers=api.h("admin"))
    assert empty.status_code == 422 and "no crisis-team encounter" in empty.json()["detail"]
