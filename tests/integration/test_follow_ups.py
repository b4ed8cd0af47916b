"""Follow-up tasks and warm hand-offs through the services, on SQLite and on a real
PostgreSQL: tasks created in the transaction that closes the encounter, listed soonest due
first, overdue at the clock's now, closed with a result (a retry for "not reached"), assigned,
cancelled, audited; a hand-off to a provider of the directory and its answer; the KPIs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crisis_dispatch.domain.outcomes import Disposition, Outcome
from crisis_dispatch.entrypoints.api.responses import KpiReport
from crisis_dispatch.services import auth, follow_ups, incidents, reports, units
from crisis_dispatch.services.context import SYSTEM, Actor
from crisis_dispatch.services.follow_ups import TaskQuery
from tests.integration.helpers import crew_of, new_incident, staffed_unit
from tests.integration.test_hold_transports import facilities  # noqa: F401 -- a fixture used below

PROVIDER = "exodus-recovery-center-psychiatric-urgent-care-east-side"
DISPATCHER = Actor("disp", UserRole.DISPATCHER)


def closed_with(container: Container, clock, disposition: Disposition, *, call_sign: str = "TTP-9", by_unit: bool = False) -> str:
    """An incident worked by a van and closed with ``disposition`` (by the van clearing, or by
    a status change)."""
    ctx = container.ctx
    unit_id = staffed_unit(container, call_sign)
    iid = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    clock.advance(timedelta(minutes=15))
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    clock.advance(timedelta(minutes=30))
    incidents.record_outcome(ctx, SYSTEM, iid, Outcome(disposition, recorded_at=clock.now(), recorded_by="crew"))
    if by_unit:
        units.set_unit_status(ctx, SYSTEM, unit_id, "available")
    else:
        incidents.change_status(ctx, SYSTEM, iid, "closed")
    return iid


def open_tasks(container: Container, **kw: object) -> list[dict]:
    return follow_ups.list_follow_ups(container.ctx, SYSTEM, TaskQuery(**kw))  # type: ignore[arg-type]


def test_closing_treated_and_released_creates_a_call_due_in_72_hours(container: Container, clock) -> None:
    iid = closed_with(container, clock, Disposition.TREATED_AND_RELEASED)
    closed_at = clock.now()
    (task,) = open_tasks(container)
    assert task["incident_id"] == iid and task["kind"] == "phone_call" and task["rule_id"] == "released-call-72h"
    assert task["due_at"] == (closed_at + timedelta(hours=72)).isoformat() and task["owner_role"] == "dispatcher"
    assert task["status"] == "open" and not task["overdue"] and task["attempt"] == 1 and task["attempts_allowed"] == 3
    with container.ctx.uow() as uow:
        assert any(r.object_id == task["id"] and r.action == "create" for r in uow.audit.page(0, 1000))


def test_the_van_clearing_closes_and_creates_the_facility_check(container: Container, clock) -> None:
    from crisis_dispatch.domain.outcomes import Destination, DestinationType

    ctx = container.ctx
    unit_id = staffed_unit(container)
    iid = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    outcome = Outcome(
        Disposition.VOLUNTARY_TRANSPORT,
        recorded_at=clock.now(),
        recorded_by="crew",
        destination=Destination(DestinationType.SOBERING_CENTER, name="Sobering"),
    )
    incidents.record_outcome(ctx, SYSTEM, iid, outcome)
    incidents.change_status(ctx, SYSTEM, iid, "transporting")
    incidents.change_status(ctx, SYSTEM, iid, "at_destination")
    units.set_unit_status(ctx, SYSTEM, unit_id, "available")
    (task,) = open_tasks(container)
    assert task["incident_id"] == iid and task["kind"] == "facility_check"
    assert task["due_at"] == (clock.now() + timedelta(hours=24)).isoformat()


def test_an_outcome_without_a_rule_and_a_screened_out_call_get_no_task(container: Container, clock) -> None:
    closed_with(container, clock, Disposition.NO_PERSON_FOUND)
    new_incident(container, narrative="He has a gun and is threatening his neighbours")  # closed at intake: police
    assert open_tasks(container) == []


def test_not_reached_opens_retries_until_the_attempts_run_out(container: Container, clock) -> None:
    closed_with(container, clock, Disposition.DECLINED_SERVICES)  # 2 attempts, retry 48 h later
    (task,) = open_tasks(container)
    clock.advance(timedelta(hours=3))
    first = follow_ups.record_result(container.ctx, DISPATCHER, task["id"], "not_reached", "no answer, voicemail full")
    assert first["status"] == "done" and first["result"] == "not_reached" and first["on_time"]
    retry = first["retry"]
    assert retry["attempt"] == 2 and retry["retry_of"] == task["id"]
    assert retry["due_at"] == (clock.now() + timedelta(hours=48)).isoformat()
    assert [t["id"] for t in open_tasks(container)] == [retry["id"]]
    last = follow_ups.record_result(container.ctx, DISPATCHER, retry["id"], "not_reached")
    assert last["retry"] is None and open_tasks(container) == []
    done = open_tasks(container, status="done")
    assert [t["attempt"] for t in done] == [1, 2]
    with pytest.raises(Conflict, match="already done"):
        follow_ups.record_result(container.ctx, DISPATCHER, retry["id"], "reached")
    with pytest.raises(InvalidInput, match="unknown follow-up result 'maybe'"):
        follow_ups.record_result(container.ctx, DISPATCHER, task["id"], "maybe")


def test_overdue_is_open_and_past_due_at_the_clocks_now(container: Container, clock) -> None:
    closed_with(container, clock, Disposition.TREATED_AND_RELEASED, call_sign="TTP-1")
    closed_with(container, clock, Disposition.DECLINED_SERVICES, call_sign="TTP-2")
    assert open_tasks(container, overdue=True) == []
    clock.advance(timedelta(hours=25))  # the declined retry (24 h) is late, the 72-h call is not
    late = open_tasks(container, overdue=True)
    assert [t["rule_id"] for t in late] == ["declined-retry-contact"] and late[0]["minutes_overdue"] > 0
    summary = follow_ups.overdue_summary(container.ctx, DISPATCHER)
    assert [o["id"] for o in summary["overdue"]] == [late[0]["id"]]
    listed = open_tasks(container, due_before=clock.now() + timedelta(days=10))
    assert [t["rule_id"] for t in listed] == ["declined-retry-contact", "released-call-72h"]  # soonest due first
    done = follow_ups.record_result(container.ctx, DISPATCHER, late[0]["id"], "reached")
    assert done["on_time"] is False and done["retry"] is None


def test_assignment_owner_filter_and_cancel(container: Container, clock) -> None:
    ctx = container.ctx
    auth.create_user(ctx, SYSTEM, "dana", "a-long-enough-password-1", "dispatcher")
    auth.create_user(ctx, SYSTEM, "ana", "a-long-enough-password-1", "analyst")
    closed_with(container, clock, Disposition.REFERRED)
    (task,) = open_tasks(container)
    with pytest.raises(InvalidInput, match="unknown user"):
        follow_ups.assign(ctx, DISPATCHER, task["id"], "nobody")
    with pytest.raises(InvalidInput, match="does not work follow-ups"):
        follow_ups.assign(ctx, DISPATCHER, task["id"], "ana")
    assert follow_ups.assign(ctx, DISPATCHER, task["id"], "dana")["owner"] == "dana"
    assert [t["id"] for t in open_tasks(container, owner="dana")] == [task["id"]]
    assert open_tasks(container, owner="someone-else") == []
    with pytest.raises(InvalidInput, match="reason"):
        follow_ups.cancel(ctx, DISPATCHER, task["id"], " ")
    cancelled = follow_ups.cancel(ctx, DISPATCHER, task["id"], "person moved out of the county")
    assert cancelled["status"] == "cancelled" and open_tasks(container) == []


def test_crew_see_only_the_tasks_given_to_them_and_police_none(container: Container, clock) -> None:
    closed_with(container, clock, Disposition.TREATED_AND_RELEASED)
    crew = Actor("crew-ttp-9", UserRole.CREW, staff_id=crew_of("TTP-9").staff_id)
    assert follow_ups.list_follow_ups(container.ctx, crew, TaskQuery()) == []
    (task,) = open_tasks(container)
    with pytest.raises(NotFound):
        follow_ups.record_result(container.ctx, crew, task["id"], "reached")
    auth.create_user(container.ctx, SYSTEM, crew.username, "a-long-enough-password-1", "crew", crew.staff_id)
    with pytest.raises(InvalidInput, match="for themselves"):
        follow_ups.assign(container.ctx, crew, task["id"], "system")
    follow_ups.assign(container.ctx, crew, task["id"], crew.username)  # the crew member takes it
    assert [t["id"] for t in follow_ups.list_follow_ups(container.ctx, crew, TaskQuery())] == [task["id"]]
    assert follow_ups.record_result(container.ctx, crew, task["id"], "linked_to_care")["result"] == "linked_to_care"
    for role in (UserRole.POLICE_LIAISON, UserRole.ANALYST, UserRole.COURT_LIAISON, UserRole.CALL_TAKER):
        with pytest.raises(PermissionDenied):
            follow_ups.list_follow_ups(container.ctx, Actor("x", role), TaskQuery())
        with pytest.raises(PermissionDenied):
            follow_ups.list_providers(container.ctx, Actor("x", role))


def test_a_warm_hand_off_is_offered_and_accepted_by_name(container: Container, clock) -> None:
    ctx = container.ctx
    iid = closed_with(container, clock, Disposition.REFERRED)
    crew = crew_of("TTP-9")
    h = follow_ups.offer_hand_off(ctx, crew, iid, provider_id=PROVIDER, contact="intake nurse, by phone (323) 276-6400")
    assert h["status"] == "offered" and h["provider_name"].startswith("Exodus") and h["offered_by"] == crew.username
    clock.advance(timedelta(minutes=10))
    answered = follow_ups.respond_hand_off(
        ctx, crew, h["id"], accepted=True, responder_name="RN B. Example", responded_at=clock.now() - timedelta(minutes=2)
    )
    assert answered["status"] == "accepted" and answered["responder_name"] == "RN B. Example"
    assert answered["responded_at"] == (clock.now() - timedelta(minutes=2)).isoformat()
    with pytest.raises(Conflict, match="already accepted"):
        follow_ups.respond_hand_off(ctx, crew, h["id"], accepted=False, responder_name="X")
    assert [x["id"] for x in follow_ups.list_hand_offs(ctx, SYSTEM, iid)] == [h["id"]]
    with pytest.raises(InvalidInput, match="unknown provider"):
        follow_ups.offer_hand_off(ctx, crew, iid, provider_id="nowhere", contact="x")
    with pytest.raises(NotFound):
        follow_ups.offer_hand_off(ctx, crew_of("TTP-2"), iid, provider_id=PROVIDER, contact="x")


def test_a_hand_off_follows_an_encounter(container: Container) -> None:
    iid = new_incident(container)
    with pytest.raises(Conflict, match="encounter"):
        follow_ups.offer_hand_off(container.ctx, SYSTEM, iid, provider_id=PROVIDER, contact="desk")


def test_the_kpis_count_follow_up_completion(container: Container, clock) -> None:
    start = clock.now() - timedelta(minutes=1)
    closed_with(container, clock, Disposition.TREATED_AND_RELEASED, call_sign="TTP-1")  # due +72 h
    closed_with(container, clock, Disposition.DECLINED_SERVICES, call_sign="TTP-2")  # due +24 h
    closed_with(container, clock, Disposition.REFERRED, call_sign="TTP-3")  # due +72 h
    tasks = {t["rule_id"]: t["id"] for t in open_tasks(container)}
    clock.advance(timedelta(hours=2))
    follow_ups.record_result(container.ctx, DISPATCHER, tasks["released-call-72h"], "reached")
    clock.advance(timedelta(hours=30))  # the declined retry contact is now late
    follow_ups.record_result(container.ctx, DISPATCHER, tasks["declined-retry-contact"], "declined")
    clock.advance(timedelta(hours=50))  # the referred call is overdue
    report = reports.kpi_report(container.ctx, Actor("ana", UserRole.ANALYST), start, start + timedelta(days=10))
    KpiReport.model_validate(report)  # the API's answer declares every key the report has
    fu = report["after_the_call"]["follow_ups"]
    assert fu["due"] == 3 and fu["done_on_time"] == 1 and fu["done_late"] == 1 and fu["overdue"] == 1
    assert fu["by_result"]["reached"] == 1 and fu["by_result"]["declined"] == 1
    assert fu["completion_on_time"]["count"] == 1 and fu["completion_on_time"]["denominator"] == 3
    program = reports.program_report(container.ctx, Actor("sup", UserRole.SUPERVISOR), start, start + timedelta(days=10))
    assert program["impact"]["follow_up_completion"] == {"count": 1, "share": 0.3333, "denominator": 3}


@pytest.mark.usefixtures("facilities")
def test_a_hold_transports_handover_creates_the_facility_check(container: Container, clock) -> None:
    from crisis_dispatch.services import hold_transports
    from tests.integration.test_hold_transports import request

    ctx = container.ctx
    unit_id = staffed_unit(container, hold_writer=False)
    iid = hold_transports.request_transport(ctx, SYSTEM, request())["id"]
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    hold_transports.verify_pickup(ctx, SYSTEM, iid, application_seen=True, application_signed=True, person_matches=True)
    incidents.change_status(ctx, SYSTEM, iid, "transporting")
    clock.advance(timedelta(minutes=20))
    hold_transports.hand_over(ctx, SYSTEM, iid, received_by="RN B. Example")
    (task,) = open_tasks(container)
    assert task["incident_id"] == iid and task["rule_id"] == "hold-facility-check"
    assert task["due_at"] == (clock.now() + timedelta(hours=24)).isoformat()
