"""Code mappings as data: APCO incident codes, MPDS determinants, local call-type strings.

Everything here is built from already-parsed data (``CodeMappings.from_data``) so the
domain stays free of file formats; the shipped data lives in
``crisis_dispatch/data/mappings/`` and is read by ``adapters.protocol_loader``.

Normalisation makes ``25-A-1``, ``25A1``, ``25A01`` and ``025A1`` the same determinant,
and makes call types case- and punctuation-insensitive (``Mental Disorder_Violent`` and
``MENTAL DISORDER VIOLENT`` are the same string).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .flags import KNOWN_FLAGS


@dataclass(frozen=True)
class MappingHit:
    """What a code or call-type string means: a category and the flags it raises."""

    kind: str  # "mpds" | "apco" | "call_type"
    key: str  # the normalised form that matched
    category: str
    flags: tuple[str, ...]
    evidence: str  # the original string as received


@dataclass(frozen=True)
class PhraseRule:
    """Raise ``flags`` when any of ``phrases`` occurs as whole words in a normalised string.

    A phrase is a sequence of words; a word ending in ``*`` matches any word it starts.
    A phrase preceded by a negating word (``NOT``, ``NON``, ``NO``, ``WITHOUT``, ``N``)
    does not count: ``MENTAL VIOLENT NOT ARMED`` does not raise ``weapon``.
    """

    phrases: tuple[tuple[str, ...], ...]
    flags: tuple[str, ...]
    category: str
    regex: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", _phrases_regex(self.phrases, negatable=True))


_NEGATORS = frozenset({"NOT", "NON", "NO", "WITHOUT", "N", "NT", "WO"})
_MPDS = re.compile(
    r"^0*(?P<card>\d{1,2})(?:-?(?P<level>[A-EO]|Ω|OMEGA))?(?:-?0*(?P<num>\d{1,2}))?(?:-?(?P<suffix>[A-Z]))?$"
)


def normalise_text(value: str) -> str:
    """Upper-case words separated by single spaces; ``W/O`` → ``WITHOUT``, ``I/P`` → ``IN PROGRESS``."""
    text = value.upper()
    text = re.sub(r"\bW/O\b", " WITHOUT ", text)
    text = re.sub(r"\bI/P\b", " IN PROGRESS ", text)
    text = re.sub(r"\bJ/O\b", " JUST OCCURRED ", text)
    text = re.sub(r"\bW/", " WITH ", text)
    text = re.sub(r"[^A-Z0-9Ω]+", " ", text)
    return " ".join(text.split())


def normalise_apco(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def parse_mpds(code: str) -> tuple[int, str, int | None, str] | None:
    """``(card, level, number, suffix)`` for an MPDS-looking code, else None.

    ``"25-B-3"`` → ``(25, "B", 3, "")``; ``"23C01I"`` → ``(23, "C", 1, "I")``; ``"25"`` →
    ``(25, "", None, "")``. Omega is ``"O"``.
    """
    compact = re.sub(r"[\s_]", "", code.upper())
    match = _MPDS.match(compact)
    if not match:
        return None
    level = match["level"] or ""
    if level in ("Ω", "OMEGA"):
        level = "O"
    num = int(match["num"]) if match["num"] else None
    suffix = match["suffix"] or ""
    if level and num is None and suffix:
        return None  # "25BX" is not a determinant
    if not level and (num is not None or suffix):
        return None  # a bare number with more digits is a local code, not a card
    return int(match["card"]), level, num, suffix


def mpds_key(card: int, level: str, num: int | None) -> str:
    return f"{card}{level}{num if num is not None else ''}"


@dataclass(frozen=True)
class _Entry:
    category: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class CodeMappings:
    """Lookup tables from codes and call-type strings to categories and flags."""

    apco: Mapping[str, _Entry] = field(default_factory=dict)
    mpds_cards: Mapping[int, _Entry] = field(default_factory=dict)
    mpds_determinants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    mpds_suffixes: Mapping[int, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    mpds_known: frozenset[str] = frozenset()
    phrases: tuple[PhraseRule, ...] = ()
    rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()
    exact: Mapping[str, _Entry] = field(default_factory=dict)
    category_flags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> CodeMappings:
        return cls()

    @classmethod
    def from_data(
        cls,
        apco: Mapping[str, Any] | None = None,
        mpds: Mapping[str, Any] | None = None,
        call_types: Mapping[str, Any] | None = None,
        exact_call_types: Iterable[tuple[str, str]] = (),
    ) -> CodeMappings:
        """Build from parsed data; raise ``ValueError`` listing every problem.

        ``apco``: ``{codes: {CODE: {category, flags}}}``. ``mpds``: ``{cards: {N: {category,
        flags, suffixes: {letter: [flags]}}}, determinants: {25B3: [flags]}, known: [codes]}``.
        ``call_types``: ``{phrases: [{match: [...], flags, category}], categories: {name: [flags]}}``.
        ``exact_call_types``: (call-type string, category) pairs, e.g. a CAD taxonomy.
        """
        errors: list[str] = []

        def flags_of(raw: Any, where: str) -> tuple[str, ...]:
            values = tuple(raw or ())
            for flag in values:
                if flag not in KNOWN_FLAGS:
                    errors.append(f"{where}: unknown flag '{flag}'")
            return values

        apco_table: dict[str, _Entry] = {}
        for code, spec in ((apco or {}).get("codes") or {}).items():
            spec = spec or {}
            apco_table[normalise_apco(str(code))] = _Entry(
                str(spec.get("category", "other")), flags_of(spec.get("flags"), f"apco.codes.{code}.flags")
            )

        cards: dict[int, _Entry] = {}
        suffixes: dict[int, dict[str, tuple[str, ...]]] = {}
        for card, spec in ((mpds or {}).get("cards") or {}).items():
            spec = spec or {}
            cards[int(card)] = _Entry(
                str(spec.get("category", "medical")), flags_of(spec.get("flags"), f"mpds.cards.{card}.flags")
            )
            suffixes[int(card)] = {
                str(letter).upper(): flags_of(fl, f"mpds.cards.{card}.suffixes.{letter}")
                for letter, fl in (spec.get("suffixes") or {}).items()
            }
        determinants: dict[str, tuple[str, ...]] = {}
        for code, fl in ((mpds or {}).get("determinants") or {}).items():
            parsed = parse_mpds(str(code))
            if parsed is None:
                errors.append(f"mpds.determinants.{code}: not an MPDS determinant")
                continue
            determinants[mpds_key(*parsed[:3])] = flags_of(fl, f"mpds.determinants.{code}")
        known = set()
        for code in (mpds or {}).get("known") or ():
            parsed = parse_mpds(str(code))
            if parsed is not None:
                known.add(mpds_key(*parsed[:3]))

        category_flags = {
            str(name): flags_of(fl, f"call_types.categories.{name}")
            for name, fl in ((call_types or {}).get("categories") or {}).items()
        }
        phrases = []
        for i, spec in enumerate((call_types or {}).get("phrases") or ()):
            matches = spec.get("match") or []
            if isinstance(matches, str):
                matches = [matches]
            if not matches:
                errors.append(f"call_types.phrases[{i}].match: missing")
            phrases.append(
                PhraseRule(
                    phrases=tuple(_phrase(str(m)) for m in matches),
                    flags=flags_of(spec.get("flags"), f"call_types.phrases[{i}].flags"),
                    category=str(spec.get("category", "other")),
                )
            )
        rewrites = []
        for i, spec in enumerate((call_types or {}).get("rewrites") or ()):
            target = normalise_text(str(spec.get("to", "")))
            for m in spec.get("match") or ():
                rewrites.append((_phrases_regex((_phrase(str(m)),), negatable=False), target))
            if not spec.get("match"):
                errors.append(f"call_types.rewrites[{i}].match: missing")
        exact: dict[str, _Entry] = {}
        for text, category in exact_call_types:
            key = normalise_text(text)
            if not key:
                continue
            cat = category.strip()
            if cat not in category_flags:
                errors.append(f"exact call type {text!r}: category {cat!r} has no entry under call_types.categories")
                continue
            exact.setdefault(key, _Entry(cat, category_flags[cat]))
        if errors:
            raise ValueError("; ".join(errors))
        return cls(
            apco=apco_table,
            mpds_cards=cards,
            mpds_determinants=determinants,
            mpds_suffixes=suffixes,
            mpds_known=frozenset(known),
            phrases=tuple(phrases),
            rewrites=tuple(rewrites),
            exact=exact,
            category_flags=category_flags,
        )

    # -- lookups ---------------------------------------------------------------------

    def lookup_code(self, code: str | None) -> MappingHit | None:
        """An MPDS determinant, an APCO code, or a local code spelled like a call type."""
        if not code or not code.strip():
            return None
        hit = self._lookup_mpds(code)
        if hit is None:
            entry = self.apco.get(normalise_apco(code))
            if entry is not None:
                hit = MappingHit("apco", normalise_apco(code), entry.category, entry.flags, code)
        return hit if hit is not None else self.lookup_call_type(code)

    def _lookup_mpds(self, code: str) -> MappingHit | None:
        parsed = parse_mpds(code)
        if parsed is None:
            return None
        card, level, num, suffix = parsed
        entry = self.mpds_cards.get(card)
        if entry is None:
            return None
        flags = list(entry.flags)
        key = mpds_key(card, level, num)
        for extra in (self.mpds_determinants.get(mpds_key(card, level, None), ()), self.mpds_determinants.get(key, ())):
            flags.extend(extra)
        if suffix:
            flags.extend(self.mpds_suffixes.get(card, {}).get(suffix, ()))
        return MappingHit("mpds", key + suffix.lower(), entry.category, _unique(flags), code)

    def rewrite_text(self, text: str) -> str:
        """``text`` normalised, with the rewrites applied (what phrase rules see).

        Rewrites remove protocol titles that only look like evidence and respell AMS.
        """
        norm = normalise_text(text)
        for regex, target in self.rewrites:
            norm = regex.sub(target, norm)
        return " ".join(norm.split())

    def lookup_call_type(self, call_type: str | None) -> MappingHit | None:
        """Rewrites, then phrase rules (all that match add their flags), then the exact table."""
        if not call_type:
            return None
        norm = normalise_text(call_type)
        if not norm:
            return None
        norm = self.rewrite_text(norm)
        words = norm.split()
        flags: list[str] = []
        categories: list[str] = []
        for rule in self.phrases:
            if rule.regex.search(norm):
                flags.extend(rule.flags)
                categories.append(rule.category)
        for word in words[:2]:  # "25B03 - PSYCH": a determinant (not a bare number) leading the type
            parsed = parse_mpds(word)
            hit = self._lookup_mpds(word) if parsed is not None and parsed[1] else None
            if hit is not None:
                flags.extend(hit.flags)
                categories.append(hit.category)
        if categories:
            return MappingHit("call_type", norm, categories[0], _unique(flags), call_type)
        entry = self.exact.get(norm)
        if entry is not None:
            return MappingHit("call_type", norm, entry.category, entry.flags, call_type)
        return None


def _phrase(text: str) -> tuple[str, ...]:
    words: list[str] = []
    for token in text.split():
        parts = normalise_text(token.rstrip("*")).split()
        if token.endswith("*") and parts:
            parts[-1] += "*"
        words.extend(parts)
    return tuple(words)


def _phrases_regex(phrases: Iterable[tuple[str, ...]], negatable: bool) -> re.Pattern[str]:
    """One regex for whole-word phrases in a normalised string (words joined by one space).

    ``WORD*`` matches any word starting with WORD. When ``negatable``, a phrase right after
    a negating word does not match there (it may still match further on).
    """
    alternatives = [
        " ".join(re.escape(w[:-1]) + r"[^ ]*" if w.endswith("*") else re.escape(w) for w in phrase)
        for phrase in phrases
        if phrase
    ]
    guard = "".join(rf"(?<!\b{n} )" for n in sorted(_NEGATORS)) if negatable else ""
    return re.compile(rf"(?:^|(?<= )){guard}(?:{'|'.join(alternatives) or '(?!)'})(?= |$)")


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
