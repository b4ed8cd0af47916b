"""Reading a NENA EIDO document (already valid against the schema) into what intake needs.

EIDO carries XML and HTML inside JSON strings: locations as PIDF-LO (RFC 4119/5491: a geodetic
``gml:Point`` or ``gml:Circle``, or a civic address, RFC 5139) and notes as HTML5. Both are
parsed with lxml, never with regular expressions; the XML parser resolves no entities and
reaches no network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree, html

from crisis_dispatch.domain.errors import InvalidDocument
from crisis_dispatch.domain.geo import LatLon

GML = "http://www.opengis.net/gml"
CIVIC = "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"
#: Civic address elements (RFC 4776/5139) in the order a US address is written.
_STREET = ("HNO", "HNS", "PRD", "RD", "STS", "POD")
_PLACE = ("A3", "A1", "PC", "country")
_MAX_NOTE = 20_000


@dataclass(frozen=True)
class EidoPlace:
    """Where a CAD says the incident is: coordinates (lat, lon) and/or a civic address."""

    lat: float | None
    lon: float | None
    address: str
    shape: str  # "Point" | "Circle" | "civic"


@dataclass(frozen=True)
class EidoNote:
    id: str
    text: str


@dataclass(frozen=True)
class EidoIncoming:
    eido_id: str
    agency: str
    updated_at: datetime
    call_type: str
    code: str | None
    notes: tuple[EidoNote, ...]
    place: EidoPlace | None
    caller_name: str
    caller_phone: str
    received_at: datetime | None
    fingerprint: str

    @property
    def narrative(self) -> str:
        return "\n".join(n.text for n in self.notes if n.text)


def fingerprint(document: Any) -> str:
    """The same document sent twice has the same fingerprint (key order and spacing ignored)."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def timestamp(value: Any, path: str) -> datetime:
    """An ISO 8601 date-time with a UTC offset, or an :class:`InvalidDocument` naming ``path``."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidDocument(
            f"{path}: not a date-time", [{"path": path, "message": f"{value!r} is not an ISO 8601 date-time"}]
        ) from None
    if parsed.tzinfo is None:
        raise InvalidDocument(f"{path}: no UTC offset", [{"path": path, "message": f"{value!r} has no UTC offset"}])
    return parsed


def _by_id(document: dict[str, Any], component: str) -> dict[str, dict[str, Any]]:
    return {c["$id"]: c for c in document.get(component) or [] if isinstance(c, dict) and "$id" in c}


def _refs(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    return [str(r["$ref"]) for r in items if isinstance(r, dict) and "$ref" in r]


def read(document: dict[str, Any]) -> EidoIncoming:
    """What intake needs from a schema-valid EIDO; :class:`InvalidDocument` for what the schema
    cannot check (a date-time without offset, PIDF-LO that is not XML, a position out of range)."""
    incident = document.get("incidentComponent") or {}
    calls = [c for c in document.get("callComponent") or [] if isinstance(c, dict)]
    first_call = calls[0] if calls else {}
    notes = _notes(document)
    code = incident.get("incidentTypeCommonRegistryText") or None
    call_type = incident.get("incidentTypeInternalText") or incident.get("incidentTypeInternalCode") or ""
    received = first_call.get("callStartTimestamp")
    name, phone = _caller(document, first_call)
    return EidoIncoming(
        eido_id=str(document["$id"]),
        agency=str(document["updatedByAgencyReference"]["$ref"]),
        updated_at=timestamp(document["lastUpdateTimeStamp"], "$.lastUpdateTimeStamp"),
        call_type=str(call_type)[:200],
        code=str(code)[:40] if code else None,
        notes=notes,
        place=_place(document, incident, first_call),
        caller_name=name[:200],
        caller_phone=phone[:40],
        received_at=timestamp(received, "$.callComponent[0].callStartTimestamp") if received else None,
        fingerprint=fingerprint(document),
    )


# ----------------------------------------------------------------------------- notes (HTML5)
def html_to_text(markup: str) -> str:
    """The text a person would read in an HTML5 note: scripts and styles dropped, blocks and
    line breaks as new lines, runs of spaces collapsed."""
    if not markup.strip():
        return ""
    root = html.fragment_fromstring(markup, create_parent="div")
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
        block.tail = "\n" + (block.tail or "")
    text = root.text_content()
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:_MAX_NOTE]


def _notes(document: dict[str, Any]) -> tuple[EidoNote, ...]:
    out = []
    for i, note in enumerate(document.get("notesComponent") or []):
        try:
            text = html_to_text(str(note.get("notesActionComments", "")))
        except (etree.ParserError, ValueError) as e:
            path = f"$.notesComponent[{i}].notesActionComments"
            raise InvalidDocument(f"{path}: not readable HTML", [{"path": path, "message": str(e)}]) from None
        out.append(EidoNote(id=str(note.get("$id", f"note-{i}")), text=text))
    return tuple(out)


# ----------------------------------------------------------------------------- caller
def _caller(document: dict[str, Any], call: dict[str, Any]) -> tuple[str, str]:
    callbacks = _by_id(document, "callbackComponent")
    people = [p for p in document.get("personComponent") or [] if isinstance(p, dict)]
    callers = [p for p in people if any(str(r).lower() == "caller" for r in p.get("personIncidentRoleRegistryText") or [])]
    person = callers[0] if callers else {}
    refs = _refs(person.get("callBackReference")) or _refs(call.get("callBackReference"))
    phone = ""
    for ref in refs:
        uris = [str(u) for u in (callbacks.get(ref) or {}).get("callBackInformationUri") or []]
        tel = [u for u in uris if u.lower().startswith("tel:")] or uris
        if tel:
            phone = tel[0].removeprefix("tel:").removeprefix("TEL:")
            break
    return _person_name(person.get("ncPersonComponent") or {}), phone


def _text(value: Any) -> str:
    """A NIEM text value: a string, an object with a "value", or a list of either."""
    if isinstance(value, list):
        return " ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return _text(value.get("value", ""))
    return str(value).strip() if value is not None else ""


def _person_name(person: dict[str, Any]) -> str:
    names = person.get("name") or []
    name = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    full = _text(name.get("personFullName"))
    if full:
        return full
    return " ".join(t for t in (_text(name.get(k)) for k in ("personGivenName", "personMiddleName", "personSurName")) if t)


# ----------------------------------------------------------------------------- location (PIDF-LO)
def _place(document: dict[str, Any], incident: dict[str, Any], call: dict[str, Any]) -> EidoPlace | None:
    """The incident's location: the incident component's, else the call's, else any location
    component; a geodetic one before a civic one (its address is kept with the coordinates)."""
    components = document.get("locationComponent") or []
    index = {c.get("$id"): i for i, c in enumerate(components) if isinstance(c, dict)}
    order = [index[r] for r in _refs(incident.get("locationReference")) + _refs(call.get("locationReference")) if r in index]
    order += [i for i in range(len(components)) if i not in order]
    found: list[EidoPlace] = []
    for i in order:
        value = components[i].get("locationByValue")
        if isinstance(value, str) and value.strip():
            place = pidf_lo(value, f"$.locationComponent[{i}].locationByValue")
            if place is not None:
                found.append(place)
    geodetic = [p for p in found if p.lat is not None]
    civic = [p for p in found if p.address]
    if geodetic:
        best = geodetic[0]
        return best if best.address or not civic else EidoPlace(best.lat, best.lon, civic[0].address, best.shape)
    return civic[0] if civic else None


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def pidf_lo(xml: str, path: str) -> EidoPlace | None:
    """The first geodetic point or circle centre and the first civic address of a PIDF-LO
    document (None when it has neither)."""
    try:
        root = etree.fromstring(xml.strip().encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as e:
        raise InvalidDocument(f"{path}: not XML", [{"path": path, "message": f"PIDF-LO is not well-formed XML: {e}"}]) from None
    lat = lon = None
    shape = "civic"
    for kind in ("Point", "Circle"):
        # gml:Point; the circle is gs:Circle in RFC 5491 (some CADs write gml:Circle): its
        # centre is a gml:pos either way.
        found = root.xpath(f".//*[local-name()='{kind}']/*[local-name()='pos' and namespace-uri()='{GML}']")
        pos = found[0] if isinstance(found, list) and found else None
        if pos is not None and isinstance(pos, etree._Element) and pos.text:
            lat, lon = _position(pos.text, path)
            shape = kind
            break
    address = ""
    civic = root.find(f".//{{{CIVIC}}}civicAddress")
    if civic is not None:
        address = _civic_text(civic)
    if lat is None and not address:
        return None
    return EidoPlace(lat, lon, address, shape)


def _position(text: str, path: str) -> LatLon:
    """``gml:pos`` in EPSG 4326 order: latitude then longitude (an altitude may follow)."""
    parts = text.split()
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        raise InvalidDocument(
            f"{path}: bad gml:pos", [{"path": path, "message": f"gml:pos {text!r} is not 'latitude longitude'"}]
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidDocument(
            f"{path}: position out of range", [{"path": path, "message": f"gml:pos {text!r} is not a latitude/longitude"}]
        )
    return LatLon(lat, lon)


def _civic_text(civic: Any) -> str:
    def get(tag: str) -> str:
        el = civic.find(f"{{{CIVIC}}}{tag}")
        return " ".join((el.text or "").split()) if el is not None else ""

    street = " ".join(p for p in (get(t) for t in _STREET) if p)
    place = ", ".join(p for p in (get(t) for t in _PLACE) if p)
    return ", ".join(p for p in (street, place) if p)[:300]
