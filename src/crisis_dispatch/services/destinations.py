"""Where to take the person: LA County destination rules over travel times and live beds."""

from __future__ import annotations

import dataclasses
from typing import Any

from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.destinations import PatientAssessment, recommend_destinations
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.routing.geometry import haversine_m

from . import audit
from .context import Actor, ServiceContext
from .dispatching import leg_times
from .incidents import check_scope

#: Only facilities within this straight-line distance are timed (a transport longer than
#: that is never the right answer in a county; EDs nearer than this always exist in LA).
SEARCH_RADIUS_KM = 40.0
ASSESSMENT_FIELDS = frozenset(f.name for f in dataclasses.fields(PatientAssessment))


def assessment_from(data: dict[str, Any]) -> PatientAssessment:
    unknown = sorted(set(data) - ASSESSMENT_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown assessment field(s): {', '.join(unknown)}")
    try:
        return PatientAssessment(**data)
    except (TypeError, ValueError) as e:
        raise InvalidInput(f"invalid assessment: {e}") from None


def recommend_for_incident(
    ctx: ServiceContext, actor: Actor, incident_id: str, assessment: dict[str, Any], k: int = 5
) -> dict[str, Any]:
    """Ranked destinations from the incident's location for the person as the crew assessed them."""
    actor.require(Permission.INCIDENT_OUTCOME)
    person = assessment_from(assessment)
    if ctx.travel is None:
        raise InvalidInput("no travel-time provider is configured for this region")
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        here = incident.location.point()
        if here is None:
            raise InvalidInput(f"incident {incident.id} has no confirmed location yet: place it before choosing a destination")
        facilities = uow.facilities.list()
        metres = haversine_m(here.lat, here.lon, [f.lat for f in facilities], [f.lon for f in facilities])
        nearby = [f for f, m in zip(facilities, metres, strict=True) if m <= SEARCH_RADIUS_KM * 1000]
        audit.record(ctx, uow, actor, "read", "incident", [incident.id], detail="destination recommendation")
        uow.commit()
    # Providers answer many-origins-to-one; from the scene to a facility is one origin.
    timed, source = leg_times(ctx, [([here], f.point()) for f in nearby])
    travel = {f.id: t for f, (t,) in zip(nearby, timed, strict=True)}
    rec = recommend_destinations(person, nearby, travel, k=k)
    return {
        "incident_id": incident_id,
        "eta_source": source,
        "ranked": [
            {
                "rank": i,
                "facility_id": r.facility_id,
                "name": r.name,
                "type": r.type.value,
                "eta_s": round(r.eta_s, 1),
                "eta_minutes": round(r.eta_s / 60, 1),
                "beds_available": r.beds_available,
                "reasons_for": list(r.reasons_for),
            }
            for i, r in enumerate(rec.ranked, start=1)
        ],
        "excluded": [{"facility_id": e.facility_id, "name": e.name, "reasons": list(e.reasons)} for e in rec.excluded],
        "unsuitable_types": {t.value: list(reasons) for t, reasons in rec.type_reasons.items() if reasons},
        "emergency_department_required": list(rec.emergency_department_required),
    }
