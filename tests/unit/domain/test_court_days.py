"""Court days for CARE deadlines: weekdays that are not California judicial holidays as
observed. The holiday table is checked against a court's published lists; the count of
court days is checked on the dates the issue names and as properties over every date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.data.reference import judicial_holidays
from crisis_dispatch.domain.errors import InvalidInput

CAL = judicial_holidays()

#: The Superior Court of California, County of San Bernardino, "Judicial Holidays" for 2025
#: and 2026 (its published list, read 2026-12-03).
PUBLISHED = {
    2025: [
        "2025-01-01", "2025-01-20", "2025-02-12", "2025-02-17", "2025-03-31", "2025-05-26", "2025-06-19",
        "2025-07-04", "2025-09-01", "2025-09-26", "2025-11-11", "2025-11-27", "2025-11-28", "2025-12-25",
    ],
    2026: [
        "2026-01-01", "2026-01-19", "2026-02-12", "2026-02-16", "2026-03-31", "2026-05-25", "2026-06-19",
        "2026-07-03", "2026-09-07", "2026-09-25", "2026-11-11", "2026-11-26", "2026-11-27", "2026-12-25",
    ],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_the_holidays_are_the_courts_published_list(year: int) -> None:
    assert [d.isoformat() for d in CAL.holidays(year)] == PUBLISHED[year]


def test_thanksgiving_and_the_day_after_are_skipped() -> None:
    # Ordered on Wednesday 2026-11-25: Thu 26 and Fri 27 are holidays, the weekend too.
    assert CAL.add_court_days(date(2026, 11, 25), 1) == date(2026, 11, 30)
    assert not CAL.is_court_day(date(2026, 11, 26)) and not CAL.is_court_day(date(2026, 11, 27))


def test_christmas_and_new_years_are_skipped() -> None:
    # 2026: Christmas on a Friday, New Year's Day 2027 on a Friday.
    assert CAL.add_court_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert CAL.add_court_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # 14 court days from 2026-12-18: Dec 21-24, 28-31 (8), Jan 4-8 (13), Jan 11 (14).
    assert CAL.add_court_days(date(2026, 12, 18), 14) == date(2027, 1, 11)


def test_a_saturday_holiday_is_observed_the_friday_before_even_across_the_new_year() -> None:
    # 2028-01-01 is a Saturday: the courts close on Friday 2027-12-31.
    assert date(2027, 12, 31) in CAL.holidays(2027)
    assert date(2028, 1, 1) not in CAL.holidays(2028)
    # 2027-07-04 is a Sunday: observed Monday 2027-07-05.
    assert date(2027, 7, 5) in CAL.holidays(2027)


def test_dates_outside_the_known_calendar_are_refused_not_guessed() -> None:
    with pytest.raises(InvalidInput, match="outside the court calendar"):
        CAL.add_court_days(date(2024, 3, 1), 14)
    with pytest.raises(InvalidInput, match="at least 1"):
        CAL.add_court_days(date(2026, 3, 2), 0)


DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 10, 1))


@given(DAYS, st.integers(min_value=1, max_value=40))
def test_the_due_date_is_a_court_day_with_exactly_n_court_days_up_to_it(start: date, n: int) -> None:
    due = CAL.add_court_days(start, n)
    assert CAL.is_court_day(due)
    between = [start + timedelta(days=k) for k in range(1, (due - start).days + 1)]
    assert sum(CAL.is_court_day(d) for d in between) == n
    # Fourteen court days are at least two calendar weeks and, with holidays, rarely more than three.
    assert (due - start).days >= n + 2 * (n // 5) - 2


@given(DAYS, st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=30))
def test_court_days_add_up(start: date, a: int, b: int) -> None:
    assert CAL.add_court_days(CAL.add_court_days(start, a), b) == CAL.add_court_days(start, a + b)
