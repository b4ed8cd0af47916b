"""Police see incidents with police in the response, or disclosed to them under a recorded
reason (issue 11 item 1), on SQLite and PostgreSQL, through the same SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import InvalidInput, NotFound, PermissionDenied
from crisis_dispatch.domain.outcomes import Disposition, Outcome
from crisis_dispatch.services import auth, disclosures, incidents
from crisis_dispatch.services.context import SYSTEM, Actor
from tests.integration.helpers import new_incident, staffed_unit

PASSWORD = "police-password-123"
SUPERVISOR = Actor("sam", UserRole.SUPERVISOR)
DISPATCHER = Actor("dana", UserRole.DISPATCHER)
ARMED = "He has a gun and is threatening his brother."
THREAT = "imperative threat: she said she will set fire to her neighbour's flat tonight"


def police(container: Container, name: str) -> Actor:
    """A police liaison who exists as a user (a disclosure names a real one)."""
    auth.create_user(container.ctx, SYSTEM, name, PASSWORD, "police_liaison")
    return Actor(name, UserRole.POLICE_LIAISON)


def seen_by(container: Container, actor: Actor) -> set[str]:
    return {v["id"] for v in incidents.list_incidents(container.ctx, actor)}


def test_police_see_neither_by_list_nor_by_id_an_incident_police_are_not_part_of(container: Container) -> None:
    pat = police(container, "pat")
    calm = new_incident(container)
    armed = new_incident(container, narrative=ARMED)
    assert seen_by(container, DISPATCHER) == {calm, armed}
    assert seen_by(container, pat) == {armed}
    with pytest.raises(NotFound, match=calm):
        incidents.get_incident(container.ctx, pat, calm)
    view = incidents.get_incident(container.ctx, pat, armed)
    assert view["view"] == "police" and "history" not in view


def test_an_incident_escalated_to_police_by_its_outcome_becomes_visible_to_police(container: Container) -> None:
    pat = police(container, "pat")
    van = staffed_unit(container)
    calm = new_incident(container)
    incidents.assign_unit(container.ctx, SYSTEM, calm, van)
    incidents.change_status(container.ctx, SYSTEM, calm, "on_scene")
    assert calm not in seen_by(container, pat)
    outcome = Outcome(disposition=Disposition.ESCALATED_TO_POLICE, recorded_at=container.ctx.clock.now(), recorded_by="crew")
    incidents.record_outcome(container.ctx, SYSTEM, calm, outcome)
    assert calm in seen_by(container, pat)
    assert incidents.get_incident(container.ctx, pat, calm)["view"] == "police"


def test_a_disclosure_to_a_named_police_user_shows_exactly_that_incident_to_exactly_that_user(container: Container) -> None:
    pat, lee = police(container, "pat"), police(container, "lee")
    calm, other = new_incident(container), new_incident(container)
    made = disclosures.disclose(container.ctx, SUPERVISOR, calm, f"  {THREAT} ", to_user="pat")
    assert made | {"id": None} == {
        "id": None,
        "incident_id": calm,
        "at": container.ctx.clock.now().isoformat(),
        "by": "sam",
        "reason": THREAT,
        "to_user": "pat",
        "to_role": None,
    }
    assert seen_by(container, pat) == {calm}
    assert seen_by(container, lee) == set()
    assert incidents.get_incident(container.ctx, pat, calm)["view"] == "police"
    with pytest.raises(NotFound):
        incidents.get_incident(container.ctx, lee, calm)
    with pytest.raises(NotFound):
        incidents.get_incident(container.ctx, pat, other)


def test_a_disclosure_to_the_police_role_shows_the_incident_to_every_police_liaison(container: Container) -> None:
    pat, lee = police(container, "pat"), police(container, "lee")
    calm = new_incident(container)
    disclosures.disclose(container.ctx, SUPERVISOR, calm, THREAT, to_role="police_liaison")
    assert seen_by(container, pat) == seen_by(container, lee) == {calm}


def test_a_disclosure_is_kept_in_the_history_the_audit_and_the_list_per_person(container: Container) -> None:
    police(container, "pat")
    lee = police(container, "lee")
    calm, second = new_incident(container), new_incident(container)
    disclosures.disclose(container.ctx, SUPERVISOR, calm, THREAT, to_user="pat")
    container.ctx.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    disclosures.disclose(container.ctx, SYSTEM, second, THREAT + " (all)", to_role="police_liaison")
    history = incidents.get_incident(container.ctx, SYSTEM, calm)["history"]
    assert history[-1]["event"] == "disclosure" and history[-1]["by"] == "sam"
    assert history[-1]["reason"] == f"disclosed to police user pat: {THREAT}"
    audit = auth.list_audit(container.ctx, SYSTEM, "incident", calm)
    assert [(a["action"], a["username"], a["detail"]) for a in audit if a["action"] == "disclose"] == [
        ("disclose", "sam", "to police user pat")
    ]
    every = disclosures.list_disclosures(container.ctx, SUPERVISOR)
    assert [(d["incident_id"], d["to_user"], d["to_role"]) for d in every] == [
        (calm, "pat", None),
        (second, None, "police_liaison"),
    ]
    assert [d["incident_id"] for d in disclosures.list_disclosures(container.ctx, SUPERVISOR, "pat")] == [calm, second]
    assert [d["incident_id"] for d in disclosures.list_disclosures(container.ctx, SUPERVISOR, "lee")] == [second]
    assert [d["incident_id"] for d in disclosures.list_disclosures(container.ctx, lee)] == [second]
    with pytest.raises(PermissionDenied, match="made to them"):
        disclosures.list_disclosures(container.ctx, lee, "pat")
    with pytest.raises(NotFound, match="nobody"):
        disclosures.list_disclosures(container.ctx, SUPERVISOR, "nobody")


def test_a_disclosure_needs_a_reason_a_police_recipient_and_a_supervisor(container: Container) -> None:
    police(container, "pat")
    auth.create_user(container.ctx, SYSTEM, "dana", "dana-password-123", "dispatcher")
    calm = new_incident(container)
    with pytest.raises(InvalidInput, match="reason of at least"):
        disclosures.disclose(container.ctx, SUPERVISOR, calm, "   threat  ", to_user="pat")
    with pytest.raises(InvalidInput, match="no active police_liaison"):
        disclosures.disclose(container.ctx, SUPERVISOR, calm, THREAT, to_user="dana")
    with pytest.raises(InvalidInput, match="no active police_liaison"):
        disclosures.disclose(container.ctx, SUPERVISOR, calm, THREAT, to_user="nobody")
    with pytest.raises(InvalidInput, match="not both"):
        disclosures.disclose(container.ctx, SUPERVISOR, calm, THREAT, to_user="pat", to_role="police_liaison")
    with pytest.raises(InvalidInput, match="police_liaison' only"):
        disclosures.disclose(container.ctx, SUPERVISOR, calm, THREAT, to_role="analyst")
    with pytest.raises(PermissionDenied):
        disclosures.disclose(container.ctx, DISPATCHER, calm, THREAT, to_user="pat")
    with pytest.raises(NotFound):
        disclosures.disclose(container.ctx, SUPERVISOR, "INC-nope", THREAT, to_user="pat")
    assert disclosures.list_disclosures(container.ctx, SUPERVISOR) == []


def test_court_liaisons_list_care_court_referrals_only_chosen_in_the_query_before_the_limit(container: Container) -> None:
    """The filter is part of the query: a page of one is the referral, not the newest
    incident filtered away afterwards."""
    court = Actor("cory", UserRole.COURT_LIAISON)
    van = staffed_unit(container)
    referred = new_incident(container)
    incidents.assign_unit(container.ctx, SYSTEM, referred, van)
    incidents.change_status(container.ctx, SYSTEM, referred, "on_scene")
    outcome = Outcome(
        disposition=Disposition.CARE_COURT_PETITION_RECOMMENDED, recorded_at=container.ctx.clock.now(), recorded_by="crew"
    )
    incidents.record_outcome(container.ctx, SYSTEM, referred, outcome)
    container.ctx.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    newer = new_incident(container)
    assert [v["id"] for v in incidents.list_incidents(container.ctx, DISPATCHER, limit=1)] == [newer]
    listed = incidents.list_incidents(container.ctx, court, limit=1)
    assert [(v["id"], v["view"]) for v in listed] == [(referred, "court")]
    with pytest.raises(NotFound):
        incidents.get_incident(container.ctx, court, newer)
