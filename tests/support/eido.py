"""EIDO documents written from the NENA-STA-021.1 schema, for tests (no tests here)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.shared_data import shared_data_dir

AGENCY = "psap.lacounty.example.gov"


def official_sample() -> dict[str, Any]:
    """NENA's own sample (a call transfer, civic address in Wilmington, Delaware)."""
    path: Path = shared_data_dir() / "standards" / "eido" / "Samples" / "Sample call transfer EIDO.json"
    return json.loads(path.read_text(encoding="utf-8"))


def point(lat: float, lon: float) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"'
        ' xmlns:gml="http://www.opengis.net/gml" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"'
        ' entity="pres:caller@example.com">'
        '<dm:device id="d1"><gp:geopriv><gp:location-info>'
        f'<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>{lat} {lon}</gml:pos></gml:Point>'
        "</gp:location-info><gp:usage-rules/></gp:geopriv></dm:device></presence>"
    )


def circle(lat: float, lon: float, radius_m: float = 50) -> str:
    return (
        '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"'
        ' xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0" entity="pres:x@example.com">'
        "<tuple id='t'><status><gp:geopriv><gp:location-info>"
        f'<gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>{lat} {lon}</gml:pos>'
        f'<gs:radius uom="urn:ogc:def:uom:EPSG::9001">{radius_m}</gs:radius></gs:Circle>'
        "</gp:location-info></gp:geopriv></status></tuple></presence>"
    )


def civic(number: str, street: str, suffix: str, city: str, state: str = "CA") -> str:
    return (
        '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"'
        ' entity="pres:x@example.com">'
        "<tuple id='t'><status><gp:geopriv><gp:location-info>"
        '<civicAddress xmlns="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr">'
        f"<country>US</country><A1>{state}</A1><A3>{city}</A3><RD>{street}</RD><STS>{suffix}</STS><HNO>{number}</HNO>"
        "</civicAddress></gp:location-info></gp:geopriv></status></tuple></presence>"
    )


def prologue(ident: str, at: datetime) -> dict[str, Any]:
    return {"$id": ident, "lastUpdateTimeStamp": at.isoformat(), "updatedByAgencyReference": {"$ref": AGENCY}}


def document(
    eido_id: str,
    at: datetime,
    *,
    location: str | None = None,
    notes: list[tuple[str, str]] = (),  # type: ignore[assignment]
    code: str | None = "EDP",
    internal: str | None = "MENTAL HEALTH",
    caller: str = "Ana Reyes",
    phone: str = "+13105550100",
) -> dict[str, Any]:
    """An EIDO with an incident (APCO ``code``, internal call type), one call, the caller with
    a callback number, a location (PIDF-LO) and ``notes`` as ``(note id, HTML)``."""
    location = location if location is not None else point(34.0522, -118.2437)
    doc: dict[str, Any] = prologue(eido_id, at) | {
        "eidoVersion": "1.0",
        "issuingElementIdentification": "cad.lacounty.example.gov",
        "agencyComponent": [
            prologue(AGENCY, at) | {"agencyRoleDescriptionRegistryText": ["CallReceiving"], "agencyType": ["psap"]}
        ],
        "locationComponent": [
            prologue(f"{eido_id}:loc", at) | {"locationTypeDescriptionRegistryText": "Incident", "locationByValue": location}
        ],
        "callbackComponent": [prologue(f"{eido_id}:cb", at) | {"callBackInformationUri": [f"tel:{phone}"]}],
        "personComponent": [
            prologue(f"{eido_id}:caller", at)
            | {
                "personIncidentRoleRegistryText": ["Caller"],
                "ncPersonComponent": {"name": [{"personFullName": [{"value": caller}]}]},
                "callBackReference": {"$ref": f"{eido_id}:cb"},
            }
        ],
        "callComponent": [
            prologue(f"{eido_id}:call", at)
            | {
                "standardPrimaryCallType": "emergency",
                "direction": "incoming",
                "callStateRegistryText": "callAnswered",
                "callStartTimestamp": at.isoformat(),
                "locationReference": [{"$ref": f"{eido_id}:loc"}],
            }
        ],
        "notesComponent": [prologue(nid, at) | {"notesActionComments": text} for nid, text in notes],
    }
    if code is not None:
        incident: dict[str, Any] = prologue(f"{eido_id}:inc", at) | {
            "incidentTypeCommonRegistryText": code,
            "locationReference": [{"$ref": f"{eido_id}:loc"}],
        }
        if internal:
            incident["incidentTypeInternalText"] = internal
        doc["incidentComponent"] = incident
    return doc
