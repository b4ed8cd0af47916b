"""The code mappings' facade: ``CodeMappings`` (built by ``build``) and
the lookups that turn an APCO code, an MPDS determinant or a local call-type string into a
``MappingHit`` (a category and the flags it raises).

Everything here is built from already-checked data (``CodeMappings.build``; the files are
validated by ``adapters.config.mappings``) so the domain stays free of file formats; the shipped data lives in
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

from .call_types import (
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
    def build(
        cls,
        *,
        apco: Mapping[str, tuple[str, tuple[str, ...]]],
        cards: Mapping[int, tuple[str, tuple[str, ...], Mapping[str, tuple[str, ...]]]],
        determinants: Mapping[str, tuple[str, ...]],
        known: Iterable[str],
        categories: Mapping[str, tuple[str, ...]],
        phrases: Iterable[tuple[tuple[str, ...], tuple[str, ...], str]],
        rewrites: Iterable[tuple[tuple[str, ...], str]],
        exact: Iterable[tuple[str, str]],
        typo_words: Iterable[str],
        real_words: Iterable[str],
        level_cards: Mapping[str, int],
    ) -> CodeMappings:
        """Build from tables already checked (``adapters.config.mappings`` validates the
        files): codes and texts are normalised and phrases compiled here, nothing is refused.

        ``apco``: code -> (category, flags). ``cards``: card -> (category, flags, suffix
        letter -> flags). ``determinants``: an MPDS determinant (``25B3``) -> flags; ``known``:
        known determinants. ``categories``: call-type category -> flags. ``phrases``: (match
        phrases, flags, category). ``rewrites``: (match phrases, replacement). ``exact``:
        (call-type string, category) pairs, e.g. a CAD taxonomy; the first of a text wins.
        """
        determinant_keys = {mpds_key(*parsed[:3]): fl for code, fl in determinants.items() if (parsed := parse_mpds(code))}
        known_keys = frozenset(mpds_key(*parsed[:3]) for code in known if (parsed := parse_mpds(code)))
        exact_table: dict[str, _Entry] = {}
        for text, category in exact:
            if key := normalise_text(text):
                exact_table.setdefault(key, _Entry(category, tuple(categories[category])))
        return cls(
            apco={normalise_apco(code): _Entry(cat, tuple(fl)) for code, (cat, fl) in apco.items()},
            mpds_cards={card: _Entry(cat, tuple(fl)) for card, (cat, fl, _) in cards.items()},
            mpds_determinants=determinant_keys,
            mpds_suffixes={
                card: {letter.upper(): tuple(fl) for letter, fl in sfx.items()} for card, (_, _, sfx) in cards.items()
            },
            mpds_known=known_keys,
            phrases=tuple(
                PhraseRule(phrases=tuple(parse_phrase(m) for m in matches), flags=tuple(fl), category=cat)
                for matches, fl, cat in phrases
            ),
            rewrites=tuple(
                (phrases_regex((parse_phrase(m),), negatable=False), normalise_text(target))
                for matches, target in rewrites
                for m in matches
            ),
            exact=exact_table,
            category_flags={name: tuple(fl) for name, fl in categories.items()},
            typo_words=tuple(normalise_text(w) for w in typo_words),
            not_typos=frozenset(normalise_text(w) for w in real_words),
            level_cards=dict(level_cards),
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
