"""Dump the reader's pattern table as JSON, to show that an edit of its files changed nothing.

Usage:
    python tools/narratives/dump_patterns.py OUT.json          # dump the table as it reads now
    python tools/narratives/dump_patterns.py --compare A.json B.json

The dump holds, per cue in the order the reader tries them, its flag, its compiled pattern,
the regex flags and its options (denial, negatable, implied, means, place), then the
patterns of TITLES, AGE and MINOR_WORDS and ADULT_AGE. Dump before a change that should move
or rewrap patterns without changing one (``lexicon/patterns/``), dump after, compare: the
comparison names the first cue that differs and exits 1.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from crisis_dispatch.domain.triage.reader.cues import ADULT_AGE, AGE, CUES, MINOR_WORDS, TITLES


def dump() -> dict[str, Any]:
    return {
        "cues": [[c.flag, c.regex.pattern, int(c.regex.flags), c.denial, c.negatable, c.implied, c.means, c.place] for c in CUES],
        "TITLES": [TITLES.pattern, int(TITLES.flags)],
        "AGE": [AGE.pattern, int(AGE.flags)],
        "MINOR_WORDS": [MINOR_WORDS.pattern, int(MINOR_WORDS.flags)],
        "ADULT_AGE": ADULT_AGE,
    }


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    differences = []
    if len(a["cues"]) != len(b["cues"]):
        differences.append(f"{len(a['cues'])} cues against {len(b['cues'])}")
    for i, (x, y) in enumerate(zip(a["cues"], b["cues"], strict=False)):
        if x != y:
            differences.append(f"cue {i} ({x[0]}) differs:\n  {x}\n  {y}")
            break
    differences += [f"{key} differs" for key in ("TITLES", "AGE", "MINOR_WORDS", "ADULT_AGE") if a[key] != b[key]]
    return differences


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "--compare":
        with open(argv[1], encoding="utf-8") as fa, open(argv[2], encoding="utf-8") as fb:
            a, b = json.load(fa), json.load(fb)
        differences = compare(a, b)
        print("\n".join(differences) if differences else f"equal: {len(a['cues'])} cues, TITLES, AGE, MINOR_WORDS, ADULT_AGE")
        return 1 if differences else 0
    if len(argv) == 1:
        with open(argv[0], "w", encoding="utf-8") as out:
            json.dump(dump(), out, indent=1)
        print(f"{len(CUES)} cues dumped to {argv[0]}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
