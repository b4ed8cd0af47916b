"""Input that cannot hurt, on SQLite and on a real PostgreSQL: PostgreSQL refuses a NUL in
text (a 500 before), ids past BIGINT overflow, holds the law forbids, calls outside the area."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.outcomes import Destination, DestinationType, Disposition, Hold, HoldCriterion, HoldType, Outcome
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import events, incidents
from crisis_dispatch.services.context import SYSTEM, Actor
from crisis_dispatch.services.incidents import CallIntake
from tests.integration.helpers import CALM_CALL, new_incident, staffed_unit
from tests.support.app import add_users, login_tokens

PASSWORD = "test-password-123"
DISPATCHER = Actor("dana", UserRole.DISPATCHER)


@dataclass
class DbApi:
    client: TestClient
    tokens: dict[UserRole, str]

    def h(self, role: UserRole = UserRole.DISPATCHER) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture
def db_api(container: Container) -> Iterator[DbApi]:
    """The API over each database (SQLite, PostgreSQL), a dispatcher and an admin logged in."""
    logins = {r: (r.value.replace("_", "-"), PASSWORD) for r in (UserRole.DISPATCHER, UserRole.ADMIN)}
    add_users(container.ctx, logins, "")
    with TestClient(create_app(container.settings, container=container)) as client:
        yield DbApi(client, login_tokens(client, logins))


# --------------------------------------------------------------------------- NUL and control characters


@pytest.mark.parametrize("field", ["narrative", "address", "caller_name", "subject_description"])
def test_a_nul_in_call_text_is_a_422_on_both_databases(db_api: DbApi, field: str) -> None:
    r = db_api.client.post("/api/v1/calls", json={**CALM_CALL, field: "before\x00after"}, headers=db_api.h())
    assert r.status_code == 422, r.text
    assert f"{field}: " in r.json()["detail"] and "U+0000" in r.json()["detail"]


def test_a_nul_in_a_note_a_reason_or_a_path_is_a_422_on_both_databases(db_api: DbApi) -> None:
    r = db_api.client.post("/api/v1/calls", json=CALM_CALL, headers=db_api.h())
    assert r.status_code == 201, r.text
    path = f"/api/v1/incidents/{r.json()['id']}"
    r = db_api.client.post(f"{path}/notes", json={"text": "x\x00"}, headers=db_api.h())
    assert r.status_code == 422 and "text: " in r.json()["detail"]
    r = db_api.client.post(f"{path}/status", json={"status": "cancelled", "reason": "\x00"}, headers=db_api.h())
    assert r.status_code == 422 and "reason: " in r.json()["detail"]
    r = db_api.client.get("/api/v1/incidents/INC-%00", headers=db_api.h())
    assert r.status_code == 422
    r = db_api.client.post("/api/v1/incidents/INC-%00/notes", json={"text": "fine"}, headers=db_api.h())
    assert r.status_code == 422
    # Nothing was lost: the incident is still there, without a note.
    assert db_api.client.get(path, headers=db_api.h()).json()["notes"] == []


def test_a_nul_in_the_login_username_is_a_422_on_both_databases(db_api: DbApi) -> None:
    r = db_api.client.post("/api/v1/auth/login", json={"username": "\x00dispatcher", "password": PASSWORD})
    assert r.status_code == 422 and "username: " in r.json()["detail"]
    r = db_api.client.post("/api/v1/auth/login", json={"username": "dispatcher", "password": PASSWORD})
    assert r.status_code == 200


def test_a_nul_in_an_idempotency_key_is_refused_by_the_service(container: Container) -> None:
    with pytest.raises(InvalidInput, match="Idempotency-Key"):
        incidents.take_call(container.ctx, SYSTEM, CallIntake(**CALM_CALL), "key\x00")


# --------------------------------------------------------------------------- ids in range


def test_a_feed_position_past_bigint_is_refused_not_an_overflow(container: Container) -> None:
    new_incident(container)
    with pytest.raises(InvalidInput, match="9223372036854775807"):
        events.events_since(container.ctx, SYSTEM, 2**63)
    assert events.events_since(container.ctx, SYSTEM, 2**63 - 1) == []


def test_an_event_id_past_bigint_is_a_422_on_both_databases(db_api: DbApi) -> None:
    r = db_api.client.get("/api/v1/events?after=9223372036855824384", headers=db_api.h())
    assert r.status_code == 422 and "after: " in r.json()["detail"]


# --------------------------------------------------------------------------- the service area


def test_a_call_outside_the_area_is_refused_or_kept_with_its_override(container: Container) -> None:
    ctx = container.ctx
    far = CALM_CALL | {"lon": 118.2437}
    with pytest.raises(InvalidInput, match="Los Angeles County"):
        incidents.take_call(ctx, DISPATCHER, CallIntake(**far))
    view = incidents.take_call(ctx, DISPATCHER, CallIntake(**far, outside_service_area=True)).incident
    stored = incidents.get_incident(ctx, SYSTEM, view["id"])
    assert stored["outside_service_area"] is True
    assert "outside the service area (Los Angeles County)" in stored["history"][0]["reason"]
    with pytest.raises(InvalidInput, match="outside the service area"):
        incidents.assign_unit(ctx, DISPATCHER, view["id"], None)


# --------------------------------------------------------------------------- holds


def _on_scene(container: Container, call_sign: str, **call: Any) -> str:
    ctx = container.ctx
    staffed_unit(container, call_sign)
    iid = new_incident(container, **call)
    incidents.assign_unit(ctx, SYSTEM, iid, f"unit-{call_sign.lower()}")
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    return iid


def _hold_outcome(container: Container, call_sign: str, *, first_detained_at: Any, placed_at: Any, type_: HoldType) -> Outcome:
    now = container.ctx.clock.now()
    hold = Hold(
        type_, f"stf-{call_sign.lower()}-psych", placed_at, first_detained_at, frozenset({HoldCriterion.DANGER_TO_SELF}), False
    )
    return Outcome(
        Disposition.INVOLUNTARY_HOLD, now, "crew", destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE), hold=hold
    )


def test_the_age_from_the_answers_counts_for_a_hold(container: Container) -> None:
    iid = _on_scene(container, "TTP-KID", answers={"age": 15})
    now = container.ctx.clock.now()
    outcome = _hold_outcome(container, "TTP-KID", first_detained_at=now, placed_at=now, type_=HoldType.WIC_5150)
    with pytest.raises(InvalidInput, match="minor"):
        incidents.record_outcome(container.ctx, SYSTEM, iid, outcome)
    assert incidents.get_incident(container.ctx, SYSTEM, iid)["outcome"] is None


def test_a_hold_before_the_call_or_after_72_hours_is_refused(container: Container) -> None:
    now = container.ctx.clock.now()
    iid = _on_scene(container, "TTP-OLD", received_at=now - timedelta(days=6))
    days, hours = timedelta(days=1), timedelta(hours=1)
    for detained, placed, refusal in [
        (now - 5 * days, now - 5 * days, "expired"),
        (now - 7 * days, now - hours, "before the call was received"),
        (now - 71 * hours, now - 70 * hours, None),
    ]:
        outcome = _hold_outcome(container, "TTP-OLD", first_detained_at=detained, placed_at=placed, type_=HoldType.WIC_5150)
        if refusal is None:
            assert incidents.record_outcome(container.ctx, SYSTEM, iid, outcome)["outcome"]["hold"]["type"] == "5150"
        else:
            with pytest.raises(InvalidInput, match=refusal):
                incidents.record_outcome(container.ctx, SYSTEM, iid, outcome)
