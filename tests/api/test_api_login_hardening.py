"""Login throttling, lockout, the password policy, password changes and security headers over HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM, Triager
from tests.api.conftest import Api
from tests.integration.helpers import T0
from tests.support.app import sqlite_container_at

LOGIN = "/api/v1/auth/login"
PASSWORD = "hardening-pass-123"


def _login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    r = client.post(LOGIN, json={"username": username, "password": password})
    client.cookies.clear()
    return r


def test_five_wrong_passwords_answer_429_with_retry_after_then_the_login_works_after_the_window(api: Api) -> None:
    auth.create_user(api.container.ctx, SYSTEM, "throttled", PASSWORD, "dispatcher")
    for _ in range(5):
        assert _login(api.client, "throttled", "wrong-password-000").status_code == 401
    r = _login(api.client, "throttled")
    assert r.status_code == 429
    assert r.headers["retry-after"] == str(15 * 60)
    assert r.json()["error"] == "LoginThrottled"
    assert "too many failed logins for this account; try again in 15 minutes" in r.json()["detail"]
    api.clock.advance(timedelta(minutes=15))
    assert _login(api.client, "throttled").status_code == 200


def test_one_client_address_is_throttled_across_account_names(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> None:
    clock = FixedClock(T0)
    with sqlite_container_at(tmp_path_factory.mktemp("addr") / "a.sqlite3", clock, triager) as container:
        auth.create_user(container.ctx, SYSTEM, "dana", PASSWORD, "dispatcher")
        app = create_app(container.settings, container=container)
        with TestClient(app, client=("10.6.6.6", 5000)) as sprayer, TestClient(app, client=("10.1.1.1", 5000)) as desk:
            for i in range(20):
                assert _login(sprayer, f"name{i}").status_code == 401
            r = _login(sprayer, "dana")
            assert r.status_code == 429 and r.headers["retry-after"] == str(15 * 60)
            assert "from this address" in r.json()["detail"]
            assert _login(desk, "dana").status_code == 200
            clock.advance(timedelta(minutes=15))
            assert _login(sprayer, "dana").status_code == 200


def test_a_locked_account_answers_429_until_an_admin_unlocks_it(api: Api) -> None:
    auth.create_user(api.container.ctx, SYSTEM, "locked", PASSWORD, "dispatcher")
    for _ in range(2):
        for _ in range(5):
            _login(api.client, "locked", "wrong-password-000")
        api.clock.advance(timedelta(minutes=15))
    r = _login(api.client, "locked")
    assert r.status_code == 429 and r.json()["error"] == "AccountLocked"
    assert r.headers["retry-after"] == str(15 * 60)
    denied = api.client.post("/api/v1/users/locked/unlock", headers=api.h("dispatcher"))
    assert denied.status_code == 403
    ok = api.client.post("/api/v1/users/locked/unlock", headers=api.h("admin"))
    assert ok.status_code == 200 and ok.json() == {"username": "locked", "was_locked": True}
    assert _login(api.client, "locked").status_code == 200
    actions = [r["action"] for r in api.client.get("/api/v1/audit?object_type=user", headers=api.h("admin")).json()]
    assert {"login_failed", "account_locked", "login_locked", "account_unlocked"} <= set(actions)


@pytest.mark.parametrize(
    ("password", "message"),
    [("too-short-1", "at least 12 characters"), ("new-person-1", "must not be the username"), ("qwerty123456", "too common")],
)
def test_creating_a_user_with_a_weak_password_is_422(api: Api, password: str, message: str) -> None:
    body = {"username": "new-person-1", "password": password, "role": "analyst"}
    r = api.client.post("/api/v1/users", json=body, headers=api.h("admin"))
    assert r.status_code == 422 and message in r.json()["detail"]


def test_changing_the_password_revokes_every_token_and_returns_a_new_one(api: Api) -> None:
    auth.create_user(api.container.ctx, SYSTEM, "changer", PASSWORD, "dispatcher")
    first, second = (_login(api.client, "changer").json()["access_token"] for _ in range(2))
    h = {"Authorization": f"Bearer {first}"}

    def change(current: str, new: str) -> Any:
        return api.client.post("/api/v1/auth/password", json={"current_password": current, "new_password": new}, headers=h)

    assert change(PASSWORD, "qwerty123456").status_code == 422
    assert change("nope", "brand new pass 1").status_code == 403
    r = change(PASSWORD, "brand new pass 1")
    assert r.status_code == 200 and r.json()["sessions_ended"] == 2
    assert "set-cookie" not in r.headers  # a bearer client gets its token in the body only
    for old in (first, second):
        assert api.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    new = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert api.client.get("/api/v1/auth/me", headers=new).json()["username"] == "changer"


@pytest.mark.parametrize("path", ["/api/v1/auth/me", "/health", "/openapi.json", "/api/v1/no-such-route"])
def test_every_api_response_carries_the_security_headers(api: Api, path: str) -> None:
    r = api.client.get(path, headers=api.h("dispatcher"))
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "strict-transport-security" not in r.headers  # not behind TLS unless the setting says so


def test_hsts_only_when_the_settings_say_the_app_is_behind_tls(
    tmp_path_factory: pytest.TempPathFactory, triager: Triager
) -> None:
    with sqlite_container_at(tmp_path_factory.mktemp("tls") / "t.sqlite3", FixedClock(T0), triager) as container:
        settings = container.settings.model_copy(update={"behind_tls": True})
        with TestClient(create_app(settings, container=container)) as client:
            for path in ("/health", "/login", "/static/css/app.css"):
                assert client.get(path).headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_the_settings_name_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from crisis_dispatch.config import Settings

    monkeypatch.setenv("CRISIS_DISPATCH_LOGIN_MAX_FAILURES_PER_ACCOUNT", "3")
    monkeypatch.setenv("CRISIS_DISPATCH_LOGIN_LOCKOUT_MINUTES", "60")
    monkeypatch.setenv("CRISIS_DISPATCH_BEHIND_TLS", "true")
    settings = Settings()
    policy = settings.login_policy()
    assert policy.max_failures_per_account == 3 and policy.lockout_for == timedelta(hours=1)
    assert policy.max_failures_per_address == 20 and policy.window == timedelta(minutes=15) and policy.lockout_after == 10
    assert settings.behind_tls
