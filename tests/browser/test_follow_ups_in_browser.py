"""Follow-up and warm hand-off in a real browser (issue 14 item 3): on the crew phone the team
hands the person to a provider and records the provider's acceptance; the encounter closes, its
follow-up task appears in the dispatcher's "Follow-ups" panel, and the dispatcher records its
outcome there. axe-core checks both pages with the new cards on screen."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # require_chromium() reports it: a skip, or a failure in CI
    expect = None

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.outcomes import Disposition, Outcome
from crisis_dispatch.services import follow_ups, incidents, units
from crisis_dispatch.services.context import SYSTEM
from crisis_dispatch.services.follow_ups import TaskQuery
from tests.browser.harness import LiveConsole, Sessions, close, new_call, screenshot
from tests.browser.test_console_floor import axe_violations

pytestmark = pytest.mark.slow

R = UserRole
ECHO_PARK = (34.0782, -118.2606)
PROVIDER = "respite-sobering-center-mlk-campus"


def test_a_hand_off_on_the_phone_then_the_follow_up_in_the_console(live: LiveConsole, sessions: Sessions) -> None:
    incident = new_call(live, ECHO_PARK, "Man sitting on a bench, sad, says he has nowhere to go", address="Echo Park Lake")
    incidents.assign_unit(live.ctx, SYSTEM, incident, "unit-ttp-1")
    incidents.change_status(live.ctx, SYSTEM, incident, "on_scene")

    phone = sessions.open(R.CREW, phone=True)
    phone.wait_for_selector(f"#asg-id:text('{incident}')")
    phone.wait_for_selector("#hand-off-card:not([hidden])")
    phone.wait_for_selector(f"#ho-provider option[value='{PROVIDER}']", state="attached")
    problems = axe_violations(phone)
    assert not problems, "\n".join(problems)
    phone.click("#ho-offer")
    expect(phone.locator("#ho-msg")).to_contain_text("Choose the provider")
    phone.select_option("#ho-provider", PROVIDER)
    phone.fill("#ho-contact", "intake desk, by phone")
    phone.click("#ho-offer")
    phone.wait_for_selector("#ho-answer-form:not([hidden])")
    phone.fill("#ho-responder", "Case manager E. Example")
    phone.click("#ho-accepted")
    expect(phone.locator("#ho-msg")).to_contain_text("accepted the hand-off (Case manager E. Example")
    screenshot(phone, "crew-warm-hand-off", full_page=True)
    (hand_off,) = follow_ups.list_hand_offs(live.ctx, SYSTEM, incident)
    assert hand_off["status"] == "accepted" and hand_off["provider_id"] == PROVIDER

    outcome = Outcome(Disposition.TREATED_AND_RELEASED, recorded_at=live.clock.now(), recorded_by="system")
    incidents.record_outcome(live.ctx, SYSTEM, incident, outcome)
    units.set_unit_status(live.ctx, SYSTEM, "unit-ttp-1", "available", "cleared by the test")
    (task,) = follow_ups.list_follow_ups(live.ctx, SYSTEM, TaskQuery(incident_id=incident))

    console = sessions.open(R.DISPATCHER)
    row = console.locator(f"#fu-body tr[data-follow-up='{task['id']}']")
    expect(row).to_contain_text(incident)
    expect(row).to_contain_text("within 72 hours")
    problems = axe_violations(console)
    assert not problems, "\n".join(problems)
    row.locator("button").click()
    expect(console.locator("#fu-msg")).to_contain_text("Choose what came")
    row.locator("select").select_option("reached")
    row.locator("button").click()
    expect(console.locator("#fu-msg")).to_contain_text(f"{task['id']}: reached recorded")
    expect(console.locator(f"#fu-body tr[data-follow-up='{task['id']}']")).to_have_count(0)
    screenshot(console, "console-follow-ups")
    (done,) = follow_ups.list_follow_ups(live.ctx, SYSTEM, TaskQuery(status="done", incident_id=incident))
    assert done["result"] == "reached" and done["done_by"] == "dispatcher"
    close(phone)
    close(console)
