"""A live console for tests: the app served by uvicorn on 127.0.0.1 in a background thread,
on a fresh SQLite file seeded with the LA demo and one login per role, on a clock the
test moves; and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.unit import Role, Staff
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import incidents
from crisis_dispatch.services.context import SYSTEM, Triager
from crisis_dispatch.services.incidents import CallIntake
from crisis_dispatch.services.seed import seed_la
from tests.shared_data import skip_or_fail
from tests.support.app import add_users, sqlite_container_at
from tests.support.net import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD_SUFFIX = "-test-pass"
CREW_STAFF = "stf-browser-crew"
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

#: Login name per role (the same short names as the demo).
LOGINS: dict[UserRole, str] = {
    UserRole.CALL_TAKER: "calltaker",
    UserRole.DISPATCHER: "dispatcher",
    UserRole.SUPERVISOR: "supervisor",
    UserRole.CREW: "crew",
    UserRole.ANALYST: "analyst",
    UserRole.POLICE_LIAISON: "police",
    UserRole.COURT_LIAISON: "court",
    UserRole.ADMIN: "admin",
}
#: ``(username, password)`` per role.
CREDENTIALS: dict[UserRole, tuple[str, str]] = {role: (name, name + PASSWORD_SUFFIX) for role, name in LOGINS.items()}


def require_chromium() -> None:
    """Skip (fail in CI) when Playwright or Debian's Chromium is missing."""
    try:
        import playwright.sync_api  # noqa: F401  -- imported only to see whether it is installed
    except ImportError:
        skip_or_fail("browser tests need the Python package 'playwright' (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        skip_or_fail(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")


@dataclass
class LiveConsole:
    url: str
    container: Container
    clock: FixedClock

    @property
    def ctx(self) -> Any:
        return self.container.ctx


def seed(container: Container) -> None:
    """The LA demo (stations, facilities, five vans with 24/7 crews) and a login per role;
    the crew login sits in TTP-1's peer-support seat."""
    ctx = container.ctx
    with ctx.uow() as uow:
        uow.staff.add(Staff(id=CREW_STAFF, name="Robin Crew", roles={Role.PEER_SUPPORT_SPECIALIST}))
        uow.commit()
    seed_la(ctx, days=2, demo_crew_staff_id=CREW_STAFF)
    add_users(ctx, CREDENTIALS, CREW_STAFF)


@contextmanager
def serving(container: Container) -> Iterator[str]:
    """Serve ``create_app`` over ``container`` with uvicorn on 127.0.0.1 in a background
    thread; yields the base URL. The container is the caller's to dispose of."""
    import uvicorn

    app = create_app(container.settings, container=container)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"console-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def live_console(db_path: Path, clock: FixedClock, triager: Triager) -> Iterator[LiveConsole]:
    with sqlite_container_at(db_path, clock, triager) as container:
        seed(container)
        with serving(container) as url:
            yield LiveConsole(url, container, clock)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _new_context(browser: Any, phone: bool, state: Any = None) -> Any:
    if phone:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2, storage_state=state
        )
    else:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, storage_state=state)
    context.set_default_timeout(8000)
    return context


def _watch(page: Any) -> Any:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors
    return page


def submit_login(page: Any, base: str, role: UserRole) -> None:
    """Fill and send the login form (does not wait for the next page)."""
    page.goto(base + "/login")
    username, password = CREDENTIALS[role]
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]", no_wait_after=True)


class Sessions:
    """Logs each role in through the form once, then opens further windows on that session
    (password hashing is deliberately slow; the tests need it once per role, not per window)."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser = browser
        self.base = base
        self.states: dict[UserRole, Any] = {}

    def remember(self, role: UserRole, page: Any) -> None:
        self.states[role] = page.context.storage_state()

    def open(self, role: UserRole, *, phone: bool = False, path: str | None = None) -> Any:
        """A new window (browser context) logged in as ``role``, settled on its page."""
        if role in self.states:
            page = _watch(_new_context(self.browser, phone, self.states[role]).new_page())
            page.goto(self.base + (path or HOME_PATHS[role]))
        else:
            page = _watch(_new_context(self.browser, phone).new_page())
            submit_login(page, self.base, role)
            page.wait_for_url(f"**{HOME_PATHS[role]}")
            self.remember(role, page)
        # Settled: the page has loaded its data and its live feed is connected.
        page.wait_for_selector("#live[data-state=on]")
        return page


#: Where each role lands after logging in.
HOME_PATHS: dict[UserRole, str] = {
    UserRole.CALL_TAKER: "/console",
    UserRole.DISPATCHER: "/console",
    UserRole.SUPERVISOR: "/console",
    UserRole.ADMIN: "/console",
    UserRole.CREW: "/crew",
    UserRole.POLICE_LIAISON: "/board",
    UserRole.ANALYST: "/board",
    UserRole.COURT_LIAISON: "/care",
}


def screenshot(page: Any, name: str, *, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def new_call(live: LiveConsole, where: tuple[float, float], narrative: str, **extra: Any) -> str:
    """A call taken by the system (not through the form); returns its incident id."""
    intake = CallIntake(
        lat=where[0], lon=where[1], address=extra.pop("address", "Test address"), call_type="EDP", narrative=narrative, **extra
    )
    return incidents.take_call(live.ctx, SYSTEM, intake).incident["id"]


def close(page: Any) -> None:
    """Close a window, failing on any JavaScript error it saw."""
    assert not page.js_errors, page.js_errors
    page.context.close()
