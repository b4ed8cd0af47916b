"""Write src/crisis_dispatch/domain/triage/lexicon/real_words.txt: the real words one typo from a danger word.

Usage: python tools/narratives/build_real_words.py   (needs the `tools` extra: pip install -e '.[tools]')

For every danger word of ``lexicon/typos.txt`` it lists each string one edit away (a letter
changed, added or dropped, two neighbours swapped) that is a word of English or Spanish
(wordfreq's Zipf frequency at least ``MIN_ZIPF``: about three times in a million words;
rarer strings are mostly misspellings, ``assualt``, ``riffle``), so the
reader leaves ``putting``, ``shouting`` and ``bills`` alone. Deterministic; the output is
sorted. Run it again after editing ``typos.txt``.
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from wordfreq import zipf_frequency

LEXICON = Path(__file__).resolve().parents[2] / "src" / "crisis_dispatch" / "domain" / "triage" / "lexicon"
MIN_ZIPF = 2.5
LETTERS = string.ascii_lowercase + "ñáéíóú"
#: Frequent enough in wordfreq, but misspellings of a danger word all the same.
MISSPELLINGS = frozenset({"inconciente", "razer"})


def neighbours(word: str) -> set[str]:
    out: set[str] = set()
    for i in range(len(word) + 1):
        for c in LETTERS:
            out.add(word[:i] + c + word[i:])  # insertion
            if i < len(word):
                out.add(word[:i] + c + word[i + 1 :])  # substitution
        if i < len(word):
            out.add(word[:i] + word[i + 1 :])  # deletion
        if i < len(word) - 1:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # transposition
    out.discard(word)
    return out


def danger_words() -> list[str]:
    lines = (LEXICON / "typos.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def main() -> int:
    dangers = danger_words()
    real: set[str] = set()
    for word in dangers:
        for candidate in neighbours(word):
            if candidate in MISSPELLINGS or candidate in dangers or any(d.startswith(candidate) for d in dangers):
                continue  # a danger word cut short ("shootin", "bleedin") is that word
            if max(zipf_frequency(candidate, "en"), zipf_frequency(candidate, "es")) >= MIN_ZIPF:
                real.add(candidate)
    header = [
        "# Real words (English or Spanish) one letter away from a danger word of typos.txt: never",
        f"# respelt. Made by tools/narratives/build_real_words.py (wordfreq, Zipf >= {MIN_ZIPF}); do not edit by hand.",
    ]
    (LEXICON / "real_words.txt").write_text("\n".join(header + sorted(real)) + "\n", encoding="utf-8")
    print(f"{len(real)} real words near {len(dangers)} danger words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
