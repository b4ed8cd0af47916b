"""Calls served by the 988 line through the services, on SQLite and PostgreSQL: the transfer,
its result, and a handback that opens a linked incident for the team."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.errors import Conflict, InvalidInput
from crisis_dispatch.services import incidents, phone_988
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import T0, new_incident
from tests.unit.triage.builders import CALM_ANSWERS

#: A calm caller who is the person in crisis, every danger ruled out: the 988 line.
CALM_CALLER = dict(
    narrative="Caller says she is feeling anxious and lonely and wants to talk to someone.",
    answers=CALM_ANSWERS,
)


@pytest.fixture
def phone_call(container: Container) -> str:
    iid = new_incident(container, **CALM_CALLER)
    view = incidents.get_incident(container.ctx, SYSTEM, iid)
    assert view["tier"] == "PHONE_988" and view["status"] == "closed"
    return iid


def test_the_transfer_to_988_is_recorded_with_centre_reference_and_time(container: Container, phone_call: str, clock) -> None:
    clock.advance(timedelta(minutes=3))
    view = phone_988.record_transfer(container.ctx, SYSTEM, phone_call, centre="Didi Hirsch 988", reference="DH-1")
    assert view["phone_988"]["centre"] == "Didi Hirsch 988" and view["phone_988"]["reference"] == "DH-1"
    assert view["phone_988"]["transferred_at"] == (T0 + timedelta(minutes=3)).isoformat()
    history = incidents.get_incident(container.ctx, SYSTEM, phone_call)["history"]
    assert history[-1]["event"] == "988_transfer" and "DH-1" in history[-1]["reason"]
    with pytest.raises(Conflict, match="already recorded"):
        phone_988.record_transfer(container.ctx, SYSTEM, phone_call, centre="Other", reference="X")


def test_only_calls_triaged_to_988_are_transferred(container: Container) -> None:
    team_call = new_incident(container)
    with pytest.raises(InvalidInput, match="988"):
        phone_988.record_transfer(container.ctx, SYSTEM, team_call, centre="Didi Hirsch 988", reference="DH-2")


def test_the_result_follows_the_transfer(container: Container, phone_call: str, clock) -> None:
    with pytest.raises(Conflict, match="transfer first"):
        phone_988.record_result(container.ctx, SYSTEM, phone_call, "resolved_by_phone")
    phone_988.record_transfer(container.ctx, SYSTEM, phone_call, centre="Didi Hirsch 988", reference="DH-3")
    clock.advance(timedelta(minutes=30))
    view = phone_988.record_result(container.ctx, SYSTEM, phone_call, "call_back", note="will call at 6 pm")
    assert view["phone_988"]["result"] == "call_back"
    clock.advance(timedelta(hours=3))
    view = phone_988.record_result(container.ctx, SYSTEM, phone_call, "resolved_by_phone")
    assert view["phone_988"]["result"] == "resolved_by_phone"
    with pytest.raises(InvalidInput, match="handback"):
        phone_988.record_result(container.ctx, SYSTEM, phone_call, "team_requested")
    with pytest.raises(InvalidInput, match="unknown 988 result 'maybe'"):
        phone_988.record_result(container.ctx, SYSTEM, phone_call, "maybe")


def test_a_handback_opens_a_linked_team_incident_re_triaged_as_any_call(container: Container, phone_call: str, clock) -> None:
    ctx = container.ctx
    phone_988.record_transfer(ctx, SYSTEM, phone_call, centre="Didi Hirsch 988", reference="DH-4")
    clock.advance(timedelta(minutes=40))
    new = phone_988.hand_back(ctx, SYSTEM, phone_call, narrative="She asks for someone to come in person; calm.")
    assert new["id"] != phone_call and new["handed_back_from"] == phone_call
    assert new["tier"] == "MH_TEAM" and new["status"] == "queued"
    assert new["location"] == incidents.get_incident(ctx, SYSTEM, phone_call)["location"]
    assert "988 handback (Didi Hirsch 988)" in new["calls"][0]["narrative"]
    old = incidents.get_incident(ctx, SYSTEM, phone_call)
    assert old["phone_988"]["handed_back_to"] == new["id"] and old["phone_988"]["result"] == "team_requested"
    assert old["status"] == "closed"  # the 988 incident stays closed: the team's work is the new one
    assert old["history"][-1]["event"] == "988_handback"
    with pytest.raises(Conflict, match=new["id"]):
        phone_988.hand_back(ctx, SYSTEM, phone_call, narrative="again")


def test_a_handback_with_a_danger_is_triaged_like_any_call(container: Container, phone_call: str) -> None:
    ctx = container.ctx
    phone_988.record_transfer(ctx, SYSTEM, phone_call, centre="Didi Hirsch 988", reference="DH-5")
    new = phone_988.hand_back(ctx, SYSTEM, phone_call, narrative="She now says she has a knife.", answers={"weapon": "yes"})
    assert "POLICE" in new["tier"]


def test_a_handback_needs_the_transfer_and_the_counsellors_words(container: Container, phone_call: str) -> None:
    with pytest.raises(Conflict, match="transfer first"):
        phone_988.hand_back(container.ctx, SYSTEM, phone_call, narrative="come please")
    phone_988.record_transfer(container.ctx, SYSTEM, phone_call, centre="Didi Hirsch 988", reference="DH-6")
    with pytest.raises(InvalidInput, match="narrative"):
        phone_988.hand_back(container.ctx, SYSTEM, phone_call, narrative=" ")
