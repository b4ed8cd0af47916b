"""De-identification rules: ages over 89 grouped, small cells generalised (reporting/deidentify.py)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from crisis_dispatch.reporting.deidentify import WITHHELD, age_band, age_value, deidentified_rows

from .month import build_month


def test_ages_over_89_are_grouped_and_bands_keep_what_is_not_an_exact_age() -> None:
    assert [age_value(a) for a in (None, 0, 89, 90, 104)] == ["", "0", "89", "90+", "90+"]
    assert [age_band(a) for a in ("37", "90+", "", WITHHELD)] == ["30-39", "90+", "", WITHHELD]


def test_every_cell_of_period_area_and_age_holds_eleven_rows_or_is_generalised() -> None:
    history, facts, _ = build_month()
    n = len(facts)
    ages = [30 + (i % 40) for i in range(n)]  # forty different ages: every exact age is a small cell
    ages[0] = 97
    periods = ["2026-11"] * n
    rows = deidentified_rows(history, facts, periods=periods, ages=ages)
    assert len(rows) == n
    cells = Counter((r["period"], r["area_type"], r["age"]) for r in rows)
    assert all(count >= 11 for count in cells.values()), cells
    assert not any(r["age"].isdigit() for r in rows), "no exact age in a cell of fewer than 11"
    assert [r["record"] for r in rows] == [str(i + 1) for i in range(n)]
    # The outcome columns are the report's: 23 treated and released on site among the team calls.
    assert sum(r["outcome"] == "treated_and_released" for r in rows) == 23
    assert sum(r["team_call"] == "yes" for r in rows) == 113
    assert sum(r["fell_back"] == "yes" for r in rows) == 4
    assert np.isin([r["within_clock"] for r in rows if r["team_call"] == "yes"], ["yes", "no"]).all()


def test_mixed_urban_and_rural_months_of_any_size_leave_no_cell_under_eleven() -> None:
    history, facts, _ = build_month()
    n = len(facts)
    for seed in range(30):
        rng = np.random.default_rng(seed)
        facts.area = rng.integers(0, 2, n).astype(np.int32)
        facts.area_names, facts.area_rural = ["city", "hills"], [False, True]
        ages = [int(a) if a < 100 else None for a in rng.integers(0, 110, n)]
        periods = [str(p) for p in rng.choice(["2026-10", "2026-11", "2026-12"], n, p=[0.05, 0.9, 0.05])]
        rows = deidentified_rows(history, facts, periods=periods, ages=ages)
        for column in ("age", "area_type", "period"):
            withheld = sum(r[column] == WITHHELD for r in rows)
            assert withheld == 0 or withheld >= 11, (seed, column, withheld)
        cells = Counter((r["period"], r["area_type"], r["age"]) for r in rows)
        assert min(cells.values()) >= 11, (seed, cells)
