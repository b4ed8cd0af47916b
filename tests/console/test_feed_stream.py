"""``GET /api/v1/events`` over a real socket (uvicorn on 127.0.0.1): Server-Sent Events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from crisis_dispatch.bootstrap import Container, build
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.services import auth, events, incidents
from crisis_dispatch.services.context import SYSTEM, Triager
from crisis_dispatch.services.incidents import CallIntake
from tests.browser.harness import CREDENTIALS, LiveConsole, live_console, serving
from tests.integration.helpers import CALM_CALL, T0
from tests.support.app import login_tokens

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[LiveConsole]:
    path: Path = tmp_path_factory.mktemp("feed") / "feed.sqlite3"
    with live_console(path, FixedClock(T0), triager) as running:
        yield running


def token(live: LiveConsole, role: UserRole) -> str:
    with httpx.Client(base_url=live.url) as client:
        return login_tokens(client, {role: CREDENTIALS[role]})[role]


def read_events(lines: Iterator[str], until: Any) -> list[dict[str, Any]]:
    """Parse the stream into ``{"event", "id", "data"}`` until ``until(events)`` holds."""
    got: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for line in lines:
        if not line:
            if "event" in current:
                got.append(current)
                if until(got):
                    return got
            current = {}
        elif line.startswith("event: "):
            current["event"] = line[7:]
        elif line.startswith("id: "):
            current["id"] = int(line[4:])
        elif line.startswith("data: "):
            current["data"] = json.loads(line[6:])
    return got


def new_call(live: LiveConsole) -> str:
    return incidents.take_call(live.ctx, SYSTEM, CallIntake(**CALM_CALL)).incident["id"]


def test_the_stream_says_hello_then_sends_each_new_status_change_with_its_id(live: LiveConsole) -> None:
    headers = {"Authorization": f"Bearer {token(live, UserRole.DISPATCHER)}"}
    with httpx.stream("GET", live.url + "/api/v1/events", headers=headers, timeout=10) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = r.iter_lines()
        (hello,) = read_events(lines, lambda evs: True)
        assert hello["event"] == "hello"
        assert hello["data"]["now"] == T0.isoformat()
        incident = new_call(live)
        got = read_events(lines, lambda evs: sum(e["event"] == "status" for e in evs) == 3)
    status = [e for e in got if e["event"] == "status"]
    assert [e["data"]["to"] for e in status] == ["received", "triaged", "queued"]
    assert all(e["data"]["incident_id"] == incident and e["id"] == e["data"]["id"] for e in status)


def test_a_reconnecting_browser_resumes_after_its_last_event_id(live: LiveConsole) -> None:
    before = events.latest_id(live.ctx)
    incident = new_call(live)  # happens while the browser is away
    headers = {"Authorization": f"Bearer {token(live, UserRole.DISPATCHER)}", "Last-Event-ID": str(before)}
    with httpx.stream("GET", live.url + "/api/v1/events", headers=headers, timeout=10) as r:
        got = read_events(r.iter_lines(), lambda evs: sum(e["event"] == "status" for e in evs) == 3)
    assert got[0]["event"] == "hello" and got[0]["data"]["last_id"] == before
    assert {e["data"]["incident_id"] for e in got if e["event"] == "status"} == {incident}


def test_the_police_liaison_stream_carries_only_police_incidents_and_no_reason(live: LiveConsole) -> None:
    """A crisis-team-alone call never reaches the police's stream; one with police in the
    response does, without who changed it or why."""
    before = events.latest_id(live.ctx)
    new_call(live)  # calm: the team goes alone
    armed = incidents.take_call(live.ctx, SYSTEM, CallIntake(**(CALM_CALL | {"narrative": KNIFE}))).incident["id"]
    headers = {"Authorization": f"Bearer {token(live, UserRole.POLICE_LIAISON)}"}
    with httpx.stream("GET", live.url + f"/api/v1/events?after={before}", headers=headers, timeout=10) as r:
        got = read_events(r.iter_lines(), lambda evs: sum(e["event"] == "status" for e in evs) == 3)
    status = [e["data"] for e in got if e["event"] == "status"]
    assert [e["incident_id"] for e in status] == [armed] * 3
    assert all("reason" not in e and "by" not in e for e in status)


KNIFE = "Man waving a kitchen knife at neighbours, shouting."


def test_bad_requests_to_the_stream_get_readable_errors(live: LiveConsole) -> None:
    assert httpx.get(live.url + "/api/v1/events", timeout=5).status_code == 401
    headers = {"Authorization": f"Bearer {token(live, UserRole.DISPATCHER)}", "Last-Event-ID": "yesterday"}
    r = httpx.get(live.url + "/api/v1/events", headers=headers, timeout=5)
    assert r.status_code == 422
    assert "Last-Event-ID" in r.json()["detail"]


def test_two_api_servers_on_one_database_stream_each_others_changes(container: Container) -> None:
    """Two API processes (own engine, own app) on one SQLite file or one PostgreSQL: a call
    taken through one appears in the live feed of the other."""
    auth.create_user(container.ctx, SYSTEM, "dana", "dana-password-123", "dispatcher")
    second = build(container.settings, clock=container.ctx.clock, triager=container.ctx.triage)
    try:
        with serving(container) as first_url, serving(second) as second_url:
            login = {"username": "dana", "password": "dana-password-123"}
            bearer = {
                "Authorization": "Bearer " + httpx.post(second_url + "/api/v1/auth/login", json=login).json()["access_token"]
            }
            with httpx.stream("GET", second_url + "/api/v1/events", headers=bearer, timeout=10) as r:
                lines = r.iter_lines()
                read_events(lines, lambda evs: True)  # hello: subscribed
                taken = httpx.post(first_url + "/api/v1/calls", json=CALM_CALL, headers=bearer, timeout=10)
                assert taken.status_code == 201, taken.text
                got = read_events(lines, lambda evs: sum(e["event"] == "status" for e in evs) == 3)
        assert {e["data"]["incident_id"] for e in got if e["event"] == "status"} == {taken.json()["id"]}
    finally:
        second.dispose()
