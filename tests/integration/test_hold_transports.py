"""Hold transports through the services, on SQLite and on a real PostgreSQL: a person on a hold
written by others, queued and dispatched like any team incident, verified at pickup, handed over
at the designated facility, closed with the external writer's hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from crisis_dispatch.domain.outcomes import DestinationType
from crisis_dispatch.domain.station import Facility
from crisis_dispatch.entrypoints.api.responses import KpiReport
from crisis_dispatch.services import dispatching, hold_transports, incidents
from crisis_dispatch.services.context import SYSTEM
from crisis_dispatch.services.hold_transports import HoldTransportRequest
from crisis_dispatch.services.incidents import CallIntake
from tests.integration.helpers import T0, crew_of, staffed_unit

DESIGNATED = "test-pucc"
ADULTS_ONLY = "test-pucc-adults"
NOT_DESIGNATED = "test-ed"


def request(**overrides: object) -> HoldTransportRequest:
    base = HoldTransportRequest(
        hold_type="5150",
        writer_agency="LAPD Central",
        writer_name="Officer A. Example",
        writer_credential="12345",
        writer_kind="police_officer",
        first_detained_at=T0 - timedelta(hours=10),
        written_at=T0 - timedelta(hours=9),
        criteria=("danger_to_self",),
        pickup_kind="emergency_department",
        pickup_name="Example Medical Center ED",
        lat=34.0522,
        lon=-118.2437,
        address="1200 N State St, Los Angeles",
        destination_facility_id=DESIGNATED,
        subject_age=34,
        subject_description="man in his 30s, grey hoodie",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def facilities(container: Container) -> Container:
    with container.ctx.uow() as uow:
        for ident, kind, accepts, caps in (
            (DESIGNATED, DestinationType.PSYCHIATRIC_URGENT_CARE, "adolescents_13_plus_and_adults", {"accepts_5150_holds"}),
            (ADULTS_ONLY, DestinationType.PSYCHIATRIC_URGENT_CARE, "adults_only", {"accepts_5150_holds"}),
            (NOT_DESIGNATED, DestinationType.EMERGENCY_DEPARTMENT, "all_ages", set()),
        ):
            uow.facilities.add(
                Facility(
                    id=ident, name=f"Facility {ident}", type=kind, lat=34.06, lon=-118.22, accepts=accepts, capabilities=caps
                )
            )
        uow.commit()
    return container


def test_a_hold_transport_is_queued_for_the_crisis_team_with_the_time_left(facilities: Container) -> None:
    view = hold_transports.request_transport(facilities.ctx, SYSTEM, request())
    assert view["status"] == "queued" and view["tier"] == "MH_TEAM"
    assert view["triage"]["determinant"] == "HOLD-TRANSPORT"
    ht = view["hold_transport"]
    assert ht["writer"]["name"] == "Officer A. Example" and ht["writer"]["kind"] == "police_officer"
    assert ht["minutes_left"] == 62 * 60 and not ht["expired"] and not ht["verified"]
    assert ht["destination"] == {"type": "psychiatric_urgent_care", "name": f"Facility {DESIGNATED}", "facility_id": DESIGNATED}
    queued = [q["id"] for q in dispatching.queue(facilities.ctx, SYSTEM)]
    assert view["id"] in queued
    history = incidents.get_incident(facilities.ctx, SYSTEM, view["id"])["history"]
    assert [h["to"] for h in history] == ["received", "triaged", "queued"]
    assert "hold transport" in history[0]["reason"]


def test_a_request_for_an_expired_hold_is_refused(facilities: Container) -> None:
    with pytest.raises(InvalidInput, match="expired"):
        hold_transports.request_transport(
            facilities.ctx,
            SYSTEM,
            request(first_detained_at=T0 - timedelta(hours=73), written_at=T0 - timedelta(hours=72)),
        )


def test_the_destination_must_be_a_known_facility_that_accepts_holds(facilities: Container) -> None:
    with pytest.raises(InvalidInput, match="unknown facility"):
        hold_transports.request_transport(facilities.ctx, SYSTEM, request(destination_facility_id="nowhere"))
    with pytest.raises(InvalidInput, match="accepts_5150_holds"):
        hold_transports.request_transport(facilities.ctx, SYSTEM, request(destination_facility_id=NOT_DESIGNATED))
    with pytest.raises(InvalidInput, match="adults only"):
        hold_transports.request_transport(
            facilities.ctx, SYSTEM, request(hold_type="5585", subject_age=15, destination_facility_id=ADULTS_ONLY)
        )


def test_bad_values_are_refused_with_the_allowed_ones(facilities: Container) -> None:
    with pytest.raises(InvalidInput, match="writer kind 'sheriff'"):
        hold_transports.request_transport(facilities.ctx, SYSTEM, request(writer_kind="sheriff"))
    with pytest.raises(InvalidInput, match="5585"):
        hold_transports.request_transport(facilities.ctx, SYSTEM, request(subject_age=16))


def test_the_whole_transport_from_dispatch_to_handover_closes_with_the_writers_hold(facilities: Container, clock) -> None:
    ctx = facilities.ctx
    unit_id = staffed_unit(facilities, hold_writer=False)
    iid = hold_transports.request_transport(ctx, SYSTEM, request())["id"]
    rec = dispatching.recommendations(ctx, SYSTEM, iid, k=3)
    assert [r["unit_id"] for r in rec["ranked"]] == [unit_id]  # no hold writer is needed on board
    incidents.assign_unit(ctx, SYSTEM, iid, None)
    crew = crew_of("TTP-9")
    clock.advance(timedelta(minutes=20))
    incidents.change_status(ctx, crew, iid, "on_scene")
    with pytest.raises(IllegalTransition, match="verify"):
        incidents.change_status(ctx, crew, iid, "transporting")
    with pytest.raises(InvalidInput, match="person matches"):
        hold_transports.verify_pickup(ctx, crew, iid, application_seen=True, application_signed=True, person_matches=False)
    view = hold_transports.verify_pickup(ctx, crew, iid, application_seen=True, application_signed=True, person_matches=True)
    assert view["hold_transport"]["verified"] and view["hold_transport"]["verification"]["verified_by"] == crew.username
    with pytest.raises(Conflict, match="already verified"):
        hold_transports.verify_pickup(ctx, crew, iid, application_seen=True, application_signed=True, person_matches=True)
    clock.advance(timedelta(minutes=5))
    incidents.change_status(ctx, crew, iid, "transporting")
    clock.advance(timedelta(minutes=25))
    view = hold_transports.hand_over(ctx, crew, iid, received_by="RN B. Example")
    assert view["status"] == "closed"
    assert view["hold_transport"]["handover"]["received_by"] == "RN B. Example"
    outcome = view["outcome"]
    assert outcome["disposition"] == "involuntary_hold" and outcome["destination"]["facility_id"] == DESIGNATED
    assert outcome["hold"]["writer"]["credential"] == "12345" and outcome["hold"]["placed_by"] == ""
    assert outcome["hold"]["expires_at"] == (T0 - timedelta(hours=10) + timedelta(hours=72)).isoformat()
    full = incidents.get_incident(ctx, SYSTEM, iid)
    assert [h["to"] for h in full["history"] if h["event"] == "status" and h["subject"] == "incident"][-4:] == [
        "on_scene",
        "transporting",
        "at_destination",
        "closed",
    ]
    assert {"hold_verified", "hold_handover", "outcome"} <= {h["event"] for h in full["history"]}
    with facilities.ctx.uow() as uow:
        assert uow.units.get(unit_id).status.value == "available"


def test_pickup_is_verified_on_scene_by_the_crew_of_the_assigned_van_only(facilities: Container, clock) -> None:
    ctx = facilities.ctx
    staffed_unit(facilities, "TTP-1")
    other = staffed_unit(facilities, "TTP-2")
    iid = hold_transports.request_transport(ctx, SYSTEM, request())["id"]
    with pytest.raises(Conflict, match="on scene"):
        hold_transports.verify_pickup(ctx, SYSTEM, iid, application_seen=True, application_signed=True, person_matches=True)
    incidents.assign_unit(ctx, SYSTEM, iid, other)
    clock.advance(timedelta(minutes=10))
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    with pytest.raises(NotFound):
        hold_transports.verify_pickup(
            ctx, crew_of("TTP-1"), iid, application_seen=True, application_signed=True, person_matches=True
        )
    # the dispatcher may record it for the crew (radio)
    view = hold_transports.verify_pickup(ctx, SYSTEM, iid, application_seen=True, application_signed=True, person_matches=True)
    assert view["hold_transport"]["verified"]


def test_the_handover_needs_the_van_under_way_and_the_pickup_verified(facilities: Container, clock) -> None:
    ctx = facilities.ctx
    unit_id = staffed_unit(facilities)
    iid = hold_transports.request_transport(ctx, SYSTEM, request())["id"]
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    with pytest.raises(Conflict, match="transporting"):
        hold_transports.hand_over(ctx, SYSTEM, iid, received_by="RN B. Example")


def test_a_hold_that_expires_on_the_way_to_pickup_cannot_be_verified(facilities: Container, clock) -> None:
    ctx = facilities.ctx
    unit_id = staffed_unit(facilities, hours=80)
    iid = hold_transports.request_transport(
        ctx, SYSTEM, request(first_detained_at=T0 - timedelta(hours=71, minutes=30), written_at=T0 - timedelta(hours=71))
    )["id"]
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    clock.advance(timedelta(minutes=45))
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    view = incidents.get_incident(ctx, SYSTEM, iid)
    assert view["hold_transport"]["expired"] and view["hold_transport"]["minutes_left"] == 0
    with pytest.raises(InvalidInput, match="expired"):
        hold_transports.verify_pickup(ctx, SYSTEM, iid, application_seen=True, application_signed=True, person_matches=True)


def test_the_van_reporting_transporting_is_refused_before_the_pickup_check(facilities: Container, clock) -> None:
    """The crew's status buttons move the van; the incident follows and refuses just the same."""
    from crisis_dispatch.services import units

    ctx = facilities.ctx
    unit_id = staffed_unit(facilities)
    iid = hold_transports.request_transport(ctx, SYSTEM, request(address=""))["id"]
    assert incidents.get_incident(ctx, SYSTEM, iid)["address"] == "Example Medical Center ED"
    incidents.assign_unit(ctx, SYSTEM, iid, unit_id)
    clock.advance(timedelta(minutes=10))
    units.set_unit_status(ctx, SYSTEM, unit_id, "on_scene")
    with pytest.raises(IllegalTransition, match="verify"):
        units.set_unit_status(ctx, SYSTEM, unit_id, "transporting")
    with facilities.ctx.uow() as uow:
        assert uow.units.get(unit_id).status.value == "on_scene"


def test_calls_are_not_attached_to_a_hold_transport(facilities: Container) -> None:
    from crisis_dispatch.services.incidents import CallIntake

    iid = hold_transports.request_transport(facilities.ctx, SYSTEM, request())["id"]
    with pytest.raises(Conflict, match="hold transport"):
        incidents.attach_call(facilities.ctx, SYSTEM, iid, CallIntake(lat=34.05, lon=-118.24, narrative="he has a knife"))


def test_a_911_call_carries_no_hold_transport(facilities: Container) -> None:
    from crisis_dispatch.services.incidents import CallIntake

    view = incidents.take_call(facilities.ctx, SYSTEM, CallIntake(lat=34.05, lon=-118.24, narrative="calm man hearing voices"))
    assert view.incident["hold_transport"] is None


def test_the_kpi_report_counts_hold_transports_and_988_transfers(facilities: Container, clock) -> None:
    from crisis_dispatch.domain.access import UserRole
    from crisis_dispatch.services import phone_988, reports
    from crisis_dispatch.services.context import Actor
    from tests.integration.test_phone_988 import CALM_CALLER

    ctx = facilities.ctx
    start = clock.now() - timedelta(minutes=1)
    unit_id = staffed_unit(facilities)
    done = hold_transports.request_transport(ctx, SYSTEM, request())["id"]
    hold_transports.request_transport(ctx, SYSTEM, request())  # still waiting
    incidents.assign_unit(ctx, SYSTEM, done, unit_id)
    clock.advance(timedelta(minutes=20))
    incidents.change_status(ctx, SYSTEM, done, "on_scene")
    hold_transports.verify_pickup(ctx, SYSTEM, done, application_seen=True, application_signed=True, person_matches=True)
    incidents.change_status(ctx, SYSTEM, done, "transporting")
    clock.advance(timedelta(minutes=30))
    hold_transports.hand_over(ctx, SYSTEM, done, received_by="RN B. Example")
    phone = incidents.take_call(ctx, SYSTEM, CallIntake(lat=34.05, lon=-118.24, **CALM_CALLER)).incident["id"]
    phone_988.record_transfer(ctx, SYSTEM, phone, centre="Didi Hirsch 988", reference="DH-K")
    phone_988.record_result(ctx, SYSTEM, phone, "resolved_by_phone")
    clock.advance(timedelta(minutes=5))
    report = reports.kpi_report(ctx, Actor("ana", role=UserRole.ANALYST), start, start + timedelta(days=1))
    KpiReport.model_validate(report)  # the API's answer declares every key the report has
    after = report["after_the_call"]
    assert after["hold_transports"]["requested"] == 2
    assert after["hold_transports"]["verified_at_pickup"] == 1 and after["hold_transports"]["handed_over"] == 1
    assert after["hold_transports"]["minutes_pickup_to_handover"]["p50"] == pytest.approx(30.0)
    assert after["hold_transports"]["fewest_hours_left_at_handover"] == pytest.approx(62 - 50 / 60, abs=0.01)
    assert after["phone_988"]["transferred"] == 1 and after["phone_988"]["results"]["resolved_by_phone"] == 1
    assert after["phone_988"]["handed_back_for_a_team"] == 0
    assert report["kpis"]["holds"] == 1
