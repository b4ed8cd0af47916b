"""The narrative reader: risk flags, with their evidence span, from dispatch free text.

Real narratives are shouted, abbreviated, misspelt and telegraphic (``PT``, ``RP``, ``OD``,
``SI``, ``W/``, ``UNC``), full of negations (``NO WEAPONS``, ``DENIES SI``, ``SUBJ HAS GUN
NO SHOTS FIRED``), sometimes in Spanish, and carry ProQA answer lines (``2. No wpn.``,
``Suffix: V (Violent)``). The reader is a pipeline, one module a step:

1. ``tokens``: the CAD tokeniser (words, numbers, terminators, with their offsets);
2. ``typos``: danger words written with a one-letter typo are respelt (``cuting``);
3. ``cues`` and ``lexicon/concepts/``: the concepts of each flag, found by the English
   pattern table (``lexicon/patterns/``, read by ``cues``) and by token phrases (Spanish,
   and English phrases that need no pattern);
   protocol titles and boilerplate lines are set aside first;
4. ``context``: NegEx/ConText triggers with a direction and a scope decide whether each
   concept is present, denied or unknown;
5. the flags: per flag, present outranks denied (``NO WEAPONS BUT HAS A KNIFE`` → weapon);
   "possible" counts as present; a medical danger nobody could rule out (``UNK IF SHE TOOK
   ANYTHING``) becomes the doubt ``possible_medical``; text in a language the reader does not
   read raises the doubt ``unreadable`` (``language``). What the text implies (a gun from
   "shoot himself"; an attempt from pills or a weapon in a suicidal context; a rescue from a
   person at a dangerous place) is added last.

Evidence is always the text as written: ``narrative[start:end]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..flags import (
    DANGEROUS_PLACE,
    MEDICAL,
    MENTAL_HEALTH,
    MINOR,
    OVERDOSE,
    POSSIBLE_MEDICAL,
    SELF_HARM_IN_PROGRESS,
    SUICIDAL,
    UNREADABLE,
    UNSAFE_LOCATION,
    WEAPON,
    Flag,
    FlagSource,
)
from .context import Context, Verdict
from .cues import ADULT_AGE, AGE, CUES, MINOR_WORDS, TITLES
from .language import foreign_language
from .lexicon import concept_index, phrase_index, token_matches, word_set
from .tokens import Kind, Token, fold, tokenise
from .typos import respell

__all__ = ["NarrativeReading", "quoted_codes", "read_narrative"]

_MEDICAL_DANGERS = frozenset({MEDICAL, OVERDOSE, SELF_HARM_IN_PROGRESS, POSSIBLE_MEDICAL})
_INTENT_WORDS = 4


@dataclass(frozen=True)
class NarrativeReading:
    """The flags a narrative raises and the ones it denies, each with its evidence span."""

    flags: tuple[Flag, ...]
    denials: tuple[Flag, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.flags)

    @property
    def denied_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.denials) - self.names


@dataclass(frozen=True)
class _Found:
    """A concept found in the (respelt) text, before its context is judged."""

    flag: str
    start: int
    end: int
    negatable: bool = True
    denial: bool = False
    implied: bool = False
    means: bool = False
    place: bool = False


def _respelt(text: str) -> tuple[str, list[int]]:
    """``text`` with typos of danger words respelt, and each respelt offset's original offset."""
    pieces: list[str] = []
    back: list[int] = []
    last = 0
    for m in re.finditer(r"[^\W\d_]+", text):
        fixed = respell(fold(m.group()))
        if fixed is None:
            continue
        pieces.append(text[last : m.start()])
        back.extend(range(last, m.start()))
        word = fixed.upper() if m.group().isupper() else fixed
        pieces.append(word)
        back.extend(min(m.start() + i, m.end() - 1) for i in range(len(word)))
        last = m.end()
    pieces.append(text[last:])
    back.extend(range(last, len(text) + 1))
    return "".join(pieces), back


def _lexicon_concepts(tokens: list[Token], words: list[str]) -> list[_Found]:
    index = concept_index()
    found: list[_Found] = []
    for k in range(len(tokens)):
        seen: set[str] = set()
        for phrase_words, value in index.find_all(words, k) if words[k] else ():
            if str(value) in seen:
                continue  # the longest phrase of each file at this word
            seen.add(str(value))
            flag, _, kind = str(value).partition(".")
            found.append(_Found(flag, tokens[k].start, tokens[k + len(phrase_words) - 1].end, denial=kind == "denied"))
    return found


def _boilerplate(tokens: list[Token], words: list[str]) -> list[tuple[int, int]]:
    """Spans of boilerplate phrases, each to the end of its clause."""
    index = phrase_index("boilerplate.txt")
    terminators = word_set("context/terminators.txt")
    spans: list[tuple[int, int]] = []
    for k in range(len(tokens)):
        hit = index.find(words, k)
        if hit is not None:
            end = k + len(hit[0])
            while end < len(tokens) and tokens[end].kind is not Kind.PUNCT and tokens[end].norm not in terminators:
                end += 1
            spans.append((tokens[k].start, tokens[end - 1].end))
    return spans


def read_narrative(text: str | None) -> NarrativeReading:
    """Read ``text`` and return every flag it raises (first evidence per flag) and every denial."""
    if not text or not text.strip():
        return NarrativeReading((), ())
    respelt, back = _respelt(text)
    tokens = tokenise(respelt)
    # the words phrases are matched on; punctuation matches no phrase
    words = [t.norm if t.kind is not Kind.PUNCT else "" for t in tokens]
    masked = [(m.start(), m.end()) for m in TITLES.finditer(respelt)] + _boilerplate(tokens, words)

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in masked)

    found = [
        _Found(cue.flag, m.start(), m.end(), cue.negatable, cue.denial, cue.implied, cue.means, cue.place)
        for cue in CUES
        for m in cue.regex.finditer(respelt)
        if free(m.start(), m.end())
    ]
    found += [f for f in _lexicon_concepts(tokens, words) if free(f.start, f.end)]
    ages = [m for m in AGE.finditer(respelt)]
    minors = [m for m in MINOR_WORDS.finditer(respelt)]
    context = Context(
        respelt,
        tokens,
        # a denial as written ("HAS NOT TAKEN ANYTHING") is no concept to judge: its own
        # negation must still reach what it names ("TAKEN ANYTHING")
        [(f.start, f.end) for f in found if not f.denial] + [(m.start(), m.end()) for m in ages + minors],
    )

    present: dict[str, Flag] = {}
    denied: dict[str, Flag] = {}
    implied: dict[str, Flag] = {}
    places: list[Flag] = []

    def evidence(flag: str, start: int, end: int) -> Flag:
        s, e = back[start], back[end - 1] + 1 if end > start else back[end]
        return Flag(flag, text[s:e], FlagSource.NARRATIVE, s, e)

    def note(flag: str, start: int, end: int, is_denial: bool) -> None:
        target = denied if is_denial else present
        f = evidence(flag, start, end)
        if flag not in target or (f.start or 0) < (target[flag].start or 0):
            target[flag] = f

    for f in found:
        if f.denial:
            note(f.flag, f.start, f.end, True)
            continue
        verdict = context.judge(f.start, f.end) if f.negatable else Verdict("present", f.start, f.end)
        flag = f.flag
        if f.implied:
            if verdict.kind == "present" and flag not in implied:
                implied[flag] = evidence(flag, f.start, f.end)
            continue
        if verdict.kind == "unknown":
            # "UNK IF SHE TOOK ANYTHING": a medical danger nobody could rule out.
            if flag in _MEDICAL_DANGERS:
                note(POSSIBLE_MEDICAL, verdict.start, verdict.end, False)
            continue
        if flag == SELF_HARM_IN_PROGRESS and verdict.kind == "present" and not f.means and _intent_only(context, f.start):
            flag = SUICIDAL  # "WANTS TO JUMP OFF THE BRIDGE": a threat, not an attempt
        elif f.place and verdict.kind == "present":
            places.append(evidence(UNSAFE_LOCATION, f.start, f.end))
        note(flag, verdict.start, verdict.end, verdict.kind == "denied")
    _read_ages(context, ages, minors, note)
    foreign = foreign_language(text)
    if foreign:
        present.setdefault(UNREADABLE, Flag(UNREADABLE, foreign.group(), FlagSource.NARRATIVE, foreign.start(), foreign.end()))
    _implications(present, denied, implied, places)
    flags = tuple(sorted(present.values(), key=lambda f: (f.start or 0, f.name)))
    denials = tuple(sorted((d for n, d in denied.items() if n not in present), key=lambda f: (f.start or 0, f.name)))
    return NarrativeReading(flags, denials)


def _implications(present: dict[str, Flag], denied: dict[str, Flag], implied: dict[str, Flag], places: list[Flag]) -> None:
    """What the findings imply; each only adds a flag."""
    # What the text implies counts unless the text says otherwise ("SHOOT HIMSELF ... NO GUNS").
    for name, f in implied.items():
        if name not in present and name not in denied:
            present[name] = f
    # Pills taken, or a weapon at hand, in a suicidal context: an attempt, not just talk.
    if SUICIDAL in present and SELF_HARM_IN_PROGRESS not in present:
        for means in (OVERDOSE, WEAPON):
            if means in present:
                f = present[means]
                present[SELF_HARM_IN_PROGRESS] = Flag(SELF_HARM_IN_PROGRESS, f.evidence, FlagSource.NARRATIVE, f.start, f.end)
                break
    # At a dangerous place (on an overpass, on the tracks), an attempt needs a rescue: police too.
    if places and SELF_HARM_IN_PROGRESS in present and UNSAFE_LOCATION not in present:
        present[UNSAFE_LOCATION] = places[0]
    # The place itself, for the protocol's rules that join it with what codes say.
    if places and DANGEROUS_PLACE not in present:
        p = places[0]
        present[DANGEROUS_PLACE] = Flag(DANGEROUS_PLACE, p.evidence, FlagSource.NARRATIVE, p.start, p.end)
    # Suicidal talk or self-harm is a mental-health component in its own right.
    for name in (SUICIDAL, SELF_HARM_IN_PROGRESS):
        if name in present and MENTAL_HEALTH not in present:
            f = present[name]
            present[MENTAL_HEALTH] = Flag(MENTAL_HEALTH, f.evidence, FlagSource.NARRATIVE, f.start, f.end)


# An MPDS determinant quoted in the text ("Dispatch Code: 25-A-02", "DELTA 25D01"): the
# words before it must say it is a code, so unit names and addresses are not read as one.
_QUOTED_CODE = re.compile(
    r"(?:CODE|LEVEL|DETERMINANT|DISPATCH|PROQA|ALPHA|BRAVO|CHARLIE|DELTA|ECHO|OMEGA|FROM|TO)\W{0,3}"
    r"(?P<code>(?<![\w-])0?\d{1,2}-?[A-EO]-?\d{1,2}[A-Z]?)(?![\w-])",
    re.IGNORECASE,
)


def quoted_codes(text: str | None) -> list[tuple[str, int, int]]:
    """MPDS-looking determinants quoted in ``text``: ``(code, start, end)``, for the code mappings."""
    return [(m["code"], m.start("code"), m.end("code")) for m in _QUOTED_CODE.finditer(text or "")]


def _read_ages(
    context: Context,
    ages: list[re.Match[str]],
    minors: list[re.Match[str]],
    note: Callable[[str, int, int, bool], None],
) -> None:
    for m in ages:
        age = int(m.group("age") or m.group("age2"))
        if 0 < age < ADULT_AGE:
            verdict = context.judge(m.start(), m.end())
            note(MINOR, verdict.start, verdict.end, verdict.kind == "denied")
        elif ADULT_AGE <= age < 120:
            note(MINOR, m.start(), m.end(), True)  # an adult: the hold rules for minors do not apply
    for m in minors:
        verdict = context.judge(m.start(), m.end())
        if verdict.kind != "unknown":
            note(MINOR, verdict.start, verdict.end, verdict.kind == "denied")


def _intent_only(context: Context, start: int) -> bool:
    """True when the words just before a self-harm cue make it a wish or a threat."""
    intent = word_set("context/intent.txt")
    return any(any(token_matches(pattern, word) for pattern in intent) for word in context.words_before(start, _INTENT_WORDS))
