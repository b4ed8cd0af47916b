"""The shipped Los Angeles model: small, parameters only, and better than straight-line distance."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from crisis_dispatch.routing import travel_model
from crisis_dispatch.routing.geometry import haversine_m
from crisis_dispatch.routing.model_evaluation import error_metrics, ranking_agreement, read_uber_od, split_by_destination
from crisis_dispatch.routing.provider import load_region_model
from crisis_dispatch.routing.travel_model import MAX_SPEED_KMH, MIN_SPEED_KMH, TravelTimeModel
from tests.shared_data import shared_data_dir


def test_the_shipped_file_holds_parameters_only() -> None:
    payload = json.loads(resources.files("crisis_dispatch.data.travel_model").joinpath("la.json").read_text())
    assert set(payload) == {"region", "spec", "mean", "scale", "coef", "intercept", "coverage_margin_deg", "metrics"}
    assert len(payload["coef"]) == len(payload["mean"]) < 1000


def _random_trips(model: TravelTimeModel, seed: int, n: int) -> tuple[np.ndarray, ...]:
    """Origins and destinations drawn uniformly over the model's area."""
    rng = np.random.default_rng(seed)
    s = model.spec
    o_lat, d_lat = rng.uniform(s.lat_min, s.lat_max, (2, n))
    o_lon, d_lon = rng.uniform(s.lon_min, s.lon_max, (2, n))
    return o_lat, o_lon, d_lat, d_lon


def test_predictions_stay_within_a_plausible_speed_band_anywhere_in_the_area() -> None:
    model = load_region_model("la")
    o_lat, o_lon, d_lat, d_lon = _random_trips(model, 0, 2000)
    seconds = model.seconds(o_lat, o_lon, d_lat, d_lon)
    kmh = haversine_m(o_lat, o_lon, d_lat, d_lon) / seconds * 3.6
    assert np.all(seconds >= 30)
    assert np.all((kmh <= MAX_SPEED_KMH + 1e-6) & (kmh >= MIN_SPEED_KMH - 1e-6) | (seconds == 30))


def test_a_trip_gets_the_same_seconds_alone_in_a_batch_or_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    model = load_region_model("la")
    o_lat, o_lon, d_lat, d_lon = _random_trips(model, 1, 1000)
    whole = model.seconds(o_lat, o_lon, d_lat, d_lon)
    alone = [model.seconds(o_lat[i], o_lon[i], d_lat[i], d_lon[i])[0] for i in (0, 333, 999)]
    monkeypatch.setattr(travel_model, "FEATURE_BLOCK_ROWS", 7)
    blocked = model.seconds(o_lat, o_lon, d_lat, d_lon)
    assert np.array_equal(whole, blocked)
    assert alone == [whole[0], whole[333], whole[999]]


def test_held_out_errors_and_ranking_beat_straight_line_distance() -> None:
    model = load_region_model("la")
    _, test = split_by_destination(read_uber_od(shared_data_dir() / "la" / "travel_times" / "OD3am_10000.csv"))
    predicted = model.unchecked_seconds(test.o_lat, test.o_lon, test.d_lat, test.d_lon)
    metrics = error_metrics(predicted, test.seconds)
    assert metrics == model.metrics["held_out"]
    assert metrics["mape"] < 25
    ranking = ranking_agreement(test, predicted)
    assert ranking["top1_model"] > ranking["top1_straight_line"]
    assert ranking["pairwise_model"] > ranking["pairwise_straight_line"]


def test_the_coverage_check_names_the_first_point_outside_and_agrees_with_covers() -> None:
    from crisis_dispatch.routing.errors import PointOutsideCoverageError

    model = load_region_model("la")
    s, m = model.spec, model.coverage_margin_deg
    lat = np.array([34.05, s.lat_max + m + 0.5, 34.1, np.nan, s.lat_min - m])
    lon = np.array([-118.25, -118.25, s.lon_max + m + 0.25, -118.2, s.lon_min - m])
    assert [model.covers(a, b) for a, b in zip(lat, lon, strict=True)] == [True, False, False, False, True]
    model.check_covered(lat[[0, 4]], lon[[0, 4]])  # the margin's edge is inside
    with pytest.raises(PointOutsideCoverageError, match=rf"point \({lat[1]:.6f}, -118.250000\) is outside .*'la'"):
        model.check_covered(lat, lon)
    with pytest.raises(PointOutsideCoverageError, match=r"point \(nan, -118.200000\)"):
        model.check_covered(lat[3], lon[3])


def _plain_features(spec: travel_model.FeatureSpec, o_lat, o_lon, d_lat, d_lon) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The design matrix written as plainly as the model defines it (the reference for the
    in-place, once-per-station version the simulator and the planner use)."""
    lat_c, lon_c = spec.centres()
    step_lat = (spec.lat_max - spec.lat_min) / max(spec.grid - 1, 1)
    step_lon = (spec.lon_max - spec.lon_min) / max(spec.grid - 1, 1)

    def rbf(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        z = ((lat[:, None] - lat_c[None, :]) / step_lat) ** 2 + ((lon[:, None] - lon_c[None, :]) / step_lon) ** 2
        return np.exp(-0.5 * z / spec.width**2)

    x = np.log(np.maximum(haversine_m(o_lat, o_lon, d_lat, d_lon), travel_model.MIN_DISTANCE_M) / 1000.0)
    theta = travel_model.bearing_rad(o_lat, o_lon, d_lat, d_lon)
    trig = np.column_stack((np.sin(theta), np.cos(theta), np.sin(2 * theta), np.cos(2 * theta)))
    places = [rbf(o_lat, o_lon), rbf(d_lat, d_lon), rbf((o_lat + d_lat) / 2, (o_lon + d_lon) / 2)]
    return np.hstack([np.column_stack((x, x**2, x**3, trig, trig * x[:, None])), *places, *(p * x[:, None] for p in places)])


@pytest.mark.parametrize("stations", [1, 3, 40])
def test_the_design_matrix_is_the_plain_formula_bit_for_bit_with_stations_repeated_or_not(stations: int) -> None:
    model = load_region_model("la")
    rng = np.random.default_rng(5)
    s_lat, s_lon = 34.05 + rng.normal(0, 0.08, stations), -118.3 + rng.normal(0, 0.08, stations)
    c_lat, c_lon = 34.05 + rng.normal(0, 0.08, 300), -118.3 + rng.normal(0, 0.08, 300)
    o_lat, d_lat = (a.ravel() for a in np.broadcast_arrays(s_lat[None, :], c_lat[:, None]))
    o_lon, d_lon = (a.ravel() for a in np.broadcast_arrays(s_lon[None, :], c_lon[:, None]))
    plain = _plain_features(model.spec, o_lat, o_lon, d_lat, d_lon)
    assert np.array_equal(model.spec.features(o_lat, o_lon, d_lat, d_lon), plain)
    expected = np.einsum("ij,j->i", (plain - model.mean) / model.scale, model.coef) + model.intercept
    assert np.array_equal(model.log_seconds(o_lat, o_lon, d_lat, d_lon), expected)
