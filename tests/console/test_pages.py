"""The console's pages and JSON routes through ``create_app`` (no browser)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from crisis_dispatch.domain.access import MACHINE_ROLES, UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.destinations import PatientAssessment
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.entrypoints.console.session import HOME, PAGE_ROLES
from crisis_dispatch.services.context import Triager
from tests.browser.harness import CREDENTIALS, LOGINS, PASSWORD_SUFFIX, seed
from tests.integration.helpers import T0
from tests.support.app import login_tokens, sqlite_container_at

R = UserRole
#: The people who log in to the pages (the CAD's machine account has no password: issue 13).
PEOPLE = [r for r in R if r not in MACHINE_ROLES]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[TestClient]:
    with sqlite_container_at(tmp_path_factory.mktemp("pages") / "pages.sqlite3", FixedClock(T0), triager) as container:
        seed(container)
        with TestClient(create_app(container.settings, container=container)) as c:
            yield c


@pytest.fixture(scope="module")
def tokens(client: TestClient) -> dict[UserRole, str]:
    return login_tokens(client, CREDENTIALS)


def as_role(tokens: dict[UserRole, str], role: UserRole) -> dict[str, str]:
    return {"Cookie": f"cd_session={tokens[role]}"}


def test_a_visitor_without_a_session_is_sent_to_log_in(client: TestClient) -> None:
    r = client.get("/console", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/console"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_a_wrong_password_is_refused_on_the_page_with_a_plain_message(client: TestClient) -> None:
    r = client.post("/login", data={"username": "dispatcher", "password": "nope"}, follow_redirects=False)
    assert r.status_code == 401
    assert "Wrong username or password." in r.text
    assert "set-cookie" not in r.headers
    empty = client.post("/login", data={"username": "", "password": ""}, follow_redirects=False)
    assert empty.status_code == 422
    assert "Enter your username and password." in empty.text


@pytest.mark.parametrize("role", PEOPLE)
def test_logging_in_lands_each_role_on_its_home_with_a_strict_httponly_cookie(client: TestClient, role: UserRole) -> None:
    name = LOGINS[role]
    r = client.post("/login", data={"username": name, "password": name + PASSWORD_SUFFIX}, follow_redirects=False)
    client.cookies.clear()
    assert r.status_code == 303
    assert r.headers["location"] == HOME[role]
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("cd_session=")
    assert "httponly" in cookie
    assert "samesite=strict" in cookie


def test_next_may_only_point_at_our_own_pages_the_role_may_open(client: TestClient) -> None:
    creds = {"username": "dispatcher", "password": "dispatcher" + PASSWORD_SUFFIX}
    offsite = client.post("/login", data=creds | {"next": "https://example.org/"}, follow_redirects=False)
    not_theirs = client.post("/login", data=creds | {"next": "/crew"}, follow_redirects=False)
    client.cookies.clear()
    assert offsite.headers["location"] == "/console"
    assert not_theirs.headers["location"] == "/console"


@pytest.mark.parametrize("path", sorted(PAGE_ROLES))
def test_each_page_opens_for_its_roles_only(client: TestClient, tokens: dict[UserRole, str], path: str) -> None:
    for role in PEOPLE:
        r = client.get(path, headers=as_role(tokens, role), follow_redirects=False)
        if role in PAGE_ROLES[path]:
            assert r.status_code == 200, (role, path)
        else:
            assert r.status_code == 403, (role, path)
            assert f'href="{HOME[role]}"' in r.text


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)
        if tag == "label" and a.get("for"):
            self.label_for.add(str(a["for"]))


@pytest.mark.parametrize(("path", "role"), [("/console", R.DISPATCHER), ("/crew", R.CREW), ("/login", None)])
def test_every_form_control_has_a_label(
    client: TestClient, tokens: dict[UserRole, str], path: str, role: UserRole | None
) -> None:
    html = client.get(path, headers=as_role(tokens, role) if role else {}).text
    parser = _Controls()
    parser.feed(html)
    assert parser.controls
    unlabelled = [c for c in parser.controls if c.get("id") not in parser.label_for and not c.get("aria-label")]
    assert unlabelled == []


def test_the_call_form_asks_every_protocol_question(client: TestClient, tokens: dict[UserRole, str]) -> None:
    protocol = client.get("/api/v1/protocol", headers=as_role(tokens, R.CALL_TAKER)).json()
    html = unescape(client.get("/console", headers=as_role(tokens, R.CALL_TAKER)).text)
    assert protocol["version"]
    assert {q["type"] for q in protocol["questions"]} <= {"yes_no", "integer", "choice"}
    for q in protocol["questions"]:
        assert f'data-question="{q["id"]}"' in html
        assert q["text"] in html


def test_the_protocol_needs_a_login(client: TestClient) -> None:
    assert client.get("/api/v1/protocol").status_code == 401


def test_the_basemap_is_our_own_la_data(client: TestClient) -> None:
    geo = client.get("/api/v1/basemap").json()
    assert [f["properties"]["name"] for f in geo["county"]["features"]] == ["Los Angeles"]
    assert len(geo["neighborhoods"]["features"]) == 163


def test_vendored_leaflet_is_served_with_its_licence(client: TestClient) -> None:
    assert client.get("/static/vendor/leaflet-1.9.4/leaflet.js").status_code == 200
    assert "BSD 2-Clause" in client.get("/static/vendor/leaflet-1.9.4/LICENSE").text


def test_logging_out_ends_the_session(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"username": "analyst", "password": "analyst" + PASSWORD_SUFFIX})
    token = r.json()["access_token"]
    client.cookies.clear()
    page = client.get("/board", headers={"Cookie": f"cd_session={token}"}).text
    csrf = re.search(r'name="csrf_token" value="(\w+)"', page)
    assert csrf, "the logout form carries the session's CSRF token"
    out = client.post(
        "/logout", data={"csrf_token": csrf.group(1)}, headers={"Cookie": f"cd_session={token}"}, follow_redirects=False
    )
    assert out.headers["location"] == "/login"
    assert 'cd_session=""' in out.headers["set-cookie"]
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_crew_form_asks_every_finding_the_destination_rules_use(client: TestClient, tokens: dict[UserRole, str]) -> None:
    html = client.get("/crew", headers=as_role(tokens, R.CREW)).text
    asked = set(re.findall(r'data-assess-(?:number|flag)="(\w+)"', html))
    # Age comes from the incident and consent from the disposition.
    assert asked == {f.name for f in dataclasses.fields(PatientAssessment)} - {"age", "consent"}


def test_pages_allow_scripts_and_data_from_this_server_only(client: TestClient, tokens: dict[UserRole, str]) -> None:
    r = client.get("/console", headers=as_role(tokens, R.DISPATCHER))
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "<script>" not in r.text, "no inline script: the policy would block it"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_the_confirmation_form_asks_the_three_safety_questions_with_nothing_preselected(
    client: TestClient, tokens: dict[UserRole, str]
) -> None:
    html = client.get("/console", headers=as_role(tokens, R.CALL_TAKER)).text
    form = html[html.index('<form id="confirm-form"') : html.index("</form>", html.index('<form id="confirm-form"'))]
    assert "Unconfirmed — text only" in form
    assert re.findall(r'data-confirm-question="(\w+)"', form) == ["weapon", "violence", "conscious_breathing"]
    for short in ("Weapon?", "Violence?", "Awake and breathing?"):
        assert short in form
    radios = re.findall(r"<input[^>]*type=\"radio\"[^>]*>", form)
    assert len(radios) == 6 and not any("checked" in r for r in radios)
    assert sorted(re.findall(r'value="(\w+)"', form)) == ["no", "no", "no", "yes", "yes", "yes"]
