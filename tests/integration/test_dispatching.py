"""Recommendations on the LA demo, clocks that escalate on time, offers when a van clears."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.errors import NotDispatchable
from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.services import dispatching, incidents, seed, units
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import new_incident

DOWNTOWN = dict(lat=34.0441, lon=-118.2514)  # near LAFD station 4 (TTP-1)
VAN_NUYS = dict(lat=34.1866, lon=-118.4489)  # near LAFD station 39 (TTP-3)


@pytest.fixture
def la(container: Container) -> Container:
    seed.seed_la(container.ctx, days=2)
    return container


def test_recommendations_rank_la_vans_by_travel_time(la: Container) -> None:
    iid = new_incident(la, **VAN_NUYS)
    rec = dispatching.recommendations(la.ctx, SYSTEM, iid, k=5)
    signs = [r["call_sign"] for r in rec["ranked"]]
    assert signs[0] == "TTP-3" and sorted(signs) == ["TTP-1", "TTP-2", "TTP-3", "TTP-4", "TTP-5"]
    etas = [r["eta_s"] for r in rec["ranked"]]
    assert etas == sorted(etas) and 0 < etas[0] < 20 * 60
    assert rec["clock"]["state"] == "ok" and rec["clock"]["budget_minutes"] == 60


def test_assign_without_a_unit_sends_the_recommended_van(la: Container) -> None:
    iid = new_incident(la, **DOWNTOWN)
    view = incidents.assign_unit(la.ctx, SYSTEM, iid, None)
    assert view["unit_id"] == "unit-ttp-1"
    again = dispatching.recommendations(la.ctx, SYSTEM, new_incident(la, **DOWNTOWN), k=5)
    assert "TTP-1" not in [r["call_sign"] for r in again["ranked"]]
    assert any(e["call_sign"] == "TTP-1" and e["reasons"] == ["it is dispatched"] for e in again["excluded"])


def test_with_every_van_busy_the_incident_waits_and_escalates_on_time(la: Container, clock) -> None:
    ctx = la.ctx
    for _ in range(5):
        incidents.assign_unit(ctx, SYSTEM, new_incident(la, **DOWNTOWN), None)
    waiting = new_incident(la, **DOWNTOWN)
    with pytest.raises(NotDispatchable, match="stays in the queue"):
        incidents.assign_unit(ctx, SYSTEM, waiting, None)
    assert dispatching.check_clocks(ctx) == []
    clock.advance(timedelta(minutes=30))
    first = dispatching.check_clocks(ctx)
    assert [(e["incident_id"], e["kind"]) for e in first] == [(waiting, "supervisor_alert")]
    assert dispatching.check_clocks(ctx) == []
    clock.advance(timedelta(minutes=31))
    kinds = [e["kind"] for e in dispatching.check_clocks(ctx)]
    assert kinds == ["offer_fallback_tier", "budget_breached"]
    q = dispatching.queue(ctx, SYSTEM)
    assert [i["id"] for i in q] == [waiting] and q[0]["clock"]["state"] == "breached"
    assert q[0]["escalations"] == ["budget_breached", "offer_fallback_tier", "supervisor_alert"]
    assert len(dispatching.alerts(ctx, SYSTEM)) == 3
    history = incidents.get_incident(ctx, SYSTEM, waiting)["history"]
    assert [h["event"] for h in history if h["event"] != "status"] == [
        "escalation:supervisor_alert",
        "escalation:offer_fallback_tier",
        "escalation:budget_breached",
    ]


def test_a_van_that_clears_is_offered_the_queue_in_order(la: Container, clock) -> None:
    ctx = la.ctx
    busy = [new_incident(la, **DOWNTOWN) for _ in range(5)]
    for iid in busy:
        incidents.assign_unit(ctx, SYSTEM, iid, None)
    older = new_incident(la, **VAN_NUYS)
    clock.advance(timedelta(minutes=1))
    newer = new_incident(la, **DOWNTOWN)
    unit_id = incidents.get_incident(ctx, SYSTEM, busy[0])["unit_id"]
    units.set_unit_status(ctx, SYSTEM, unit_id, "on_scene")
    from crisis_dispatch.domain.outcomes import Disposition, Outcome

    incidents.record_outcome(ctx, SYSTEM, busy[0], Outcome(Disposition.REFERRED, clock.now(), "system"))
    view = units.set_unit_status(ctx, SYSTEM, unit_id, "available")
    assert view["offer"]["incident_id"] == older
    assert newer != older


def test_outside_the_travel_model_vans_are_still_ranked_on_a_labelled_estimate(la: Container) -> None:
    lancaster = dict(lat=34.6868, lon=-118.1542)  # Antelope Valley: beyond the fitted LA model
    rec = dispatching.recommendations(la.ctx, SYSTEM, new_incident(la, **lancaster), k=5)
    assert rec["ranked"] and "straight-line estimate" in rec["eta_source"]
    assert [r["call_sign"] for r in rec["ranked"]][0] == "TTP-3"  # Van Nuys is the nearest station


def test_server_processes_checking_the_clocks_at_once_record_each_escalation_once(la: Container, clock) -> None:
    """Every server process checks the clocks; on one database they take turns, so a step
    reached is recorded once however many check at the same moment."""
    import threading

    ctx = la.ctx
    for _ in range(5):
        incidents.assign_unit(ctx, SYSTEM, new_incident(la, **DOWNTOWN), None)
    waiting = [new_incident(la, **DOWNTOWN) for _ in range(3)]
    clock.advance(timedelta(minutes=61))
    checkers = 6
    barrier = threading.Barrier(checkers)
    recorded: list[list[dict[str, object]]] = []

    def check() -> None:
        barrier.wait()
        recorded.append(dispatching.check_clocks(ctx))

    threads = [threading.Thread(target=check) for _ in range(checkers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    steps = [(e["incident_id"], e["kind"]) for batch in recorded for e in batch]
    assert len(steps) == len(set(steps)) == 3 * 3, steps
    for iid in waiting:
        history = incidents.get_incident(ctx, SYSTEM, iid)["history"]
        escalations = [h["event"] for h in history if h["event"].startswith("escalation:")]
        assert sorted(escalations) == sorted(set(escalations)) and len(escalations) == 3


def test_the_clock_check_reads_only_incidents_waiting_long_enough_for_a_step(la: Container, clock) -> None:
    """A burst of new calls is not read by every clock check: the database picks the queued
    incidents triaged at least the earliest escalation ago (half the urban budget)."""
    ctx = la.ctx
    for _ in range(5):
        incidents.assign_unit(ctx, SYSTEM, new_incident(la, **DOWNTOWN), None)
    old = new_incident(la, **DOWNTOWN)
    clock.advance(timedelta(minutes=29))
    fresh = new_incident(la, **DOWNTOWN)
    clock.advance(timedelta(minutes=1))
    with ctx.uow() as uow:
        cutoff = clock.now() - timedelta(minutes=30)
        picked = uow.incidents.list(statuses=[IncidentStatus.QUEUED], triaged_before=cutoff)
        everyone = uow.incidents.list(statuses=[IncidentStatus.QUEUED])
    assert [i.id for i in picked] == [old] and {old, fresh} <= {i.id for i in everyone}
    assert [(e["incident_id"], e["kind"]) for e in dispatching.check_clocks(ctx)] == [(old, "supervisor_alert")]
    clock.advance(timedelta(minutes=29))
    later = sorted((e["incident_id"], e["kind"]) for e in dispatching.check_clocks(ctx))
    assert later == sorted([(old, "offer_fallback_tier"), (fresh, "supervisor_alert")])
