"""The simulator drives the domain's own triage and dispatch code, never a copy."""

from __future__ import annotations

import ast
from pathlib import Path

import crisis_dispatch.simulation as sim

PACKAGE = Path(sim.__file__).parent


def _imports() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
    return found


def test_simulation_imports_the_domain_triage_and_dispatch_modules() -> None:
    imports = _imports()
    assert "crisis_dispatch.domain.triage" in imports
    assert "crisis_dispatch.domain.dispatch" in imports
    assert "crisis_dispatch.domain.queueing" in imports
    assert "crisis_dispatch.domain.incident" in imports


def test_simulation_defines_no_transition_table_or_ranking_of_its_own() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        assert "ALLOWED" not in names, path.name
        defs = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert not {"triage", "recommend", "queue_key"} & defs, path.name
