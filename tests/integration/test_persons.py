"""The person index through the services, on SQLite and on a real PostgreSQL (issue 14 item 2):
a search suggests and links nothing; a click links; a person's history lists the incidents
linked to them or to records merged into them; merge and unmerge are recorded and an unmerge
gives back exactly the links; every read is audited; crews see only their own incident's person."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crisis_dispatch.domain.outcomes import Destination, DestinationType, Disposition, Hold, HoldCriterion, HoldType, Outcome
from crisis_dispatch.domain.persons import PersonQuery
from crisis_dispatch.entrypoints.api.responses import KpiReport
from crisis_dispatch.services import incidents, persons
from crisis_dispatch.services.context import SYSTEM, Actor
from crisis_dispatch.services.persons import PersonDetails
from tests.integration.helpers import T0, crew_of, new_incident, staffed_unit

DISPATCHER = Actor("disp", UserRole.DISPATCHER)
CALL_TAKER = Actor("ct", UserRole.CALL_TAKER)


def person(container: Container, *names: str, dob: str | None = None, phones: tuple[str, ...] = (), description: str = "") -> str:
    details = PersonDetails(names=names, dob=dob, phones=phones, description=description)
    return persons.create_person(container.ctx, DISPATCHER, details)["id"]


def links(container: Container) -> dict[str, str]:
    with container.ctx.uow() as uow:
        return uow.persons.all_links()


def audit_rows(container: Container, action: str) -> list:
    with container.ctx.uow() as uow:
        return [r for r in uow.audit.list(object_type="person") if r.action == action]


def test_a_search_suggests_with_reasons_and_links_nothing(container: Container) -> None:
    john = person(container, "John Smith", "Johnny", dob="1984-03-07", phones=("(213) 555-0100",), description="tall, grey beard")
    person(container, "Mary Jones", dob="1990")
    iid = new_incident(container)
    found = persons.search(container.ctx, CALL_TAKER, PersonQuery(name="Jon Smith", dob="1984", phone="+1 213 555 0100"))
    assert [c["person"]["id"] for c in found["candidates"]] == [john]
    reasons = " / ".join(found["candidates"][0]["reasons"])
    assert "John Smith" in reasons and "year of birth matches (1984)" in reasons and "ending 0100" in reasons
    assert "nothing is linked" in found["note"]
    assert links(container) == {} and incidents.get_incident(container.ctx, SYSTEM, iid)["person_id"] is None
    (row,) = audit_rows(container, "search")
    assert row.object_id == john and row.detail == "search by name, dob, phone" and "Smith" not in row.detail


def test_a_search_needs_something_to_search_by(container: Container) -> None:
    with pytest.raises(InvalidInput, match="at least one of"):
        persons.search(container.ctx, DISPATCHER, PersonQuery())
    with pytest.raises(InvalidInput, match="date of birth"):
        persons.search(container.ctx, DISPATCHER, PersonQuery(dob="07/03/1984"))


def test_link_then_history_lists_times_tier_outcome_and_the_hold_and_is_audited(container: Container, clock) -> None:
    pid = person(container, "John Smith")
    unit = staffed_unit(container)
    first = new_incident(container)
    incidents.assign_unit(container.ctx, SYSTEM, first, unit)
    incidents.change_status(container.ctx, SYSTEM, first, "on_scene")
    clock.advance(timedelta(minutes=30))
    now = clock.now()
    hold = Hold(
        type=HoldType.WIC_5150,
        placed_by="stf-ttp-9-psych",
        placed_at=now,
        first_detained_at=now,
        criteria=frozenset({HoldCriterion.DANGER_TO_SELF}),
        could_be_served_without_detention=False,
        facts="said he would jump",
    )
    outcome = Outcome(
        disposition=Disposition.INVOLUNTARY_HOLD,
        recorded_at=now,
        recorded_by="x",
        hold=hold,
        destination=Destination(type=DestinationType.PSYCHIATRIC_URGENT_CARE, name="Test PUCC"),
    )
    incidents.record_outcome(container.ctx, SYSTEM, first, outcome)
    persons.link(container.ctx, DISPATCHER, first, pid)
    clock.advance(timedelta(days=3))
    second = new_incident(container)
    persons.link(container.ctx, DISPATCHER, second, pid)
    assert incidents.get_incident(container.ctx, SYSTEM, second)["person_id"] == pid
    record = persons.get_person(container.ctx, DISPATCHER, pid)
    assert [e["incident_id"] for e in record["encounters"]] == [first, second]
    assert record["summary"]["count"] == 2 and record["summary"]["last_at"].startswith("2026-11-30")
    enc = record["encounters"][0]
    assert enc["disposition"] == "involuntary_hold" and enc["tier"] == "MH_TEAM" and enc["destination"] == "Test PUCC"
    assert enc["hold"]["type"] == "5150" and enc["hold"]["written_by"] == "our crew" and record["summary"]["holds"] == 1
    assert "said he would jump" not in str(record)  # the hold's facts stay on the incident
    assert [e["action"] for e in record["trail"]] == ["create", "link", "link"]
    (read,) = audit_rows(container, "read")
    assert read.object_id == pid and read.username == "disp" and "encounter history (2)" in read.detail
    # The CARE petition's question: encounters since a date.
    recent = persons.encounters_of_person(container.ctx, DISPATCHER, pid, since=T0 + timedelta(days=1))
    assert [e["incident_id"] for e in recent] == [second]
    assert enc["hold"]["expires_at"] == (now + timedelta(hours=72)).isoformat()


def test_one_person_per_incident_and_unlink_is_recorded(container: Container) -> None:
    a, b = person(container, "A Person"), person(container, "B Person")
    iid = new_incident(container)
    persons.link(container.ctx, DISPATCHER, iid, a)
    assert persons.link(container.ctx, DISPATCHER, iid, a)["person_id"] == a  # the same click twice
    with pytest.raises(Conflict, match="unlink it first"):
        persons.link(container.ctx, DISPATCHER, iid, b)
    persons.unlink(container.ctx, DISPATCHER, iid, "not him: different age")
    assert links(container) == {}
    with pytest.raises(NotFound, match="not linked"):
        persons.unlink(container.ctx, DISPATCHER, iid)
    trail = persons.get_person(container.ctx, DISPATCHER, a)["trail"]
    assert [(e["action"], e["reason"]) for e in trail][-1] == ("unlink", "not him: different age")


def test_merge_then_unmerge_gives_back_exactly_the_links(container: Container) -> None:
    a, b = person(container, "John Smith"), person(container, "Jon Smyth")
    ia, ib1, ib2 = new_incident(container), new_incident(container), new_incident(container)
    persons.link(container.ctx, DISPATCHER, ia, a)
    persons.link(container.ctx, DISPATCHER, ib1, b)
    persons.link(container.ctx, DISPATCHER, ib2, b)
    before = links(container)
    result = persons.merge(container.ctx, DISPATCHER, b, a, "same date of birth and phone, crew confirmed")
    assert result["incidents"] == sorted([ib1, ib2]) and result["person"]["merged_into"] == a
    survivor = persons.get_person(container.ctx, DISPATCHER, a)
    assert {e["incident_id"] for e in survivor["encounters"]} == {ia, ib1, ib2} and survivor["merged_from"] == [b]
    assert incidents.get_incident(container.ctx, SYSTEM, ib1)["person_id"] == a
    assert [
        c["person"]["id"] for c in persons.search(container.ctx, DISPATCHER, PersonQuery(name="Jon Smyth"))["candidates"]
    ] == [a]
    with pytest.raises(Conflict, match="merged into"):
        persons.link(container.ctx, DISPATCHER, new_incident(container), b)
    with pytest.raises(InvalidInput, match="why"):
        persons.unmerge(container.ctx, DISPATCHER, b, "")
    back = persons.unmerge(container.ctx, DISPATCHER, b, "two different men: the crew met both")
    assert back["incidents"] == sorted([ib1, ib2])
    assert links(container) == before
    assert {e["incident_id"] for e in persons.get_person(container.ctx, DISPATCHER, a)["encounters"]} == {ia}
    assert [e["action"] for e in persons.get_person(container.ctx, DISPATCHER, b)["trail"]][-2:] == ["merge", "unmerge"]
    assert {r.action for r in audit_rows(container, "merge") + audit_rows(container, "unmerge")} == {"merge", "unmerge"}


def test_merges_are_refused_when_they_would_chain_or_loop(container: Container) -> None:
    a, b, c = person(container, "A"), person(container, "B"), person(container, "C")
    with pytest.raises(InvalidInput, match="themselves"):
        persons.merge(container.ctx, DISPATCHER, a, a, "the same record")
    persons.merge(container.ctx, DISPATCHER, b, a, "same person")
    with pytest.raises(Conflict, match="merge into A|merged into"):
        persons.merge(container.ctx, DISPATCHER, c, b, "same person")
    with pytest.raises(Conflict, match="already merged"):
        persons.merge(container.ctx, DISPATCHER, b, c, "same person")
    with pytest.raises(Conflict, match="not merged"):
        persons.unmerge(container.ctx, DISPATCHER, a, "never merged")


def test_roles_outside_the_clinical_team_get_nothing(container: Container) -> None:
    pid = person(container, "John Smith")
    for role in (UserRole.POLICE_LIAISON, UserRole.ANALYST, UserRole.COURT_LIAISON, UserRole.CAD):
        actor = Actor("x", role)
        with pytest.raises(PermissionDenied):
            persons.search(container.ctx, actor, PersonQuery(name="John"))
        with pytest.raises(PermissionDenied):
            persons.get_person(container.ctx, actor, pid)
    with pytest.raises(PermissionDenied):
        persons.get_person(container.ctx, CALL_TAKER, pid)
    with pytest.raises(PermissionDenied):
        persons.create_person(container.ctx, CALL_TAKER, PersonDetails(names=["X"]))


def test_a_crew_links_and_reads_only_for_the_incident_their_van_has_now(container: Container) -> None:
    staffed_unit(container)
    crew = crew_of("TTP-9")
    pid, other = person(container, "John Smith"), person(container, "Somebody Else")
    mine, theirs = new_incident(container), new_incident(container)
    with pytest.raises(NotFound):
        persons.get_person(container.ctx, crew, pid)
    incidents.assign_unit(container.ctx, SYSTEM, mine, "unit-ttp-9")
    with pytest.raises(NotFound):
        persons.link(container.ctx, crew, theirs, pid)
    persons.link(container.ctx, crew, mine, pid)
    assert persons.get_person(container.ctx, crew, pid)["summary"]["count"] == 1
    with pytest.raises(NotFound):
        persons.get_person(container.ctx, crew, other)


def test_the_kpi_report_counts_repeat_encounters_de_identified(container: Container, clock) -> None:
    from crisis_dispatch.services import reports

    a, b = person(container, "Repeat Person"), person(container, "Once Person")
    absorbed = person(container, "Repeat Persn")
    for pid in (a, a, b, absorbed):
        persons.link(container.ctx, DISPATCHER, new_incident(container), pid)
    new_incident(container)  # not linked: not counted
    persons.merge(container.ctx, DISPATCHER, absorbed, a, "same person, typo")
    clock.advance(timedelta(minutes=5))
    report = reports.kpi_report(container.ctx, Actor("ana", UserRole.ANALYST), T0 - timedelta(hours=1), T0 + timedelta(days=1))
    KpiReport.model_validate(report)  # the API's answer declares every key the report has
    block = report["after_the_call"]["person_index"]
    assert block == {"encounters_linked": 4, "people": 2, "people_seen_twice_or_more": 1}
    assert "Repeat" not in str(report) and a not in str(report)
