"""The program report page (/reports) and the HTML report in a real browser (Chromium).

A month with two team calls worked through the services (one treated and released on site)
and a call triage could not judge: the supervisor reads this month and last side by side, the
analyst the same page with the small cells suppressed, and the HTML summary renders as the
county board would open it. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.outcomes import Disposition, Outcome
from crisis_dispatch.services import incidents, units
from crisis_dispatch.services.context import SYSTEM, Triager
from crisis_dispatch.services.incidents import CallIntake
from tests.browser.harness import HOME_PATHS, LiveConsole, chromium, live_console, require_chromium, screenshot, submit_login
from tests.integration.helpers import T0

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[LiveConsole]:
    require_chromium()
    path: Path = tmp_path_factory.mktemp("reports") / "reports.sqlite3"
    with live_console(path, FixedClock(T0), triager) as running:
        ctx = running.ctx
        for disposition in (Disposition.TREATED_AND_RELEASED, Disposition.REFERRED):
            intake = CallIntake(lat=34.0488, lon=-118.2390, call_type="EDP", narrative="Man pacing, calm, no weapons.")
            incident = incidents.take_call(ctx, SYSTEM, intake).incident["id"]
            incidents.assign_unit(ctx, SYSTEM, incident, "unit-ttp-1")
            running.clock.advance(timedelta(minutes=20))
            units.set_unit_status(ctx, SYSTEM, "unit-ttp-1", "on_scene")
            incidents.record_outcome(ctx, SYSTEM, incident, Outcome(disposition, running.clock.now(), "system"))
            units.set_unit_status(ctx, SYSTEM, "unit-ttp-1", "available")
        incidents.take_call(ctx, SYSTEM, CallIntake(lat=34.0488, lon=-118.2390, narrative="Caller hung up"))
        running.clock.advance(timedelta(minutes=10))
        yield running


@pytest.fixture(scope="module")
def browser(live: LiveConsole) -> Iterator[Any]:
    with chromium() as b:
        yield b


def _reports_page(live: LiveConsole, browser: Any, role: UserRole) -> Any:
    page = browser.new_context(viewport={"width": 1100, "height": 800}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    submit_login(page, live.url, role)
    page.wait_for_url(f"**{HOME_PATHS[role]}")
    page.goto(live.url + "/reports")
    page.wait_for_selector("#report-table[data-state=loaded]")
    assert errors == []
    return page


def _cells(page: Any, figure: str) -> list[str]:
    return [c.strip() for c in page.locator(f"tr[data-figure={figure}] td").all_text_contents()]


def test_the_supervisor_reads_this_month_and_last_side_by_side(live: LiveConsole, browser: Any) -> None:
    page = _reports_page(live, browser, UserRole.SUPERVISOR)
    assert page.text_content("#month-this").startswith("November 2026")
    assert page.text_content("#month-last") == "October 2026"
    assert _cells(page, "team_calls") == ["0", "2"]
    assert _cells(page, "treated") == ["0 of 0", "1 of 2 (50.0 %)"]
    assert _cells(page, "response") == ["no team calls", "20 min / 20 min"]
    assert _cells(page, "not_triaged")[1] == "1 of 3 (33.3 %)"
    screenshot(page, "reports-supervisor", full_page=True)
    page.context.close()


def test_the_analyst_sees_the_small_cells_suppressed(live: LiveConsole, browser: Any) -> None:
    page = _reports_page(live, browser, UserRole.ANALYST)
    assert _cells(page, "treated")[1] == "fewer than 11 of 2"
    page.context.close()


def test_the_html_report_renders_in_the_browser_with_its_plots(live: LiveConsole, browser: Any) -> None:
    page = _reports_page(live, browser, UserRole.SUPERVISOR)
    href = page.locator("#report-table tfoot td").nth(1).locator("a[data-format=html]").get_attribute("href")
    page.goto(live.url + href)
    assert "1 of 2 (50.0 %)" in page.text_content("#treated")
    # Every plot decoded and drawn (the page's own policy allows its inline images and styles).
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == 3 and all(w > 500 for w in widths)
    screenshot(page, "program-report-html", full_page=True)
    page.context.close()
