"""Read triage protocols and code mappings from YAML/CSV files.

The domain (``crisis_dispatch.domain.triage``) only ever sees parsed data; this adapter
does the file and YAML work. The shipped protocols live in ``crisis_dispatch/protocols/``
(also reachable as ``protocols/`` at the repository root) and the code mappings in
``crisis_dispatch/data/mappings/``. Nothing is read at import time.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from crisis_dispatch.adapters.config.mappings import code_mappings_from_data
from crisis_dispatch.adapters.config.protocol import parse_protocol
from crisis_dispatch.domain.triage.mappings import CodeMappings
from crisis_dispatch.domain.triage.protocol import Protocol, ProtocolError

DEFAULT_PROTOCOL = "default.yaml"


def _package_file(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_code_mappings() -> CodeMappings:
    """The shipped APCO, MPDS and local call-type mappings (read once, then cached)."""
    pkg = "crisis_dispatch.data.mappings"
    vera = csv.DictReader(io.StringIO(_package_file(pkg, "local_call_types_vera.csv")))
    return code_mappings_from_data(
        apco=yaml.safe_load(_package_file(pkg, "apco.yaml")),
        mpds=yaml.safe_load(_package_file(pkg, "mpds.yaml")),
        call_types=yaml.safe_load(_package_file(pkg, "call_types.yaml")),
        exact_call_types=[(row["call_type"], row["category"]) for row in vera],
    )


def parse_protocol_text(text: str, origin: str = "protocol", mappings: CodeMappings | None = None) -> Protocol:
    """Parse YAML text into a validated protocol; YAML syntax errors become a ProtocolError too."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(yaml)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProtocolError([f"{where}: invalid YAML: {problem}"], origin) from None
    return parse_protocol(data, origin=origin, mappings=mappings if mappings is not None else load_code_mappings())


def load_protocol(path: str | Path) -> Protocol:
    """Load and validate a protocol file; raise ProtocolError (every problem, with location)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProtocolError([f"cannot read: {exc.strerror or exc}"], str(path)) from None
    return parse_protocol_text(text, origin=str(path))


@lru_cache(maxsize=4)
def load_packaged_protocol(name: str = DEFAULT_PROTOCOL) -> Protocol:
    """A protocol shipped with the package, e.g. ``"default.yaml"`` or ``"narrow-2019.yaml"``."""
    try:
        text = _package_file("crisis_dispatch.protocols", name)
    except (FileNotFoundError, IsADirectoryError):
        raise ProtocolError([f"no packaged protocol named '{name}'"], name) from None
    return parse_protocol_text(text, origin=f"crisis_dispatch/protocols/{name}")


def load_default_protocol() -> Protocol:
    """The shipped default protocol (the published gate), with the shipped code mappings."""
    return load_packaged_protocol(DEFAULT_PROTOCOL)


@lru_cache(maxsize=8)
def configured_protocol(path: Path | None = None) -> Protocol:
    """The protocol a deployment runs: the configured file (``Settings.protocol_path``), else
    the shipped default. Read once per process and path: the triage engine and the console's
    question list use the same parse."""
    return load_protocol(path) if path else load_default_protocol()


def resolve_protocol(spec: str | Path) -> Protocol:
    """A protocol file, or the name of a packaged one (``default``, ``narrow-2019``, with or
    without ``.yaml``): an existing file wins; neither is one ProtocolError naming both."""
    path = Path(spec)
    if path.is_file():
        return load_protocol(path)
    name = path.name if path.name.endswith(".yaml") else f"{path.name}.yaml"
    if str(spec) in (path.name, name) and name in packaged_protocol_names():
        return load_packaged_protocol(name)
    if path.exists() or path.suffix or len(path.parts) > 1:
        return load_protocol(path)  # a directory or a missing file: the read error says which
    packaged = ", ".join(n.removesuffix(".yaml") for n in packaged_protocol_names())
    raise ProtocolError([f"no such file, and no packaged protocol of that name (packaged: {packaged})"], str(spec))


def packaged_protocol_names() -> list[str]:
    return sorted(p.name for p in resources.files("crisis_dispatch.protocols").iterdir() if p.name.endswith(".yaml"))
