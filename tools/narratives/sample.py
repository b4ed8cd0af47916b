"""Draw the stratified labelling sample (page ids only) from the real dispatch pages.

Usage: python tools/narratives/sample.py [PAGES.jsonl] > /tmp/sample_ids.txt
Prints page ids, one per line, never page text. Deterministic (seeded).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "calls" / "dispatch_narratives" / "dispatch_pages_mh_related.jsonl"
STRATA = {"overdose": 40, "suicide": 45, "psych": 40, "welfare": 25, "other": 20, "empty": 30}


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
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    pages = [json.loads(line) for line in path.open(encoding="utf-8")]
    rng = random.Random(20261127)
    by: dict[str, list[str]] = {}
    for p in pages:
        by.setdefault(stratum(p), []).append(p["id"])
    for name, n in STRATA.items():
        for pid in rng.sample(sorted(by[name]), n):
            print(pid, name)


if __name__ == "__main__":
    main()
