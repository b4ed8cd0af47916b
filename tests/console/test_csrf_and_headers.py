"""The console's cookie session: CSRF tokens on every change, security headers on pages and
files, and the login page's answer when logins are throttled."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM, Triager
from tests.integration.helpers import T0
from tests.support.app import sqlite_container_at

PASSWORD = "console-pass-123"
TRIAGE = {"call_type": "EDP", "narrative": "calm, no weapons"}


@pytest.fixture(scope="module")
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, triager: Triager, clock: FixedClock) -> Iterator[TestClient]:
    with sqlite_container_at(tmp_path_factory.mktemp("csrf") / "c.sqlite3", clock, triager) as container:
        for name in ("taker", "taker2", "slow"):
            auth.create_user(container.ctx, SYSTEM, name, PASSWORD, "call_taker")
        with TestClient(create_app(container.settings, container=container)) as c:
            yield c


def _session(client: TestClient, username: str = "taker") -> tuple[str, str]:
    """Log in through the page; the session cookie and the CSRF token the console page carries."""
    r = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303, r.text
    cookie = client.cookies["cd_session"]
    page = client.get("/console")
    client.cookies.clear()
    match = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page.text)
    assert match, "the page carries its session's CSRF token"
    assert f'name="csrf_token" value="{match.group(1)}"' in page.text  # and so does the logout form
    return cookie, match.group(1)


def test_a_cookie_post_without_the_csrf_token_is_403(client: TestClient) -> None:
    cookie, _ = _session(client)
    r = client.post("/api/v1/triage", json=TRIAGE, headers={"Cookie": f"cd_session={cookie}"})
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]


def test_a_cookie_post_with_a_wrong_token_or_another_sessions_token_is_403(client: TestClient) -> None:
    cookie, _ = _session(client)
    _, other_token = _session(client, "taker2")
    for token in ("0" * 64, other_token):
        r = client.post("/api/v1/triage", json=TRIAGE, headers={"Cookie": f"cd_session={cookie}", "X-CSRF-Token": token})
        assert r.status_code == 403


def test_a_cookie_post_with_the_sessions_token_goes_through(client: TestClient) -> None:
    cookie, token = _session(client)
    r = client.post("/api/v1/triage", json=TRIAGE, headers={"Cookie": f"cd_session={cookie}", "X-CSRF-Token": token})
    assert r.status_code == 200, r.text


def test_reads_with_the_cookie_and_bearer_calls_need_no_csrf_token(client: TestClient) -> None:
    cookie, _ = _session(client)
    assert client.get("/api/v1/auth/me", headers={"Cookie": f"cd_session={cookie}"}).status_code == 200
    token = client.post("/api/v1/auth/login", json={"username": "taker", "password": PASSWORD}).json()["access_token"]
    client.cookies.clear()
    assert client.post("/api/v1/triage", json=TRIAGE, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_logout_form_needs_the_csrf_token(client: TestClient) -> None:
    cookie, token = _session(client)
    jar = {"Cookie": f"cd_session={cookie}"}
    for data in ({}, {"csrf_token": "forged"}):
        r = client.post("/logout", data=data, headers=jar, follow_redirects=False)
        assert r.status_code == 403
    assert client.get("/api/v1/auth/me", headers=jar).status_code == 200  # still logged in
    out = client.post("/logout", data={"csrf_token": token}, headers=jar, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/api/v1/auth/me", headers=jar).status_code == 401


def test_a_console_password_change_keeps_the_session_going_on_a_new_cookie(client: TestClient) -> None:
    cookie, token = _session(client, "taker2")
    body = {"current_password": PASSWORD, "new_password": "console-pass-456"}
    r = client.post("/api/v1/auth/password", json=body, headers={"Cookie": f"cd_session={cookie}", "X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    new_cookie = r.cookies["cd_session"]
    client.cookies.clear()
    assert new_cookie != cookie
    assert client.get("/api/v1/auth/me", headers={"Cookie": f"cd_session={cookie}"}).status_code == 401
    assert client.get("/api/v1/auth/me", headers={"Cookie": f"cd_session={new_cookie}"}).status_code == 200


@pytest.mark.parametrize(
    "path", ["/login", "/static/js/common.js", "/static/css/app.css", "/static/vendor/leaflet-1.9.4/leaflet.js"]
)
def test_pages_and_static_files_carry_the_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_pages_keep_their_own_content_security_policy(client: TestClient) -> None:
    csp = client.get("/login").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "form-action 'self'" in csp


def test_the_login_page_says_when_to_try_again_after_too_many_failures(client: TestClient, clock: FixedClock) -> None:
    for _ in range(5):
        r = client.post("/login", data={"username": "slow", "password": "wrong-password-0"}, follow_redirects=False)
        assert r.status_code == 401
    r = client.post("/login", data={"username": "slow", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 429 and r.headers["retry-after"] == str(15 * 60)
    assert "Too many failed logins for this account; try again in 15 minutes." in r.text
    assert "set-cookie" not in r.headers
    clock.advance(timedelta(minutes=15))
    assert client.post("/login", data={"username": "slow", "password": PASSWORD}, follow_redirects=False).status_code == 303
    client.cookies.clear()
