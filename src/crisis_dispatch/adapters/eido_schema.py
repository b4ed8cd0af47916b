"""The NENA EIDO JSON schema (NENA-STA-021.1), loaded from the shipped files and used to
validate documents coming in and going out.

The published files have slips that a JSON-schema validator refuses or cannot follow; they are
corrected here, at load time, and never in the shipped copies (``data/eido/NOTICE.txt``):

* a ``$ref`` spelt with a double slash (``NIEMComponents//j.yaml#...``): the path is normalised,
  and a reference into a file that is not shipped (``j.yaml``, only used by the commercial-vehicle
  field, and the NIEM code lists ``nc.yaml`` points to) accepts any value instead of failing to
  resolve;
* bounds written as strings (``minItems: 1,`` in the agent role, which YAML reads as the string
  ``"1,"``): read as the number they spell.

Each correction is listed in :attr:`EidoSchema.corrections`, so a test can hold the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

ROOT_TYPE = "EmergencyIncidentDataObjectType"
#: Keywords whose value must be a non-negative integer (or a number, for the bounds).
_NUMERIC_KEYWORDS = frozenset(
    {"minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties", "minimum", "maximum", "multipleOf"}
)
_LOCAL = "#/components/schemas/"


@dataclass(frozen=True)
class SchemaProblem:
    """One place where a document breaks the schema: its JSON path and what is wrong."""

    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


@dataclass
class EidoSchema:
    """The EIDO schema as one self-contained JSON schema (external components inlined)."""

    schema: dict[str, Any]
    corrections: list[str] = field(default_factory=list)

    def problems(self, document: Any, limit: int = 50) -> list[SchemaProblem]:
        """Every place ``document`` breaks the schema (at most ``limit``), in document order."""
        from jsonschema import Draft4Validator  # imported on first use: the server starts faster

        validator = Draft4Validator(self.schema)
        found = sorted(validator.iter_errors(document), key=lambda e: (list(map(str, e.absolute_path)), e.message))
        out: list[SchemaProblem] = []
        seen: set[tuple[str, str]] = set()
        for error in found:
            key = (error.json_path, _short(error.message))
            if key not in seen:
                seen.add(key)
                out.append(SchemaProblem(*key))
            if len(out) >= limit:
                break
        return out


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _read_yaml(name: str) -> dict[str, Any] | None:
    path = resources.files("crisis_dispatch.data").joinpath("eido", *name.split("/"))
    if not path.is_file():
        return None
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else None


def _prefix(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", filename.rsplit("/", 1)[-1].removesuffix(".yaml")) + "__"


class _Bundler:
    """Inline the external components of the openapi file, correcting the slips on the way."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}
        self.corrections: list[str] = []
        self._loaded: set[str] = set()
        #: References into files that are not shipped: file -> how many places.
        self.missing: dict[str, int] = {}

    def fix(self, node: Any, where: str, file_prefix: str, base: str = "") -> Any:
        if isinstance(node, list):
            return [self.fix(item, f"{where}/{i}", file_prefix, base) for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = self.ref(value, where, file_prefix, base)
            elif key in _NUMERIC_KEYWORDS and isinstance(value, str):
                out[key] = self.number(value, f"{where}/{key}")
            elif key == "properties" and isinstance(value, dict):
                # Property names are names, not keywords: "$ref" and "$id" are EIDO fields here.
                out[key] = {name: self.fix(sub, f"{where}/properties/{name}", file_prefix, base) for name, sub in value.items()}
            else:
                out[key] = self.fix(value, f"{where}/{key}", file_prefix, base)
        return out

    def number(self, value: str, where: str) -> int | float:
        match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,?\s*", value)
        if match is None:
            raise ValueError(f"EIDO schema: bound {value!r} at {where} is not a number")
        number = float(match.group(1))
        self.corrections.append(f"{where}: bound written as the string {value!r}, read as {match.group(1)}")
        return int(number) if number.is_integer() else number

    def ref(self, value: str, where: str, file_prefix: str, base: str) -> str:
        target, _, fragment = value.partition("#")
        name = fragment.removeprefix("/components/schemas/")
        if not target:
            return _LOCAL + file_prefix + name
        clean = re.sub(r"/{2,}", "/", target)
        if clean != target:
            self.corrections.append(f"{where}: $ref path {target!r} spelt with a double slash, read as {clean!r}")
        path = f"{base}{clean}"
        prefix = _prefix(path)
        if path not in self._loaded:
            document = _read_yaml(path)
            if document is None:
                # A NIEM code list or augmentation the product never reads: accept any value.
                self.missing[path] = self.missing.get(path, 0) + 1
                self.schemas[prefix + name] = {}
                return _LOCAL + prefix + name
            self._loaded.add(path)
            folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
            for key, sub in (document.get("components", {}).get("schemas", {}) or {}).items():
                self.schemas[prefix + key] = self.fix(sub, f"{path}#/components/schemas/{key}", prefix, folder)
        return _LOCAL + prefix + name


@lru_cache(maxsize=1)
def load_schema() -> EidoSchema:
    """The shipped EIDO schema with its slips corrected (read once per process)."""
    from jsonschema import Draft4Validator

    document = _read_yaml("openapi.yaml")
    if document is None:
        raise RuntimeError("the EIDO schema (crisis_dispatch/data/eido/openapi.yaml) is missing from the package")
    bundler = _Bundler()
    for key, sub in document["components"]["schemas"].items():
        bundler.schemas[key] = bundler.fix(sub, f"openapi.yaml#/components/schemas/{key}", "")
    for path, count in sorted(bundler.missing.items()):
        bundler.corrections.append(f"{count} $ref(s) into {path!r}, a file not shipped: any value is accepted there")
    schema = {"$ref": _LOCAL + ROOT_TYPE, "components": {"schemas": bundler.schemas}}
    Draft4Validator.check_schema(schema)
    return EidoSchema(schema=schema, corrections=bundler.corrections)
