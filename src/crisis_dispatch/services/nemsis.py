"""NEMSIS v3.5 export of crisis-team encounters: an EMSDataSet for the county EMS agency.

An encounter is an incident received in the window to which a crisis van was dispatched. What
we know is written (times from the status history, the unit, the age, the disposition codes
eDisposition.27-.31, a primary impression inside the Behavioral Health case definition); what
we do not collect is nil with NEMSIS's not-value "Not Recorded" (7701003), and what cannot
apply (no patient contact: no care to describe) with "Not Applicable" (7701001). Nothing
clinical beyond the codes leaves: no narrative, no notes, no hold facts.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from crisis_dispatch.adapters import nemsis_xml
from crisis_dispatch.domain.access import Permission
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.incident import Incident, IncidentStatus
from crisis_dispatch.domain.interop import (
    CREW_DISPOSITION,
    CREW_DISPOSITION_CANCELLED,
    DISPATCH_REASON_PSYCHIATRIC,
    PRIMARY_IMPRESSION,
)

from . import audit
from .context import Actor, ServiceContext

SOFTWARE = ("crisis-dispatch contributors", "crisis-dispatch")
STATE_FIPS_CA = "06"
SERVICE_EMERGENCY = "2205001"  # Emergency Response (Primary Response Area)
NON_TRANSPORT_NO_EQUIPMENT = "2207027"  # the vans carry no medical equipment
NON_EMERGENT = "2223005"  # crisis teams drive without lights and siren
AGE_YEARS = "2516009"
UUID_NAMESPACE = uuid.UUID("6f1c1bd4-8f6e-4e0f-9a55-0d3c3a1f2b7e")


def _t(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _encounter(incident: Incident, call_sign: str, agency: str) -> dict[str, Any]:
    codes = incident.outcome.nemsis if incident.outcome else None
    cancelled = incident.status is IncidentStatus.CANCELLED
    unit_code = incident.nemsis[0] if incident.nemsis else None
    contact = codes is not None and codes.patient_evaluation_care is not None
    crew = (
        CREW_DISPOSITION[incident.outcome.disposition] if incident.outcome else CREW_DISPOSITION_CANCELLED if cancelled else None
    )
    disposition: dict[str, Any] = {
        "eDisposition.27": unit_code or nemsis_xml.NOT_RECORDED,
        "eDisposition.28": codes.patient_evaluation_care if codes else None,
        "eDisposition.29": crew,
        "eDisposition.30": codes.transport_disposition if codes else None,
    }
    if codes and codes.reason_for_refusal_release:
        disposition["eDisposition.31"] = codes.reason_for_refusal_release
    age = incident.known_age
    return {
        "@": {"UUID": str(uuid.uuid5(UUID_NAMESPACE, incident.id))},
        "eRecord": {
            "eRecord.01": incident.id,
            "eRecord.SoftwareApplicationGroup": {"eRecord.02": SOFTWARE[0], "eRecord.03": SOFTWARE[1], "eRecord.04": _version()},
        },
        "eResponse": {
            "eResponse.AgencyGroup": {"eResponse.01": agency},
            "eResponse.03": incident.id,
            "eResponse.ServiceGroup": {"eResponse.05": SERVICE_EMERGENCY},
            "eResponse.07": NON_TRANSPORT_NO_EQUIPMENT,
            "eResponse.13": call_sign,
            "eResponse.14": call_sign,
            "eResponse.23": NON_EMERGENT,
        },
        "eDispatch": {"eDispatch.01": DISPATCH_REASON_PSYCHIATRIC},
        "eTimes": {
            "eTimes.01": _t(incident.received_at),
            "eTimes.03": _t(incident.dispatched_at),
            "eTimes.05": _t(incident.en_route_at),
            "eTimes.06": _t(incident.on_scene_at),
            "eTimes.09": _t(incident.transporting_at),
            "eTimes.11": _t(incident.at_destination_at),
            "eTimes.13": _t(incident.closed_at or incident.cancelled_at or incident.last_change_at),
        },
        "ePatient": {"ePatient.AgeGroup": {"ePatient.15": age, "ePatient.16": AGE_YEARS if age is not None else None}},
        "eSituation": {"eSituation.11": PRIMARY_IMPRESSION if contact else None},
        "eDisposition": {"eDisposition.IncidentDispositionGroup": disposition},
    }


def _version() -> str:
    from crisis_dispatch import __version__

    return __version__


#: What cannot apply to an encounter without patient contact is "Not Applicable", not missing.
_NOT_APPLICABLE_WITHOUT_CONTACT = ("eDisposition.28", "eDisposition.30", "eSituation.11")


def export_nemsis(ctx: ServiceContext, actor: Actor, start: datetime, end: datetime) -> tuple[bytes, int]:
    """The EMSDataSet of crisis-team encounters received in [start, end), and their count.
    Validated against the shipped XSD before it is returned (a failure is a bug, never data)."""
    actor.require(Permission.EXPORT_NEMSIS)
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("start and end need a UTC offset, e.g. 2026-11-01T00:00:00-07:00")
    if end <= start:
        raise InvalidInput("end must be after start")
    agency = ctx.agency[:15]
    with ctx.uow() as uow:
        found = [i for i in uow.incidents.received_between(start, end) if i.dispatched_at is not None]
        units: dict[str, str] = {}
        for h in uow.history.for_incidents([i.id for i in found]):
            if h.incident_id and h.unit_id and h.event == "status" and h.to_status == IncidentStatus.DISPATCHED.value:
                units.setdefault(h.incident_id, h.unit_id)
        signs = {u.id: u.call_sign for u in uow.units.list()}
        reports = [_encounter(i, signs.get(units.get(i.id) or i.unit_id or "", "UNKNOWN")[:25], agency) for i in found]
        audit.record(ctx, uow, actor, "export", "incident", [i.id for i in found][:1000] or ["none"], detail="NEMSIS v3.5")
        uow.commit()
    if not reports:
        raise InvalidInput(f"no crisis-team encounter was received between {start.isoformat()} and {end.isoformat()}")
    header: dict[str, Any] = {"DemographicGroup": {"dAgency.01": agency, "dAgency.02": agency, "dAgency.04": STATE_FIPS_CA}}
    header["PatientCareReport"] = reports
    not_values = {name: nemsis_xml.NOT_APPLICABLE for name in _NOT_APPLICABLE_WITHOUT_CONTACT}
    document = nemsis_xml.ems_dataset({"Header": header}, not_values)
    problems = nemsis_xml.problems(document)
    if problems:
        raise RuntimeError("the NEMSIS export does not validate: " + "; ".join(problems[:5]))
    return document, len(reports)
