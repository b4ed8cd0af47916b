"""Writing a NEMSIS v3.5 EMSDataSet document, driven by the shipped XSDs.

The element order, which elements are required and which may be nil all come from the
official schema (``data/nemsis/xsd``, NEMSIS TAC public resources). A caller gives the values
it knows, keyed by element name (``"eTimes.03"``; a group is a nested mapping, a repeated
element a list); every other required element is written as NEMSIS asks for data we do not
collect: ``xsi:nil="true"`` with ``NV="7701003"`` (Not Recorded), or a value the caller names
for ``not_values`` (e.g. Not Applicable). A required element that may not be nil and has no
value is a programming error, raised at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

NS = "http://www.nemsis.org"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XS = "{http://www.w3.org/2001/XMLSchema}"
NOT_RECORDED = "7701003"
NOT_APPLICABLE = "7701001"
ROOT = "EMSDataSet_v3.xsd"

Values = Mapping[str, Any]


def xsd_dir() -> Path:
    return Path(str(resources.files("crisis_dispatch.data").joinpath("nemsis", "xsd")))


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The EMSDataSet schema, to validate what we write (lxml; no network)."""
    return etree.XMLSchema(etree.parse(str(xsd_dir() / ROOT)))


@lru_cache(maxsize=1)
def _types() -> dict[str, Any]:
    """Every named complexType of the shipped XSDs, by name."""
    found: dict[str, Any] = {}
    for path in sorted(xsd_dir().glob("*.xsd")):
        for ct in etree.parse(str(path)).getroot().iter(f"{XS}complexType"):
            name = ct.get("name")
            if name:
                found[str(name)] = ct
    return found


def _root_element() -> Any:
    doc = etree.parse(str(xsd_dir() / ROOT)).getroot()
    return doc.find(f"{XS}element[@name='EMSDataSet']")


def _content(decl: Any) -> Any:
    """The complexType of an element declaration (inline or named), or None for a leaf."""
    inline = decl.find(f"{XS}complexType")
    ct = inline if inline is not None else _types().get(decl.get("type", ""))
    if ct is None or ct.find(f"{XS}simpleContent") is not None:
        return None
    return ct


def _children(ct: Any) -> list[Any]:
    """The element declarations of a complexType's content, in order (sequences flattened;
    a choice contributes its first branch)."""
    out: list[Any] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if tag == f"{XS}element":
                out.append(child)
            elif tag == f"{XS}sequence":
                walk(child)
            elif tag == f"{XS}choice":
                first = next((c for c in child if c.tag in (f"{XS}element", f"{XS}sequence")), None)
                if first is not None:
                    walk([first] if first.tag == f"{XS}element" else first)
            elif tag in (f"{XS}complexContent", f"{XS}extension"):
                walk(child)

    walk(ct)
    return out


def _emit(parent: Any, decl: Any, value: Any, not_values: Mapping[str, str]) -> None:
    name = decl.get("name")
    required = decl.get("minOccurs", "1") != "0"
    if value is None and not required:
        return
    ct = _content(decl)
    items = value if isinstance(value, list) else [value]
    for item in items:
        el = etree.SubElement(parent, f"{{{NS}}}{name}")
        if ct is not None:
            given = item if isinstance(item, Mapping) else {}
            for attr, attr_value in given.get("@", {}).items():
                el.set(attr, str(attr_value))
            for child in _children(ct):
                _emit(el, child, given.get(child.get("name")), not_values)
        elif item is None:
            if decl.get("nillable") != "true":
                raise ValueError(f"NEMSIS element {name} is required, may not be nil, and has no value")
            el.set(f"{{{XSI}}}nil", "true")
            el.set("NV", not_values.get(name, NOT_RECORDED))
        elif isinstance(item, tuple):  # (value, {attribute: value})
            el.text = str(item[0])
            for attr, attr_value in item[1].items():
                el.set(attr, str(attr_value))
        else:
            el.text = str(item)


def ems_dataset(values: Values, not_values: Mapping[str, str] | None = None) -> bytes:
    """The EMSDataSet document for ``values`` (see the module docstring), as UTF-8 bytes."""
    root_decl = _root_element()
    root = etree.Element(f"{{{NS}}}EMSDataSet", nsmap={None: NS, "xsi": XSI})  # type: ignore[dict-item]
    ct = _content(root_decl)
    for child in _children(ct):
        _emit(root, child, values.get(child.get("name")), not_values or {})
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def problems(document: bytes) -> list[str]:
    """What the EMSDataSet XSD says is wrong with ``document`` (empty: valid)."""
    xsd = schema()
    if xsd.validate(etree.fromstring(document)):
        return []
    return [f"line {e.line}: {e.message}" for e in list(xsd.error_log)]  # type: ignore[call-overload]
