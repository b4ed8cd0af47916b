"""Who may do what, and what each role may see (minimum necessary, DOMAIN.md §5)."""

from __future__ import annotations

import itertools

import pytest

from crisis_dispatch.domain.access import Permission, UserRole, allowed
from crisis_dispatch.services.read_models import project_incident

#: Written from DOMAIN.md §2 and §5 and issue 2 (not read back from the code): role -> what it may do.
#: Everyone reads incidents (views are redacted or scoped) and reference data.
_READ = {"incident:read", "reference:read"}
_DISPATCH = _READ | {
    "call:create",
    "queue:read",
    "triage:evaluate",
    "triage:confirm",
    "incident:status",
    "incident:assign",
    "incident:outcome",
    "incident:note",
    "unit:read",
    "unit:status",
    "staff:read",
    "facility:update",
}
#: Issue 13: whoever takes calls may take an EIDO from the CAD and read an incident as EIDO.
_EIDO = {"eido:receive", "eido:read"}
#: Issue 14 item 2: the person index is clinical. Call-takers search (a caller names someone);
#: crews and dispatchers link and read encounters; dispatchers and supervisors merge.
_PERSONS = {"person:search", "person:link", "person:read"}
#: Issue 14 item 4: CARE Court petitions. The team's clinicians prepare them (WIC 5974);
#: court liaisons read every CARE matter and record the court's stages.
_CARE = {"care:prepare", "care:read", "care:stage"}
#: Issue 14 item 3: follow-up tasks and warm hand-offs, for those who work the calls clinically.
_FOLLOW_UP = {"follow_up:work", "hand_off:record"}
EXPECTED: dict[str, set[str]] = {
    # Issue 10: whoever takes calls confirms a text-only decision by asking the safety questions.
    "call_taker": _READ
    | _EIDO
    | {"call:create", "queue:read", "triage:evaluate", "triage:confirm", "unit:read", "person:search"},
    "dispatcher": _DISPATCH | _EIDO | _PERSONS | {"person:merge"} | _FOLLOW_UP,
    "crew": _READ
    | _PERSONS
    | _CARE
    | _FOLLOW_UP
    | {"incident:status", "incident:outcome", "incident:note", "unit:read", "unit:status", "facility:update"},
    # A supervisor does what dispatchers do, plus crews and the audit trail, and discloses an
    # incident to police under the imminent-threat exception.
    "supervisor": _DISPATCH
    | _EIDO
    | _PERSONS
    | {"person:merge"}
    | _CARE
    | _FOLLOW_UP
    | {"crew:manage", "audit:read", "report:read", "export:nemsis", "incident:disclose", "disclosure:read"},
    # Analysts run what-ifs on the triage criteria; they change nothing.
    "analyst": _READ | {"triage:evaluate", "unit:read", "report:read"},
    # Police see where the vans are, and nothing clinical; and which incidents were disclosed to them.
    "police_liaison": _READ | {"unit:read", "disclosure:read"},
    "court_liaison": _READ | {"care:read", "care:stage"},
    "admin": {p.value for p in Permission},
    # Issue 13: the CAD's machine account sends and reads EIDO documents, and nothing else:
    # no incident views, no reference data, no queue.
    "cad": set(_EIDO),
}
WRITES = {
    "call:create",
    "triage:confirm",
    "incident:status",
    "incident:assign",
    "incident:outcome",
    "incident:note",
    "unit:status",
    "crew:manage",
    "facility:update",
    "user:manage",
    "incident:disclose",
    "person:link",
    "person:merge",
    "care:prepare",
    "care:stage",
}
CASES = list(itertools.product(sorted(EXPECTED), sorted(p.value for p in Permission)))


def test_the_roles_are_those_of_issue_2() -> None:
    assert {r.value for r in UserRole} == set(EXPECTED)


@pytest.mark.parametrize(("role", "permission"), CASES, ids=[f"{r}:{p}" for r, p in CASES])
def test_each_role_has_exactly_the_expected_permissions(role: str, permission: str) -> None:
    assert allowed(role, Permission(permission)) == (permission in EXPECTED[role]), (
        f"{role} / {permission}: the code and this table disagree; a new or changed permission "
        "must be reviewed here (EXPECTED in tests/unit/domain/test_access_control.py)"
    )


@pytest.mark.parametrize("role", ["analyst", "police_liaison", "court_liaison", "cad"])
def test_read_only_roles_can_write_nothing(role: str) -> None:
    # Court liaisons write one thing: the court's stages of a CARE matter (issue 14 item 4).
    may_write = {"care:stage"} if role == "court_liaison" else set()
    assert {p.value for p in Permission if allowed(role, p)} & WRITES == may_write


def test_only_an_admin_manages_users() -> None:
    assert [r.value for r in UserRole if allowed(r, Permission.USER_MANAGE)] == ["admin"]


def test_an_unknown_role_is_refused_rather_than_given_some_default() -> None:
    with pytest.raises(ValueError):
        allowed("chief", Permission.INCIDENT_READ)
    with pytest.raises(ValueError):
        project_incident({"id": "INC-1"}, "chief")
