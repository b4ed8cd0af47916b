"""The person index in a real browser (issue 14 item 2): on the crew's phone, "Who is this?"
searches, shows the suggested match and why, links it only on a click, and then shows the
person's previous encounters; in the dispatcher's console a new person is created and linked
for another incident. axe-core finds no serious violation on either page."""

from __future__ import annotations

from datetime import timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # require_chromium() reports it: a skip, or a failure in CI
    expect = None

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.services import incidents, persons
from crisis_dispatch.services.context import SYSTEM
from crisis_dispatch.services.persons import PersonDetails
from tests.browser.harness import LiveConsole, Sessions, close, new_call, screenshot
from tests.browser.test_console_floor import axe_violations

pytestmark = pytest.mark.slow

R = UserRole
DOWNTOWN = (34.0505, -118.2468)


def links(live: LiveConsole) -> dict[str, str]:
    with live.ctx.uow() as uow:
        return uow.persons.all_links()


def test_the_crew_finds_links_and_sees_the_history_and_a_dispatcher_creates_a_new_person(
    live: LiveConsole, sessions: Sessions
) -> None:
    details = PersonDetails(names=["John Smith", "Johnny"], dob="1984-03-07", description="tall, grey beard")
    john = persons.create_person(live.ctx, SYSTEM, details)["id"]
    earlier = new_call(live, DOWNTOWN, "Man talking to himself at the bus stop, calm", address="5th St & Main St")
    persons.link(live.ctx, SYSTEM, earlier, john)
    incidents.change_status(live.ctx, SYSTEM, earlier, "cancelled", "gone on arrival")
    live.clock.advance(timedelta(hours=6))
    incident = new_call(live, DOWNTOWN, "Man shouting at traffic, same corner as before, no weapon", address="5th St & Main St")
    incidents.assign_unit(live.ctx, SYSTEM, incident, "unit-ttp-1")

    phone = sessions.open(R.CREW, phone=True)
    phone.wait_for_selector(f"#asg-id:text('{incident}')")
    phone.wait_for_selector("#person-card:not([hidden])")
    phone.fill("#ps-name", "Jon Smith")
    phone.fill("#ps-dob", "1984")
    phone.click("#ps-submit")
    suggestion = phone.locator(f"#person-candidates li[data-person='{john}']")
    expect(suggestion).to_contain_text("John Smith")
    expect(suggestion).to_contain_text("year of birth matches (1984)")
    assert links(live) == {earlier: john}, "a search links nothing"
    problems = axe_violations(phone)
    assert not problems, "\n".join(problems)
    screenshot(phone, "crew-person-suggested", full_page=True)
    suggestion.locator("[data-link]").click()
    expect(phone.locator("#person-history-summary")).to_contain_text("Seen 1 time before")
    expect(phone.locator("#person-linked-name")).to_have_text("John Smith")
    expect(phone.locator("#person-history")).to_contain_text("cancelled")
    assert links(live) == {earlier: john, incident: john}
    screenshot(phone, "crew-person-history", full_page=True)

    other = new_call(live, DOWNTOWN, "Woman crying on the steps, calm", address="Pershing Square")
    console = sessions.open(R.DISPATCHER)
    console.click(f"[data-select='{other}']")
    console.wait_for_selector("#person-card:not([hidden])")
    console.fill("#ps-name", "Maria Example")
    console.fill("#ps-description", "red coat, about 30")
    console.click("#ps-submit")
    expect(console.locator("#person-msg")).to_contain_text("Nobody like this")
    console.click("#ps-create")
    expect(console.locator("#person-history-summary")).to_contain_text("No previous encounter")
    expect(console.locator("#person-linked-name")).to_have_text("Maria Example")
    problems = axe_violations(console)
    assert not problems, "\n".join(problems)
    created = links(live)[other]
    assert created != john and persons.get_person(live.ctx, SYSTEM, created)["description"] == "red coat, about 30"
    assert not phone.js_errors and not console.js_errors, phone.js_errors + console.js_errors
    close(phone)
    close(console)


def test_a_supervisor_merges_two_records_of_one_man_and_undoes_it_with_reasons(live: LiveConsole, sessions: Sessions) -> None:
    """Person records: search, open, merge with a reason (the encounters are listed under the
    record that stays), then undo (each record gets exactly its own back); police may not open it."""
    kept = persons.create_person(live.ctx, SYSTEM, PersonDetails(names=["Robert Vance"], dob="1971-05-02"))["id"]
    bob = PersonDetails(names=["Bob Vance"], dob="1971", description="green jacket")
    dup = persons.create_person(live.ctx, SYSTEM, bob)["id"]
    first = new_call(live, DOWNTOWN, "Man sleeping in a doorway, calm", address="Spring St")
    second = new_call(live, DOWNTOWN, "Man asking for help, calm, no weapon", address="Broadway")
    persons.link(live.ctx, SYSTEM, first, kept)
    persons.link(live.ctx, SYSTEM, second, dup)
    for done in (first, second):
        incidents.change_status(live.ctx, SYSTEM, done, "cancelled", "test done")

    page = sessions.open(R.SUPERVISOR)
    page.click("nav.pages a[href='/persons']")
    page.wait_for_selector("#pr-search")
    page.fill("#pr-name", "Vance")
    page.click("#pr-submit")
    expect(page.locator(f"#pr-results-body tr[data-person='{dup}']")).to_contain_text("Bob Vance")
    expect(page.locator(f"#pr-results-body tr[data-person='{kept}']")).to_contain_text("Robert Vance")
    page.click(f"button[data-open='{dup}']")
    expect(page.locator("#rec-name")).to_have_text("Bob Vance")
    expect(page.locator("#rec-summary")).to_contain_text("1 encounter")
    # A merge needs a reason: refused on the page, nothing sent.
    page.select_option("#merge-into", kept)
    page.click("#merge-submit")
    expect(page.locator("#rec-msg")).to_contain_text("Say why")
    assert persons.get_person(live.ctx, SYSTEM, dup)["merged_into"] is None
    page.fill("#merge-reason", "same date of birth, same jacket, he gave both names")
    page.click("#merge-submit")
    expect(page.locator("#rec-name")).to_have_text("Robert Vance")
    expect(page.locator("#rec-summary")).to_contain_text("2 encounters")
    expect(page.locator("#rec-trail")).to_contain_text("same jacket")
    survivor = persons.get_person(live.ctx, SYSTEM, kept)
    assert {e["incident_id"] for e in survivor["encounters"]} == {first, second}
    problems = axe_violations(page)
    assert not problems, "\n".join(problems)
    screenshot(page, "person-records-merged", full_page=True)

    # The record that stays lists the one merged into it; opening that one offers the undo.
    page.click(f"#rec-merged-from-list button[data-open='{dup}']")
    expect(page.locator("#rec-merged")).to_have_text(f"merged into {kept}")
    expect(page.locator("#merge-form")).to_be_hidden()
    page.fill("#unmerge-reason", "different mothers' names on the follow-up call")
    page.click("#unmerge-submit")
    expect(page.locator("#rec-msg")).to_contain_text("stands for itself again with 1 encounter")
    expect(page.locator("#rec-merged")).to_be_hidden()
    assert [e["incident_id"] for e in persons.get_person(live.ctx, SYSTEM, kept)["encounters"]] == [first]
    assert [e["incident_id"] for e in persons.get_person(live.ctx, SYSTEM, dup)["encounters"]] == [second]

    police = sessions.open(R.POLICE_LIAISON)
    police.goto(live.url + "/persons")
    expect(police.locator("body")).to_contain_text("not open to your role")
    assert not page.js_errors, page.js_errors
    close(page)
    close(police)
