"""The incident lifecycle through the services, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.errors import AssignmentConflict, Conflict, IllegalTransition, InvalidInput, NotDispatchable, NotFound
from crisis_dispatch.domain.outcomes import Destination, DestinationType, Disposition, Hold, HoldCriterion, HoldType, Outcome
from crisis_dispatch.services import incidents, seed, units
from crisis_dispatch.services.context import SYSTEM
from crisis_dispatch.services.incidents import CallIntake
from tests.integration.helpers import CALM_CALL, new_incident, staffed_unit


def test_a_calm_call_is_triaged_and_queued_for_a_team(container: Container) -> None:
    result = incidents.take_call(container.ctx, SYSTEM, CallIntake(**CALM_CALL))
    view = result.incident
    assert result.created
    assert view["status"] == "queued"
    assert view["tier"] == "MH_TEAM"
    assert view["triage"]["protocol_version"]
    history = incidents.get_incident(container.ctx, SYSTEM, view["id"])["history"]
    assert [h["to"] for h in history] == ["received", "triaged", "queued"]


def test_a_call_with_a_weapon_is_screened_out_with_its_reason_logged(container: Container) -> None:
    # no mental-health component: police alone, so the incident is closed as screened out
    iid = new_incident(container, call_type="", narrative="Armed robbery in progress at the store, no mental health issue.")
    view = incidents.get_incident(container.ctx, SYSTEM, iid)
    assert "POLICE" in view["tier"]
    assert view["status"] == "closed"
    assert view["screened_out_reason"]
    assert "screened out" in view["history"][-1]["reason"]


def test_a_mental_health_call_with_a_weapon_is_a_co_response_not_screened_out(container: Container) -> None:
    iid = new_incident(container, narrative="Man waving a knife at neighbours, threatening to stab them.")
    view = incidents.get_incident(container.ctx, SYSTEM, iid)
    assert view["tier"].startswith("MH_TEAM") and "POLICE" in view["tier"]
    assert view["status"] != "closed" and view["screened_out_reason"] is None


def test_full_lifecycle_to_treated_and_released(container: Container, clock) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container)
    iid = new_incident(container)
    assert incidents.assign_unit(ctx, SYSTEM, iid, unit_id)["status"] == "dispatched"
    clock.advance(timedelta(minutes=2))
    incidents.change_status(ctx, SYSTEM, iid, "en_route")
    clock.advance(timedelta(minutes=14))
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    with pytest.raises(IllegalTransition, match="outcome"):
        incidents.change_status(ctx, SYSTEM, iid, "closed")
    clock.advance(timedelta(minutes=40))
    view = incidents.record_outcome(ctx, SYSTEM, iid, Outcome(Disposition.TREATED_AND_RELEASED, clock.now(), "system"))
    assert view["outcome"]["nemsis"] == ["4227001", "4228001", "4230013", "4231005"]
    view = incidents.change_status(ctx, SYSTEM, iid, "closed", "treated on site")
    assert view["status"] == "closed"
    unit = units.get_unit(ctx, SYSTEM, unit_id)
    assert unit["status"] == "available" and unit["incident_id"] is None
    full = incidents.get_incident(ctx, SYSTEM, iid)
    ts = full["timestamps"]
    assert ts["dispatched_at"] < ts["en_route_at"] < ts["on_scene_at"] < ts["closed_at"]
    unit_changes = [(h["from"], h["to"]) for h in full["history"] if h["subject"] == "unit"]
    assert unit_changes == [
        ("available", "dispatched"),
        ("dispatched", "en_route"),
        ("en_route", "on_scene"),
        ("on_scene", "available"),
    ]


def test_crew_status_on_the_unit_moves_the_incident_too(container: Container, clock) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container)
    iid = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    units.set_unit_status(ctx, SYSTEM, unit_id, "en_route")
    units.set_unit_status(ctx, SYSTEM, unit_id, "on_scene")
    units.set_unit_status(ctx, SYSTEM, unit_id, "transporting")
    assert incidents.get_incident(ctx, SYSTEM, iid)["status"] == "transporting"
    units.set_unit_status(ctx, SYSTEM, unit_id, "at_destination")
    incidents.record_outcome(
        ctx,
        SYSTEM,
        iid,
        Outcome(
            Disposition.VOLUNTARY_TRANSPORT,
            clock.now(),
            "system",
            destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE, "PUCC"),
        ),
    )
    units.set_unit_status(ctx, SYSTEM, unit_id, "available", "cleared at PUCC")
    assert incidents.get_incident(ctx, SYSTEM, iid)["status"] == "closed"


def test_a_recalled_van_sends_the_incident_back_to_the_queue(container: Container) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container)
    iid = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    view = incidents.change_status(ctx, SYSTEM, iid, "queued", "van needed elsewhere")
    assert view["status"] == "queued" and view["unit_id"] is None
    assert units.get_unit(ctx, SYSTEM, unit_id)["status"] == "available"


def test_a_committed_van_cannot_be_assigned_again(container: Container) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container)
    first, second = new_incident(container), new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, first, unit_id)
    with pytest.raises(AssignmentConflict, match="already assigned"):
        incidents.assign_unit(ctx, SYSTEM, second, unit_id)
    assert incidents.get_incident(ctx, SYSTEM, second)["status"] == "queued"


def test_a_van_without_a_full_crew_on_shift_cannot_be_dispatched(container: Container, clock) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container, hours=1)
    iid = new_incident(container)
    clock.advance(timedelta(hours=2))
    with pytest.raises(NotDispatchable, match="no clinical_driver, psychiatric_technician, peer_support_specialist on shift"):
        incidents.assign_unit(ctx, SYSTEM, iid, unit_id)


def test_unknown_ids_are_not_found(container: Container) -> None:
    with pytest.raises(NotFound):
        incidents.get_incident(container.ctx, SYSTEM, "INC-NOPE")
    iid = new_incident(container)
    with pytest.raises(NotFound, match="unit 'ghost'"):
        incidents.assign_unit(container.ctx, SYSTEM, iid, "ghost")


def test_a_retry_with_the_same_idempotency_key_creates_nothing_new(container: Container) -> None:
    ctx = container.ctx
    first = incidents.take_call(ctx, SYSTEM, CallIntake(**CALM_CALL), "retry-123")
    again = incidents.take_call(ctx, SYSTEM, CallIntake(**CALM_CALL), "retry-123")
    assert first.created and not again.created
    assert again.incident["id"] == first.incident["id"]
    assert len(incidents.list_incidents(ctx, SYSTEM)) == 1
    with pytest.raises(Conflict, match="already used for a different call"):
        incidents.take_call(ctx, SYSTEM, CallIntake(**(CALM_CALL | {"narrative": "another call"})), "retry-123")


def test_a_hold_needs_a_designated_writer_and_expires_72_hours_after_first_detention(container: Container, clock) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container)
    # Received an hour ago: a hold cannot begin before the call did.
    iid = new_incident(container, subject_age=34, received_at=clock.now() - timedelta(hours=1))
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    detained = clock.now() - timedelta(minutes=30)

    def hold(by: str) -> Outcome:
        return Outcome(
            Disposition.INVOLUNTARY_HOLD,
            clock.now(),
            "system",
            destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE, "PUCC"),
            hold=Hold(HoldType.WIC_5150, by, clock.now(), detained, frozenset({HoldCriterion.DANGER_TO_SELF}), False, "facts"),
        )

    with pytest.raises(InvalidInput, match="not designated"):
        incidents.record_outcome(ctx, SYSTEM, iid, hold("stf-ttp-9-clini"))
    view = incidents.record_outcome(ctx, SYSTEM, iid, hold("stf-ttp-9-psych"))
    assert view["outcome"]["hold"]["expires_at"] == (detained + timedelta(hours=72)).isoformat()


def test_crew_shifts_cannot_double_book_a_person(container: Container, clock) -> None:
    ctx = container.ctx
    staffed_unit(container, "TTP-8")
    other = staffed_unit(container, "TTP-7")
    with pytest.raises(InvalidInput, match="already on shift"):
        units.assign_crew(ctx, SYSTEM, other, "stf-ttp-8-clini", "clinical_driver", clock.now(), clock.now() + timedelta(hours=2))


def test_la_seed_gives_five_staffed_vans_around_the_clock_and_is_idempotent(container: Container, clock) -> None:
    ctx = container.ctx
    first = seed.seed_la(ctx, days=3)
    assert (first.stations, first.units, first.staff) == (106, 5, 45)
    assert first.facilities >= 80
    again = seed.seed_la(ctx, days=3)
    assert again.as_dict() == {"stations": 0, "facilities": 0, "units": 0, "staff": 0, "shifts": 0}
    vans = units.list_units(ctx, SYSTEM)
    assert [u["call_sign"] for u in vans] == ["TTP-1", "TTP-2", "TTP-3", "TTP-4", "TTP-5"]
    assert all(u["dispatchable"] and len(u["crew"]) == 3 for u in vans)
    coverage = units.list_shifts(ctx, SYSTEM, clock.now(), clock.now() + timedelta(days=2))
    assert coverage["covered_24_7"] and coverage["gaps"] == []


def test_a_second_call_reporting_a_weapon_changes_the_response(container: Container) -> None:
    ctx = container.ctx
    iid = new_incident(container)
    assert incidents.get_incident(ctx, SYSTEM, iid)["tier"] == "MH_TEAM"
    view = incidents.attach_call(
        ctx,
        SYSTEM,
        iid,
        CallIntake(**(CALM_CALL | {"narrative": "Neighbour calling: he now has a knife and is threatening people."})),
    )
    assert "POLICE" in view["tier"] and len(view["calls"]) == 2
    history = incidents.get_incident(ctx, SYSTEM, iid)["history"]
    assert history[-1]["event"] == "retriage" and "MH_TEAM ->" in history[-1]["reason"]


def test_calls_cannot_be_attached_to_a_closed_incident(container: Container) -> None:
    iid = new_incident(container)
    incidents.change_status(container.ctx, SYSTEM, iid, "closed", "handed to police")
    with pytest.raises(Conflict, match="take the call as a new incident"):
        incidents.attach_call(container.ctx, SYSTEM, iid, CallIntake(**CALM_CALL))


def test_objects_read_in_a_unit_of_work_stay_readable_after_it(container: Container) -> None:
    seed.seed_la(container.ctx, days=1)
    from crisis_dispatch.services import reference

    facilities = reference.list_facilities(container.ctx, SYSTEM)
    assert len(facilities) >= 80 and all(f["name"] for f in facilities)
    with container.ctx.uow() as uow:
        unit = uow.units.list()[0]
    assert unit.call_sign == "TTP-1"


def test_uncommitted_changes_are_rolled_back_when_the_unit_of_work_ends(container: Container) -> None:
    unit_id = staffed_unit(container, "TTP-RB")
    with container.ctx.uow() as uow:
        uow.units.get(unit_id).call_sign = "CHANGED"
    with container.ctx.uow() as uow:
        assert uow.units.get(unit_id).call_sign == "TTP-RB"


def test_a_shift_of_someone_no_longer_active_leaves_a_coverage_gap(container: Container, clock) -> None:
    ctx = container.ctx
    staffed_unit(container, "TTP-GAP", hours=4)
    with ctx.uow() as uow:
        uow.staff.get("stf-ttp-gap-peer_").active = False
        uow.commit()
    report = units.list_shifts(ctx, SYSTEM, clock.now(), clock.now() + timedelta(hours=2), unit_id="unit-ttp-gap")
    assert not report["covered_24_7"]
    assert [g["role"] for g in report["gaps"]] == ["peer_support_specialist"]


def test_a_van_going_out_of_service_en_route_puts_its_incident_back_in_the_queue(container: Container) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container, "TTP-OOS")
    iid = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    units.set_unit_status(ctx, SYSTEM, unit_id, "en_route")
    view = units.set_unit_status(ctx, SYSTEM, unit_id, "out_of_service", "flat tyre")
    assert view["status"] == "out_of_service" and view["incident_id"] is None
    incident = incidents.get_incident(ctx, SYSTEM, iid)
    assert incident["status"] == "queued" and incident["unit_id"] is None
    assert incident["history"][-2]["reason"] == "flat tyre"


def test_a_response_cancelled_before_arrival_carries_its_nemsis_code(container: Container) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container, "TTP-CXL")
    iid = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    view = incidents.change_status(ctx, SYSTEM, iid, "cancelled", "caller called back: person is safe with family")
    assert view["nemsis"] == ["4227005"]
    assert incidents.get_incident(ctx, SYSTEM, new_incident(container))["nemsis"] == []
