"""Draw the stratified labelling sample (page ids only) from the real dispatch pages.

Usage: python tools/narratives/sample.py [--heldout] [PAGES.jsonl] > /tmp/sample_ids.txt
Prints page ids and strata, one per line, never page text. Deterministic (seeded).
``--heldout`` draws a smaller second sample that excludes the pages in labels.jsonl:
it was labelled after the reader was tuned on the first, and measures it honestly.
``--heldout2`` draws a third sample excluding both, labelled after the fixes the first
held-out run prompted (labels_heldout2.jsonl).
``--heldout3`` draws a fourth, larger sample (120 pages) excluding all three, drawn before
the safety-first reader changes and labelled after them (labels_heldout3.jsonl).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "calls" / "dispatch_narratives" / "dispatch_pages_mh_related.jsonl"
STRATA = {"overdose": 40, "suicide": 45, "psych": 40, "welfare": 25, "other": 20, "empty": 30}
HELDOUT = {"overdose": 15, "suicide": 15, "psych": 15, "welfare": 10, "other": 10, "empty": 15}
# Fewer empty narratives, more text: the fourth sample tests what the reader reads.
HELDOUT3 = {"overdose": 22, "suicide": 25, "psych": 25, "welfare": 18, "other": 18, "empty": 12}
HERE = Path(__file__).resolve().parent


def stratum(page: dict[str, str]) -> str:
    if not page["narrative"].strip():
        return "empty"
    ct = (page["call_type"] + " " + page["code"]).upper()
    for name, words in (("suicide", ("SUIC",)), ("overdose", ("OVERDOS", "OD", "POISON", "INGEST")),
                        ("psych", ("PSYC", "MENTAL", "EDP", "EMOTION", "BEHAV", "25")), ("welfare", ("WELF",))):
        if any(w in ct for w in words):
            return name
    return "other"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--heldout")]
    flags = sys.argv[1:]
    round_ = 3 if "--heldout3" in flags else 2 if "--heldout2" in flags else 1 if "--heldout" in flags else 0
    heldout = round_ > 0
    path = Path(args[0]) if args else DEFAULT
    pages = [json.loads(line) for line in path.open(encoding="utf-8")]
    previous = ["labels.jsonl", "labels_heldout.jsonl", "labels_heldout2.jsonl"][:round_]
    exclude = {json.loads(line)["id"] for name in previous for line in (HERE / name).open(encoding="utf-8")}
    rng = random.Random(20261127 + round_)
    by: dict[str, list[str]] = {}
    for p in pages:
        if p["id"] not in exclude:
            by.setdefault(stratum(p), []).append(p["id"])
    for name, n in (HELDOUT3 if round_ == 3 else HELDOUT if heldout else STRATA).items():
        for pid in rng.sample(sorted(by[name]), n):
            print(pid, name)


if __name__ == "__main__":
    main()
