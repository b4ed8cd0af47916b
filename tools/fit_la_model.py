"""Fit the Los Angeles travel-time model and write its parameters (only) as JSON.

    .venv/bin/python tools/fit_la_model.py [--data DIR] [--out FILE]

Reads ``OD3am_10000.csv`` from the shared data (Uber Movement, CC BY-NC: used to fit and
test, never copied into the repository), holds out 20 % of destination tracts, chooses the
radial-basis grid, width and ridge penalty by 5-fold grouped cross-validation on the rest,
refits on all training trips, and writes coefficients plus held-out metrics.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
from itertools import product
from pathlib import Path

import numpy as np

from crisis_dispatch.routing.geometry import haversine_m
from crisis_dispatch.routing.model_evaluation import (
    ODTable,
    error_metrics,
    ranking_agreement,
    read_uber_od,
    split_by_destination,
)
from crisis_dispatch.routing.travel_model import MIN_DISTANCE_M, FeatureSpec, TravelTimeModel, fit_ridge

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(os.environ.get("CRISIS_DISPATCH_SHARED_DATA", REPO / ".." / "shared" / "data"))
DEFAULT_OUT = REPO / "src" / "crisis_dispatch" / "data" / "travel_model" / "la.json"
GRIDS = (6, 8, 10)
WIDTHS = (0.7, 1.0)
ALPHAS = (1.0, 10.0, 100.0)


def _spec(table: ODTable, grid: int, width: float) -> FeatureSpec:
    lat = np.concatenate((table.o_lat, table.d_lat))
    lon = np.concatenate((table.o_lon, table.d_lon))
    return FeatureSpec(float(lat.min()), float(lat.max()), float(lon.min()), float(lon.max()), grid, width)


def _model(table: ODTable, spec: FeatureSpec, alpha: float, metrics: dict) -> TravelTimeModel:
    mean, scale, coef, intercept = fit_ridge(spec, table.o_lat, table.o_lon, table.d_lat, table.d_lon, table.seconds, alpha)
    return TravelTimeModel("la", spec, mean, scale, coef, intercept, 0.05, metrics)


def _predict(model: TravelTimeModel, table: ODTable) -> np.ndarray:
    return model.unchecked_seconds(table.o_lat, table.o_lon, table.d_lat, table.d_lon)


def _distance_only(train: ODTable, test: ODTable) -> np.ndarray:
    """Baseline for the note: log seconds as a cubic in log straight-line distance only."""

    def design(t: ODTable) -> np.ndarray:
        x = np.log(np.maximum(haversine_m(t.o_lat, t.o_lon, t.d_lat, t.d_lon), MIN_DISTANCE_M) / 1000)
        return np.column_stack((np.ones_like(x), x, x**2, x**3))

    coef = np.linalg.lstsq(design(train), np.log(train.seconds), rcond=None)[0]
    return np.exp(design(test) @ coef)


def cross_validate(train: ODTable, spec: FeatureSpec, alpha: float, folds: int = 5) -> float:
    """Mean absolute error of log seconds over grouped folds (groups = destination tracts)."""
    groups = np.unique(train.dest_group)
    fold_of = dict(zip(groups.tolist(), np.random.default_rng(1).integers(0, folds, groups.size).tolist(), strict=True))
    fold = np.array([fold_of[g] for g in train.dest_group.tolist()])
    errors = []
    for k in range(folds):
        model = _model(train.subset(fold != k), spec, alpha, {})
        test = train.subset(fold == k)
        errors.append(np.abs(model.log_seconds(test.o_lat, test.o_lon, test.d_lat, test.d_lon) - np.log(test.seconds)))
    return float(np.mean(np.concatenate(errors)))


def routed_pairs_comparison(model: TravelTimeModel, test: ODTable, path: Path) -> dict[str, object]:
    """On the held-out trips of the authors' 300 OSM-routed pairs: our model vs their network routing."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    held_out = set(zip(*(np.round(a, 6).tolist() for a in (test.o_lat, test.o_lon, test.d_lat, test.d_lon)), strict=True))
    rows = [r for r in rows if tuple(round(float(r[k]), 6) for k in ("oy", "ox", "dy", "dx")) in held_out]
    truth = np.array([float(r["uber_time"]) for r in rows])
    ours = model.unchecked_seconds(*(np.array([float(r[k]) for r in rows]) for k in ("oy", "ox", "dy", "dx")))
    return {
        "pairs": len(rows),
        "model": error_metrics(ours, truth),
        "osm_freeflow_routing": error_metrics(np.array([float(r["freeflow_travel_time"]) for r in rows]), truth),
        "osm_turn_penalized_routing": error_metrics(np.array([float(r["penalized_total_time"]) for r in rows]), truth),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    table = read_uber_od(args.data / "la" / "travel_times" / "OD3am_10000.csv")
    train, test = split_by_destination(table)
    scores = {
        (grid, width, alpha): cross_validate(train, _spec(table, grid, width), alpha)
        for grid, width, alpha in product(GRIDS, WIDTHS, ALPHAS)
    }
    grid, width, alpha = min(scores, key=scores.__getitem__)
    spec = _spec(table, grid, width)
    fitted = _model(train, spec, alpha, {})
    predicted = _predict(fitted, test)
    metrics = {
        "data": "Uber Movement LA 2020-Q1 3 am mean travel time, 10,000 tract pairs (CC BY-NC, not shipped)",
        "split": f"{train.seconds.size} train / {test.seconds.size} held-out trips, held out by destination tract",
        "chosen": {"grid": grid, "width": width, "alpha": alpha, "cv_mean_abs_log_error": round(scores[grid, width, alpha], 4)},
        "held_out": error_metrics(predicted, test.seconds),
        "ranking": ranking_agreement(test, predicted),
        "distance_only_baseline_held_out": error_metrics(_distance_only(train, test), test.seconds),
    }
    routed = args.data / "la" / "travel_times" / "route_result_uber_hod3am_300_all_original.csv"
    metrics["routed_pairs_held_out"] = routed_pairs_comparison(fitted, test, routed)
    model = dataclasses.replace(fitted, metrics=metrics)  # the same fit, with its measurements
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
