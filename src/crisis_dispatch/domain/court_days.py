"""Court days: the days California's superior courts are open, for deadlines such as the
county's CARE report, due 14 court days after the court orders it (WIC 5977).

Pure: the holiday rules come in as data (``crisis_dispatch.data.reference.judicial_holidays``).
A court day is a weekday that is not a judicial holiday as observed (a holiday on a Saturday
is observed the Friday before, one on a Sunday the Monday after: Rules of Court, rule 1.11).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from .errors import InvalidInput

SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class HolidayRule:
    name: str
    kind: str  # "fixed" | "nth_weekday" | "after"
    month: int = 0
    day: int = 0
    weekday: int = 0
    n: int = 0
    of: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> HolidayRule:
        rule = cls(**{k: data[k] for k in ("name", "kind", "month", "day", "weekday", "n", "of") if k in data})
        if rule.kind not in ("fixed", "nth_weekday", "after"):
            raise ValueError(f"holiday {rule.name!r}: unknown kind {rule.kind!r}")
        return rule


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (0 = Monday) of the month; ``n = -1`` is the last."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[n - 1] if n > 0 else days[n]


def observed(day: date) -> date:
    """When a holiday falling on ``day`` is observed (rule 1.11)."""
    if day.weekday() == SATURDAY:
        return day - timedelta(days=1)
    if day.weekday() == SUNDAY:
        return day + timedelta(days=1)
    return day


@dataclass(frozen=True)
class CourtCalendar:
    """The judicial holidays of the years ``valid_from``..``valid_to``; dates outside them
    are refused rather than guessed."""

    rules: Sequence[HolidayRule]
    valid_from: int
    valid_to: int

    def holidays(self, year: int) -> dict[date, str]:
        """The observed judicial holidays that fall in ``year`` (by the date they are observed)."""
        found: dict[date, str] = {}
        for y in (year - 1, year, year + 1):  # New Year's Day on a Saturday is observed on Dec 31
            actual: dict[str, date] = {}
            for rule in self.rules:
                if rule.kind == "fixed":
                    actual[rule.name] = date(y, rule.month, rule.day)
                elif rule.kind == "nth_weekday":
                    actual[rule.name] = nth_weekday(y, rule.month, rule.weekday, rule.n)
            for rule in self.rules:
                # "after": the Day after Thanksgiving, a Friday, never shifted.
                found_day = actual[rule.of] + timedelta(days=1) if rule.kind == "after" else observed(actual[rule.name])
                if found_day.year == year:
                    found[found_day] = rule.name
        return dict(sorted(found.items()))

    @cached_property
    def _closed(self) -> frozenset[date]:
        return frozenset(d for y in range(self.valid_from, self.valid_to + 1) for d in self.holidays(y))

    def _check(self, day: date) -> None:
        if not (self.valid_from <= day.year <= self.valid_to):
            raise InvalidInput(
                f"{day.isoformat()} is outside the court calendar ({self.valid_from}-{self.valid_to}); "
                "its judicial holidays are not known here"
            )

    def is_court_day(self, day: date) -> bool:
        self._check(day)
        return day.weekday() < SATURDAY and day not in self._closed

    def add_court_days(self, start: date, n: int) -> date:
        """The ``n``-th court day after ``start`` (``start`` itself is not counted)."""
        if n < 1:
            raise InvalidInput("the number of court days must be at least 1")
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_court_day(day):
                counted += 1
        return day


def court_calendar(data: Mapping[str, Any]) -> CourtCalendar:
    rules: Iterable[Mapping[str, Any]] = data["holidays"]
    return CourtCalendar(tuple(HolidayRule.from_data(r) for r in rules), int(data["valid_from"]), int(data["valid_to"]))
