"""Queue order, the 60/120-minute clocks and escalation, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.domain.incident import Incident, IncidentStatus, Location
from crisis_dispatch.domain.queueing import (
    ClockState,
    EscalationKind,
    EscalationPolicy,
    Thresholds,
    earliest_escalation,
    escalations_due,
    next_for_unit,
    ordered,
    response_clock,
)
from crisis_dispatch.domain.triage import Tier
from tests.unit.domain.builders import decided

T = datetime(2026, 11, 27, 18, tzinfo=UTC)


def queued(ident: str, *, priority: int | None = 3, received: datetime = T, seq: int = 1, tier: str = "MH_TEAM") -> Incident:
    inc = Incident(id=ident, location=Location(34.0, -118.0), received_at=received, seq=seq)
    inc.apply_triage(decided(tier, priority, determinant="X"), now=received, by="t")
    inc.transition(IncidentStatus.QUEUED, now=received, by="t")
    return inc


def test_queue_order_is_priority_then_received_then_sequence() -> None:
    a = queued("a", priority=3, received=T, seq=5)
    b = queued("b", priority=1, received=T + timedelta(minutes=9), seq=9)
    c = queued("c", priority=3, received=T, seq=2)
    d = queued("d", priority=None, received=T - timedelta(hours=1), seq=1)
    e = queued("e", priority=3, received=T - timedelta(minutes=1), seq=7)
    assert [i.id for i in ordered([a, b, c, d, e])] == ["b", "e", "c", "a", "d"]


def test_only_queued_incidents_are_in_the_queue() -> None:
    a = queued("a")
    a.transition(IncidentStatus.CANCELLED, now=T, by="t")
    assert ordered([a]) == []


@pytest.mark.parametrize(
    ("minutes", "rural", "state"),
    [
        (0, False, "ok"),
        (29.9, False, "ok"),
        (30, False, "amber"),
        (44.9, False, "amber"),
        (45, False, "red"),
        (59.9, False, "red"),
        (60, False, "breached"),
        (60, True, "amber"),
        (90, True, "red"),
        (120, True, "breached"),
    ],
)
def test_clock_states_against_the_60_and_120_minute_budgets(minutes: float, rural: bool, state: str) -> None:
    clock = response_clock(queued("a"), rural=rural, now=T + timedelta(minutes=minutes))
    assert clock is not None and clock.state.value == state
    assert clock.budget == timedelta(minutes=120 if rural else 60)


def test_the_clock_stops_on_scene() -> None:
    inc = queued("a")
    inc.assign("u1", now=T + timedelta(minutes=10), by="d")
    inc.transition(IncidentStatus.ON_SCENE, now=T + timedelta(minutes=50), by="c")
    clock = response_clock(inc, rural=False, now=T + timedelta(hours=5))
    assert clock is not None and clock.state is ClockState.MET and clock.elapsed == timedelta(minutes=50)
    late = queued("b")
    late.assign("u1", now=T + timedelta(minutes=10), by="d")
    late.transition(IncidentStatus.ON_SCENE, now=T + timedelta(minutes=61), by="c")
    assert response_clock(late, rural=False, now=T).state is ClockState.LATE


def test_calls_not_for_the_team_have_no_clock() -> None:
    inc = Incident(id="p", location=Location(34.0, -118.0), received_at=T)
    inc.apply_triage(decided("POLICE", 1), now=T, by="t")
    assert response_clock(inc, rural=False, now=T) is None


@pytest.mark.parametrize("tier", list(Tier))
def test_every_tier_that_sends_the_team_has_a_clock_and_no_other_tier_does(tier: Tier) -> None:
    inc = Incident(id="p", location=Location(34.0, -118.0), received_at=T)
    inc.apply_triage(decided(tier.value, 1), now=T, by="t")
    assert (response_clock(inc, rural=False, now=T) is not None) is tier.includes_team


def test_escalations_fire_once_each_at_their_thresholds() -> None:
    inc = queued("a")
    assert escalations_due(inc, rural=False, now=T + timedelta(minutes=29), already=[]) == []
    due = escalations_due(inc, rural=False, now=T + timedelta(minutes=30), already=[])
    assert [d.kind for d in due] == [EscalationKind.SUPERVISOR_ALERT]
    due = escalations_due(inc, rural=False, now=T + timedelta(minutes=61), already=["supervisor_alert"])
    assert [d.kind for d in due] == [EscalationKind.OFFER_FALLBACK, EscalationKind.BREACH]
    assert "POLICE_AND_EMS" in due[0].message
    assert escalations_due(inc, rural=False, now=T + timedelta(hours=3), already=[k.value for k in EscalationKind]) == []


def test_escalation_thresholds_are_configurable_and_validated() -> None:
    policy = EscalationPolicy(steps=((0.25, EscalationKind.SUPERVISOR_ALERT),))
    due = escalations_due(queued("a"), rural=True, now=T + timedelta(minutes=30), already=[], policy=policy)
    assert [d.kind for d in due] == [EscalationKind.SUPERVISOR_ALERT]
    with pytest.raises(ValueError):
        EscalationPolicy(steps=((0.8, EscalationKind.BREACH), (0.5, EscalationKind.SUPERVISOR_ALERT)))
    with pytest.raises(ValueError):
        Thresholds(amber=0.8, red=0.5)


def test_the_earliest_escalation_is_half_the_urban_budget_by_default() -> None:
    assert earliest_escalation(EscalationPolicy()) == timedelta(minutes=30)
    assert earliest_escalation(EscalationPolicy(steps=((0.25, EscalationKind.SUPERVISOR_ALERT),))) == timedelta(minutes=15)
    assert earliest_escalation(EscalationPolicy(steps=())) is None


FRACTIONS = st.lists(st.floats(min_value=0.01, max_value=2.0), min_size=1, max_size=3, unique=True).map(sorted)


@given(
    waited_s=st.integers(min_value=0, max_value=4 * 3600),
    rural=st.booleans(),
    on_scene_after_s=st.none() | st.integers(min_value=0, max_value=4 * 3600),
    fractions=FRACTIONS,
)
def test_no_incident_triaged_more_recently_than_the_earliest_escalation_has_one_due(
    waited_s: int, rural: bool, on_scene_after_s: int | None, fractions: list[float]
) -> None:
    """The clock check reads only incidents triaged at least ``earliest_escalation`` ago:
    none of the others can have a step due, whatever the area, the policy or the clock."""
    kinds = list(EscalationKind)
    policy = EscalationPolicy(steps=tuple((f, kinds[i]) for i, f in enumerate(fractions)))
    inc = queued("a")
    if on_scene_after_s is not None:  # a van that came and went (the clock stopped then)
        inc.on_scene_at = T + timedelta(seconds=min(on_scene_after_s, waited_s))
    now = T + timedelta(seconds=waited_s)
    due = escalations_due(inc, rural=rural, now=now, already=[], policy=policy)
    earliest = earliest_escalation(policy)
    assert earliest is not None
    if due:
        assert now - T >= earliest


def test_a_cleared_unit_is_offered_the_first_incident_it_can_take() -> None:
    a = queued("a", priority=2, seq=1)
    b = queued("b", priority=1, seq=2)
    c = queued("c", priority=1, seq=3)
    assert next_for_unit([a, b, c], lambda i: True).id == "b"
    assert next_for_unit([a, b, c], lambda i: i.id != "b").id == "c"
    assert next_for_unit([a, b, c], lambda i: False) is None
