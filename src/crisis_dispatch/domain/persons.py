"""The person index (issue 14 item 2): who a crisis team met, so that "the same man, three times
this month" becomes visible to those who care for him.

A :class:`Person` is a record a crew member or a dispatcher wrote: names and aliases, a date of
birth (whole, a year and month, a year, or unknown), phone numbers, a description. An
*encounter* is an incident linked to a person by someone's click. Three rules:

- :func:`suggest` only **suggests**: it scores the records against what is known (names by a
  similarity function given to it, the date of birth exactly or in part, phone digits,
  description words) and says why each matched. It links nothing; identity is a human judgement.
- A merge makes one record of two: the absorbed record is kept, with ``merged_into``, and
  **keeps its own links**; the surviving record's history is its links and those of every
  record merged into it (:func:`members`). So an unmerge (clearing ``merged_into``) gives the
  absorbed record back exactly the encounters it had, by construction.
- Merges never form a cycle: only a record not merged may absorb or be absorbed (:func:`check_merge`).

Standard library only (the name similarity is an input: the service passes RapidFuzz's).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from .errors import Conflict, InvalidInput
from .limits import check_text

#: How similar two names are, 0-100 (both already normalised by :func:`normalise_name`).
NameSimilarity = Callable[[str, str], float]

MAX_NAMES = 10
MAX_PHONES = 5
MAX_NAME_CHARS = 200
MAX_DESCRIPTION_CHARS = 2000
#: A phone number is compared on its last ten digits (North American numbers); fewer than
#: seven digits is not a number anyone can match on.
PHONE_DIGITS, MIN_PHONE_DIGITS = 10, 7

#: Weights of what a search gives; the score is the weighted mean over what was given, 0-100.
WEIGHTS: Mapping[str, float] = {"name": 0.45, "dob": 0.25, "phone": 0.2, "description": 0.1}
#: Below this score a record is not suggested, unless the phone or the full date of birth matches.
MIN_SCORE = 50.0
#: A name at least this similar is named as a reason.
NAME_REASON = 70.0
#: Words of a description that say nothing about who someone is.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "with",
        "in",
        "on",
        "of",
        "his",
        "her",
        "their",
        "he",
        "she",
        "they",
        "wearing",
        "wears",
        "about",
        "around",
        "years",
        "year",
        "old",
        "yo",
        "age",
        "aged",
        "looks",
        "looking",
        "some",
        "very",
        "is",
        "was",
        "has",
        "had",
    ]
)

_DOB = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WORD = re.compile(r"[a-z0-9]+")


# ----------------------------------------------------------------------------- values
def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed, one space between words: "José  O'Neil" -> "jose o neil"."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(plain))


def phone_digits(phone: str) -> str:
    """The digits that identify a phone: the last ten ("+1 (213) 555-0100" -> "2135550100")."""
    return "".join(ch for ch in phone if ch.isdigit())[-PHONE_DIGITS:]


def description_words(text: str) -> frozenset[str]:
    """The words of a description worth comparing (three letters or more, or a number; no stopwords)."""
    words = _WORD.findall(normalise_name(text))
    return frozenset(w for w in words if w not in STOPWORDS and (len(w) >= 3 or w.isdigit()))


@dataclass(frozen=True)
class BirthDate:
    """A date of birth as far as it is known: a year, a year and month, or a whole date."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str | None, *, today: date | None = None) -> BirthDate | None:
        """``"1984-03-07"``, ``"1984-03"`` or ``"1984"``; empty or None: unknown."""
        if text is None or not text.strip():
            return None
        m = _DOB.fullmatch(text.strip())
        if m is None:
            raise InvalidInput(f"date of birth '{text}': give YYYY-MM-DD, YYYY-MM or YYYY (leave it empty when unknown)")
        year, month, day = int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3))
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            raise InvalidInput(f"date of birth '{text}' is not a date") from None
        if year < 1900 or (today is not None and date(year, month or 1, day or 1) > today):
            raise InvalidInput(f"date of birth '{text}' is not a possible date of birth")
        return cls(year, month or None, day or None)

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    def compare(self, other: BirthDate) -> tuple[float, str | None]:
        """How far two dates of birth agree (0-1) and the reason in words; a part given on both
        sides and different makes them disagree (0)."""
        if self.year != other.year:
            return 0.0, f"date of birth differs ({other} here, {self} searched)"
        if self.month is None or other.month is None:
            return 0.6, f"year of birth matches ({self.year})"
        if self.month != other.month:
            return 0.0, f"date of birth differs ({other} here, {self} searched)"
        if self.day is None or other.day is None:
            return 0.8, f"year and month of birth match ({self.year}-{self.month:02d})"
        if self.day != other.day:
            return 0.0, f"date of birth differs ({other} here, {self} searched)"
        return 1.0, f"date of birth matches exactly ({self})"


# ----------------------------------------------------------------------------- the record
@dataclass(frozen=True)
class Person:
    """One person as the crews and dispatchers know them. ``names[0]`` is the name used; the
    others are aliases. Nothing here is verified: it is what people were told or saw."""

    id: str
    names: tuple[str, ...]
    created_by: str
    created_at: datetime
    dob: BirthDate | None = None
    phones: tuple[str, ...] = ()
    description: str = ""
    #: Set when this record was merged into another (kept, not deleted: an unmerge restores it).
    merged_into: str | None = None
    merged_at: datetime | None = None
    merged_by: str | None = None

    @property
    def name(self) -> str:
        return self.names[0] if self.names else ""

    @property
    def merged(self) -> bool:
        return self.merged_into is not None

    def merge_into(self, survivor: Person, *, by: str, now: datetime) -> Person:
        check_merge(self, survivor)
        return replace(self, merged_into=survivor.id, merged_at=now, merged_by=by)

    def unmerge(self) -> Person:
        if self.merged_into is None:
            raise Conflict(f"person {self.id} is not merged into anyone")
        return replace(self, merged_into=None, merged_at=None, merged_by=None)


def new_person(
    ident: str,
    *,
    names: Sequence[str],
    dob: str | None,
    phones: Sequence[str],
    description: str,
    by: str,
    now: datetime,
) -> Person:
    """A checked record: at least one name or a description to know the person by again."""
    clean_names = _unique(check_text("name", n).strip() for n in names)
    if len(clean_names) > MAX_NAMES:
        raise InvalidInput(f"at most {MAX_NAMES} names and aliases")
    if any(len(n) > MAX_NAME_CHARS for n in clean_names):
        raise InvalidInput(f"a name has at most {MAX_NAME_CHARS} characters")
    clean_phones = _unique(check_text("phone", p).strip() for p in phones)
    if len(clean_phones) > MAX_PHONES:
        raise InvalidInput(f"at most {MAX_PHONES} phone numbers")
    for p in clean_phones:
        if len(phone_digits(p)) < MIN_PHONE_DIGITS:
            raise InvalidInput(f"phone '{p}': at least {MIN_PHONE_DIGITS} digits")
    text = check_text("description", description, multiline=True).strip()
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise InvalidInput(f"description: at most {MAX_DESCRIPTION_CHARS} characters")
    if not clean_names and not text:
        raise InvalidInput("a person needs a name (or an alias) or a description to be known again")
    return Person(
        id=ident,
        names=tuple(clean_names),
        dob=BirthDate.parse(dob, today=now.date()),
        phones=tuple(clean_phones),
        description=text,
        created_by=by,
        created_at=now,
    )


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


# ----------------------------------------------------------------------------- merges
def check_merge(absorbed: Person, survivor: Person) -> None:
    """Only two different records, neither merged already, become one (no chains of merged
    records absorbing others, hence no cycle)."""
    if absorbed.id == survivor.id:
        raise InvalidInput("a person cannot be merged into themselves")
    if absorbed.merged_into is not None:
        raise Conflict(f"person {absorbed.id} is already merged into {absorbed.merged_into}")
    if survivor.merged_into is not None:
        raise Conflict(f"person {survivor.id} was merged into {survivor.merged_into}: merge into {survivor.merged_into}")


def canonical(person_id: str, merged_into: Mapping[str, str | None]) -> str:
    """The record ``person_id`` now belongs to: itself, or the one it was merged into (followed)."""
    seen = {person_id}
    current = person_id
    while (nxt := merged_into.get(current)) is not None:
        if nxt in seen:
            raise Conflict(f"the merges of person {person_id} form a cycle")  # never written by check_merge
        seen.add(nxt)
        current = nxt
    return current


def members(person_id: str, merged_into: Mapping[str, str | None]) -> frozenset[str]:
    """``person_id`` and every record merged into it, directly or through another."""
    return frozenset(p for p in merged_into.keys() | {person_id} if p == person_id or _leads_to(p, person_id, merged_into))


def _leads_to(start: str, target: str, merged_into: Mapping[str, str | None]) -> bool:
    seen: set[str] = set()
    current: str | None = merged_into.get(start)
    while current is not None and current not in seen:
        if current == target:
            return True
        seen.add(current)
        current = merged_into.get(current)
    return False


def history(person_id: str, links: Mapping[str, str], merged_into: Mapping[str, str | None]) -> frozenset[str]:
    """The incidents of a person: those linked (``links``: incident -> person) to the person or to
    a record merged into it."""
    group = members(person_id, merged_into)
    return frozenset(incident for incident, person in links.items() if person in group)


# ----------------------------------------------------------------------------- suggestions
@dataclass(frozen=True)
class PersonQuery:
    """What a crew member or dispatcher knows: any of a name, a date of birth (in part), a phone,
    a description."""

    name: str = ""
    dob: str = ""
    phone: str = ""
    description: str = ""

    def given(self) -> list[str]:
        return [
            k
            for k, v in (("name", self.name), ("dob", self.dob), ("phone", self.phone), ("description", self.description))
            if v.strip()
        ]

    def check(self, today: date | None = None) -> None:
        if not self.given():
            raise InvalidInput("search by at least one of: name, dob, phone, description")
        for what in ("name", "phone", "description"):
            check_text(what, getattr(self, what), multiline=what == "description")
        BirthDate.parse(self.dob, today=today)
        if self.phone.strip() and len(phone_digits(self.phone)) < MIN_PHONE_DIGITS:
            raise InvalidInput(f"phone: at least {MIN_PHONE_DIGITS} digits to search on")


@dataclass(frozen=True)
class Candidate:
    """A suggested match: never a link. ``score`` 0-100; ``reasons`` say what agreed or differed."""

    person: Person
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


def suggest(
    query: PersonQuery, persons: Iterable[Person], *, name_similarity: NameSimilarity, limit: int = 10
) -> list[Candidate]:
    """The records that may be the person, best first: scored, with the reasons, and nothing
    else done. Merged records are not suggested (their survivor is)."""
    given = query.given()
    if not given:
        return []
    dob = BirthDate.parse(query.dob)
    out = []
    for person in persons:
        if person.merged:
            continue
        candidate = _score(query, dob, person, given, name_similarity)
        if candidate is not None:
            out.append(candidate)
    out.sort(key=lambda c: (-c.score, c.person.name, c.person.id))
    return out[:limit]


def _score(
    query: PersonQuery, dob: BirthDate | None, person: Person, given: list[str], similarity: NameSimilarity
) -> Candidate | None:
    parts: dict[str, float] = {}
    reasons: list[str] = []
    strong = False
    if "name" in given:
        parts["name"], reason = _name_part(query.name, person, similarity)
        if reason:
            reasons.append(reason)
    if "dob" in given and dob is not None:
        parts["dob"], reason = (0.0, None) if person.dob is None else dob.compare(person.dob)
        strong |= parts["dob"] == 1.0
        reasons.append(reason or "no date of birth on record")
    if "phone" in given:
        wanted = phone_digits(query.phone)
        parts["phone"] = 1.0 if any(phone_digits(p) == wanted for p in person.phones) else 0.0
        strong |= parts["phone"] == 1.0
        if parts["phone"]:
            reasons.append(f"phone matches (ending {wanted[-4:]})")
    if "description" in given:
        parts["description"], reason = _description_part(query.description, person.description)
        if reason:
            reasons.append(reason)
    total = sum(WEIGHTS[k] for k in parts)
    score = round(100 * sum(WEIGHTS[k] * v for k, v in parts.items()) / total, 1) if total else 0.0
    if score < MIN_SCORE and not strong:
        return None
    return Candidate(person=person, score=score, reasons=tuple(reasons))


def _name_part(name: str, person: Person, similarity: NameSimilarity) -> tuple[float, str | None]:
    wanted = normalise_name(name)
    best, best_name = 0.0, ""
    for known in person.names:
        s = float(similarity(wanted, normalise_name(known))) if wanted else 0.0
        if s > best:
            best, best_name = s, known
    if best >= NAME_REASON:
        alias = "" if best_name == person.name else " (alias)"
        return best / 100, f"name '{best_name}'{alias} is {best:.0f}% like '{name.strip()}'"
    return best / 100, None


def _description_part(text: str, known: str) -> tuple[float, str | None]:
    wanted, have = description_words(text), description_words(known)
    if not wanted or not have:
        return 0.0, None
    shared = wanted & have
    if not shared:
        return 0.0, None
    return len(shared) / len(wanted), "description shares: " + ", ".join(sorted(shared))


# ----------------------------------------------------------------------------- de-identified counts
def repeat_counts(links: Mapping[str, str]) -> dict[str, int]:
    """Counts for the KPI report (``incident -> person`` for a window's linked incidents, the
    person already resolved to its survivor): how many people were linked, how many of them
    were seen twice or more. Numbers only: no id, no name leaves this function."""
    per_person: dict[str, int] = {}
    for person in links.values():
        per_person[person] = per_person.get(person, 0) + 1
    return {
        "encounters_linked": len(links),
        "people": len(per_person),
        "people_seen_twice_or_more": sum(1 for n in per_person.values() if n >= 2),
    }
