"""The console in a real browser (Debian's Chromium through Playwright), against the app
served on 127.0.0.1 with the LA demo data, one login per role and a clock the test moves.

Skipped with a clear message when Chromium is missing -- except in CI, where that fails.
Screenshots of the main screens go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import timedelta
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # require_chromium() reports it: a skip, or a failure in CI
    expect = None

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.outcomes import Disposition, Outcome
from crisis_dispatch.services import disclosures, incidents, units
from crisis_dispatch.services.context import SYSTEM
from tests.browser.harness import (
    CREDENTIALS,
    HOME_PATHS,
    LOGINS,
    LiveConsole,
    Sessions,
    close,
    new_call,
    screenshot,
    submit_login,
)
from tests.integration.helpers import T0

pytestmark = pytest.mark.slow

R = UserRole
#: Near each van's station (TTP-1 downtown, TTP-3 Van Nuys, TTP-4 South LA, TTP-5 Mar Vista).
DOWNTOWN = (34.0488, -118.2390)
VAN_NUYS = (34.1830, -118.4460)
SOUTH_LA = (33.9400, -118.2760)
MAR_VISTA = (34.0070, -118.4270)


def unit_id(call_sign: str) -> str:
    return f"unit-ttp-{call_sign.split('-')[1]}"


def test_each_role_logs_in_and_lands_on_its_own_page(live: LiveConsole, browser: Any, sessions: Sessions) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    for role in HOME_PATHS:  # one window, one login after the other
        submit_login(page, live.url, role)
        page.wait_for_url(re.compile(re.escape(HOME_PATHS[role]) + "$"))
        assert page.text_content(".who").startswith(LOGINS[role])
        if role is R.DISPATCHER:
            page.wait_for_selector("#live[data-state=on]")
            screenshot(page, "console-empty")
            with page.expect_navigation(url=re.compile(r"/login(\?.*)?$")):
                page.click("button:text('Log out')")
            page.goto(live.url + "/console")
            assert "/login" in page.url, "after logging out the console asks for a login again"
        else:
            sessions.remember(role, page)
            page.goto("about:blank")  # leave before the session goes, or the page itself goes to /login
            page.context.clear_cookies()
    page.context.close()


def test_a_wrong_password_is_refused_plainly(live: LiveConsole, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(live.url + "/login")
    page.fill("#username", "dispatcher")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    assert page.text_content("#login-error") == "Wrong username or password."
    screenshot(page, "login-refused")
    context.close()


def test_a_call_taken_through_the_form_shows_the_triage_reasons_as_answers_change(live: LiveConsole, sessions: Sessions) -> None:
    page = sessions.open(R.CALL_TAKER)
    page.keyboard.press("Alt+n")  # a new call from anywhere on the console
    expect(page.locator("#call-address")).to_be_focused()
    page.keyboard.type("Olive St & 5th St")
    page.fill("#call-lat", str(DOWNTOWN[0]))
    page.fill("#call-lon", str(DOWNTOWN[1]))
    page.fill("#call-type", "EDP")
    page.fill("#call-narrative", "Woman shouting at passers-by, says she is being followed")
    page.check("#q-mental_health_concern-yes")
    page.wait_for_selector("#triage-summary.team")
    assert "MH_TEAM" in page.text_content("#triage-summary")
    assert "crisis team" in page.text_content("#triage-reasons")
    # A weapon changes the response while the call-taker is still on the line (keyboard only).
    page.focus("#q-weapon-yes")
    page.keyboard.press("Space")
    expect(page.locator("#triage-summary")).to_contain_text("POLICE")
    assert "weapon" in page.text_content("#triage-reasons").lower()
    page.check("#q-weapon-no")
    expect(page.locator("#triage-summary")).not_to_contain_text("POLICE")
    screenshot(page, "console-new-call-triage")
    page.focus("#call-submit")
    page.keyboard.press("Enter")
    page.wait_for_selector("#call-msg.ok")
    created = re.search(r"INC-[0-9A-F]+", page.text_content("#call-msg"))
    assert created is not None
    page.wait_for_selector(f"#queue-body tr[data-id='{created.group(0)}']")
    page.wait_for_selector(f"#incident-detail:has-text('{created.group(0)}')")
    assert "MH_TEAM" in page.text_content("#incident-detail")
    assert page.query_selector("#recs") is None, "call-takers take calls; dispatchers assign vans"
    close(page)


def test_assigning_the_recommended_van_arrives_live_in_a_second_dispatcher_context(live: LiveConsole, sessions: Sessions) -> None:
    incident = new_call(
        live, VAN_NUYS, "Man in distress outside a store, calm, no weapons", answers={"weapon": "no", "violence": "no"}
    )
    first = sessions.open(R.DISPATCHER)
    second = sessions.open(R.DISPATCHER)
    for page in (first, second):
        page.wait_for_selector("#live[data-state=on]")
        page.wait_for_selector(f"#queue-body tr[data-id='{incident}'] .st-queued")
    second.evaluate("window.__not_reloaded = true")
    first.click(f"#queue-body button[data-select='{incident}']")
    top = first.wait_for_selector("#recs button[data-assign]")
    van = top.get_attribute("data-sign")
    top.focus()
    first.keyboard.press("Enter")  # one keystroke assigns the recommended van
    first.wait_for_selector("#assign-msg.ok")
    screenshot(first, "console-assigned")
    second.wait_for_selector(f"#queue-body tr[data-id='{incident}'] .st-dispatched")
    row = second.text_content(f"#queue-body tr[data-id='{incident}']")
    assert van in row
    assert second.evaluate("window.__not_reloaded === true"), "the second console reloaded instead of updating live"
    expect(second.locator(f"#units-body tr[data-unit='{unit_id(van)}']")).to_contain_text("dispatched")
    screenshot(second, "console-second-dispatcher-live")
    # The recommended van goes back to its station for the next tests.
    incidents.change_status(live.ctx, SYSTEM, incident, "queued", "recalled by the test")
    close(first)
    close(second)


def test_a_dispatcher_with_a_stale_screen_gets_the_conflict_plainly(live: LiveConsole, sessions: Sessions) -> None:
    incident = new_call(live, MAR_VISTA, "Young man crying on a bench, cooperative", answers={"weapon": "no", "violence": "no"})
    stale = sessions.open(R.DISPATCHER)
    # Its live feed is cut: the screen still shows the vans as they were.
    stale.context.route("**/api/v1/events*", lambda route: route.abort())
    stale.reload()
    stale.wait_for_selector(f"#queue-body button[data-select='{incident}']").click()
    button = stale.wait_for_selector("#recs button[data-assign]")
    van = button.get_attribute("data-assign")
    incidents.assign_unit(live.ctx, SYSTEM, incident, van, "the other dispatcher was faster")
    button.click()
    stale.wait_for_selector("#assign-msg.error")
    message = stale.text_content("#assign-msg")
    assert message.startswith("Not assigned")
    assert "someone else got there first" in message
    screenshot(stale, "console-conflict")
    incidents.change_status(live.ctx, SYSTEM, incident, "queued", "recalled by the test")
    close(stale)


def test_the_crew_works_the_call_on_a_phone_through_to_treated_and_released_on_site(
    live: LiveConsole, sessions: Sessions
) -> None:
    incident = new_call(
        live,
        DOWNTOWN,
        "Older man confused and cold, asking for help",
        address="Temple St & Alameda St",
        subject_description="man about 70, grey coat",
    )
    incidents.assign_unit(live.ctx, SYSTEM, incident, "unit-ttp-1")
    phone = sessions.open(R.CREW, phone=True)
    assert phone.url.endswith("/crew")
    phone.wait_for_selector(f"#asg-id:text('{incident}')")
    assert "Temple St & Alameda St" in phone.text_content("#asg-where")
    phone.click("[data-status=en_route]")
    phone.wait_for_selector("[data-status=en_route][aria-pressed=true]")
    live.clock.advance(timedelta(minutes=9))
    phone.click("[data-status=on_scene]")
    phone.wait_for_selector("#checkin-card:not([hidden])")
    expect(phone.locator("#checkin-left")).to_contain_text("Next check-in")
    assert phone.is_disabled("[data-status=available]"), "clearing needs an outcome first"
    screenshot(phone, "crew-on-scene", full_page=True)
    live.clock.advance(timedelta(minutes=12))
    phone.click("#checkin-btn")  # one thumb: "we are safe"
    expect(phone.locator("#checkin-state")).to_contain_text("Last check-in")
    expect(phone.locator("#notes")).to_contain_text("Safety check-in: all safe")
    live.clock.advance(timedelta(minutes=13))
    phone.select_option("#o-disposition", "treated_and_released")
    phone.fill("#o-summary", "Talked through; warm clothes and a shelter bed arranged.")
    phone.click("#outcome-submit")
    phone.wait_for_selector("#outcome-card[hidden]", state="attached")
    phone.wait_for_selector("[data-status=available]:not([disabled])")
    phone.click("[data-status=available]")
    phone.wait_for_selector("text=No assignment.")
    assert "treated and released" in phone.text_content("#asg-body")
    screenshot(phone, "crew-cleared", full_page=True)
    final = incidents.get_incident(live.ctx, SYSTEM, incident)
    assert final["status"] == "closed"
    assert final["outcome"]["disposition"] == Disposition.TREATED_AND_RELEASED.value
    close(phone)


def test_the_police_liaison_view_shows_no_clinical_field(live: LiveConsole, sessions: Sessions) -> None:
    secret = "hears the voice of his late mother"
    incident = new_call(live, SOUTH_LA, f"Man on the corner says he {secret}; a knife in his bag", answers={"weapon": "yes"})
    incidents.assign_unit(live.ctx, SYSTEM, incident, "unit-ttp-4")
    incidents.change_status(live.ctx, SYSTEM, incident, "on_scene")
    incidents.add_note(live.ctx, SYSTEM, incident, "History of psychosis, takes medication irregularly")
    incidents.record_outcome(
        live.ctx,
        SYSTEM,
        incident,
        Outcome(
            disposition=Disposition.REFERRED, recorded_at=live.clock.now(), recorded_by="system", summary="referred to clinic"
        ),
    )
    page = sessions.open(R.POLICE_LIAISON)
    bodies: list[Any] = []
    page.on("response", lambda r: bodies.append(r.json()) if "/api/v1/incidents" in r.url and r.ok else None)
    page.reload()
    page.wait_for_selector(f"#board-body tr[data-id='{incident}']")
    page.wait_for_selector("#live[data-state=on]")
    text = page.text_content("body")
    for clinical in (secret, "psychosis", "referred to clinic", "crisis-team"):
        assert clinical not in text
    headers = page.eval_on_selector_all("#board-head th", "ths => ths.map(t => t.textContent)")
    assert "Outcome" not in headers
    assert "Safety flags" in headers
    assert "weapon" in page.text_content(f"#board-body tr[data-id='{incident}']")
    assert bodies, "the board read incidents from the API"
    for body in bodies:
        for view in body if isinstance(body, list) else [body]:
            assert view["view"] == "police", json.dumps(view)[:300]
            assert not {"calls", "notes", "triage", "outcome", "subject_description"} & set(view), json.dumps(view)[:300]
    screenshot(page, "police-liaison-board")
    analyst = sessions.open(R.ANALYST)
    analyst.wait_for_selector(f"#board-body tr[data-id='{incident}']")
    assert secret not in analyst.text_content("body")
    screenshot(analyst, "analyst-board")
    close(analyst)
    close(page)
    units.set_unit_status(live.ctx, SYSTEM, "unit-ttp-4", "available", "cleared by the test")


def test_the_police_board_shows_a_team_alone_incident_only_once_it_is_disclosed(live: LiveConsole, sessions: Sessions) -> None:
    """Police are not part of a calm call's response: it is not on their board (nor in what
    the board read), until a supervisor discloses it to them; then it appears, live."""
    description = "tall woman in a green coat by the library steps"
    calm = new_call(
        live, SOUTH_LA, "Woman sitting on the library steps, crying, calm, no weapons.", subject_description=description
    )
    armed = new_call(live, SOUTH_LA, "Man waving a knife at people by the bus stop", answers={"weapon": "yes"})
    page = sessions.open(R.POLICE_LIAISON)
    seen: list[str] = []

    def keep(response: Any) -> None:
        if "/api/v1/incidents" in response.url and response.ok:
            with contextlib.suppress(Exception):  # a body the reload navigated away from
                seen.append(response.text())

    page.on("response", keep)
    page.reload()
    page.wait_for_selector(f"#board-body tr[data-id='{armed}']")
    page.wait_for_selector("#live[data-state=on]")
    assert page.query_selector(f"#board-body tr[data-id='{calm}']") is None
    assert seen and calm not in page.text_content("body") and all(calm not in body for body in seen)
    police_user = CREDENTIALS[R.POLICE_LIAISON][0]
    disclosures.disclose(
        live.ctx, SYSTEM, calm, "imperative threat: she said she will jump from the roof tonight", to_user=police_user
    )
    page.wait_for_selector(f"#board-body tr[data-id='{calm}']", timeout=10_000)  # the feed tells the board
    row = page.text_content(f"#board-body tr[data-id='{calm}']")
    assert description not in page.text_content("body") and "crying" not in row
    screenshot(page, "police-board-after-disclosure")
    close(page)
    for iid in (calm, armed):
        incidents.change_status(live.ctx, SYSTEM, iid, "cancelled", "test incident")


def test_a_missed_safety_checkin_raises_the_dispatcher_alert(live: LiveConsole, sessions: Sessions) -> None:
    incident = new_call(live, VAN_NUYS, "Woman sitting in traffic island, withdrawn", answers={"weapon": "no", "violence": "no"})
    incidents.assign_unit(live.ctx, SYSTEM, incident, "unit-ttp-3")
    incidents.change_status(live.ctx, SYSTEM, incident, "en_route")
    incidents.change_status(live.ctx, SYSTEM, incident, "on_scene")
    page = sessions.open(R.DISPATCHER)
    page.wait_for_selector("#live[data-state=on]")
    assert page.query_selector("#alerts .alert.danger") is None
    live.clock.advance(timedelta(minutes=16))  # the 15-minute check-in passes unanswered
    alert = page.wait_for_selector(f"#alerts .alert.danger[data-checkin='{incident}']")
    assert "TTP-3 missed its safety check-in" in alert.text_content()
    assert incident in alert.text_content()
    screenshot(page, "console-missed-checkin")
    page.click(f"[data-radio-checkin='{incident}']")
    page.wait_for_selector(f"#alerts .alert.danger[data-checkin='{incident}']", state="detached")
    close(page)


def test_a_text_only_call_is_unconfirmed_until_the_call_taker_asks_the_safety_questions(
    live: LiveConsole, sessions: Sessions
) -> None:
    page = sessions.open(R.CALL_TAKER)
    page.fill("#call-address", "Spring St & 3rd St")
    page.fill("#call-lat", str(DOWNTOWN[0]))
    page.fill("#call-lon", str(DOWNTOWN[1]))
    page.fill("#call-type", "EDP")
    page.fill("#call-narrative", "Man sitting on the steps talking to himself, calm, no weapons")
    # The form says the decision rests on the text alone, and points at the three questions.
    expect(page.locator("#triage-summary")).to_contain_text("Unconfirmed — text only")
    expect(page.locator("#call-form fieldset[data-question=weapon]")).to_have_class(re.compile(r"\bask\b"))
    page.click("#call-submit")
    page.wait_for_selector("#call-msg.ok")
    expect(page.locator("#call-msg")).to_contain_text("Unconfirmed")
    created = re.search(r"INC-[0-9A-F]+", page.text_content("#call-msg"))
    assert created is not None
    iid = created.group(0)
    page.wait_for_selector(f"#incident-detail:has-text('{iid}')")
    expect(page.locator("#triage-confirmation")).to_contain_text("Unconfirmed — text only")
    form = page.locator("#confirm-form")
    expect(form).to_be_visible()
    assert form.locator("input[type=radio]:checked").count() == 0, "no safety answer may be pre-selected"
    expect(page.locator(f"#queue-body tr[data-id='{iid}']")).to_contain_text("unconfirmed")

    # Answered through their accessible names; an unanswered question is not confirmed.
    question = lambda name: form.get_by_role("group", name=re.compile("^" + re.escape(name)))  # noqa: E731
    question("Weapon?").get_by_label("Yes").check()
    question("Violence?").get_by_label("No").check()
    page.click("#confirm-submit")
    expect(page.locator("#confirm-msg")).to_contain_text("answer all three questions")
    question("Awake and breathing?").get_by_label("Yes").check()
    expect(page.locator("#confirm-msg")).to_have_text("")
    screenshot(page, "console-confirm-triage")
    page.click("#confirm-submit")

    # The answers outrank the text ("no weapons"): police join, and who confirmed is shown.
    expect(page.locator("#confirm-msg")).to_contain_text(f"Triage confirmed by {LOGINS[R.CALL_TAKER]}: MH_TEAM_WITH_POLICE")
    expect(page.locator("#triage-confirmation")).to_contain_text(f"Confirmed by {LOGINS[R.CALL_TAKER]}")
    expect(page.locator("#incident-detail")).to_contain_text("MH_TEAM_WITH_POLICE")
    expect(form).to_be_hidden()
    view = incidents.get_incident(live.ctx, SYSTEM, iid)
    assert view["triage"]["confirmed"] is True and view["triage"]["confirmed_by"] == LOGINS[R.CALL_TAKER]
    close(page)


def test_a_call_outside_the_area_is_refused_then_taken_on_purpose_and_never_offered_a_van_silently(
    live: LiveConsole, sessions: Sessions
) -> None:
    page = sessions.open(R.DISPATCHER)
    page.fill("#call-lat", "34.05")
    page.fill("#call-lon", "118.24")  # the minus sign dropped: China
    page.fill("#call-type", "EDP")
    page.fill("#call-narrative", "Man talking to himself, calm, no weapons")
    page.click("#call-submit")
    page.wait_for_selector("#call-msg.error")
    expect(page.locator("#call-msg")).to_contain_text("outside the service area")
    expect(page.locator("#call-outside-row")).to_be_visible()
    page.check("#call-outside")
    page.click("#call-submit")
    page.wait_for_selector("#call-msg.ok")
    created = re.search(r"INC-[0-9A-F]+", page.text_content("#call-msg"))
    assert created is not None
    incident = created.group(0)
    page.wait_for_selector(f"#queue-body button[data-select='{incident}']").click()
    button = page.wait_for_selector("#recs button[data-assign]")
    assert "(outside the area)" in button.text_content() and "primary" not in (button.get_attribute("class") or "")
    expect(page.locator("#recs-note")).to_contain_text("Outside the service area")
    expect(page.locator("#incident-detail")).to_contain_text("outside the service area")
    expect(page.locator("#recs")).to_contain_text("straight-line estimate")
    screenshot(page, "console-outside-area")
    incidents.change_status(live.ctx, SYSTEM, incident, "cancelled", "test call outside the area")
    close(page)


def test_an_eido_whose_address_we_cannot_place_waits_for_a_dispatcher_to_confirm_its_location(
    live: LiveConsole, sessions: Sessions
) -> None:
    from crisis_dispatch.services import eido as eido_service
    from tests.support import eido

    doc = eido.document(
        "urn:emergency:uid:incidentid:browser:lacounty",
        T0 - timedelta(minutes=1),
        location=eido.civic("200", "Spring", "St", "Los Angeles"),
        notes=[("b1", "<p>Woman hearing voices, scared, <b>no weapons</b>, not violent.</p>")],
    )
    incident = eido_service.receive(live.ctx, SYSTEM, doc).incident["id"]
    page = sessions.open(R.DISPATCHER)
    row = page.locator(f"#queue-body tr[data-id='{incident}']")
    expect(row).to_contain_text("location to confirm")
    assert "NaN" not in page.text_content("#queue-body")
    page.click(f"#queue-body button[data-select='{incident}']")
    expect(page.locator("#recs-note")).to_contain_text("Location to confirm")
    expect(page.locator("#recs")).to_contain_text("No van is recommended until the location is confirmed")
    assert page.locator("#recs button[data-assign]").count() == 0
    expect(page.locator("#incident-where")).to_contain_text("200 Spring St, Los Angeles")
    screenshot(page, "console-location-to-confirm")
    page.click("#place-submit")
    expect(page.locator("#place-msg")).to_contain_text("Give the latitude and longitude")
    page.fill("#place-lat", str(DOWNTOWN[0]))
    page.fill("#place-lon", str(DOWNTOWN[1]))
    page.click("#place-submit")
    expect(page.locator("#assign-msg")).to_contain_text(f"Location of {incident} confirmed")
    page.wait_for_selector("#recs button[data-assign]")
    expect(page.locator("#incident-where")).not_to_contain_text("location to confirm")
    assert page.locator("#place-form").count() == 0
    incidents.change_status(live.ctx, SYSTEM, incident, "cancelled", "test EIDO call")
    close(page)
