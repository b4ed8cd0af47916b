"""Estimates are shown to their precision: the interval sets the decimals."""

from __future__ import annotations

import pytest

from crisis_dispatch.simulation.outputs import estimate_decimals, headline_row, input_rows


@pytest.mark.parametrize(
    ("ci", "shown"),
    [
        ({"mean": 19340.8, "ci95_low": 19196.3082, "ci95_high": 19485.2918}, ("19,341", "19,196 – 19,485")),
        ({"mean": 27.034, "ci95_low": 25.8312, "ci95_high": 28.2101}, ("27.0", "25.8 – 28.2")),
        ({"mean": 0.98341, "ci95_low": 0.97012, "ci95_high": 0.99123}, ("0.983", "0.970 – 0.991")),
        ({"mean": 0.333333, "ci95_low": None, "ci95_high": None}, ("0.333", "–")),
        ({"mean": 5.0, "ci95_low": None, "ci95_high": None}, ("5", "–")),
        ({"mean": None, "ci95_low": None, "ci95_high": None}, ("not met", "–")),
    ],
)
def test_a_headline_estimate_is_rounded_to_the_precision_of_its_interval(ci: dict, shown: tuple[str, str]) -> None:
    assert headline_row(ci) == shown


def test_decimals_never_exceed_four() -> None:
    assert estimate_decimals(0.5, 0.4999999, 0.5000001) == 4
    assert estimate_decimals(1e-9) == 4


def test_a_share_is_shown_as_a_percentage_to_its_precision() -> None:
    ci = {"mean": 0.63412, "ci95_low": 0.6213, "ci95_high": 0.6478}
    assert headline_row(ci, percent=True) == ("63.4 %", "62.1 – 64.8 %")
    assert headline_row({"mean": None, "ci95_low": None, "ci95_high": None}, percent=True) == ("not met", "–")


def test_the_inputs_read_as_a_table_of_names_and_values() -> None:
    rows = input_rows(
        {
            "name": "la-ttp",
            "impact": {"baseline_ed_share": 0.5},
            "vans": [{"call_sign": "TTP-1", "station": "st-9"}],
            "days": [1, 2],
        }
    )
    assert rows == [
        ("name", "la-ttp"),
        ("impact.baseline ed share", "0.5"),
        ("vans 1", "call sign TTP-1, station st-9"),
        ("days", "1, 2"),
    ]
