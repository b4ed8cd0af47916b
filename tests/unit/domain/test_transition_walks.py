"""Invariants of the status tables over random walks (Hypothesis)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from crisis_dispatch.domain.errors import IllegalTransition, InvalidInput
from crisis_dispatch.domain.incident import PHASE_FIELD, IncidentStatus
from crisis_dispatch.domain.unit import UnitStatus
from tests.unit.domain.builders import T0, incident_in, new_incident, record_outcome_to_close, unit_in
from tests.unit.domain.expected import (
    INCIDENT_LEGAL,
    INCIDENT_STATUSES,
    INCIDENT_TERMINAL,
    UNIT_LEGAL,
    UNIT_STATUSES,
)

#: A walk: each step names a requested status and how long after the previous step it comes.
steps = st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(INCIDENT_STATUSES) - 1), st.integers(0, 3600)),
    max_size=40,
)
unit_steps = st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(UNIT_STATUSES) - 1), st.integers(0, 3600)),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(steps)
def test_a_random_walk_of_incident_requests_only_ever_takes_legal_steps(walk: list[tuple[int, int]]) -> None:
    incident = new_incident()
    now = T0
    for index, seconds in walk:
        now += timedelta(seconds=seconds)
        current, requested = incident.status.value, INCIDENT_STATUSES[index]
        if requested == "closed":
            record_outcome_to_close(incident, now)
        try:
            change = incident.transition(requested, now=now, by="walker")
        except IllegalTransition:
            assert (current, requested) not in INCIDENT_LEGAL
            assert incident.status.value == current
        else:
            assert (current, requested) in INCIDENT_LEGAL
            assert (change.from_status, change.to_status) == (current, requested)
            assert incident.status.value == requested


@settings(max_examples=150, deadline=None)
@given(unit_steps)
def test_a_random_walk_of_unit_requests_only_ever_takes_legal_steps(walk: list[tuple[int, int]]) -> None:
    unit = unit_in(UnitStatus.OFF_SHIFT)
    now = T0
    for index, seconds in walk:
        now += timedelta(seconds=seconds)
        current, requested = unit.status.value, UNIT_STATUSES[index]
        try:
            unit.transition(requested, now=now, by="walker", incident_id="INC-1")
        except IllegalTransition:
            assert (current, requested) not in UNIT_LEGAL
            assert unit.status.value == current
        else:
            assert (current, requested) in UNIT_LEGAL
            assert unit.status.value == requested
            assert unit.status_since == now
            assert (unit.incident_id is not None) == unit.committed


def _legal_walk(draw: st.DrawFn) -> tuple[list[str], list[timedelta]]:
    """A walk along the expected table from ``received`` until a terminal status or 30 steps."""
    path, gaps, current = [], [], "received"
    for _ in range(30):
        exits = sorted(t for (f, t) in INCIDENT_LEGAL if f == current)
        if not exits:
            break
        current = draw(st.sampled_from(exits))
        path.append(current)
        gaps.append(timedelta(seconds=draw(st.integers(0, 7200))))
    return path, gaps


legal_walks = st.composite(_legal_walk)()


@settings(max_examples=150, deadline=None)
@given(legal_walks)
def test_time_stamps_never_go_backwards_along_a_legal_walk(walk: tuple[list[str], list[timedelta]]) -> None:
    path, gaps = walk
    incident = new_incident()
    now, first_seen, history = T0, [], []
    for target, gap in zip(path, gaps, strict=True):
        now += gap
        if target == "closed":
            record_outcome_to_close(incident, now)
        history.append(incident.transition(target, now=now, by="walker"))
        if target not in first_seen:
            first_seen.append(target)

    times = [change.at for change in history]
    assert times == sorted(times)
    assert all(t >= incident.received_at for t in times)
    # Each phase keeps the time it was *first* reached, so in order of first visit they rise.
    phase_times = [getattr(incident, PHASE_FIELD[IncidentStatus(s)]) for s in first_seen]
    assert phase_times == sorted(phase_times)
    # A phase never reached has no time.
    for status in IncidentStatus:
        if status is not IncidentStatus.RECEIVED and status.value not in first_seen:
            assert getattr(incident, PHASE_FIELD[status]) is None


@settings(max_examples=100, deadline=None)
@given(legal_walks, st.sampled_from(INCIDENT_STATUSES))
def test_terminal_statuses_have_no_exits(walk: tuple[list[str], list[timedelta]], requested: str) -> None:
    path, _ = walk
    incident = new_incident()
    now = T0
    for target in path:
        now += timedelta(minutes=1)
        if target == "closed":
            record_outcome_to_close(incident, now)
        incident.transition(target, now=now, by="walker")
    if incident.status.value not in INCIDENT_TERMINAL:
        return
    try:
        incident.transition(requested, now=now + timedelta(minutes=1), by="walker")
    except IllegalTransition:
        pass
    else:  # pragma: no cover - the assertion below is the failure report
        raise AssertionError(f"{incident.status.value} let the incident go to {requested}")
    assert not incident.is_open


def _reachable(start: str, legal: frozenset[tuple[str, str]]) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        here = todo.popleft()
        for f, t in legal:
            if f == here and t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def _actual_table(can_go: Callable[[str, str], bool], statuses: list[str]) -> frozenset[tuple[str, str]]:
    return frozenset((a, b) for a in statuses for b in statuses if can_go(a, b))


def test_every_incident_status_is_reachable_and_every_open_one_can_still_end() -> None:
    actual = _actual_table(lambda a, b: incident_in(IncidentStatus(a)).can_go(IncidentStatus(b)), INCIDENT_STATUSES)
    assert _reachable("received", actual) == set(INCIDENT_STATUSES)
    for status in INCIDENT_STATUSES:
        assert _reachable(status, actual) & INCIDENT_TERMINAL, f"{status} can never close or be cancelled"


def test_a_van_in_any_status_can_always_get_back_to_available() -> None:
    actual = _actual_table(lambda a, b: unit_in(UnitStatus(a)).can_go(UnitStatus(b)), UNIT_STATUSES)
    for status in UNIT_STATUSES:
        assert "available" in _reachable(status, actual), f"a van {status} is stuck"


#: Once found by this property: a cancel dated before a re-dispatch was accepted.
_RE_DISPATCH_THEN_EARLIER_CANCEL = (
    (["triaged", "dispatched", "queued", "dispatched", "cancelled"], [timedelta(0)] * 5),
    [0, 0, 0, 1, -1] + [0] * 25,
)


@example(*_RE_DISPATCH_THEN_EARLIER_CANCEL)
@settings(max_examples=150, deadline=None)
@given(legal_walks, st.lists(st.integers(-7200, 7200), min_size=30, max_size=30))
def test_a_legal_walk_with_clock_jumps_either_moves_forward_in_time_or_is_refused(
    walk: tuple[list[str], list[timedelta]], jumps: list[int]
) -> None:
    path, _ = walk
    incident = new_incident()
    now, accepted = T0, [T0]
    for target, jump in zip(path, jumps, strict=False):
        now += timedelta(seconds=jump)
        if target == "closed":
            record_outcome_to_close(incident, now)
        status = incident.status
        try:
            change = incident.transition(target, now=now, by="walker")
        except InvalidInput:
            assert now < accepted[-1]
            assert incident.status is status
            now = accepted[-1]  # the dispatcher re-reads the clock and tries again
            change = incident.transition(target, now=now, by="walker")
        accepted.append(change.at)
    assert accepted == sorted(accepted)
