"""KPIs from status-history rows, as the live service would feed them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from crisis_dispatch.domain.history import StatusChange
from crisis_dispatch.domain.incident import Incident, IncidentStatus, Location
from crisis_dispatch.domain.outcomes import Disposition, Outcome
from crisis_dispatch.domain.unit import Unit, UnitStatus
from crisis_dispatch.reporting import HistoryTable, IncidentFacts, compute_kpis
from crisis_dispatch.reporting.kpis import step_integral
from tests.unit.domain.builders import decided

T0 = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _worked_incident() -> list[StatusChange]:
    inc = Incident(id="i1", location=Location(34.0, -118.0), received_at=_at(0))
    van = Unit(id="u1", call_sign="V1", station_id="s", status=UnitStatus.OFF_SHIFT)
    rows = [van.transition(UnitStatus.AVAILABLE, now=_at(0), by="t")]
    rows.append(inc.apply_triage(decided("MH_TEAM", 3), now=_at(1), by="t"))
    rows.append(inc.transition(IncidentStatus.QUEUED, now=_at(1), by="t"))
    rows.append(inc.assign("u1", now=_at(11), by="t"))
    rows.append(van.transition(UnitStatus.DISPATCHED, now=_at(11), by="t", incident_id="i1"))
    rows.append(inc.transition(IncidentStatus.EN_ROUTE, now=_at(11), by="t"))
    rows.append(van.transition(UnitStatus.EN_ROUTE, now=_at(11), by="t"))
    rows.append(inc.transition(IncidentStatus.ON_SCENE, now=_at(31), by="t"))
    rows.append(van.transition(UnitStatus.ON_SCENE, now=_at(31), by="t"))
    inc.record_outcome(Outcome(Disposition.TREATED_AND_RELEASED, _at(91), "t"), now=_at(91))
    rows.append(inc.transition(IncidentStatus.CLOSED, now=_at(91), by="t"))
    rows.append(van.transition(UnitStatus.AVAILABLE, now=_at(91), by="t"))
    return rows


def test_live_status_changes_give_response_time_wait_and_utilisation() -> None:
    table = HistoryTable.from_changes(_worked_incident(), epoch=T0)
    facts = IncidentFacts(
        tier=np.array(["MH_TEAM"]),
        area=np.array([0]),
        area_names=["LA"],
        area_rural=[False],
        disposition=np.array(["treated_and_released"]),
        destination=np.array([""]),
        fell_back=np.array([False]),
    )
    k = compute_kpis(table, facts, horizon_s=2 * 3600.0)
    assert k["response_minutes"]["p50"] == pytest.approx(30.0)  # triage at 1, on scene at 31
    assert k["mean_queue_wait_minutes"] == pytest.approx(10.0)
    assert k["p_wait"] == 1.0
    assert k["share_within_60_min"] == 1.0
    assert k["utilisation_by_hour"][0] == pytest.approx(49 / 60, abs=1e-4)  # busy 11..60 of the first hour
    assert k["utilisation_by_hour"][1] == pytest.approx(31 / 60, abs=1e-4)  # busy 60..91
    assert k["outcomes"] == {"treated_and_released": 1}


def test_tuples_from_the_status_history_table_build_the_same_table() -> None:
    changes = _worked_incident()
    tuples = [
        (c.subject.value, c.subject_id, c.from_status, c.to_status, c.at, c.incident_id, c.unit_id, c.event) for c in changes
    ]
    a = HistoryTable.from_changes(changes, epoch=T0)
    b = HistoryTable.from_changes(tuples, epoch=T0)
    assert list(a.rows()) == list(b.rows())


def test_a_call_never_reached_counts_as_later_than_any_target() -> None:
    inc = Incident(id="i1", location=Location(34.0, -118.0), received_at=_at(0))
    rows = [
        inc.apply_triage(decided("MH_TEAM", 3), now=_at(0), by="t"),
        inc.transition(IncidentStatus.QUEUED, now=_at(0), by="t"),
        inc.transition(IncidentStatus.CANCELLED, now=_at(240), by="t"),
    ]
    facts = IncidentFacts(np.array(["MH_TEAM"]), np.array([0]), ["LA"], [False], np.array([""]), np.array([""]), np.array([True]))
    k = compute_kpis(HistoryTable.from_changes(rows, epoch=T0), facts, horizon_s=6 * 3600.0)
    assert k["response_minutes"]["p90"] is None
    assert k["share_within_120_min"] == 0.0
    assert k["mean_queue_wait_minutes"] == pytest.approx(240.0)


def test_step_integral_splits_busy_time_into_bins() -> None:
    t = np.array([30.0, 150.0])
    delta = np.array([1.0, -1.0])
    assert step_integral(t, delta, np.array([0.0, 100.0, 200.0])).tolist() == [70.0, 50.0]
    assert step_integral(np.array([]), np.array([]), np.array([0.0, 10.0]), level0=2.0).tolist() == [20.0]


def test_team_responses_count_from_triage_and_place_calls_in_the_local_hour_with_its_minutes() -> None:
    from crisis_dispatch.reporting.kpis import team_responses

    tier = np.array(["MH_TEAM", "POLICE_ONLY", "MH_TEAM_WITH_POLICE"])
    triaged = np.array([0.0, 60.0, 1800.0])
    on_scene = np.array([1200.0, np.nan, np.nan])
    team, minutes, hour = team_responses(tier, triaged, on_scene, local_hour0=23.5)
    assert team.tolist() == [True, False, True]
    assert minutes.tolist() == [20.0, np.inf]  # never reached: later than any target
    assert hour.tolist() == [23, 0]  # 23:30 and, half an hour later, midnight


def test_escalation_rows_are_counted_under_their_kind_whatever_the_order_of_the_kinds() -> None:
    from crisis_dispatch.domain.history import StatusChange, Subject
    from crisis_dispatch.domain.queueing import EscalationKind

    inc = Incident(id="i1", location=Location(34.0, -118.0), received_at=_at(0))
    rows = [
        inc.apply_triage(decided("MH_TEAM", 3), now=_at(0), by="t"),
        inc.transition(IncidentStatus.QUEUED, now=_at(0), by="t"),
    ]
    for minute, kind in ((30, EscalationKind.SUPERVISOR_ALERT), (60, EscalationKind.BREACH)):
        rows.append(
            StatusChange(Subject.INCIDENT, "i1", "queued", "queued", _at(minute), "t", "", "i1", None, f"escalation:{kind.value}")
        )
    facts = IncidentFacts(
        np.array(["MH_TEAM"]), np.array([0]), ["LA"], [False], np.array([""]), np.array([""]), np.array([False])
    )
    k = compute_kpis(HistoryTable.from_changes(rows, epoch=T0), facts, horizon_s=2 * 3600.0)
    assert k["escalations"] == {"supervisor_alert": 1, "offer_fallback_tier": 0, "budget_breached": 1}
