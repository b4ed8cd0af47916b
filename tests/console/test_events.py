"""The live feed's read side (services/events.py) on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import insert

from crisis_dispatch.adapters import orm
from crisis_dispatch.bootstrap import Container, build
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.history import Subject
from crisis_dispatch.services import events, incidents
from crisis_dispatch.services.context import SYSTEM, Actor, Triager
from tests.integration.helpers import T0, crew_of, new_incident, staffed_unit

DISPATCHER = Actor("dana", UserRole.DISPATCHER)
POLICE = Actor("pat", UserRole.POLICE_LIAISON)
ANALYST = Actor("ann", UserRole.ANALYST)
COURT = Actor("cory", UserRole.COURT_LIAISON)


def test_the_feed_gives_status_changes_after_an_id_oldest_first(container: Container) -> None:
    start = events.latest_id(container.ctx)
    incident = new_incident(container)
    found = events.events_since(container.ctx, DISPATCHER, start)
    assert [e.data["to"] for e in found] == ["received", "triaged", "queued"]
    assert [e.id for e in found] == sorted(e.id for e in found)
    assert all(e.data["incident_id"] == incident for e in found)
    assert events.events_since(container.ctx, DISPATCHER, found[-1].id) == []
    assert events.latest_id(container.ctx) == found[-1].id


def test_crew_see_only_changes_of_their_own_van_and_its_incidents(container: Container) -> None:
    mine = staffed_unit(container, "TTP-7")
    other = staffed_unit(container, "TTP-8")
    start = events.latest_id(container.ctx)
    ours = new_incident(container)
    theirs = new_incident(container)
    incidents.assign_unit(container.ctx, SYSTEM, ours, mine)
    incidents.assign_unit(container.ctx, SYSTEM, theirs, other)
    seen = events.events_since(container.ctx, crew_of("TTP-7"), start)
    assert seen, "the crew sees its own dispatch"
    assert {e.data.get("incident_id") for e in seen} == {ours}
    assert {e.data["subject_id"] for e in seen if e.data["subject"] == Subject.UNIT.value} == {mine}
    # Queued and triaged changes came before the van was assigned: not the crew's business.
    assert all(e.data["unit_id"] == mine for e in seen)


def test_police_liaisons_and_analysts_get_neither_reason_nor_author(container: Container) -> None:
    start = events.latest_id(container.ctx)
    new_incident(container, narrative="He has a gun and is threatening his brother.")
    police = events.events_since(container.ctx, POLICE, start)
    analyst = events.events_since(container.ctx, ANALYST, start)
    full = events.events_since(container.ctx, DISPATCHER, start)
    assert len(police) == len(analyst) == len(full) > 0
    assert any(e.data["reason"] for e in full) and all(e.data["by"] for e in full)
    assert all("reason" not in e.data and "by" not in e.data for e in police + analyst)


def test_police_liaisons_get_no_change_of_an_incident_police_are_not_part_of(container: Container) -> None:
    start = events.latest_id(container.ctx)
    calm = new_incident(container)
    armed = new_incident(container, narrative="He has a gun and is threatening his brother.")
    assert {e.data["incident_id"] for e in events.events_since(container.ctx, DISPATCHER, start)} == {calm, armed}
    assert {e.data["incident_id"] for e in events.events_since(container.ctx, POLICE, start)} == {armed}


def test_court_liaisons_get_no_live_feed(container: Container) -> None:
    start = events.latest_id(container.ctx)
    new_incident(container)
    assert events.events_since(container.ctx, COURT, start) == []


def test_a_change_written_by_another_process_reaches_this_feed(container: Container) -> None:
    """Two API processes share the database, not memory: each one's feed shows the other's writes."""
    other = build(container.settings, clock=container.ctx.clock, triager=container.ctx.triage)
    try:
        cursor = events.FeedCursor(events.latest_id(container.ctx))
        incident = new_incident(other)
        seen = cursor.poll(container.ctx, DISPATCHER)
        assert [e.data["incident_id"] for e in seen] == [incident] * 3
    finally:
        other.dispose()


def _insert_history(container: Container, row_id: int, to: str) -> None:
    with container.ctx.uow() as uow:
        assert uow.session is not None
        uow.session.execute(
            insert(orm.status_history).values(
                id=row_id,
                subject="incident",
                subject_id="INC-X",
                from_status=None,
                to_status=to,
                at=T0,
                by="test",
                reason="",
                incident_id="INC-X",
            )
        )
        uow.commit()


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_row_that_commits_after_a_newer_one_is_still_delivered(sqlite_container: Container) -> None:
    """On PostgreSQL ids are handed out at insert and commits land in any order."""
    c = sqlite_container
    cursor = events.FeedCursor(0, monotonic=FakeMonotonic())
    _insert_history(c, 5, "received")
    _insert_history(c, 7, "queued")
    assert [e.id for e in cursor.poll(c.ctx, DISPATCHER)] == [5, 7]
    _insert_history(c, 6, "triaged")  # the slower transaction commits now
    assert [e.id for e in cursor.poll(c.ctx, DISPATCHER)] == [6]
    assert cursor.poll(c.ctx, DISPATCHER) == []


def test_a_hole_that_never_fills_is_forgotten_after_a_while(sqlite_container: Container) -> None:
    c = sqlite_container
    clock = FakeMonotonic()
    cursor = events.FeedCursor(0, monotonic=clock)
    _insert_history(c, 3, "received")
    cursor.poll(c.ctx, DISPATCHER)
    assert set(cursor.gaps) == {1, 2}
    clock.now += events.GAP_PATIENCE + 1  # rolled back: it will never appear
    assert cursor.poll(c.ctx, DISPATCHER) == []
    assert cursor.gaps == {}


def test_on_postgresql_a_transaction_that_commits_after_a_newer_one_is_still_delivered(
    _pg_migrated: str, triager: Triager
) -> None:
    """The real race: ids come from a sequence at insert, commits land in any order."""
    c = build(Settings(database_url=_pg_migrated, secret_key="test-secret-key-0123456789"), clock=FixedClock(T0), triager=triager)
    row = dict(subject="incident", subject_id="INC-RACE", from_status=None, at=T0, by="test", reason="", incident_id="INC-RACE")
    try:
        cursor = events.FeedCursor(events.latest_id(c.ctx))
        with c.engine.connect() as slow:
            late = slow.begin()
            slow.execute(insert(orm.status_history).values(to_status="slow", **row))
            with c.engine.begin() as fast:
                fast.execute(insert(orm.status_history).values(to_status="fast", **row))
            assert [e.data["to"] for e in cursor.poll(c.ctx, DISPATCHER)] == ["fast"]
            late.commit()
        assert [e.data["to"] for e in cursor.poll(c.ctx, DISPATCHER)] == ["slow"]
    finally:
        c.dispose()
