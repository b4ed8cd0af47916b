"""Confirming a text-only triage decision (issue 10) through the services, on SQLite and on
a real PostgreSQL: the three safety answers outrank the text, the new decision is kept, and
the incident records who confirmed and when."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crisis_dispatch.domain.triage.model import TriageResult
from crisis_dispatch.domain.triage.tier import Tier
from crisis_dispatch.services import auth, incidents
from crisis_dispatch.services.context import SYSTEM, Actor
from tests.integration.helpers import new_incident

CALL_TAKER = Actor("dana", UserRole.CALL_TAKER)
CALM = {"weapon": "no", "violence": "no", "conscious_breathing": "yes"}


def test_a_text_only_calm_call_is_recorded_unconfirmed(container: Container) -> None:
    view = incidents.get_incident(container.ctx, SYSTEM, new_incident(container))
    assert view["tier"] == "MH_TEAM" and view["status"] == "queued"
    triage = view["triage"]
    assert triage["confirmed"] is False
    assert triage["confirmed_by"] is None and triage["confirmed_at"] is None
    assert any(r.startswith("unconfirmed:") for r in triage["reasons"])


def test_confirming_keeps_the_decision_and_records_who_and_when(container: Container, clock) -> None:
    ctx = container.ctx
    iid = new_incident(container)
    clock.advance(timedelta(minutes=1))
    view = incidents.confirm_triage(ctx, CALL_TAKER, iid, {"weapon": "No", "violence": " no ", "conscious_breathing": "YES"})
    assert view["tier"] == "MH_TEAM" and view["status"] == "queued"
    assert view["triage"]["confirmed"] is True
    assert view["triage"]["confirmed_by"] == "dana"
    assert view["triage"]["confirmed_at"] == clock.now().isoformat()
    assert not any(r.startswith("unconfirmed:") for r in view["triage"]["reasons"])

    stored = incidents.get_incident(ctx, SYSTEM, iid)  # read back from the database
    assert stored["triage"]["confirmed_by"] == "dana"
    assert stored["triage"]["confirmed_at"] == clock.now().isoformat()
    assert stored["calls"][-1]["answers"] == CALM
    last = stored["history"][-1]
    assert last["event"] == "triage_confirmed" and last["by"] == "dana"
    assert "weapon=no, violence=no, conscious_breathing=yes" in last["reason"]
    assert "MH_TEAM -> MH_TEAM" in last["reason"]
    audit = auth.list_audit(ctx, SYSTEM, "incident", iid)
    assert any(a["detail"] == "triage confirmed" and a["username"] == "dana" for a in audit)


@pytest.mark.parametrize(
    ("answers", "tier"),
    [
        (CALM | {"weapon": "yes"}, "MH_TEAM_WITH_POLICE"),
        (CALM | {"violence": "yes"}, "MH_TEAM_WITH_POLICE"),
        (CALM | {"conscious_breathing": "no"}, "MH_TEAM_WITH_EMS"),
    ],
)
def test_an_answer_that_reveals_a_danger_changes_the_response(container: Container, answers: dict, tier: str) -> None:
    # The text says "No weapons, not violent": the answers outrank it.
    iid = new_incident(container)
    view = incidents.confirm_triage(container.ctx, CALL_TAKER, iid, answers)
    assert view["tier"] == tier and view["status"] == "queued"
    assert view["triage"]["confirmed"] is True and view["triage"]["confirmed_by"] == "dana"
    assert f"MH_TEAM -> {tier}" in incidents.get_incident(container.ctx, SYSTEM, iid)["history"][-1]["reason"]


def test_a_confirmation_that_takes_the_team_out_closes_the_waiting_incident_with_its_reason(container: Container) -> None:
    real = container.ctx.triage

    def police_for_a_weapon(call: dict[str, Any]) -> TriageResult:
        result = real(call)
        if call["answers"].get("weapon") == "yes":
            result = replace(result, tier=Tier.POLICE, screened_out="weapon")
        return result

    iid = new_incident(container)
    ctx = replace(container.ctx, triage=police_for_a_weapon)
    view = incidents.confirm_triage(ctx, CALL_TAKER, iid, CALM | {"weapon": "yes"})
    assert view["status"] == "closed" and view["screened_out_reason"] == "weapon"
    history = incidents.get_incident(ctx, SYSTEM, iid)["history"]
    assert [h["event"] for h in history[-2:]] == ["triage_confirmed", "status"]
    assert "screened out (weapon)" in history[-1]["reason"]


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({"weapon": "no", "violence": "no"}, "missing answer(s) to conscious_breathing"),
        ({}, "missing answer(s) to weapon, violence, conscious_breathing"),
        (CALM | {"weapon": "maybe"}, "answer to weapon must be 'yes' or 'no', not 'maybe'"),
        (CALM | {"violence": True}, "answer to violence must be 'yes' or 'no'"),
        (CALM | {"violence": ""}, "answer to violence must be 'yes' or 'no'"),
        (CALM | {"injury": "no"}, "unknown question(s) injury"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(container: Container, answers: dict, fragment: str) -> None:
    iid = new_incident(container)
    with pytest.raises(InvalidInput) as caught:
        incidents.confirm_triage(container.ctx, CALL_TAKER, iid, answers)
    assert fragment in str(caught.value)
    view = incidents.get_incident(container.ctx, SYSTEM, iid)
    assert view["triage"]["confirmed"] is False and view["triage"]["confirmed_by"] is None


def test_an_unknown_or_closed_incident_cannot_be_confirmed(container: Container) -> None:
    ctx = container.ctx
    with pytest.raises(NotFound):
        incidents.confirm_triage(ctx, CALL_TAKER, "INC-NOPE", CALM)
    iid = new_incident(container)
    incidents.change_status(ctx, SYSTEM, iid, "closed", "handed to police")
    with pytest.raises(Conflict, match="is closed: its triage can no longer be confirmed"):
        incidents.confirm_triage(ctx, CALL_TAKER, iid, CALM)


@pytest.mark.parametrize("role", [UserRole.CREW, UserRole.ANALYST, UserRole.POLICE_LIAISON, UserRole.COURT_LIAISON])
def test_only_those_who_take_calls_may_confirm(container: Container, role: UserRole) -> None:
    iid = new_incident(container)
    with pytest.raises(PermissionDenied, match="triage:confirm"):
        incidents.confirm_triage(container.ctx, Actor("someone", role), iid, CALM)


def test_who_confirmed_is_not_shown_to_roles_that_did_not_see_it_before(container: Container) -> None:
    ctx = container.ctx
    iid = new_incident(container)
    incidents.confirm_triage(ctx, CALL_TAKER, iid, CALM)
    with pytest.raises(NotFound):  # police are not part of a team-alone call: they do not see it at all
        incidents.get_incident(ctx, Actor("p", UserRole.POLICE_LIAISON), iid)
    analyst = incidents.get_incident(ctx, Actor("a", UserRole.ANALYST), iid)["triage"]
    assert analyst["confirmed"] is True
    assert "confirmed_by" not in analyst and "confirmed_at" not in analyst
    dispatcher = incidents.list_incidents(ctx, Actor("d", UserRole.DISPATCHER), open_only=True)
    assert [i["triage"]["confirmed_by"] for i in dispatcher if i["id"] == iid] == ["dana"]
