"""The planning simulator (issue 5): a year of calls through the real dispatch domain.

``load_scenario(name)`` → :class:`Scenario`; ``run(scenario)`` → KPIs with confidence
intervals; :mod:`.plan` sizes and places fleets; :mod:`.whatif` compares protocols;
:mod:`.distributed` spreads replications and sweeps over Dask.
"""

from importlib import import_module
from typing import Any

# Imported on first use (PEP 562), as in crisis_dispatch.routing: importing a small
# submodule (the CLI's sweep.grid for --help) must not load numpy, scipy and the road graph.
_WHERE = {
    "Scenario": "scenario",
    "ScenarioError": "scenario",
    "load_scenario": "scenario",
    "shipped_scenarios": "scenario",
    "prepare": "runner",
    "run": "runner",
    "run_replication": "runner",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"crisis_dispatch.simulation.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'crisis_dispatch.simulation' has no attribute {name!r}")


__all__ = ["Scenario", "ScenarioError", "load_scenario", "prepare", "run", "run_replication", "shipped_scenarios"]
