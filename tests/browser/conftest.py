"""A live console and one Chromium per test module (see ``harness``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.services.context import Triager
from tests.browser.harness import LiveConsole, Sessions, chromium, live_console, require_chromium
from tests.integration.helpers import T0


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[LiveConsole]:
    require_chromium()
    path: Path = tmp_path_factory.mktemp("browser") / "console.sqlite3"
    with live_console(path, FixedClock(T0), triager) as running:
        yield running


@pytest.fixture(scope="module")
def browser(live: LiveConsole) -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def sessions(live: LiveConsole, browser: Any) -> Sessions:
    return Sessions(browser, live.url)
