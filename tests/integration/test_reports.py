"""Live KPIs from the status history, by the simulator's reporting code."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import InvalidInput, PermissionDenied
from crisis_dispatch.domain.outcomes import Destination, DestinationType, Disposition, Hold, HoldCriterion, HoldType, Outcome
from crisis_dispatch.entrypoints.api.responses import KpiReport
from crisis_dispatch.services import incidents, reports, seed, units
from crisis_dispatch.services.context import SYSTEM, Actor
from tests.integration.helpers import new_incident, staffed_unit


def test_a_months_report_counts_response_times_and_outcomes(container: Container, clock) -> None:
    ctx = container.ctx
    seed.seed_la(ctx, days=2)
    start = clock.now() - timedelta(minutes=1)
    first = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, first, None)
    unit_id = incidents.get_incident(ctx, SYSTEM, first)["unit_id"]
    clock.advance(timedelta(minutes=20))
    units.set_unit_status(ctx, SYSTEM, unit_id, "on_scene")
    incidents.record_outcome(ctx, SYSTEM, first, Outcome(Disposition.TREATED_AND_RELEASED, clock.now(), "system"))
    units.set_unit_status(ctx, SYSTEM, unit_id, "available")
    second = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, second, None)
    unit2 = incidents.get_incident(ctx, SYSTEM, second)["unit_id"]
    clock.advance(timedelta(minutes=40))
    units.set_unit_status(ctx, SYSTEM, unit2, "on_scene")
    units.set_unit_status(ctx, SYSTEM, unit2, "transporting")
    incidents.record_outcome(
        ctx,
        SYSTEM,
        second,
        Outcome(
            Disposition.VOLUNTARY_TRANSPORT,
            clock.now(),
            "system",
            destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE),
        ),
    )
    new_incident(container, narrative="He has a gun and is threatening to shoot his neighbour.")
    clock.advance(timedelta(minutes=5))
    report = reports.kpi_report(ctx, Actor("ana", role=UserRole.ANALYST), start, start + timedelta(days=30))
    KpiReport.model_validate(report)  # the API's answer declares every key the report has
    k = report["kpis"]
    assert k["calls"] == 3 and k["team_calls"] >= 2
    assert k["response_minutes"]["p50"] == pytest.approx(30.0, abs=10.1)
    assert k["share_within_60_min"] == pytest.approx(2 / k["team_calls"], abs=1e-4)  # the third waits on
    assert k["outcomes"]["treated_and_released"] >= 1
    assert k["transports_by_destination"].get("psychiatric_urgent_care", 0) >= 1
    assert "Los Angeles" in k["response_minutes_by_area"]


def test_reports_refuse_bad_windows_and_other_roles(container: Container, clock) -> None:
    ctx = container.ctx
    now = clock.now()
    with pytest.raises(InvalidInput, match="span at most a year"):
        reports.kpi_report(ctx, SYSTEM, now - timedelta(days=400), now)
    with pytest.raises(InvalidInput, match="future"):
        reports.kpi_report(ctx, SYSTEM, now + timedelta(days=1), now + timedelta(days=2))
    with pytest.raises(InvalidInput, match="time zone"):
        reports.kpi_report(ctx, SYSTEM, now - timedelta(days=1), now, tz="Mars/Olympus")
    with pytest.raises(PermissionDenied):
        reports.kpi_report(ctx, Actor("d", role=UserRole.DISPATCHER), now - timedelta(days=1), now)


def test_utilisation_counts_the_vans_already_on_duty_when_the_window_opens(container: Container, clock) -> None:
    ctx = container.ctx
    seed.seed_la(ctx, days=2)
    unit_id = units.list_units(ctx, SYSTEM)[0]["id"]
    units.set_unit_status(ctx, SYSTEM, unit_id, "out_of_service")
    clock.advance(timedelta(minutes=1))
    units.set_unit_status(ctx, SYSTEM, unit_id, "available")  # on duty before the window opens
    clock.advance(timedelta(hours=1))
    start = clock.now()
    incident = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, incident, unit_id)
    clock.advance(timedelta(minutes=30))
    units.set_unit_status(ctx, SYSTEM, unit_id, "on_scene")
    incidents.record_outcome(ctx, SYSTEM, incident, Outcome(Disposition.TREATED_AND_RELEASED, clock.now(), "system"))
    units.set_unit_status(ctx, SYSTEM, unit_id, "available")
    clock.advance(timedelta(minutes=90))
    k = reports.kpi_report(ctx, Actor("ana", role=UserRole.ANALYST), start, clock.now())["kpis"]
    with ctx.uow() as uow:
        on_duty = sum(1 for s in uow.history.unit_states_before(start).values() if s not in ("off_shift", "out_of_service"))
    assert on_duty >= 1
    assert k["utilisation"] == pytest.approx(0.5 / (2.0 * on_duty), abs=1e-3)  # 30 busy minutes in 2 h per van on duty


def _reach(container: Container, clock, incident_id: str, outcome: Outcome, *, transport: bool = False) -> None:
    """Dispatch the recommended van, arrive, record ``outcome`` and free the van."""
    ctx = container.ctx
    incidents.assign_unit(ctx, SYSTEM, incident_id, None)
    unit_id = incidents.get_incident(ctx, SYSTEM, incident_id)["unit_id"]
    clock.advance(timedelta(minutes=15))
    units.set_unit_status(ctx, SYSTEM, unit_id, "on_scene")
    if transport:
        units.set_unit_status(ctx, SYSTEM, unit_id, "transporting")
    incidents.record_outcome(ctx, SYSTEM, incident_id, outcome)
    if transport:
        units.set_unit_status(ctx, SYSTEM, unit_id, "at_destination")
    units.set_unit_status(ctx, SYSTEM, unit_id, "available")


def test_a_waiting_team_call_handed_to_police_counts_as_a_fallback(container: Container, clock) -> None:
    ctx = container.ctx
    start = clock.now() - timedelta(minutes=1)
    waiting = new_incident(container)
    clock.advance(timedelta(minutes=50))
    incidents.change_status(ctx, SYSTEM, waiting, "closed", reason="no van free: handed to police")
    clock.advance(timedelta(minutes=5))
    k = reports.kpi_report(ctx, Actor("ana", role=UserRole.ANALYST), start, clock.now())["kpis"]
    assert k["team_calls"] == 1
    assert k["fell_back_to_police_or_ems"] == 1
    assert k["share_left_to_police_or_ems"] == 1.0


def test_ed_visits_avoided_use_the_configured_baseline_share_not_zero(container: Container, clock) -> None:
    ctx = container.ctx
    seed.seed_la(ctx, days=2)
    start = clock.now() - timedelta(minutes=1)
    first, second = new_incident(container), new_incident(container)
    _reach(container, clock, first, Outcome(Disposition.TREATED_AND_RELEASED, clock.now() + timedelta(minutes=15), "system"))
    ed = Destination(DestinationType.EMERGENCY_DEPARTMENT)
    _reach(
        container,
        clock,
        second,
        Outcome(Disposition.VOLUNTARY_TRANSPORT, clock.now() + timedelta(minutes=15), "system", destination=ed),
        transport=True,
    )
    clock.advance(timedelta(minutes=5))
    assert ctx.impact.baseline_ed_share == 0.5  # the default setting (an assumption, docs/reporting.md)
    k = reports.kpi_report(ctx, Actor("ana", role=UserRole.ANALYST), start, clock.now())["kpis"]
    # 2 reached calls x 0.5 would have gone to an ED; the team took 1 there: 0 avoided, not -1.
    assert k["ed_visits_avoided"] == 0.0
    assert k["police_hours_freed"] == 2 * ctx.impact.police_hours_per_call


def test_the_program_report_reads_holds_stations_and_screened_out_reasons_from_the_database(container: Container, clock) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container, "TTP-9")
    start = clock.now() - timedelta(minutes=1)
    treated, held = new_incident(container), new_incident(container)
    _reach(container, clock, treated, Outcome(Disposition.TREATED_AND_RELEASED, clock.now() + timedelta(minutes=15), "system"))
    incidents.assign_unit(ctx, SYSTEM, held, unit_id)
    clock.advance(timedelta(minutes=30))
    units.set_unit_status(ctx, SYSTEM, unit_id, "on_scene")
    units.set_unit_status(ctx, SYSTEM, unit_id, "transporting")
    now = clock.now()
    hold = Hold(HoldType.WIC_5150, "stf-ttp-9-psych", now, now, frozenset({HoldCriterion.GRAVE_DISABILITY}), False)
    puc = Destination(DestinationType.PSYCHIATRIC_URGENT_CARE)
    incidents.record_outcome(ctx, SYSTEM, held, Outcome(Disposition.INVOLUNTARY_HOLD, now, "system", destination=puc, hold=hold))
    new_incident(container, narrative="Unconscious man not breathing after overdose", call_type="")
    new_incident(container, narrative="Caller hung up", call_type="")
    clock.advance(timedelta(minutes=5))
    report = reports.program_report(ctx, Actor("sup", role=UserRole.SUPERVISOR), start, start + timedelta(days=30))
    assert report["team_calls"] == 2
    assert report["outcomes"]["treated_and_released_on_site"] == {"count": 1, "share": 0.5, "denominator": 2}
    assert (report["holds"]["5150"], report["holds"]["5585"], report["holds"]["hold_transports"]) == (1, 0, 1)
    assert report["transports"]["by_destination"]["psychiatric_urgent_care"]["count"] == 1
    assert report["screened_out"]["by_reason"]["overdose"]["count"] == 1
    assert report["screened_out"]["by_reason"]["not_triaged"]["count"] == 1
    assert any(v["station"] == "Test station" for v in report["response_times"]["by_station_shift"].values())
    # An analyst exports it: these small cells are suppressed for that role.
    analyst = reports.program_report(ctx, Actor("ana", role=UserRole.ANALYST), start, start + timedelta(days=30))
    assert analyst["outcomes"]["treated_and_released_on_site"]["count"] is None
    assert analyst["holds"]["5150"] is None
