"""The sweep grid's vocabulary: its axes and a complete example file.

No imports on purpose: the CLI builds ``sweep --help`` from :data:`GRID_EXAMPLE` when it
starts, and must not load the simulator (numpy, scipy, the road graph) to do so.
:mod:`.sweep` re-exports these names.
"""

AXES = ("fleet_size", "shift", "protocol", "demand_growth")
#: A complete grid file (also in docs/simulation.md and ``sweep --help``).
GRID_EXAMPLE = """\
[grid]
fleet_size = [5, 8, 11]               # vans, placed by greedy p-median
shift = ["24/7", "peak-12h"]          # a shift of the scenario, every van
protocol = ["narrow-2019", "default"] # a packaged name or a .yaml file
demand_growth = [1.0, 1.25]           # times the scenario's call volume
replications = 2                      # per point (default: the scenario's)
"""
#: One example value per axis, for error messages (:data:`GRID_EXAMPLE` has a whole grid).
EXAMPLE = {
    "fleet_size": "[5, 8]",
    "shift": '["24/7", "peak-12h"]',
    "protocol": '["narrow-2019", "default"]',
    "demand_growth": "[1.0, 1.25]",
}
