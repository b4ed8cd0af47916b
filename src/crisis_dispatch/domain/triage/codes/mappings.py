"""The code mappings' facade: ``CodeMappings`` (built and validated by ``from_data``) and
the lookups that turn an APCO code, an MPDS determinant or a local call-type string into a
``MappingHit`` (a category and the flags it raises).

Everything here is built from already-parsed data (``CodeMappings.from_data``) so the
domain stays free of file formats; the shipped data lives in
``crisis_dispatch/data/mappings/`` and is read by ``adapters.protocol_loader``. The tables
are the APCO codes, the MPDS cards, determinants and suffixes, the call-type phrase rules
and rewrites, and the exact call-type table (Vera's CAD taxonomy: a whole call type and its
category). The grammar of codes is in ``mpds``, the reading of call-type text in
``call_types``. A call type that names an MPDS card by its words lends that card to a
determinant level written in it (``Psych ... (D)``: card 25, Delta) or to a code that lacks
the card number (``B6``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..flags import KNOWN_FLAGS
from .call_types import (
    TYPO_MIN_LENGTH,
    PhraseRule,
    apply_rewrites,
    normalise_text,
    parse_phrase,
    phrase_hits,
    phrases_regex,
    respell_typos,
    starred_parts,
)
from .mpds import (
    bare_determinant,
    call_type_determinants,
    call_type_levels,
    local_code_level,
    mpds_key,
    normalise_apco,
    parse_mpds,
)


@dataclass(frozen=True)
class MappingHit:
    """What a code or call-type string means: a category and the flags it raises."""

    kind: str  # "mpds" | "apco" | "call_type"
    key: str  # the normalised form that matched
    category: str
    flags: tuple[str, ...]
    evidence: str  # the original string as received


#: How many rewritten texts a ``CodeMappings`` remembers before it forgets them all.
REWRITE_MEMO_SIZE = 10_000


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
    typo_words: tuple[str, ...] = ()  # key danger words read through a one-letter typo
    not_typos: frozenset[str] = frozenset()  # real words one letter away from a key word
    level_cards: Mapping[str, int] = field(default_factory=dict)  # call-type category -> MPDS card
    # rewrite_text's results, per (text, correct_typos): a call is read through its call type
    # four or more times, and call types repeat from call to call. The tables above are frozen,
    # so a remembered result is the one rewrite_text would compute again.
    _rewritten: dict[tuple[str, bool], str] = field(default_factory=dict, init=False, compare=False, repr=False, hash=False)

    @classmethod
    def empty(cls) -> CodeMappings:
        return cls()

    @classmethod
    def from_data(  # noqa: C901 -- one validation pass over four tables; the pydantic config layer of issue 16 (item 5) replaces it
        cls,
        apco: Mapping[str, Any] | None = None,
        mpds: Mapping[str, Any] | None = None,
        call_types: Mapping[str, Any] | None = None,
        exact_call_types: Iterable[tuple[str, str]] = (),
    ) -> CodeMappings:
        """Build from parsed data; raise ``ValueError`` listing every problem.

        ``apco``: ``{codes: {CODE: {category, flags}}}``. ``mpds``: ``{cards: {N: {category,
        flags, suffixes: {letter: [flags]}}}, determinants: {25B3: [flags]}, known: [codes]}``.
        ``call_types``: ``{phrases: [{match: [...], flags, category}], categories: {name: [flags]},
        typos: {words: [...], real_words: [...]}, level_cards: {category: card}}``.
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
                    phrases=tuple(parse_phrase(str(m)) for m in matches),
                    flags=flags_of(spec.get("flags"), f"call_types.phrases[{i}].flags"),
                    category=str(spec.get("category", "other")),
                )
            )
        rewrites = []
        for i, spec in enumerate((call_types or {}).get("rewrites") or ()):
            target = normalise_text(str(spec.get("to", "")))
            for m in spec.get("match") or ():
                rewrites.append((phrases_regex((parse_phrase(str(m)),), negatable=False), target))
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
        typos = (call_types or {}).get("typos") or {}
        typo_words = tuple(normalise_text(str(w)) for w in typos.get("words") or ())
        for word in typo_words:
            if len(word) < TYPO_MIN_LENGTH or " " in word:
                errors.append(
                    f"call_types.typos.words.{word}: a typo-tolerant word must be one word of at least {TYPO_MIN_LENGTH} letters"
                )
        not_typos = frozenset(normalise_text(str(w)) for w in typos.get("real_words") or ())
        level_cards: dict[str, int] = {}
        for name, card in ((call_types or {}).get("level_cards") or {}).items():
            if not isinstance(card, int) or card not in cards:
                errors.append(f"call_types.level_cards.{name}: {card!r} is not a card of mpds.cards")
            else:
                level_cards[str(name)] = card
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
            typo_words=typo_words,
            not_typos=not_typos,
            level_cards=level_cards,
        )

    # -- lookups ---------------------------------------------------------------------

    def lookup_code(self, code: str | None, call_type: str | None = None) -> MappingHit | None:
        """An MPDS determinant, an APCO code, or a local code spelled like a call type.

        With ``call_type``, a determinant written without its card number (``B6``) is read
        as a determinant of the card the call type names (``PSYCHIATRIC`` → ``25B6``), when
        that determinant is a known one.
        """
        if not code or not code.strip():
            return None
        hit = self._lookup_mpds(code)
        card = self.card_named(call_type) if hit is None else None
        if card is not None:
            hit = self._lookup_bare_determinant(code, card) or self._lookup_local_code_level(code, card)
        if hit is None:
            entry = self.apco.get(normalise_apco(code))
            if entry is not None:
                hit = MappingHit("apco", normalise_apco(code), entry.category, entry.flags, code)
        # a local code spelled like a call type ("SUIC -E"): its letters are not levels
        return hit if hit is not None else self._lookup_call_type(code, read_levels=False)

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

    def _lookup_bare_determinant(self, code: str, card: int) -> MappingHit | None:
        """A determinant without its card number (``B6``) under a call type naming ``card``."""
        compact = bare_determinant(code)
        if compact is None:
            return None
        hit = self._known_determinant(card, compact)  # "E24" under "Psychological" is a local code, not 25E24
        return replace(hit, evidence=code) if hit is not None else None

    def _known_determinant(self, card: int, determinant: str) -> MappingHit | None:
        """Card ``card``'s ``determinant`` (level and number, ``B6``) when it is a known one, else None."""
        code = f"{card}{determinant}"
        parsed = parse_mpds(code)
        if parsed is None or mpds_key(*parsed[:3]) not in self.mpds_known:
            return None
        return self._lookup_mpds(code)

    def _lookup_local_code_level(self, code: str, card: int) -> MappingHit | None:
        """A centre's own code carrying an MPDS level ("127D01": local code 127, level D)
        under a call type that names ``card``: the level means what that card's level means
        (25D: not alert). Only the level is read; the number belongs to the local scheme."""
        found = local_code_level(code)
        if found is None or found[0] in self.mpds_cards:
            return None
        level = found[1]
        if not self._level_known(card, level) or f"{card}{level}" not in self.mpds_determinants:
            return None
        hit = self._lookup_mpds(f"{card}{level}")
        return replace(hit, evidence=code) if hit is not None else None

    def card_named(self, call_type: str | None) -> int | None:
        """The MPDS card a call type names by its words (``level_cards``), or None."""
        if not call_type or not self.level_cards:
            return None
        categories, _ = self._phrase_hits(self.rewrite_text(call_type))
        return self._card_of(categories)

    def _card_of(self, categories: Iterable[str]) -> int | None:
        """The MPDS card of the first of ``categories`` that names one (``level_cards``), or None."""
        return next((self.level_cards[c] for c in categories if c in self.level_cards), None)

    def _level_known(self, card: int, level: str) -> bool:
        prefix = f"{card}{level}"
        return prefix in self.mpds_determinants or any(
            k.startswith(prefix) and k[len(prefix) :].isdigit() for k in self.mpds_known
        )

    def correct_typos(self, norm: str) -> str:
        """``norm`` (normalised) with each word one typo away from a key danger word respelt.

        A word is left alone when it is a key word or an inflection of one (``ATTEMPTS``),
        a listed real word (``SHOUTING`` is not ``SHOOTING``), or shorter than
        ``TYPO_MIN_LENGTH``.
        """
        return respell_typos(norm, self.typo_words, self.not_typos)

    def rewrite_text(self, text: str, correct_typos: bool = True) -> str:
        """``text`` normalised, typos in key danger words respelt (unless ``correct_typos``
        is false), the rewrites applied (what phrase rules see).

        Rewrites remove protocol titles that only look like evidence and respell AMS.
        Remembered per ``(text, correct_typos)``, up to ``REWRITE_MEMO_SIZE`` texts (then
        forgotten all at once, so a long-running server's memory stays bounded).
        """
        key = (text, correct_typos)
        found = self._rewritten.get(key)
        if found is None:
            if len(self._rewritten) >= REWRITE_MEMO_SIZE:
                self._rewritten.clear()
            found = self._rewritten[key] = self._rewrite(text, correct_typos)
        return found

    def _rewrite(self, text: str, correct_typos: bool) -> str:
        norm = normalise_text(text)
        if correct_typos:
            norm = self.correct_typos(norm)
        return apply_rewrites(norm, self.rewrites)

    def lookup_call_type(self, call_type: str | None) -> MappingHit | None:
        """Rewrites, then phrase rules (all that match add their flags), then the exact table."""
        return self._lookup_call_type(call_type, read_levels=True)

    def _lookup_call_type(self, call_type: str | None, read_levels: bool) -> MappingHit | None:
        """The call type read whole, then each part set off by asterisks on its own (a
        reported condition, not a card title: "Psych *Suicide Attempt* Per PD"); the parts'
        flags add to the whole's."""
        hit = self._lookup_call_type_text(call_type, read_levels)
        if hit is None or not call_type or "*" not in call_type:
            return hit
        extra = [f for part in starred_parts(call_type) if (h := self._lookup_call_type_text(part, False)) for f in h.flags]
        return replace(hit, flags=_unique([*hit.flags, *extra])) if extra else hit

    def _lookup_call_type_text(self, call_type: str | None, read_levels: bool) -> MappingHit | None:
        """The call type read as written and with its typos respelt; a respelling only adds."""
        if not call_type or not normalise_text(call_type):
            return None
        as_written = self.rewrite_text(call_type, correct_typos=False)
        respelt = self.rewrite_text(call_type)
        plain = self._lookup_rewritten(call_type, as_written, read_levels)
        if respelt == as_written:
            return plain
        corrected = self._lookup_rewritten(call_type, respelt, read_levels)
        if corrected is None or plain is None:
            return corrected or plain
        return replace(corrected, flags=_unique(corrected.flags + plain.flags))

    def _lookup_rewritten(self, call_type: str, norm: str, read_levels: bool) -> MappingHit | None:
        words = norm.split()
        categories, flags = self._phrase_hits(norm)
        # A determinant level written in a call type that names a card ("Psych ... (D)",
        # "PSYCHIATRIC-DELTA-PD"): it means what that card's level means (25D: not alert).
        card = self._card_of(categories)
        if card is not None and read_levels:
            for level in call_type_levels(call_type):
                level_hit = self._lookup_mpds(f"{card}{level}") if self._level_known(card, level) else None
                if level_hit is not None:
                    flags.extend(level_hit.flags)
            # ... and a whole determinant without its card ("PSY-B1 - Psychiatric"), when it
            # is a known one of that card (25B1: serious haemorrhage).
            for det in call_type_determinants(call_type):
                det_hit = self._known_determinant(card, det)
                if det_hit is not None:
                    flags.extend(det_hit.flags)
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

    def _phrase_hits(self, norm: str) -> tuple[list[str], list[str]]:
        """The categories and the flags of every phrase rule that matches ``norm``."""
        return phrase_hits(self.phrases, norm)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
