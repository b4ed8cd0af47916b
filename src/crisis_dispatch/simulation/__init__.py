"""The planning simulator (issue 5): a year of calls through the real dispatch domain.

``load_scenario(name)`` → :class:`Scenario`; ``run(scenario)`` → KPIs with confidence
intervals; :mod:`.plan` sizes and places fleets; :mod:`.whatif` compares protocols;
:mod:`.distributed` spreads replications and sweeps over Dask.
"""

from .runner import prepare, run, run_replication
from .scenario import Scenario, ScenarioError, load_scenario, shipped_scenarios

__all__ = ["Scenario", "ScenarioError", "load_scenario", "prepare", "run", "run_replication", "shipped_scenarios"]
