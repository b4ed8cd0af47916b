"""Small graphs built in code for routing tests (no shared data needed)."""

from __future__ import annotations

import numpy as np

from crisis_dispatch.routing.graph import RoadGraph, build_road_graph

ORIGIN_LAT, ORIGIN_LON = 34.05, -118.25
STEP_DEG = 0.001  # ~110 m


def grid_graph(size: int = 12, seed: int = 0, oneway_share: float = 0.2) -> RoadGraph:
    """A ``size`` x ``size`` street grid near downtown LA with random speeds and some one-ways."""
    rng = np.random.default_rng(seed)
    index = np.arange(size * size).reshape(size, size)
    pairs = np.concatenate(
        (
            np.column_stack((index[:, :-1].ravel(), index[:, 1:].ravel())),
            np.column_stack((index[:-1, :].ravel(), index[1:, :].ravel())),
        )
    )
    tails, heads = [], []
    for a, b in pairs.tolist():
        direction = rng.random()
        if direction >= oneway_share / 2:
            tails.append(a), heads.append(b)
        if direction < oneway_share / 2 or direction >= oneway_share:
            tails.append(b), heads.append(a)
    seconds = rng.uniform(5.0, 40.0, len(tails))
    rows, cols = np.divmod(np.arange(size * size), size)
    return build_road_graph(
        np.arange(size * size) + 1000,
        ORIGIN_LAT + rows * STEP_DEG,
        ORIGIN_LON + cols * STEP_DEG,
        tails,
        heads,
        seconds,
        name="test_grid",
    )
