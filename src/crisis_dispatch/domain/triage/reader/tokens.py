"""The CAD tokeniser: dispatch text into words, numbers and terminators, with their offsets.

Dispatch text is shouted, abbreviated and glued together: ``RP ADV PT HAS A KNIFE//NO
INJURIES...58YOF``. The tokeniser keeps every token's span in the original text (so
evidence is always ``text[start:end]``) and gives each a normal form for matching: lower
case, accents dropped (``cortó`` → ``corto``, so Spanish is matched as typed without its
accents too), curly apostrophes straightened. Glued tokens are split where letters meet
digits (``58YOF`` → ``58`` ``yof``); ``W/`` (with) and ``W/O`` (without) stay one token.

A *terminator* is a token that ends a clause for the context rules: ``.`` ``;`` ``/``
``//`` ``...`` ``,`` ``!`` ``?`` ``*`` a line break, a free-standing ``-``; the word
terminators (``but``, ``however``...) are data (``lexicon/context/terminators.txt``) and are
judged by the context module, not here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    WORD = "word"
    NUMBER = "number"
    PUNCT = "punct"  # a terminator: ends a clause
    COLON = "colon"  # ':' or '=' between a name and its value ("WEAPONS: NO")


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int
    end: int
    kind: Kind

    @property
    def is_word(self) -> bool:
        return self.kind is Kind.WORD


_TOKEN = re.compile(
    r"(?P<with>\bw/o\b|\bw/(?=\s|$|[a-z]))"  # W/O (without), W/ (with)
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<number>\d+(?:st|nd|rd|th)\b|\d+(?:[.,]\d+)?)"  # 2ND is one token: REQ 2ND OFFICER
    r"|(?P<colon>[:=])"
    r"|(?P<newline>\n)"
    r"|(?P<punct>\.{2,}|//+|[.;/,!?*()\[\]|]|(?<!\S)-+(?!\S)|-{2,})",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Lower case without accents, with straight apostrophes: the form words are matched in."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokenise(text: str) -> list[Token]:
    """Every token of ``text`` in order; hyphens inside a word split it (``SELF-HARM``)."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "with" or kind == "word":
            tokens.append(Token(fold(m.group()), m.start(), m.end(), Kind.WORD))
        elif kind == "number":
            tokens.append(Token(m.group().lower(), m.start(), m.end(), Kind.NUMBER))
        elif kind == "colon":
            tokens.append(Token(m.group(), m.start(), m.end(), Kind.COLON))
        else:
            tokens.append(Token(m.group().strip() or "\n", m.start(), m.end(), Kind.PUNCT))
    return tokens


def token_at(tokens: list[Token], offset: int) -> int:
    """The index of the first token that ends after ``offset`` (len(tokens) if none)."""
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo
