"""Read models: plain dictionaries built from domain objects, before role redaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crisis_dispatch.domain.history import StatusChange
from crisis_dispatch.domain.hold_transport import HoldTransport
from crisis_dispatch.domain.incident import PHASE_FIELD, Incident
from crisis_dispatch.domain.station import Facility, Station
from crisis_dispatch.domain.unit import Readiness, Role, Shift, Staff, Unit


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def incident_view(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "seq": incident.seq,
        "status": incident.status.value,
        "location": incident.location.to_dict(),
        "address": incident.location.address,
        "tier": incident.tier,
        "priority": incident.priority,
        "determinant": incident.determinant,
        "triage": triage_view(incident),
        "screened_out_reason": incident.screened_out_reason,
        "subject_description": incident.subject_description,
        "subject_age": incident.subject_age,
        "unit_id": incident.unit_id,
        "outcome": incident.outcome.to_dict() if incident.outcome else None,
        "phone_988": incident.phone_988.to_dict() if incident.phone_988 else None,
        "handed_back_from": incident.handed_back_from,
        "nemsis": list(incident.nemsis),
        "version": incident.version,
        "timestamps": {PHASE_FIELD[s]: _iso(getattr(incident, PHASE_FIELD[s])) for s in PHASE_FIELD},
        "calls": [
            {
                "id": c.id,
                "received_at": _iso(c.received_at),
                "call_type": c.call_type,
                "code": c.code,
                "narrative": c.narrative,
                "caller_name": c.caller_name,
                "caller_phone": c.caller_phone,
                "answers": c.answers,
            }
            for c in incident.calls
        ],
        "notes": [{"id": n.id, "at": _iso(n.at), "by": n.by, "text": n.text} for n in incident.notes],
    }


def hold_transport_view(transport: HoldTransport | None, now: datetime) -> dict[str, Any] | None:
    """The request with what the crew recorded, and the minutes left on the hold at ``now``."""
    if transport is None:
        return None
    return transport.to_dict() | {
        "minutes_left": int(transport.remaining(now).total_seconds() // 60),
        "expired": transport.expired(now),
        "verified": transport.verification is not None,
    }


def triage_view(incident: Incident) -> dict[str, Any] | None:
    """The recorded decision, with who confirmed it and when (issue 10). A decision recorded
    before ``confirmed`` existed reads as confirmed, as ``TriageResult.from_dict`` does."""
    if incident.triage is None:
        return None
    return incident.triage.to_dict() | {
        "confirmed_by": incident.triage_confirmed_by,
        "confirmed_at": _iso(incident.triage_confirmed_at),
    }


def history_view(change: StatusChange) -> dict[str, Any]:
    return {
        "subject": change.subject.value if hasattr(change.subject, "value") else change.subject,
        "subject_id": change.subject_id,
        "from": change.from_status,
        "to": change.to_status,
        "at": _iso(change.at),
        "by": change.by,
        "reason": change.reason,
        "event": change.event,
        "incident_id": change.incident_id,
        "unit_id": change.unit_id,
    }


def unit_view(unit: Unit, crew: dict[Role, Staff], ready: Readiness) -> dict[str, Any]:
    return {
        "id": unit.id,
        "call_sign": unit.call_sign,
        "station_id": unit.station_id,
        "capabilities": sorted(unit.capabilities),
        "status": unit.status.value,
        "status_since": _iso(unit.status_since),
        "incident_id": unit.incident_id,
        "position": {"lat": unit.lat, "lon": unit.lon} if unit.lat is not None else None,
        "crew": {
            role.value: {"staff_id": s.id, "name": s.name, "qualifications": sorted(s.qualifications)} for role, s in crew.items()
        },
        "dispatchable": ready.dispatchable,
        "not_dispatchable_because": list(ready.reasons),
        "version": unit.version,
    }


def staff_view(s: Staff) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "roles": sorted(s.roles), "qualifications": sorted(s.qualifications), "active": s.active}


def shift_view(s: Shift) -> dict[str, Any]:
    return {
        "id": s.id,
        "unit_id": s.unit_id,
        "staff_id": s.staff_id,
        "role": s.role.value,
        "starts_at": _iso(s.starts_at),
        "ends_at": _iso(s.ends_at),
    }


def station_view(s: Station) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "lat": s.lat, "lon": s.lon, "address": s.address}


def facility_view(f: Facility) -> dict[str, Any]:
    return {
        "id": f.id,
        "name": f.name,
        "type": f.type.value,
        "lat": f.lat,
        "lon": f.lon,
        "address": f.address,
        "accepts": f.accepts,
        "capabilities": sorted(f.capabilities),
        "beds_available": f.beds_available,
        "beds_total": f.beds_total,
    }
