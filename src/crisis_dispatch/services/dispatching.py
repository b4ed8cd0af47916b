"""Use cases of dispatch: recommended vans, the queue with its clocks, escalations, offers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.dispatch import Candidate, Needs, Recommendation, eligibility, recommend
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.geo import LatLon
from crisis_dispatch.domain.history import ESCALATION_PREFIX, StatusChange
from crisis_dispatch.domain.incident import Incident, IncidentStatus
from crisis_dispatch.domain.queueing import (
    earliest_escalation,
    escalations_due,
    next_for_unit,
    ordered,
    queue_key,
    response_clock,
)
from crisis_dispatch.domain.unit import Unit
from crisis_dispatch.services.ports import UnitOfWork

from . import audit
from .context import SYSTEM, Actor, ServiceContext
from .crews import crews


def clock_view(ctx: ServiceContext, incident: Incident, now: datetime) -> dict[str, Any] | None:
    rural = ctx.rural(incident.location.lat, incident.location.lon)
    clock = response_clock(incident, rural=rural, now=now, thresholds=ctx.thresholds)
    if clock is None:
        return None
    return clock.to_dict() | {"rural": rural}


def _candidates(uow: UnitOfWork, now: datetime) -> list[Candidate]:
    units = uow.units.list()
    on_shift = crews(uow, units, now)
    return [Candidate(u, on_shift[u.id]) for u in units]


def _origin(uow: UnitOfWork, unit: Unit) -> LatLon:
    return unit.point() or uow.stations.get(unit.station_id).point()


#: Outside the travel-time provider's area (e.g. beyond the fitted LA model), ETAs fall back
#: to straight-line distance at this average speed, and the answer says so.
FALLBACK_SPEED_KMH = 30.0
#: ``eta_source`` of times the configured provider answered.
PROVIDER_SOURCE = "provider"
#: ``eta_source`` of the straight-line fallback.
FALLBACK_SOURCE = f"straight-line estimate at {FALLBACK_SPEED_KMH:.0f} km/h (outside the travel-time model's area)"

#: Why no van is ranked for an incident without coordinates.
LOCATION_TO_CONFIRM = (
    "location to confirm: the CAD sent an address we could not place, so no van is recommended; "
    "place the incident (POST /api/v1/incidents/{id}/location, or the console's form), or name the van to send"
)


def leg_times(ctx: ServiceContext, legs: list[tuple[list[LatLon], LatLon]]) -> tuple[list[list[float | None]], str]:
    """Driving seconds of each leg (many origins to one destination), and where they come from.

    When any point lies outside the provider's area, every leg is estimated on a straight
    line instead (one yardstick for a whole ranking) and the source says so: a van must
    still be sent, a destination still chosen.
    """
    if ctx.travel is None:
        raise InvalidInput("no travel-time provider is configured for this region")
    try:
        return [ctx.travel(origins, to) for origins, to in legs], PROVIDER_SOURCE
    except ValueError as e:
        if ctx.fallback_travel is None:
            raise InvalidInput(f"no travel time: {e}") from e
        line = ctx.fallback_travel
        return [line(origins, to) for origins, to in legs], FALLBACK_SOURCE


def _recommend(
    ctx: ServiceContext, uow: UnitOfWork, incident: Incident, now: datetime, k: int
) -> tuple[Recommendation, list[Candidate], Needs, str]:
    if ctx.travel is None:
        raise InvalidInput("no travel-time provider is configured for this region")
    needs = Needs.from_triage(incident.triage)
    candidates = _candidates(uow, now)
    fit = [c for c in candidates if not eligibility(c, needs)]
    etas: dict[str, float | None] = {}
    source = PROVIDER_SOURCE
    here = incident.location.point()
    if fit and here is not None:
        (times,), source = leg_times(ctx, [([_origin(uow, c.unit) for c in fit], here)])
        etas = {c.unit.id: t for c, t in zip(fit, times, strict=True)}
    rec = recommend(candidates, needs, etas, k=k)
    if here is None:
        # Location to confirm: no times, so no van is ranked; each fit van says why.
        rec = Recommendation(
            (),
            tuple(
                replace(e, reasons=("the incident's location is to confirm",)) if e.unit_id in {c.unit.id for c in fit} else e
                for e in rec.excluded
            ),
        )
    return rec, candidates, needs, source


def recommendations(ctx: ServiceContext, actor: Actor, incident_id: str, k: int = 3) -> dict[str, Any]:
    """The vans that would arrive first among those free, staffed and fit for the call."""
    actor.require(Permission.INCIDENT_ASSIGN)
    if not 1 <= k <= 50:
        raise InvalidInput("k must be between 1 and 50")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        rec, candidates, needs, source = _recommend(ctx, uow, incident, now, k)
        outside = ctx.outside_service_area(incident.location.lat, incident.location.lon)
        crew_of = {c.unit.id: c.crew for c in candidates}
        view = {
            "incident_id": incident.id,
            "status": incident.status.value,
            "needs": {"capabilities": sorted(needs.capabilities), "hold_writer": needs.hold.value if needs.hold else None},
            "ranked": [
                {
                    "rank": r.rank,
                    "unit_id": r.unit_id,
                    "call_sign": r.call_sign,
                    "eta_s": round(r.eta_s, 1),
                    "eta_minutes": round(r.eta_s / 60, 1),
                    "crew": {role.value: s.name for role, s in crew_of[r.unit_id].items()},
                }
                for r in rec.ranked
            ],
            "excluded": [{"unit_id": e.unit_id, "call_sign": e.call_sign, "reasons": list(e.reasons)} for e in rec.excluded],
            "eta_source": source,
            "outside_service_area": outside,
            "location_to_confirm": incident.location_to_confirm,
            "warning": LOCATION_TO_CONFIRM if incident.location_to_confirm else _warning(ctx, outside, source),
            "clock": clock_view(ctx, incident, now),
        }
        audit.record(ctx, uow, actor, "read", "incident", [incident.id], detail="recommendations")
        uow.commit()
    return view


def _warning(ctx: ServiceContext, outside: bool, source: str) -> str | None:
    """What a dispatcher must know before sending a van on these times (None: nothing)."""
    if outside and ctx.service_area is not None:
        return (
            f"this call is outside the service area ({ctx.service_area.name}): the times are a straight-line "
            "guess, and no van is sent to it without being named"
        )
    if source != PROVIDER_SOURCE:
        return f"travel times are a {source}, not driving times"
    return None


def ranked_unit_ids(ctx: ServiceContext, incident_id: str, k: int = 3) -> list[str]:
    """The recommended units' ids, best first (for automation; no read-model, no audit row)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        rec, *_ = _recommend(ctx, uow, uow.incidents.get(incident_id), now, k)
    return [r.unit_id for r in rec.ranked]


def best_unit(ctx: ServiceContext, incident_id: str) -> str | None:
    """The top recommendation, for "assign the recommended van" without naming it."""
    ranked = ranked_unit_ids(ctx, incident_id, 1)
    return ranked[0] if ranked else None


def queue(ctx: ServiceContext, actor: Actor) -> list[dict[str, Any]]:
    """Incidents waiting for a van, in the order vans are offered to them, with their clocks."""
    actor.require(Permission.QUEUE_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        waiting = ordered(uow.incidents.list(statuses=[IncidentStatus.QUEUED], limit=10_000))
        escalated = _escalations(uow, waiting)
        out: list[dict[str, Any]] = []
        for position, incident in enumerate(waiting, start=1):
            out.append(
                {
                    "position": position,
                    "id": incident.id,
                    "tier": incident.tier,
                    "priority": incident.priority,
                    "determinant": incident.determinant,
                    "received_at": incident.received_at.isoformat(),
                    "location": _rounded(incident.location.point()),
                    "location_to_confirm": incident.location_to_confirm,
                    "clock": clock_view(ctx, incident, now),
                    "escalations": _kinds(escalated[incident.id]),
                }
            )
        audit.record(ctx, uow, actor, "list", "incident", [i["id"] for i in out], detail="queue")
        uow.commit()
    return out


def _escalations(uow: UnitOfWork, incidents: list[Incident]) -> dict[str, list[StatusChange]]:
    """The escalation rows of each incident, read in one query (not one per incident)."""
    found: dict[str, list[StatusChange]] = {i.id: [] for i in incidents}
    for h in uow.history.for_incidents([i.id for i in incidents]):
        if h.event.startswith(ESCALATION_PREFIX) and h.incident_id in found:
            found[h.incident_id].append(h)
    return found


def _rounded(point: LatLon | None) -> dict[str, float | None]:
    if point is None:
        return {"lat": None, "lon": None}
    return {"lat": round(point.lat, 4), "lon": round(point.lon, 4)}


def _kinds(rows: list[StatusChange]) -> list[str]:
    return sorted({h.event[len(ESCALATION_PREFIX) :] for h in rows})


def check_clocks(ctx: ServiceContext) -> list[dict[str, Any]]:
    """Record every escalation that waiting incidents have reached (each step once).

    Called periodically by the server and by the simulator; returns what it recorded.
    """
    now = ctx.clock.now()
    recorded = []
    with ctx.uow() as uow:
        # Several server processes on one database each check: one at a time, and each
        # reads what the one before recorded, so no step is recorded twice.
        uow.take_turns("clock-check")
        earliest = earliest_escalation(ctx.escalation)
        if earliest is None:
            return []
        # Only incidents waiting long enough for a step to be due, chosen in SQL: a busy
        # queue's newest calls (all of them, in a burst) are not read every check.
        waiting = uow.incidents.list(statuses=[IncidentStatus.QUEUED], triaged_before=now - earliest, limit=10_000)
        escalated = _escalations(uow, waiting)
        for incident in waiting:
            rural = ctx.rural(incident.location.lat, incident.location.lon)
            already = _kinds(escalated[incident.id])
            due = escalations_due(incident, rural=rural, now=now, already=already, policy=ctx.escalation)
            for d in due:
                uow.history.add(incident.event(ESCALATION_PREFIX + d.kind.value, now=now, by=SYSTEM.username, reason=d.message))
                recorded.append({"incident_id": d.incident_id, "kind": d.kind.value, "message": d.message, "at": now.isoformat()})
        uow.commit()
    return recorded


def offer_for_unit(ctx: ServiceContext, uow: UnitOfWork, unit: Unit, now: datetime) -> dict[str, Any] | None:
    """When a unit clears, the first queued incident it can take (queue order)."""
    candidate = Candidate(unit, crews(uow, [unit], now)[unit.id])
    waiting = uow.incidents.list(statuses=[IncidentStatus.QUEUED], limit=10_000)
    chosen = next_for_unit(waiting, lambda i: not eligibility(candidate, Needs.from_triage(i.triage)))
    if chosen is None:
        return None
    return {
        "incident_id": chosen.id,
        "tier": chosen.tier,
        "priority": chosen.priority,
        "queue_key": [str(x) for x in queue_key(chosen)],
    }


def alerts(ctx: ServiceContext, actor: Actor) -> list[dict[str, Any]]:
    """Escalations recorded for incidents that are still waiting, newest first."""
    actor.require(Permission.QUEUE_READ)
    with ctx.uow() as uow:
        waiting = uow.incidents.list(statuses=[IncidentStatus.QUEUED], limit=10_000)
        out = [
            {"incident_id": iid, "kind": h.event[len(ESCALATION_PREFIX) :], "message": h.reason, "at": h.at.isoformat()}
            for iid, rows in _escalations(uow, waiting).items()
            for h in rows
        ]
    return sorted(out, key=lambda a: (a["at"], a["incident_id"], a["kind"]), reverse=True)
