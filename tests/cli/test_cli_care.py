"""`crisis-dispatch care due-date`: the county's CARE report date in court days."""

from __future__ import annotations

import subprocess

import pytest

from tests.cli.helpers import CLI, assert_one_error_line


def care(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "care", "due-date", *args], capture_output=True, text=True, timeout=60)


def test_the_due_date_is_fourteen_court_days_after_the_order_by_default() -> None:
    done = care("2026-12-18")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2027-01-11  (Monday: 14 court days after 2026-12-18)")


def test_the_number_of_court_days_can_be_given() -> None:
    done = care("2026-11-25", "--court-days", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2026-11-30")  # Thanksgiving, the day after and the weekend skipped


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(("2026-13-01",), "not a date"), (("2024-01-02",), "outside the court calendar")],
)
def test_a_bad_date_is_one_readable_line(args: tuple[str, ...], fragment: str) -> None:
    assert_one_error_line(care(*args), fragment)
