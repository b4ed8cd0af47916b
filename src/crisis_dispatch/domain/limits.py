"""Limits on what the outside world may send: text without control characters, integers the
database can hold, ages a person can have, and the area a centre serves.

Every check raises :class:`InvalidInput` (a 422 with a message) naming what is wrong, so that
no input reaches a database that would answer with an error of its own (PostgreSQL refuses a
NUL in text; SQLite overflows past 64-bit integers).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput

#: The largest integer a BIGINT column (PostgreSQL) or an SQLite INTEGER holds.
MAX_BIGINT = 2**63 - 1
#: The largest integer a PostgreSQL INTEGER column holds (bed counts, versions).
MAX_INT = 2**31 - 1
#: A person's age in years, inclusive.
MIN_AGE, MAX_AGE = 0, 120
#: The control characters free text (a narrative, a note) may keep: tab, newline, carriage return.
FREE_TEXT_CONTROLS = frozenset("\t\n\r")


def forbidden_character(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The position and the first character of ``text`` that may not be stored, or None.

    Forbidden: C0 and C1 control characters and DEL (Unicode category Cc) -- free text keeps
    tab, newline and carriage return -- and lone surrogates (Cs), which are not text at all.
    """
    allowed = FREE_TEXT_CONTROLS if multiline else frozenset()
    for i, ch in enumerate(text):
        if (ch < " " or "\x7f" <= ch <= "\x9f" or "\ud800" <= ch <= "\udfff") and ch not in allowed:
            return i, ch
    return None


def describe_character(ch: str) -> str:
    """``U+0000 (NUL)``: how a message names a character nobody can see."""
    names = {"\x00": "NUL", "\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESC", "\x7f": "DEL"}
    name = names.get(ch) or unicodedata.name(ch, "")
    if not name:
        name = "lone surrogate" if unicodedata.category(ch) == "Cs" else "control character"
    return f"U+{ord(ch):04X} ({name})"


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be stored (a sentence), or None when it can."""
    found = forbidden_character(text, multiline=multiline)
    if found is None:
        return None
    at, ch = found
    allowed = " (free text may hold tabs and line breaks)" if multiline else ""
    return f"contains the control character {describe_character(ch)} at position {at}; remove it{allowed}"


def check_text(name: str, text: str, *, multiline: bool = False) -> str:
    """``text`` unchanged, or InvalidInput naming ``name`` and the offending character."""
    problem = text_problem(text, multiline=multiline)
    if problem is not None:
        raise InvalidInput(f"{name}: {problem}")
    return text


def nested_text_problem(value: Any, *, multiline: bool = True) -> str | None:
    """The first problem of any string in a JSON-like value (keys too: keys are one line)."""
    if isinstance(value, str):
        return text_problem(value, multiline=multiline)
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and (problem := text_problem(key)) is not None:
                return f"key {key!r} {problem}"
            if (problem := nested_text_problem(item, multiline=multiline)) is not None:
                return f"{key}: {problem}"
    elif isinstance(value, (list, tuple)):
        for item in value:
            if (problem := nested_text_problem(item, multiline=multiline)) is not None:
                return problem
    return None


def check_db_int(name: str, value: int, *, low: int = 0, high: int = MAX_BIGINT) -> int:
    """``value`` when a database column can hold it, else InvalidInput naming the range."""
    if isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(f"{name} must be an integer from {low} to {high}, not {value!r}")
    return value


def age_from_answer(value: Any) -> int | None:
    """An age the call-taker typed into the answers: a whole number (``15``, ``"15"``), or None
    for anything the triage engine would not read as one ("unknown", "about 30", empty)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def answer_age_problem(value: Any) -> str | None:
    """Why an ``age`` answer is refused: a boolean, or a number outside 0-120 (None: fine)."""
    if isinstance(value, bool):
        return f"age must be a number of years, not {str(value).lower()}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"age must be a number of years from {MIN_AGE} to {MAX_AGE}, not {value}"
    age = age_from_answer(value)
    if age is not None and not MIN_AGE <= age <= MAX_AGE:
        return f"age must be from {MIN_AGE} to {MAX_AGE} years, not {age}"
    return None


@dataclass(frozen=True)
class ServiceArea:
    """The area a centre serves, as a latitude/longitude box: calls outside it are refused
    unless a dispatcher says they are meant (``outside_service_area``)."""

    name: str
    south: float
    west: float
    north: float
    east: float

    def __post_init__(self) -> None:
        if not (-90 <= self.south < self.north <= 90 and -180 <= self.west < self.east <= 180):
            raise ValueError(f"service area {self.name!r}: bounds must be south < north and west < east in degrees")

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def describe(self) -> str:
        return f"{self.name} (latitude {self.south:.2f} to {self.north:.2f}, longitude {self.west:.2f} to {self.east:.2f})"
