"""The service rules of the integration suite, run again on the in-memory fakes
(``tests/unit/fakes.py``): the same test functions, handed a container whose unit of work
is a fake instead of SQLite or PostgreSQL.

This is at once the fast suite of the use cases' rules (issue 16: service-rule tests on
fakes) and the contract of the fakes: a fake that behaved unlike the database (a rollback
that kept a change, an order, a version, a duplicate key) would fail a test that passes on
both databases. Tests that read the database itself (raw SQL, migrations, two server
processes) stay with the databases; they are listed in ``DATABASE_ONLY`` with the reason.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.services.context import Triager
from tests.integration import (
    test_care,
    test_confirm_triage,
    test_disclosures,
    test_follow_ups,
    test_hold_transports,
    test_incident_workflow,
    test_persons,
    test_phone_988,
)
from tests.unit.fakes import FakeContainer, fake_container

MODULES: list[ModuleType] = [
    test_incident_workflow,
    test_confirm_triage,
    test_disclosures,
    test_hold_transports,
    test_phone_988,
    test_persons,
    test_care,
    test_follow_ups,
]

#: Tests that need the database itself, by name, with the reason.
DATABASE_ONLY: dict[str, str] = {}


def _cases(fn: Callable[..., Any]) -> list[tuple[Callable[..., Any], dict[str, Any], str]]:
    """The test's cases: one per combination of its own ``parametrize`` marks (none when it
    parametrizes the database itself, indirectly: it is about one database)."""
    cases: list[dict[str, Any]] = [{}]
    ids: list[str] = [""]
    for mark in getattr(fn, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        if mark.kwargs.get("indirect"):
            return []
        names = [n.strip() for n in mark.args[0].split(",")] if isinstance(mark.args[0], str) else list(mark.args[0])
        values = [v.values if hasattr(v, "values") else v for v in mark.args[1]]
        values = [v if len(names) > 1 else (v,) for v in values]
        cases = [c | dict(zip(names, v, strict=True)) for c in cases for v in values]
        ids = [f"{i}-{j}" if i else str(j) for i in ids for j in range(len(values))]
    return [(fn, c, i) for c, i in zip(cases, ids, strict=True)]


def _rules() -> list[Any]:
    found = []
    for module in MODULES:
        for name, fn in vars(module).items():
            if not (name.startswith("test_") and inspect.isfunction(fn) and fn.__module__ == module.__name__):
                continue
            if name in DATABASE_ONLY or "container" not in inspect.signature(fn).parameters:
                continue
            for rule, params, case in _cases(fn):
                label = f"{module.__name__.rsplit('.', 1)[-1]}::{name}" + (f"[{case}]" if case else "")
                uses = [n for m in getattr(fn, "pytestmark", []) if m.name == "usefixtures" for n in m.args]
                found.append(pytest.param(rule, params, uses, id=label))
    return found


@pytest.fixture
def fake(clock: FixedClock, triager: Triager) -> FakeContainer:
    return fake_container(clock, triager)


@pytest.fixture
def container(fake: FakeContainer) -> FakeContainer:
    """The container every borrowed test and fixture asks for: here, the fakes."""
    return fake


def _borrow_fixtures() -> None:
    """The modules' own fixtures (a phone call, a requested transport...), here too: they ask
    for ``container`` and so build on the fakes."""
    for module in MODULES:
        for name, value in vars(module).items():
            if type(value).__name__ == "FixtureFunctionDefinition" and name != "container":
                globals()[name] = value


_borrow_fixtures()


@pytest.mark.parametrize(("rule", "params", "uses"), _rules())
def test_the_rule_holds_on_the_fakes(
    rule: Callable[..., Any], params: dict[str, Any], uses: list[str], fake: FakeContainer, request: pytest.FixtureRequest
) -> None:
    for name in uses:  # the test's own ``usefixtures``
        request.getfixturevalue(name)
    args = {
        name: params[name] if name in params else request.getfixturevalue(name) for name in inspect.signature(rule).parameters
    }
    rule(**args)


def test_the_borrowed_rules_are_all_collected() -> None:
    """Were borrowing to break (a renamed module, a changed signature), the parametrized test
    above would quietly run nothing: at least the 76 rules of 2026-12-03 are found."""
    assert len(_rules()) >= 76
