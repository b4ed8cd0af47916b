"""Each role tried on each route group: allowed roles pass the gate, the others get 403."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.domain.access import UserRole
from tests.api.conftest import Api

R = UserRole
#: Every person's role; the CAD's machine account (issue 13) reads and sends EIDO only.
ALL = set(R) - {R.CAD}

#: (method, path template, body, roles that may call it) -- written out independently of
#: the permission table in the domain, so that a change there has to be made here too.
ROUTES = [
    ("POST", "/api/v1/calls", {"lat": 34.0, "lon": -118.2}, {R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    (
        "POST",
        "/api/v1/incidents/{incident}/calls",
        {"lat": 34.0, "lon": -118.2, "narrative": "still upset"},
        {R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN},
    ),
    ("POST", "/api/v1/eido", {}, {R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN, R.CAD}),
    ("GET", "/api/v1/incidents/{incident}/eido", None, {R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN, R.CAD}),
    ("POST", "/api/v1/incidents/{incident}/location", {"lat": 34.05, "lon": -118.25}, {R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    ("POST", "/api/v1/triage", {"narrative": "sad and alone"}, {R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ANALYST, R.ADMIN}),
    (
        "POST",
        "/api/v1/incidents/{incident}/confirm-triage",
        {"answers": {"weapon": "no", "violence": "no", "conscious_breathing": "yes"}},
        {R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN},
    ),
    ("GET", "/api/v1/incidents", None, ALL),
    ("POST", "/api/v1/incidents/{incident}/assign", {"unit_id": "NOPE"}, {R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    ("GET", "/api/v1/incidents/{incident}/recommendations", None, {R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    ("GET", "/api/v1/queue", None, {R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    ("GET", "/api/v1/alerts", None, {R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    ("POST", "/api/v1/incidents/{incident}/status", {"status": "cancelled"}, {R.DISPATCHER, R.SUPERVISOR, R.CREW, R.ADMIN}),
    ("POST", "/api/v1/incidents/{incident}/outcome", {"disposition": "referred"}, {R.CREW, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    (
        "POST",
        "/api/v1/incidents/{incident}/destinations",
        {"assessment": {"age": 30}},
        {R.CREW, R.DISPATCHER, R.SUPERVISOR, R.ADMIN},
    ),
    ("POST", "/api/v1/incidents/{incident}/notes", {"text": "n"}, {R.CREW, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    (
        "POST",
        "/api/v1/incidents/{incident}/disclosures",
        {"reason": "imperative threat: said he will hurt someone", "to_role": "police_liaison"},
        {R.SUPERVISOR, R.ADMIN},
    ),
    ("GET", "/api/v1/disclosures", None, {R.SUPERVISOR, R.ADMIN, R.POLICE_LIAISON}),
    ("GET", "/api/v1/units", None, ALL - {R.COURT_LIAISON}),
    ("POST", "/api/v1/units/NOPE/status", {"status": "out_of_service"}, {R.DISPATCHER, R.SUPERVISOR, R.CREW, R.ADMIN}),
    (
        "POST",
        "/api/v1/units/NOPE/crew",
        {"staff_id": "x", "role": "clinical_driver", "starts_at": "2026-11-27T00:00:00Z", "ends_at": "2026-11-27T08:00:00Z"},
        {R.SUPERVISOR, R.ADMIN},
    ),
    ("GET", "/api/v1/staff", None, {R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    ("POST", "/api/v1/staff", {"name": "New Person", "roles": ["peer_support_specialist"]}, {R.SUPERVISOR, R.ADMIN}),
    ("GET", "/api/v1/shifts?start=2026-11-27T00:00:00Z&end=2026-11-28T00:00:00Z", None, {R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    ("GET", "/api/v1/stations", None, ALL),
    ("GET", "/api/v1/facilities", None, ALL),
    ("PUT", "/api/v1/facilities/NOPE/beds", {"beds_available": 1}, {R.SUPERVISOR, R.CREW, R.DISPATCHER, R.ADMIN}),
    ("POST", "/api/v1/users", {"username": "someone-new", "password": "long enough pw", "role": "analyst"}, {R.ADMIN}),
    ("GET", "/api/v1/audit", None, {R.SUPERVISOR, R.ADMIN}),
    ("GET", "/api/v1/exports/nemsis?start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z", None, {R.SUPERVISOR, R.ADMIN}),
    ("GET", "/api/v1/subscriptions", None, {R.ADMIN}),
    ("GET", "/api/v1/outbox", None, {R.ADMIN}),
    (
        "GET",
        "/api/v1/reports/kpis?start=2026-11-01T00:00:00-07:00&end=2026-11-27T00:00:00-08:00",
        None,
        {R.ANALYST, R.SUPERVISOR, R.ADMIN},
    ),
]


@pytest.mark.parametrize("role", list(R), ids=lambda r: r.value)
@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES, ids=[f"{m} {p.split('?')[0]}" for m, p, _, _ in ROUTES])
def test_role_gate(api: Api, role: UserRole, method: str, path: str, body: dict | None, allowed: set[UserRole]) -> None:
    if "{incident}" in path:
        path = path.format(incident=api.call()["id"])
    if path.startswith("/api/v1/users") and role is R.ADMIN:
        body = dict(body or {}, username=f"new-{api.clock.now().timestamp():.0f}")
        api.clock.advance(timedelta(seconds=1))
    r = api.client.request(method, path, json=body, headers=api.h(role.value))
    if role in allowed:
        assert r.status_code not in (401, 403), (role, r.status_code, r.text)
    else:
        assert r.status_code == 403, (role, r.status_code, r.text)
        assert r.json()["detail"].startswith(f"role '{role.value}' lacks the '") and r.json()["detail"].endswith("' permission")
