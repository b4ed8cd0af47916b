"""Blind draws of real dispatch pages for labelling facts (issue 10): the all-tier audit and the classifier's training set.

Usage:
    python tools/narratives/blind.py --audit6 OUTDIR     # 320 pages, uniform over all 8,090, seed AUDIT6_SEED
    python tools/narratives/blind.py --train OUTDIR N    # N more pages, uniform over the rest, seed TRAIN_SEED
    python tools/narratives/blind.py --audit7 OUTDIR     # 320 sealed pages for the next audit, seed AUDIT7_SEED
    python tools/narratives/blind.py --relabel-audit6 OUTDIR   # audit6's pages again, for a second reader
    python tools/narratives/blind.py --audit8 OUTDIR     # 320 pages in no earlier draw, seed AUDIT8_SEED, two readers each

Writes ``OUTDIR/<name>_<k>.jsonl`` batches of whole pages for the labellers (outside the
repository: page text never goes into it) and prints the ids drawn. The draw does not run
the triage engine: who labels a page sees only the page, never a tier. Deterministic.

The audit is drawn uniformly from *all* pages, whatever tier the engine gives them and
whether an earlier audit read them or not (every page earlier sessions sent to the team
alone was read by them, so excluding read pages would exclude the tier under audit);
``audit6_all_tiers.jsonl`` records which pages were in an earlier label file, so the figure
can be given on never-read pages as well. The training draw excludes the audit's pages.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

PAGES = Path("calls") / "dispatch_narratives" / "dispatch_pages_mh_related.jsonl"
REPO = Path(__file__).resolve().parents[2]


def shared_data() -> Path:
    override = os.environ.get("CRISIS_DISPATCH_SHARED_DATA")
    return Path(override) if override else REPO / ".." / "shared" / "data"


AUDIT6_SEED = 20261202
AUDIT6_SIZE = 320
TRAIN_SEED = 20261203
AUDIT7_SEED = 20261204
AUDIT7_SIZE = 320
AUDIT8_SEED = 20261205
AUDIT8_SIZE = 320
BATCHES = {"audit6": 2}


def pages() -> list[dict[str, str]]:
    with (shared_data() / PAGES).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def audit6_ids(all_pages: list[dict[str, str]]) -> list[str]:
    ids = sorted(p["id"] for p in all_pages)
    return random.Random(AUDIT6_SEED).sample(ids, AUDIT6_SIZE)


def train_ids(all_pages: list[dict[str, str]], n: int) -> list[str]:
    audit = set(audit6_ids(all_pages))
    rest = sorted(p["id"] for p in all_pages if p["id"] not in audit)
    random.Random(TRAIN_SEED).shuffle(rest)
    return rest[:n]


def audit7_ids(all_pages: list[dict[str, str]], train_size: int = 2600) -> list[str]:
    """A second sealed audit for the next round: uniform over the pages in neither the first
    audit nor the training draw."""
    used = set(audit6_ids(all_pages)) | set(train_ids(all_pages, train_size))
    rest = sorted(p["id"] for p in all_pages if p["id"] not in used)
    return random.Random(AUDIT7_SEED).sample(rest, AUDIT7_SIZE)


def audit8_ids(all_pages: list[dict[str, str]]) -> list[str]:
    """The eighth audit: uniform over the pages in no earlier draw, each labelled by two
    readers independently and adjudicated by a third where they disagree."""
    used = set(audit6_ids(all_pages)) | set(train_ids(all_pages, 2600)) | set(audit7_ids(all_pages))
    rest = sorted(p["id"] for p in all_pages if p["id"] not in used)
    return random.Random(AUDIT8_SEED).sample(rest, AUDIT8_SIZE)


def write_batches(out: Path, name: str, chosen: list[str], by_id: dict[str, dict[str, str]], size: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(chosen), size):
        with (out / f"{name}_{k // size}.jsonl").open("w", encoding="utf-8") as fh:
            for pid in chosen[k : k + size]:
                page = by_id[pid]
                fh.write(
                    json.dumps({key: page[key] for key in ("id", "state", "call_type", "code", "priority", "narrative")}) + "\n"
                )


def main(argv: list[str]) -> int:
    all_pages = pages()
    by_id = {p["id"]: p for p in all_pages}
    if argv[:1] == ["--audit6"] and len(argv) == 2:
        chosen = audit6_ids(all_pages)
        write_batches(Path(argv[1]), "audit6", chosen, by_id, AUDIT6_SIZE // BATCHES["audit6"])
    elif argv[:1] == ["--audit7"] and len(argv) == 2:
        chosen = audit7_ids(all_pages)
        write_batches(Path(argv[1]), "audit7", chosen, by_id, AUDIT7_SIZE // 2)
    elif argv[:1] == ["--audit8"] and len(argv) == 2:
        chosen = audit8_ids(all_pages)
        write_batches(Path(argv[1]), "audit8", chosen, by_id, AUDIT8_SIZE)  # one batch: each reader reads all
    elif argv[:1] == ["--relabel-audit6"] and len(argv) == 2:
        chosen = audit6_ids(all_pages)  # the same pages, for a second blind reader (agreement)
        write_batches(Path(argv[1]), "audit6_second", chosen, by_id, AUDIT6_SIZE)
    elif argv[:1] == ["--train"] and len(argv) == 3:
        chosen = train_ids(all_pages, int(argv[2]))
        write_batches(Path(argv[1]), "train", chosen, by_id, 520)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for pid in chosen:
        print(pid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
