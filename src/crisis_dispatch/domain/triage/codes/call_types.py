"""The reading of local call-type text: normalisation, phrase rules, rewrites, typos.

A call type is compared case- and punctuation-insensitively (``Mental Disorder_Violent``
and ``MENTAL DISORDER VIOLENT`` are the same string, ``normalise_text``). Phrase rules
raise flags for whole-word phrases, except right after a negating word (``NOT ARMED``);
rewrites replace phrases before the rules see them (protocol titles that only look like
evidence); a key danger word is read through a one-letter typo (``SUICIDE ATIEMPT`` is an
attempt, ``respell_typos``); a part set off by asterisks is a reported condition read on
its own (``starred_parts``). The tables these functions read are built and held by
``mappings.CodeMappings``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..reader.typos import one_edit_apart

_NEGATORS = frozenset({"NOT", "NON", "NO", "WITHOUT", "N", "NT", "WO"})

#: A key danger word is only read through a typo when it is at least this long: shorter
#: words are one letter away from too many other words.
TYPO_MIN_LENGTH = 6


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
        object.__setattr__(self, "regex", phrases_regex(self.phrases, negatable=True))


def normalise_text(value: str) -> str:
    """Upper-case words separated by single spaces; ``W/O`` → ``WITHOUT``, ``I/P`` → ``IN PROGRESS``."""
    text = value.upper()
    text = re.sub(r"\bW/O\b", " WITHOUT ", text)
    text = re.sub(r"\bI/P\b", " IN PROGRESS ", text)
    text = re.sub(r"\bJ/O\b", " JUST OCCURRED ", text)
    text = re.sub(r"\bW/", " WITH ", text)
    text = re.sub(r"[^A-Z0-9Ω]+", " ", text)
    return " ".join(text.split())


def starred_parts(call_type: str) -> list[str]:
    """The parts of a call type that follow an asterisk, up to the next one
    (``"Psych *Violent* Per PD"`` → ``["Violent", " Per PD"]``)."""
    return [part for part in re.findall(r"\*+([^*]+)", call_type) if part.strip()]


def respell_typos(norm: str, typo_words: tuple[str, ...], not_typos: frozenset[str]) -> str:
    """``norm`` (normalised) with each word one typo away from a key danger word respelt.

    A word is left alone when it is a key word or an inflection of one (``ATTEMPTS``),
    one of ``not_typos`` (``SHOUTING`` is not ``SHOOTING``), or shorter than
    ``TYPO_MIN_LENGTH``.
    """
    if not typo_words:
        return norm
    words = norm.split()
    for i, word in enumerate(words):
        if len(word) < TYPO_MIN_LENGTH or word in not_typos or any(word.startswith(k) for k in typo_words):
            continue
        key = next((k for k in typo_words if one_edit_apart(word, k)), None)
        if key is not None:
            words[i] = key
    return " ".join(words)


def apply_rewrites(norm: str, rewrites: Iterable[tuple[re.Pattern[str], str]]) -> str:
    """``norm`` (normalised) with each rewrite applied in turn, spaces folded again."""
    for regex, target in rewrites:
        norm = regex.sub(target, norm)
    return " ".join(norm.split())


def phrase_hits(rules: Iterable[PhraseRule], norm: str) -> tuple[list[str], list[str]]:
    """The categories and the flags of every phrase rule that matches ``norm``."""
    flags: list[str] = []
    categories: list[str] = []
    for rule in rules:
        if rule.regex.search(norm):
            flags.extend(rule.flags)
            categories.append(rule.category)
    return categories, flags


def parse_phrase(text: str) -> tuple[str, ...]:
    """A phrase of the data as normalised words; a trailing ``*`` stays on its word."""
    words: list[str] = []
    for token in text.split():
        parts = normalise_text(token.rstrip("*")).split()
        if token.endswith("*") and parts:
            parts[-1] += "*"
        words.extend(parts)
    return tuple(words)


def phrases_regex(phrases: Iterable[tuple[str, ...]], negatable: bool) -> re.Pattern[str]:
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
