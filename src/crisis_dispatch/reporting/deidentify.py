"""A de-identified, one-row-per-incident export for analysts and researchers.

The rows are built from the report's own inputs (the status history and the incident facts),
never from the incident records themselves: no name, phone number, narrative, note, address,
coordinate, free-text summary, identifier or exact date can reach the file, because none is
read. Following HIPAA Safe Harbor (45 CFR 164.514(b)(2)):

* no direct identifiers: rows are numbered after sorting on their own content;
* dates to the month (``--dates year`` keeps only the year: strict Safe Harbor allows no date
  element but the year, so a month-level file is one to share under a data-use agreement);
* place only as the state and whether the county is urban or rural (Safe Harbor allows no
  geographic unit smaller than a state but a populous three-digit ZIP, which calls do not carry);
* ages over 89 grouped as ``90+``;
* small cells: every combination of the quasi-identifiers (period, area type, age) holds at
  least ``SMALL_CELL`` rows: the rows of a smaller one are generalised (age to a 10-year band,
  then withheld, then the area type withheld, then the period) until it does, and a value is
  withheld from at least ``SMALL_CELL`` rows or from none (a lone withheld row would single
  out its person).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .history import HistoryTable
from .kpis import IncidentFacts, clock_minutes, fell_back, phase_times, team_responses
from .program import SMALL_CELL

WITHHELD = "withheld"
STATE = "CA"


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    values: str


#: The columns of the export, in order, and their data dictionary.
FIELDS: tuple[Field, ...] = (
    Field("record", "Row number, assigned after sorting the rows on their own content (not an incident id)", "1..n"),
    Field("period", "Month the call was received, local time (or the year with --dates year)", "YYYY-MM or YYYY"),
    Field("state", "State of the call's location", "CA"),
    Field(
        "area_type",
        "Whether the call's county is rural (under 50 people per square mile) or urban; withheld in a small cell",
        f"urban, rural, {WITHHELD}",
    ),
    Field(
        "age",
        "The person's age in years; over 89 as 90+; a 10-year band or withheld in a small cell; blank when unknown",
        f"0..89, 90+, 10-19 .. 80-89, {WITHHELD}, blank",
    ),
    Field(
        "tier", "The response triage decided (domain tiers: MH_TEAM, POLICE, PHONE_988, ...)", "tier code, blank if never triaged"
    ),
    Field("team_call", "The crisis team was part of the response", "yes, no"),
    Field(
        "screened_out_reason",
        "Why triage kept the call from the team (not_triaged: too little information)",
        "reason code, blank for team calls",
    ),
    Field("reached", "A team got on scene", "yes, no"),
    Field(
        "response_minutes",
        "Team calls: minutes from triage to the team on scene, whole minutes; blank when not reached",
        "0..",
    ),
    Field("within_clock", "Team calls: on scene within 60 minutes (urban) or 120 (rural)", "yes, no, blank"),
    Field("waited_for_a_van", "Team calls: queued because no eligible van was free", "yes, no, blank"),
    Field("fell_back", "Team calls: handed to police or EMS while waiting for a van", "yes, no, blank"),
    Field("outcome", "The outcome recorded by the team (Disposition codes)", "disposition code, blank"),
    Field("destination_type", "Where the team transported the person", "destination type, blank"),
    Field("hold_type", "The involuntary hold placed (WIC 5150 adults, 5585 minors)", "5150, 5585, blank"),
)


def age_value(age: int | None) -> str:
    if age is None:
        return ""
    return "90+" if age >= 90 else str(age)


def age_band(value: str) -> str:
    """A 10-year band of an exact age (``37`` -> ``30-39``); ``90+`` and blanks stay."""
    if not value.isdigit():
        return value
    low = int(value) // 10 * 10
    return f"{low}-{low + 9}"


def _withhold(rows: list[dict[str, str]], column: str, key: tuple[str, ...], k: int) -> None:
    """Withhold ``column`` of the rows whose cell (``key`` columns plus ``column``) holds fewer
    than ``k`` rows; then, within each group of the ``key`` columns, withhold it from more rows
    (smallest cells first) until the withheld are ``k`` or more -- else a lone withheld row
    would single out the one person the visible rows are not."""
    cells = Counter(tuple(r[c] for c in (*key, column)) for r in rows)
    for r in rows:
        if cells[tuple(r[c] for c in (*key, column))] < k:
            r[column] = WITHHELD
    groups: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for r in rows:
        groups.setdefault(tuple(r[c] for c in key), []).append(r)
    for members in groups.values():
        withheld = sum(r[column] == WITHHELD for r in members)
        if 0 < withheld < k:
            sizes = Counter(r[column] for r in members)
            others = sorted((r for r in members if r[column] != WITHHELD), key=lambda r: (sizes[r[column]], r[column]))
            for r in others[: k - withheld]:
                r[column] = WITHHELD


def _generalise(rows: list[dict[str, str]], k: int) -> None:
    """Coarsen the quasi-identifiers until every (period, area type, age) cell holds ``k`` rows
    or more: ages in small cells to 10-year bands, then withheld; area types in small cells
    withheld; periods with fewer than ``k`` rows withheld."""
    cells = Counter((r["period"], r["area_type"], r["age"]) for r in rows)
    for r in rows:
        if cells[(r["period"], r["area_type"], r["age"])] < k:
            r["age"] = age_band(r["age"])
    # Values only ever get coarser, so this settles; each pass can shrink cells the last one
    # left alone (rows whose area went leave their old cells), hence the loop.
    for _ in range(len(rows) + 1):
        before = [tuple(r.values()) for r in rows]
        _withhold(rows, "age", ("period", "area_type"), k)
        _withhold(rows, "area_type", ("period",), k)
        _withhold(rows, "period", (), k)
        if [tuple(r.values()) for r in rows] == before:
            break


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def deidentified_rows(
    history: HistoryTable,
    facts: IncidentFacts,
    *,
    periods: Sequence[str],
    ages: Sequence[int | None],
    k: int = SMALL_CELL,
) -> list[dict[str, str]]:
    """One row per incident (``facts`` order): ``periods`` is each incident's month or year as
    text, ``ages`` its person's age when known. See the module's rules."""
    n = len(facts)
    triaged, queued, _, on_scene, _, _ = phase_times(history, n)
    team, minutes, _ = team_responses(facts.tier, triaged, on_scene, 0.0)
    rural = clock_minutes(facts) > 60.0
    fell = fell_back(history, team, on_scene)
    response = np.full(n, np.inf)
    response[team] = minutes
    blank = np.full(n, "", dtype=str)
    hold = (facts.hold_type if facts.hold_type is not None else blank).astype(str)
    reason = (facts.screened_out if facts.screened_out is not None else blank).astype(str)
    tier = facts.tier.astype(str)
    rows = []
    for i in range(n):
        t = bool(team[i])
        reached = t and bool(np.isfinite(response[i]))
        rows.append(
            {
                "period": periods[i],
                "state": STATE,
                "area_type": "rural" if rural[i] else "urban",
                "age": age_value(ages[i]),
                "tier": tier[i],
                "team_call": _yes(t),
                "screened_out_reason": "" if t else (reason[i] or ("not_triaged" if not tier[i] else "")),
                "reached": _yes(reached),
                "response_minutes": str(int(round(response[i]))) if reached else "",
                "within_clock": _yes(reached and response[i] <= (120.0 if rural[i] else 60.0)) if t else "",
                "waited_for_a_van": _yes(bool(~np.isnan(queued[i]))) if t else "",
                "fell_back": _yes(bool(fell[i])) if t else "",
                "outcome": str(facts.disposition[i]),
                "destination_type": str(facts.destination[i]),
                "hold_type": hold[i],
            }
        )
    _generalise(rows, k)
    rows.sort(key=lambda r: tuple(r[f.name] for f in FIELDS[1:]))
    return [{"record": str(j + 1), **r} for j, r in enumerate(rows)]


def dictionary_rows() -> list[dict[str, str]]:
    return [{"field": f.name, "description": f.description, "values": f.values} for f in FIELDS]
