"""The second factor over HTTP: enrolling oneself, logging in with a code (the API and the
console's login form), the 401s that say which is missing, and the setting that requires it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisis_dispatch.adapters import totp
from crisis_dispatch.bootstrap import build, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.totp import time_step
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import auth, second_factor
from crisis_dispatch.services.context import SYSTEM, Triager
from tests.api.conftest import Api
from tests.integration.helpers import T0
from tests.support.app import TEST_SECRET

LOGIN = "/api/v1/auth/login"
PASSWORD = "second-factor-123"


def _code(secret: str, clock: FixedClock) -> str:
    return totp.code_at(secret, time_step(clock.now()))


def _login(client: TestClient, username: str, code: str | None = None) -> Any:
    body = {"username": username, "password": PASSWORD} | ({"totp_code": code} if code is not None else {})
    r = client.post(LOGIN, json=body)
    client.cookies.clear()
    return r


def test_a_user_enrols_through_the_api_and_then_logs_in_with_a_code(api: Api) -> None:
    auth.create_user(api.container.ctx, SYSTEM, "enroller", PASSWORD, "dispatcher")
    h = {"Authorization": f"Bearer {_login(api.client, 'enroller').json()['access_token']}"}
    assert api.client.get("/api/v1/auth/totp", headers=h).json() == {"enrolled": False, "pending": False, "required": False}
    wrong = api.client.post("/api/v1/auth/totp/enroll", json={"password": "not-my-password"}, headers=h)
    assert wrong.status_code == 403 and wrong.json()["detail"] == "the current password is wrong"
    started = api.client.post("/api/v1/auth/totp/enroll", json={"password": PASSWORD}, headers=h)
    assert started.status_code == 200 and started.json()["active"] is False
    secret = started.json()["secret"]
    assert started.json()["otpauth_uri"] == totp.provisioning_uri(secret, "enroller")
    bad = api.client.post("/api/v1/auth/totp/confirm", json={"code": "12345"}, headers=h)
    assert bad.status_code == 422 and "wrong one-time code" in bad.json()["detail"]
    ok = api.client.post("/api/v1/auth/totp/confirm", json={"code": _code(secret, api.clock)}, headers=h)
    assert ok.status_code == 200 and ok.json() == {"active": True}
    status = api.client.get("/api/v1/auth/totp", headers=h)
    assert status.json() == {"enrolled": True, "pending": False, "required": False} and secret not in status.text
    again = api.client.post("/api/v1/auth/totp/enroll", json={"password": PASSWORD}, headers=h)
    assert again.status_code == 409 and secret not in again.text

    missing = _login(api.client, "enroller")
    assert missing.status_code == 401 and missing.json()["error"] == "TotpRequired"
    assert missing.json()["detail"].startswith("a one-time code is required")
    wrong_code = _login(api.client, "enroller", "000000" if _code(secret, api.clock) != "000000" else "111111")
    assert wrong_code.status_code == 401 and wrong_code.json() == {"detail": "wrong one-time code", "error": "WrongTotpCode"}
    api.clock.advance(timedelta(seconds=30))
    assert _login(api.client, "enroller", _code(secret, api.clock)).status_code == 200
    audit = api.client.get("/api/v1/audit?object_type=user", headers=api.h("admin")).text
    assert secret not in audit and "totp_enrolled" in audit and "wrong one-time code" in audit


def test_the_cad_has_no_second_factor(api: Api) -> None:
    r = api.client.post("/api/v1/auth/totp/enroll", json={"password": "whatever-it-is"}, headers=api.h("cad"))
    assert r.status_code in (403, 422) and "Traceback" not in r.text


@dataclass
class Required:
    client: TestClient
    clock: FixedClock
    secret: str


@pytest.fixture(scope="module")
def required(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[Required]:
    """An app with CRISIS_DISPATCH_REQUIRE_TOTP on: an enrolled supervisor, an admin with no
    authenticator, a dispatcher."""
    clock = FixedClock(T0)
    path = tmp_path_factory.mktemp("totp") / "totp.sqlite3"
    container = build(Settings(db_path=path, secret_key=TEST_SECRET, require_totp=True), clock=clock, triager=triager)
    upgrade(container.engine)
    for name, role in (("sue", "supervisor"), ("ada", "admin"), ("dana", "dispatcher")):
        auth.create_user(container.ctx, SYSTEM, name, PASSWORD, role)
    uri = second_factor.enroll_by_admin(container.ctx, SYSTEM, "sue")["otpauth_uri"]
    secret = uri.split("secret=")[1].split("&")[0]
    with TestClient(create_app(container.settings, container=container)) as client:
        yield Required(client, clock, secret)
    container.dispose()


def test_with_the_setting_on_admins_and_supervisors_are_asked_for_a_code(required: Required) -> None:
    assert _login(required.client, "dana").status_code == 200
    r = _login(required.client, "ada")
    assert r.status_code == 401 and r.json()["error"] == "TotpRequired"
    assert "no authenticator set up" in r.json()["detail"] and "users totp-enroll ada" in r.json()["detail"]
    r = _login(required.client, "sue")
    assert r.status_code == 401 and r.json()["detail"].startswith("a one-time code is required")
    required.clock.advance(timedelta(seconds=30))
    assert _login(required.client, "sue", _code(required.secret, required.clock)).status_code == 200
    r = _login(required.client, "sue", _code(required.secret, required.clock))
    assert r.status_code == 401 and "already used" in r.json()["detail"]


def test_the_console_asks_for_the_code_after_the_password(required: Required) -> None:
    client = required.client
    step1 = client.post("/login", data={"username": "sue", "password": PASSWORD}, follow_redirects=False)
    assert step1.status_code == 401
    page = step1.text
    assert '<label for="totp_code">One-time code</label>' in page and 'autocomplete="one-time-code"' in page
    assert PASSWORD not in page  # the password is not carried into step 2
    challenge = page.split('name="challenge" value="')[1].split('"')[0]
    wrong = client.post("/login", data={"username": "sue", "challenge": challenge, "totp_code": "12345x"}, follow_redirects=False)
    assert wrong.status_code == 401 and "Wrong one-time code." in wrong.text and 'id="totp_code"' in wrong.text
    required.clock.advance(timedelta(seconds=60))
    data = {"username": "sue", "challenge": challenge, "totp_code": _code(required.secret, required.clock)}
    done = client.post("/login", data=data, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/console" and "cd_session" in done.cookies
    client.cookies.clear()
    no_setup = client.post("/login", data={"username": "ada", "password": PASSWORD}, follow_redirects=False)
    assert no_setup.status_code == 401 and "no authenticator set up" in no_setup.text and 'id="totp_code"' not in no_setup.text
