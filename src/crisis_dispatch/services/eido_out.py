"""Our incident as a NENA EIDO document (NENA-STA-021.1), for the CAD: ``GET
/api/v1/incidents/{id}/eido`` and the outbox's status updates.

What it carries: the CAD reference (the EIDO ``$id`` the CAD sent, else one of ours), the
incident type, the location as PIDF-LO, the status, the assigned van as an emergency resource,
the notes the reader's role may see, and a disposition summary without clinical detail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from crisis_dispatch.domain.access import Permission, UserRole
from crisis_dispatch.domain.incident import Incident
from crisis_dispatch.domain.interop import DISPOSITION_WORDS, INCIDENT_STATUS, UNIT_STATUS, screened_out_summary
from crisis_dispatch.services.ports import UnitOfWork
from crisis_dispatch.services.read_models import project_incident

from . import audit
from .context import Actor, ServiceContext
from .incidents import check_scope
from .views import incident_view

#: The APCO common incident type of a crisis call when the CAD gave none.
DEFAULT_INCIDENT_TYPE = "EDP"


def get_incident_eido(ctx: ServiceContext, actor: Actor, incident_id: str) -> dict[str, Any]:
    """The incident as an EIDO document, with what ``actor``'s role may see."""
    actor.require(Permission.EIDO_READ)
    with ctx.uow() as uow:
        incident = uow.incidents.get(incident_id)
        check_scope(ctx, uow, actor, incident)
        document = incident_document(ctx, uow, incident, actor.role)
        audit.record(ctx, uow, actor, "read", "incident", [incident.id], detail="EIDO")
        uow.commit()
    return document


def _at(value: datetime) -> str:
    return value.isoformat()


def incident_document(ctx: ServiceContext, uow: UnitOfWork, incident: Incident, role: UserRole) -> dict[str, Any]:
    """Build the EIDO in the caller's unit of work (the outbox writes it in the transaction
    of the change it reports)."""
    link = uow.eido_links.for_incident(incident.id)
    eido_id = link["eido_id"] if link else f"urn:emergency:uid:incidentid:{incident.id}:{ctx.agency}"
    updated = incident.last_change_at or incident.received_at
    agency = ctx.agency

    def prologue(ident: str) -> dict[str, Any]:
        return {"$id": ident, "lastUpdateTimeStamp": _at(updated), "updatedByAgencyReference": {"$ref": agency}}

    view = project_incident(incident_view(incident), role)
    first = incident.calls[0] if incident.calls else None
    location_id, agent_id = f"{eido_id}:location", f"{agency}:system"
    incident_component: dict[str, Any] = prologue(f"{eido_id}:incident") | {
        "incidentTypeCommonRegistryText": (first.code if first and first.code else DEFAULT_INCIDENT_TYPE),
        "incidentTypeInternalCode": incident.tier or "UNTRIAGED",
        "incidentStatusCommonRegistryText": [INCIDENT_STATUS[incident.status]],
        "incidentStatusInternalText": [incident.status.value],
        "internalIncidentId": incident.id,
        "locationReference": [{"$ref": location_id}],
    }
    if first and first.call_type:
        incident_component["incidentTypeInternalText"] = first.call_type
    disposition = _disposition(incident, eido_id, prologue)
    if disposition:
        incident_component["dispositionComponent"] = [disposition]
    document: dict[str, Any] = prologue(eido_id) | {
        "eidoVersion": "1.0",
        "issuingElementIdentification": f"crisis-dispatch.{agency}",
        "incidentComponent": incident_component,
        "agencyComponent": [
            prologue(agency) | {"agencyRoleDescriptionRegistryText": ["Responding"], "agencyType": ["mental_health"]}
        ],
        "agentComponent": [prologue(agent_id) | {"agentRoleRegistryText": ["Dispatching"], "agencyReference": {"$ref": agency}}],
        "locationComponent": [
            prologue(location_id)
            | {
                "locationTypeDescriptionRegistryText": "Incident",
                "locationByValue": pidf_lo(incident.location.lat, incident.location.lon, incident.location.address),
            }
        ],
    }
    if "notes" in view and incident.notes:
        notes = [prologue(f"{eido_id}:note:{n.id}") | {"notesActionComments": f"<p>{escape(n.text)}</p>"} for n in incident.notes]
        document["notesComponent"] = notes
        incident_component["notesReference"] = [{"$ref": n["$id"]} for n in notes]
    if incident.unit_id:
        unit = uow.units.get(incident.unit_id)
        document["emergencyResourceComponent"] = [
            prologue(f"{agency}:unit:{unit.id}")
            | {
                "emergencyResourceTypeCommonRegistryText": "MentalHealthCrisisTeam",
                "emergencyResourceName": unit.call_sign,
                "resourceAttributeRegistryText": ["MobileCrisis"],
                "primaryUnitStatusRegistryText": UNIT_STATUS[unit.status],
                "secondaryUnitStatusRegistryText": [],
                "agentReference": [{"$ref": agent_id}],
                "activeOnIncidentId": eido_id,
            }
        ]
    return document


def _disposition(incident: Incident, eido_id: str, prologue: Any) -> dict[str, Any] | None:
    """What happened, in words a CAD may read: the screened-out decision with its reason, or
    the crisis team's disposition. Never the summary, the hold facts or a diagnosis."""
    if incident.outcome is not None:
        code = incident.outcome.disposition
        return dict(prologue(f"{eido_id}:disposition")) | {
            "dispositionCommonRegistryCode": code.value,
            "dispositionPrimaryIndicator": True,
            "dispositionCategoryText": "crisis team",
            "dispositionDescriptionText": DISPOSITION_WORDS[code],
        }
    if incident.screened_out_reason is not None:
        return dict(prologue(f"{eido_id}:disposition")) | {
            "dispositionCommonRegistryCode": "screened_out",
            "dispositionPrimaryIndicator": True,
            "dispositionCategoryText": "triage",
            "dispositionDescriptionText": screened_out_summary(incident.tier, incident.screened_out_reason),
        }
    return None


def pidf_lo(lat: float | None, lon: float | None, address: str) -> str:
    """A PIDF-LO document (RFC 4119/5491): a ``gml:Point`` when we know where, else the
    address as a civic location's free text (RFC 5139 ``LOC``)."""
    if lat is not None and lon is not None:
        shape = f'<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>{lat:.6f} {lon:.6f}</gml:pos></gml:Point>'
    else:
        shape = (
            f'<civicAddress xmlns="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"><LOC>{escape(address)}</LOC></civicAddress>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"'
        ' xmlns:gml="http://www.opengis.net/gml" entity="pres:incident@crisis-dispatch">'
        f'<tuple id="location"><status><gp:geopriv><gp:location-info>{shape}</gp:location-info>'
        "<gp:usage-rules/></gp:geopriv></status></tuple></presence>"
    )
