"""The language check: is the text in a language the reader reads (English or Spanish)?

The word lists are data (``lexicon/language/``).
Words common in the dispatch text of other languages and never words (or abbreviations) of
US dispatch English or Spanish, and English function words. A text whose foreign markers
(those words, or words with letters such as å, ä, ö, ß, è) outnumber its English and Spanish
function words is unreadable to this reader: it raises the doubt ``unreadable``. Spanish,
Los Angeles' second language, is read (its concepts and negations are in the lexicon), so
Spanish text is no doubt. Weak markers are also English abbreviations ("ATT" attempt,
"CON", "SIG", "DEL", "OM"): they only count beside a strong one.
"""

from __future__ import annotations

import re

from .lexicon import word_set
from .tokens import fold

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
#: Letters that English and Spanish do not use.
_FOREIGN_LETTER = re.compile("[àâãäåæçèêëìîïðòôõöøùûýþÿß]", re.IGNORECASE)


def foreign_language(text: str) -> re.Match[str] | None:
    """The first foreign marker of ``text`` when the text reads as a language we do not read, else None."""
    first: re.Match[str] | None = None
    strong = weak = readable = 0
    readable_words, foreign_words = word_set("language/readable.txt"), word_set("language/foreign.txt")
    weak_words = word_set("language/weak_foreign.txt")
    for m in _WORD.finditer(text):
        word = m.group().lower()
        key = fold(word)  # the lists are folded like every lexicon file ("está" -> "esta")
        if key in readable_words:
            readable += 1
        elif key in foreign_words or _FOREIGN_LETTER.search(word):
            strong += 1
            first = first or m
        elif key in weak_words:
            weak += 1
    return first if strong and strong + weak > readable else None
