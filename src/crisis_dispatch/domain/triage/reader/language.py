"""The language check: is the text in a language the reader reads (English or Spanish)?

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

_FOREIGN_WORDS = frozenset(
    # Swedish, Norwegian, Danish
    "och som är för till hon det på av kvar ett har vid från hos eller efter enligt ska jag hennes hans mig "
    "dig också ringer ringt oklart ej og ikke jeg tagit hotat skurit brukare kvinna vänninna"
    # Portuguese
    " não com uma você ele ela"
    # French, German
    " les est avec pour dans elle pas qui und ist nicht sich ein eine auf".split()
)
_WEAK_FOREIGN_WORDS = frozenset("om att sig inte del".split())
_READABLE_WORDS = frozenset(
    # English function words and dispatch words
    "the a an and or of to in on at is was are were he she his her him they them with for not no has have had "
    "that this by from it be been said states stated will would who what about there as if out up all can my me "
    "i you we per advised adv rp caller pt subj male female"
    # Spanish function words
    " el la los las un una unos unas y o de del que por para con sin su sus esta está es son muy pero tiene "
    "dice quiere se no lo le ella él hay cuando donde porque como mujer hombre señor señora esposo esposa hijo hija".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
#: Letters that English and Spanish do not use.
_FOREIGN_LETTER = re.compile("[àâãäåæçèêëìîïðòôõöøùûýþÿß]", re.IGNORECASE)


def foreign_language(text: str) -> re.Match[str] | None:
    """The first foreign marker of ``text`` when the text reads as a language we do not read, else None."""
    first: re.Match[str] | None = None
    strong = weak = readable = 0
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if word in _READABLE_WORDS:
            readable += 1
        elif word in _FOREIGN_WORDS or _FOREIGN_LETTER.search(word):
            strong += 1
            first = first or m
        elif word in _WEAK_FOREIGN_WORDS:
            weak += 1
    return first if strong and strong + weak > readable else None
