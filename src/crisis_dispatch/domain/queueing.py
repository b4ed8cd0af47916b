"""The queue of incidents waiting for a van, and their response-time clocks.

Order, written down: ``(priority, received_at, seq)`` — most urgent first, then first come,
then the order the system accepted them. The Medi-Cal mobile crisis benefit promises arrival
within 60 minutes in urban and 120 minutes in rural counties (under 50 people per square
mile), counted from the moment a mobile response is determined to be needed (triage).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .clock import ensure_aware
from .incident import Incident, IncidentStatus
from .triage.tier import TEAM_TIERS

URBAN_BUDGET = timedelta(minutes=60)
RURAL_BUDGET = timedelta(minutes=120)
#: Incidents with no priority from triage sort after every prioritised one.
UNPRIORITISED = 99


def queue_key(incident: Incident) -> tuple[int, datetime, int]:
    return (
        incident.priority if incident.priority is not None else UNPRIORITISED,
        ensure_aware(incident.received_at),
        incident.seq if incident.seq is not None else 0,
    )


def ordered(incidents: Iterable[Incident]) -> list[Incident]:
    return sorted((i for i in incidents if i.status is IncidentStatus.QUEUED), key=queue_key)


def budget_for(rural: bool) -> timedelta:
    return RURAL_BUDGET if rural else URBAN_BUDGET


class ClockState(StrEnum):
    OK = "ok"
    AMBER = "amber"
    RED = "red"
    BREACHED = "breached"
    #: The team arrived: the clock stopped.
    MET = "met"
    LATE = "late"


@dataclass(frozen=True)
class Thresholds:
    """Fractions of the budget at which the clock turns amber and red."""

    amber: float = 0.5
    red: float = 0.75

    def __post_init__(self) -> None:
        if not (0 < self.amber < self.red < 1):
            raise ValueError("thresholds must satisfy 0 < amber < red < 1")


@dataclass(frozen=True)
class ResponseClock:
    started_at: datetime
    budget: timedelta
    elapsed: timedelta
    state: ClockState

    @property
    def remaining(self) -> timedelta:
        return self.budget - self.elapsed

    @property
    def deadline(self) -> datetime:
        return self.started_at + self.budget

    def to_dict(self) -> dict[str, object]:
        return {
            "started_at": self.started_at.isoformat(),
            "deadline": self.deadline.isoformat(),
            "budget_minutes": self.budget.total_seconds() / 60,
            "elapsed_minutes": round(self.elapsed.total_seconds() / 60, 2),
            "remaining_minutes": round(self.remaining.total_seconds() / 60, 2),
            "state": self.state.value,
        }


def response_clock(
    incident: Incident, *, rural: bool, now: datetime, thresholds: Thresholds = Thresholds()
) -> ResponseClock | None:
    """The clock of an incident for the crisis team; None when no team response was needed."""
    started = incident.triaged_at
    if started is None or incident.tier not in TEAM_TIERS:
        return None
    started = ensure_aware(started)
    budget = budget_for(rural)
    if incident.on_scene_at is not None:
        elapsed = ensure_aware(incident.on_scene_at) - started
        return ResponseClock(started, budget, elapsed, ClockState.MET if elapsed <= budget else ClockState.LATE)
    end = incident.cancelled_at or incident.closed_at or now
    elapsed = max(ensure_aware(end) - started, timedelta(0))
    fraction = elapsed / budget
    if fraction >= 1:
        state = ClockState.BREACHED
    elif fraction >= thresholds.red:
        state = ClockState.RED
    elif fraction >= thresholds.amber:
        state = ClockState.AMBER
    else:
        state = ClockState.OK
    return ResponseClock(started, budget, elapsed, state)


class EscalationKind(StrEnum):
    SUPERVISOR_ALERT = "supervisor_alert"
    OFFER_FALLBACK = "offer_fallback_tier"
    BREACH = "budget_breached"


@dataclass(frozen=True)
class EscalationPolicy:
    """At which share of the budget a waiting incident escalates, and to what.

    Defaults: tell the supervisor at half the budget, offer the fallback tier (the default
    responder: police or EMS co-response) at three quarters, record the breach at 100 %.
    """

    steps: tuple[tuple[float, EscalationKind], ...] = (
        (0.5, EscalationKind.SUPERVISOR_ALERT),
        (0.75, EscalationKind.OFFER_FALLBACK),
        (1.0, EscalationKind.BREACH),
    )
    fallback_tier: str = "POLICE_AND_EMS"

    def __post_init__(self) -> None:
        fractions = [f for f, _ in self.steps]
        if fractions != sorted(fractions) or any(f <= 0 for f in fractions):
            raise ValueError("escalation steps must be positive and in increasing order")


@dataclass(frozen=True)
class EscalationDue:
    incident_id: str
    kind: EscalationKind
    at_fraction: float
    message: str


def earliest_escalation(policy: EscalationPolicy = EscalationPolicy()) -> timedelta | None:
    """How long after triage the first step can fall due, at the soonest (the smallest share
    of the shorter, urban budget); None when the policy has no steps. An incident triaged
    more recently has nothing due, so the clock check reads only the older ones."""
    if not policy.steps:
        return None
    return policy.steps[0][0] * min(URBAN_BUDGET, RURAL_BUDGET)


def escalations_due(
    incident: Incident,
    *,
    rural: bool,
    now: datetime,
    already: Iterable[str],
    policy: EscalationPolicy = EscalationPolicy(),
) -> list[EscalationDue]:
    """The escalation steps the incident has reached and that were not recorded yet.

    Only incidents still waiting for a van (queued) escalate; ``already`` holds the kinds
    recorded before, so each step fires once.
    """
    if incident.status is not IncidentStatus.QUEUED:
        return []
    clock = response_clock(incident, rural=rural, now=now)
    if clock is None:
        return []
    done = set(already)
    fraction = clock.elapsed / clock.budget
    due = []
    for at, kind in policy.steps:
        if fraction >= at and kind.value not in done:
            minutes = at * clock.budget.total_seconds() / 60
            waited_min, budget_min = clock.elapsed.total_seconds() / 60, clock.budget.total_seconds() / 60
            text = {
                EscalationKind.SUPERVISOR_ALERT: (
                    f"waiting {waited_min:.0f} min for a van (alert at {minutes:.0f} of {budget_min:.0f} min)"
                ),
                EscalationKind.OFFER_FALLBACK: f"no van after {minutes:.0f} min: offer fallback response {policy.fallback_tier}",
                EscalationKind.BREACH: f"response-time budget of {budget_min:.0f} min breached",
            }[kind]
            due.append(EscalationDue(incident.id, kind, at, text))
    return due


def next_for_unit(queue: Sequence[Incident], can_take: Callable[[Incident], bool]) -> Incident | None:
    """When a unit clears, the queue is offered to it in order: the first incident it can take."""
    for incident in ordered(queue):
        if can_take(incident):
            return incident
    return None
