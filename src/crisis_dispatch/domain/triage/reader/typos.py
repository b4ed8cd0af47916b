"""Danger words read through a one-letter typo: ``cuting``, ``bleding``, ``riffle``, ``sezure``.

The danger words are data (``lexicon/typos.txt``, five letters or more); so are the real
words one letter away from one of them (``lexicon/real_words.txt``: ``putting`` is not
``cutting``, ``shouting`` is not ``shooting``), which are left alone. The look-up is
SymSpell's (Garbe 2012) for an edit distance of one: a word and a danger word one edit
apart share a string of one letter fewer, so each word costs a few dictionary look-ups.
A respelling only lets the pattern table and the lexicon see the danger word; the evidence
of a finding stays the text as written.
"""

from __future__ import annotations

from functools import cache

from .lexicon import word_set

#: The shortest danger word read through a typo; shorter words are one letter away from
#: too many others.
TYPO_MIN_LENGTH = 5


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one letter changed, added or dropped, or
    by two neighbouring letters swapped (``ATIEMPT``, ``ATTMPT``, ``ATTEPMT`` vs ``ATTEMPT``)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _deletes(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in sorted(danger_words()):
        for d in _deletes(word):
            index.setdefault(d, []).append(word)
    return {k: tuple(v) for k, v in index.items()}


@cache
def danger_words() -> frozenset[str]:
    return frozenset(w for w in word_set("typos.txt") if len(w) >= TYPO_MIN_LENGTH)


@cache
def respell(word: str) -> str | None:
    """The danger word ``word`` (lower case) is a one-letter typo of, or None.

    None for a danger word itself, a listed real word (real inflections such as ``rifles``
    are there), or a word shorter than ``TYPO_MIN_LENGTH - 1``; a danger word with a stray
    letter at the end (``aggressivea``, ``assaultd``) is respelt.
    """
    if len(word) < TYPO_MIN_LENGTH - 1 or word in danger_words() or word in word_set("real_words.txt"):
        return None
    index = _index()
    candidates = sorted({w for d in _deletes(word) for w in index.get(d, ())})
    return next((c for c in candidates if one_edit_apart(word, c)), None)
