"""The shape of the code: a pure domain, entry points that depend inward only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "crisis_dispatch"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    offenders = {}
    for path in (SRC / "domain").rglob("*.py"):
        bad = sorted(
            m
            for m in _imports(path)
            if m.split(".")[0] not in sys.stdlib_module_names and not m.startswith("crisis_dispatch.domain")
        )
        if bad:
            offenders[str(path.relative_to(SRC))] = bad
    assert offenders == {}


def test_services_and_domain_never_import_the_entry_points() -> None:
    offenders = {
        str(p.relative_to(SRC)): sorted(m for m in _imports(p) if m.startswith("crisis_dispatch.entrypoints"))
        for layer in ("domain", "services", "adapters", "routing", "simulation", "reporting")
        for p in (SRC / layer).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_the_chain_migration_ever_updates_or_deletes_audit_rows() -> None:
    """The audit log is insert-only: no code but migration 0003 (which fills the new hash
    columns of old rows once) names the table in an update, a delete or raw SQL."""
    import re

    writes = re.compile(r"(update|delete)\(\s*[\w.]*audit_log\b|(UPDATE|DELETE\s+FROM|TRUNCATE)\s+audit_log\b", re.IGNORECASE)
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if writes.search(p.read_text(encoding="utf-8")) and p.name != "0003_audit_chain.py"
    ]
    assert offenders == []
    # The pattern does see a write where there is one: the migration's.
    assert writes.search((SRC / "migrations" / "versions" / "0003_audit_chain.py").read_text(encoding="utf-8"))


#: Adapters the service layer may still call directly: stateless codecs of published formats
#: and the password hash, used as libraries (no storage, no network, nothing to fake).
SERVICE_CODECS = {
    "crisis_dispatch.adapters.passwords",  # Argon2id hashing and the common-password list
    "crisis_dispatch.adapters.eido_reader",  # reads a NENA EIDO document
    "crisis_dispatch.adapters.eido_schema",  # the shipped EIDO JSON Schema
    "crisis_dispatch.adapters.nemsis_xml",  # writes and validates NEMSIS v3.5 XML
    "crisis_dispatch.adapters.name_matching",  # RapidFuzz's name similarity (the person index)
    "crisis_dispatch.adapters.follow_up_data",  # the shipped follow-up rules and provider directory
    "crisis_dispatch.adapters.totp",  # RFC 6238 codes (pyotp) and the sealed secret (Fernet)
}


def _modules(path: Path) -> set[str]:
    """Like :func:`_imports`, but ``from package import module`` names the module itself."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            package = node.module in {"crisis_dispatch", "crisis_dispatch.adapters"}
            found |= {f"{node.module}.{a.name}" for a in node.names} if package else {node.module}
    return found


def test_services_reach_storage_only_through_their_ports() -> None:
    """Use cases name ``services.ports.UnitOfWork``, never SQLAlchemy nor the SQLAlchemy unit of
    work or repositories (issue 16: the composition root hands those over)."""
    offenders = {}
    for path in (SRC / "services").rglob("*.py"):
        bad = sorted(
            m
            for m in _modules(path)
            if m.split(".")[0] == "sqlalchemy" or (m.startswith("crisis_dispatch.adapters") and m not in SERVICE_CODECS)
        )
        if bad:
            offenders[str(path.relative_to(SRC))] = bad
    assert offenders == {}
    # The scan does see such an import where there is one.
    assert "crisis_dispatch.adapters.eido_reader" in _modules(SRC / "services" / "eido.py")


def test_the_library_holds_no_entry_point_of_its_own() -> None:
    """The demo's feed and autopilot drive the services from outside: they live in entrypoints/."""
    assert not (SRC / "simulation" / "live.py").exists()
    assert "crisis_dispatch.services.incidents" not in set().union(*(_imports(p) for p in (SRC / "simulation").rglob("*.py")))
