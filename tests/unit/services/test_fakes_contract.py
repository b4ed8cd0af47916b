"""What the fakes promise about storage, checked against the fakes and against SQLite alike:
a lost concurrent update, a duplicate key, versions, the order of lists, the history's ids.
(The use cases' rules run on the fakes in ``test_rules_on_fakes.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from crisis_dispatch.bootstrap import build
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.errors import Conflict, DuplicateKey
from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.services import incidents
from crisis_dispatch.services.context import SYSTEM, Triager
from crisis_dispatch.services.incidents import CallIntake
from tests.integration.helpers import CALM_CALL, new_incident, staffed_unit
from tests.support.app import TEST_SECRET
from tests.support.postgres import truncate_all
from tests.unit.fakes import fake_container


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, clock: FixedClock, triager: Triager) -> Iterator[Any]:
    if request.param == "fake":
        yield fake_container(clock, triager)
    elif request.param == "sqlite":
        yield request.getfixturevalue("sqlite_container")
    else:
        settings = Settings(database_url=request.getfixturevalue("_pg_migrated"), secret_key=TEST_SECRET)
        container = build(settings, clock=clock, triager=triager)
        truncate_all(container)
        yield container
        container.dispose()


def _two_at_once(store: Any) -> None:
    if getattr(store, "engine", None) is not None and store.engine.dialect.name == "sqlite":
        pytest.skip("SQLite runs one writing transaction at a time: the second would wait for the first")


def test_the_second_of_two_concurrent_changes_to_an_incident_is_refused(store: Any) -> None:
    _two_at_once(store)
    incident_id = new_incident(store)
    with store.ctx.uow() as first, store.ctx.uow() as second:
        first.incidents.get(incident_id).subject_description = "first"
        second.incidents.get(incident_id).subject_description = "second"
        first.commit()
        with pytest.raises(Conflict):
            second.commit()
    with store.ctx.uow() as uow:
        assert uow.incidents.get(incident_id).subject_description == "first"


def test_a_version_counts_the_committed_changes(store: Any) -> None:
    incident_id = new_incident(store)
    with store.ctx.uow() as uow:
        start = uow.incidents.get(incident_id).version
    for n in range(3):
        with store.ctx.uow() as uow:
            uow.incidents.get(incident_id).subject_description = f"change {n}"
            uow.commit()
    with store.ctx.uow() as uow:
        uow.incidents.get(incident_id)  # read only: no new version
    with store.ctx.uow() as uow:
        assert start >= 1 and uow.incidents.get(incident_id).version == start + 3


def test_an_idempotency_key_stored_twice_is_a_duplicate_key(store: Any) -> None:
    _two_at_once(store)
    incident_id = new_incident(store)
    with store.ctx.uow() as first, store.ctx.uow() as second:
        first.idempotency.add("key-1", "hash", incident_id, store.ctx.clock.now())
        first.commit()
        with pytest.raises(DuplicateKey):  # at the insert or at the latest at the commit
            second.idempotency.add("key-1", "hash", incident_id, store.ctx.clock.now())
            second.commit()


def test_the_same_unit_id_added_twice_is_a_duplicate_key(store: Any) -> None:
    staffed_unit(store, "TTP-D")
    with pytest.raises(DuplicateKey), store.ctx.uow() as uow:
        from crisis_dispatch.domain.unit import Unit

        uow.units.add(Unit(id="unit-ttp-d", call_sign="TTP-D2", station_id="st-test"))
        uow.commit()


def test_incidents_list_newest_first_and_filter_by_status(store: Any, clock: FixedClock) -> None:
    staffed_unit(store, "TTP-L")
    ids = []
    for _ in range(3):
        ids.append(new_incident(store))
        clock.advance(timedelta(minutes=1))
    incidents.assign_unit(store.ctx, SYSTEM, ids[0], "TTP-L")
    with store.ctx.uow() as uow:
        assert [i.id for i in uow.incidents.list()] == ids[::-1]
        assert [i.id for i in uow.incidents.list(statuses=[IncidentStatus.QUEUED])] == ids[:0:-1]
        assert [i.id for i in uow.incidents.list(limit=1, offset=1)] == [ids[1]]
        assert [i.id for i in uow.incidents.received_between(clock.now().replace(year=2000), clock.now())] == ids


def test_history_ids_grow_in_commit_order_and_the_feed_reads_after_an_id(store: Any) -> None:
    with store.ctx.uow() as uow:
        start = uow.history.latest_id()
    first = new_incident(store)
    second = incidents.take_call(store.ctx, SYSTEM, CallIntake(**CALM_CALL), idempotency_key="k").incident["id"]
    with store.ctx.uow() as uow:
        rows = uow.history.after(start, 100)
        assert [r.id for r in rows] == sorted(r.id for r in rows) and len({r.id for r in rows}) == len(rows)
        assert [r.incident_id for r in rows][0] == first and rows[-1].incident_id == second
        assert uow.history.latest_id() == rows[-1].id
        assert uow.history.after(rows[-1].id, 100) == []
