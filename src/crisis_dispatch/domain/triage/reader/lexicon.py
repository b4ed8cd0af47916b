"""The reader's lexicon: reviewed data files under ``domain/triage/lexicon/``, read once.

Plain text, one entry a line, ``#`` comments (see ``lexicon/README.md``). Finding package
data is done here only: the pattern table's loader (``cues.py``) reads the folder that
``lexicon_folder`` gives it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from .tokens import fold

Phrase = tuple[str, ...]


def lexicon_folder(relative: str) -> Traversable:
    """A file or folder of ``lexicon/``, by its path there (``concepts``, ``patterns``)."""
    return files("crisis_dispatch.domain.triage").joinpath("lexicon", *relative.split("/"))


def _lines(relative: str) -> Iterator[str]:
    resource = lexicon_folder(relative)
    for raw in resource.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line:
            yield line


def phrase(text: str) -> Phrase:
    """A lexicon phrase as the tokens it matches (folded; ``*`` kept as a prefix mark)."""
    return tuple(fold(text).split())


def token_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") and len(pattern) > 1 else word == pattern


@dataclass(frozen=True)
class Trigger:
    direction: str  # forward | backward | backward-end | clause-start
    category: str  # negated | uncertain
    words: Phrase


@cache
def triggers() -> tuple[Trigger, ...]:
    """Every ConText trigger, longest phrase first (so ``not sure`` wins over ``not``)."""
    found: list[Trigger] = []
    for category, name in (("negated", "negation"), ("uncertain", "uncertainty")):
        for line in _lines(f"context/{name}.txt"):
            direction, _, text = line.partition(" ")
            if direction not in {"forward", "backward", "backward-end", "clause-start"}:
                raise ValueError(f"lexicon/context/{name}.txt: unknown direction {direction!r}")
            found.append(Trigger(direction, category, phrase(text)))
    return tuple(sorted(found, key=lambda t: -len(t.words)))


@cache
def word_set(name: str) -> frozenset[str]:
    """A one-word-a-line list (``context/connectors.txt``...), folded."""
    return frozenset(fold(line) for line in _lines(name))


@cache
def phrases(name: str) -> tuple[Phrase, ...]:
    """A phrase-a-line list, longest first."""
    return tuple(sorted((phrase(line) for line in _lines(name)), key=lambda p: -len(p)))


class PhraseIndex:
    """Phrases by their first word, so a text is scanned with one look-up a token.

    ``find(words, k)`` is the longest entry whose phrase starts at ``words[k]``, or None;
    ``find_all`` every one.
    """

    def __init__(self, entries: list[tuple[Phrase, object]]) -> None:
        self.exact: dict[str, list[tuple[Phrase, object]]] = {}
        self.prefixed: list[tuple[str, Phrase, object]] = []
        for words, value in sorted(entries, key=lambda e: -len(e[0])):
            if words[0].endswith("*"):
                self.prefixed.append((words[0][:-1], words, value))
            else:
                self.exact.setdefault(words[0], []).append((words, value))

    def find_all(self, words: list[str], k: int) -> list[tuple[Phrase, object]]:
        """Every entry whose phrase starts at ``words[k]`` (the longest first)."""
        candidates = list(self.exact.get(words[k], ()))
        candidates += [(p, v) for prefix, p, v in self.prefixed if words[k].startswith(prefix)]
        found = [
            (phrase_words, value)
            for phrase_words, value in candidates
            if k + len(phrase_words) <= len(words) and all(token_matches(w, words[k + i]) for i, w in enumerate(phrase_words))
        ]
        return sorted(found, key=lambda e: -len(e[0]))

    def find(self, words: list[str], k: int) -> tuple[Phrase, object] | None:
        candidates = list(self.exact.get(words[k], ()))
        candidates += [(p, v) for prefix, p, v in self.prefixed if words[k].startswith(prefix)]
        best: tuple[Phrase, object] | None = None
        for phrase_words, value in candidates:
            n = len(phrase_words)
            fits = k + n <= len(words) and all(token_matches(w, words[k + i]) for i, w in enumerate(phrase_words))
            if fits and (best is None or n > len(best[0])):
                best = (phrase_words, value)
        return best


@cache
def trigger_index(directions: frozenset[str]) -> PhraseIndex:
    return PhraseIndex([(t.words, t) for t in triggers() if t.direction in directions])


@cache
def phrase_index(name: str) -> PhraseIndex:
    return PhraseIndex([(p, name) for p in phrases(name)])


@cache
def concept_index() -> PhraseIndex:
    return PhraseIndex([(p, flag) for flag, entries in concept_phrases().items() for p in entries])


@cache
def concept_phrases() -> dict[str, tuple[Phrase, ...]]:
    """Per flag, the token phrases of ``concepts/<flag>.txt``, longest first."""
    folder = lexicon_folder("concepts")
    return {
        entry.name.removesuffix(".txt"): phrases(f"concepts/{entry.name}")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".txt")
    }
