"""Reading origin-destination travel-time tables and scoring travel-time estimates.

Used by ``tools/fit_la_model.py`` (fitting) and ``benchmarks/routing.py`` (reporting): the
held-out split is by destination tract, deterministic from a seed, so both see the same
test trips. Nothing here ships or caches the data.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from crisis_dispatch.routing.geometry import haversine_m

SPLIT_SEED = 20261127
TEST_SHARE = 0.2


@dataclass(frozen=True)
class ODTable:
    """Trips with origin/destination coordinates, a destination group id and true seconds."""

    o_lat: NDArray[np.float64]
    o_lon: NDArray[np.float64]
    d_lat: NDArray[np.float64]
    d_lon: NDArray[np.float64]
    dest_group: NDArray[np.int64]
    seconds: NDArray[np.float64]

    def subset(self, mask: NDArray[np.bool_]) -> ODTable:
        return ODTable(*(getattr(self, f)[mask] for f in self.__dataclass_fields__))


def read_uber_od(path: Path) -> ODTable:
    """Read ``OD3am_10000.csv`` (Uber Movement mean travel time between census tracts)."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    def col(name: str) -> np.ndarray:
        return np.array([float(r[name]) for r in rows])

    return ODTable(col("oy"), col("ox"), col("dy"), col("dx"), col("dMOVEMENT_ID").astype(np.int64), col("mean_travel_time"))


def split_by_destination(table: ODTable, test_share: float = TEST_SHARE, seed: int = SPLIT_SEED) -> tuple[ODTable, ODTable]:
    """Hold out whole destination tracts, so test destinations were never seen in fitting."""
    groups = np.unique(table.dest_group)
    rng = np.random.default_rng(seed)
    test_groups = rng.choice(groups, size=int(round(len(groups) * test_share)), replace=False)
    is_test = np.isin(table.dest_group, test_groups)
    return table.subset(~is_test), table.subset(is_test)


def error_metrics(predicted: NDArray[np.float64], actual: NDArray[np.float64]) -> dict[str, float]:
    """MAPE (%), median and 90th-percentile absolute error (s)."""
    abs_err = np.abs(predicted - actual)
    return {
        "mape": round(float(np.mean(abs_err / actual) * 100), 2),
        "median_abs_error_s": round(float(np.median(abs_err)), 1),
        "p90_abs_error_s": round(float(np.percentile(abs_err, 90)), 1),
    }


def ranking_agreement(
    table: ODTable, predicted: NDArray[np.float64], set_size: int = 5, draws: int = 2000, seed: int = SPLIT_SEED
) -> dict[str, float]:
    """How often the fastest of ``set_size`` random origins to one destination is picked right.

    Compares ``predicted`` with straight-line distance on the same random sets (destination
    tracts with at least ``set_size`` trips); also reports pairwise order agreement.
    """
    straight = haversine_m(table.o_lat, table.o_lon, table.d_lat, table.d_lon)
    members = [np.flatnonzero(table.dest_group == g) for g in np.unique(table.dest_group)]
    eligible = [m for m in members if m.size >= set_size]
    rng = np.random.default_rng(seed)
    model_hits = straight_hits = 0
    model_pairs = straight_pairs = total_pairs = 0
    for _ in range(draws):
        group = eligible[rng.integers(len(eligible))]
        pick = rng.choice(group, size=set_size, replace=False)
        truth = table.seconds[pick]
        model_hits += int(np.argmin(predicted[pick]) == np.argmin(truth))
        straight_hits += int(np.argmin(straight[pick]) == np.argmin(truth))
        i, j = np.triu_indices(set_size, 1)
        true_order = np.sign(truth[i] - truth[j])
        model_pairs += int(np.sum(np.sign(predicted[pick][i] - predicted[pick][j]) == true_order))
        straight_pairs += int(np.sum(np.sign(straight[pick][i] - straight[pick][j]) == true_order))
        total_pairs += i.size
    return {
        "set_size": set_size,
        "draws": draws,
        "destinations": len(eligible),
        "top1_model": round(model_hits / draws, 3),
        "top1_straight_line": round(straight_hits / draws, 3),
        "pairwise_model": round(model_pairs / total_pairs, 3),
        "pairwise_straight_line": round(straight_pairs / total_pairs, 3),
    }
