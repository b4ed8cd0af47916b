"""Draw the stratified labelling sample (page ids only) from the real dispatch pages.

Usage: python tools/narratives/sample.py [--heldout|--heldout2|--heldout3|--audit2|--audit2-mh|--audit3|--audit4|
                                          --sweep|--audit5|--rest] [PAGES.jsonl] > /tmp/sample_ids.txt
Prints page ids and strata, one per line, never page text. Deterministic (seeded).
``--heldout`` draws a smaller second sample that excludes the pages in labels.jsonl:
it was labelled after the reader was tuned on the first, and measures it honestly.
``--heldout2`` draws a third sample excluding both, labelled after the fixes the first
held-out run prompted (labels_heldout2.jsonl).
``--heldout3`` draws a fourth, larger sample (120 pages) excluding all three, drawn before
the safety-first reader changes and labelled after them (labels_heldout3.jsonl).
``--audit2`` draws 150 pages uniformly from those the default protocol (no call-taker
answers) sends to ``MH_TEAM`` alone or ``PHONE_988``, excluding every labelled page
(audit2_team_alone.jsonl); drawn before the fixes it prompted, at commit 024c5d1
(protocol default-2026.11.2). ``--audit2-mh`` shuffles every other unlabelled page with its
own seed; the first 60 read as mental-health pages are the routing sample.
``--audit3`` draws a fresh 150 the same way with its own seed, excluding every labelled and
audit page (audit2's draw and routing sample included): audit3_team_alone.jsonl, drawn at
commit fa14d18 (protocol default-2026.11.3) before anything was changed for it.
``--audit4`` draws a fresh 150 the same way with its own seed, excluding every page of the
files above and audit3's draw: audit4_team_alone.jsonl, drawn at commit 7c99bea (protocol
default-2026.11.3) and labelled blind, by a reader who did not see the triage output, while
the fixes for the third audit were being made by someone who did not see the draw.
``--sweep`` is not a random draw: every team-alone page (at commit 6dec7ec, protocol
default-2026.11.4) in no file above nor audit4 whose call type or text contains a
danger-ish word stem (``SWEEP_STEMS``), to hunt for misses: sweep_team_alone.jsonl.
``--audit5`` draws a fresh 150 uniformly from the team-alone pages in no file above (the
sweep's included), at commit d2384a0 after the sweep's fixes, labelled blind:
audit5_team_alone.jsonl. With the sweep it makes a stratified estimate: every keyword page
read, a random sample of the rest.
``--rest`` lists every team-alone page *with text* in no file above nor the fifth audit
nor calltype_review.jsonl (every page without text), at commit 5350e55: 366 pages, all
read (rest_team_alone.jsonl). With the files above, every team-alone page has been read.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from measure import PAGES, shared_data  # noqa: E402  (the same folder: honours CRISIS_DISPATCH_SHARED_DATA)

DEFAULT = shared_data() / PAGES
STRATA = {"overdose": 40, "suicide": 45, "psych": 40, "welfare": 25, "other": 20, "empty": 30}
HELDOUT = {"overdose": 15, "suicide": 15, "psych": 15, "welfare": 10, "other": 10, "empty": 15}
# Fewer empty narratives, more text: the fourth sample tests what the reader reads.
HELDOUT3 = {"overdose": 22, "suicide": 25, "psych": 25, "welfare": 18, "other": 18, "empty": 12}
HERE = Path(__file__).resolve().parent


def stratum(page: dict[str, str]) -> str:
    if not page["narrative"].strip():
        return "empty"
    ct = (page["call_type"] + " " + page["code"]).upper()
    for name, words in (
        ("suicide", ("SUIC",)),
        ("overdose", ("OVERDOS", "OD", "POISON", "INGEST")),
        ("psych", ("PSYC", "MENTAL", "EDP", "EMOTION", "BEHAV", "25")),
        ("welfare", ("WELF",)),
    ):
        if any(w in ct for w in words):
            return name
    return "other"


LABELLED = ("labels.jsonl", "labels_heldout.jsonl", "labels_heldout2.jsonl", "labels_heldout3.jsonl", "audit_team_alone.jsonl")
AUDIT2_SEED = 20261127 + 5
AUDIT2_MH_SEED = 20261127 + 6
AUDIT2_SIZE = 150
AUDIT3_SEED = 20261127 + 7
AUDIT3_LABELLED = LABELLED + ("audit2_team_alone.jsonl", "audit2_mh_routing.jsonl")
AUDIT4_SEED = 20261127 + 8
AUDIT4_LABELLED = AUDIT3_LABELLED + ("audit3_team_alone.jsonl",)
SWEEP_LABELLED = AUDIT4_LABELLED + ("audit4_team_alone.jsonl",)
AUDIT5_SEED = 20261127 + 9
AUDIT5_LABELLED = SWEEP_LABELLED + ("sweep_team_alone.jsonl",)
REST_LABELLED = AUDIT5_LABELLED + ("audit5_team_alone.jsonl", "calltype_review.jsonl")
SWEEP_STEMS = (
    r"BLEED|BLOOD|HEMOR|HAEMOR|GUN|KNIFE|KNIV|BLADE|WEAPON|FIREARM|PISTOL|RIFLE|SHOT|SHOOT|STAB|CUT|SLIT|HANG|NOOSE|"
    r"ROPE|JUMP|BRIDGE|PILL|OD\b|OVERDOS|INGEST|SWALLOW|UNCON|UNRESP|BREATH|SEIZ|CHEST|FELL|FALL|INJUR|HIT|PUNCH|"
    r"ASSAULT|BATTER|FIGHT|THREAT|KILL|HURT|HARM|ATTACK|VIOLEN|DANGER|FIRE|BURN|DROWN|CAR|TRAFFIC|CHOK|STRANG|"
    r"POISON|BLEACH|TOXIC|DRUNK|ETOH|INTOX|WITHDRAW|DIABET|SUGAR|PREGNAN|BABY|CHILD|KID"
)


def labelled_ids(names: tuple[str, ...] = LABELLED) -> set[str]:
    return {json.loads(line)["id"] for name in names if (HERE / name).is_file() for line in (HERE / name).open(encoding="utf-8")}


def team_alone_ids(pages: list[dict[str, str]], exclude: set[str]) -> list[str]:
    """Sorted ids of the pages the default protocol (no answers) sends to the team alone or the phone."""
    from crisis_dispatch.adapters.protocol_loader import load_default_protocol
    from crisis_dispatch.domain.triage import Tier, triage
    from crisis_dispatch.services.triage_io import call_from_dict

    protocol = load_default_protocol()
    return sorted(
        p["id"]
        for p in pages
        if p["id"] not in exclude and triage(call_from_dict(p), protocol).tier in (Tier.MH_TEAM, Tier.PHONE_988)
    )


def fresh_audit(pages: list[dict[str, str]], already: tuple[str, ...], seed: int) -> None:
    """A team-alone audit (ids only): a fresh uniform draw excluding every labelled page."""
    candidates = team_alone_ids(pages, labelled_ids(already))
    print(f"# {len(candidates)} unlabelled team-alone pages, seed {seed}", file=sys.stderr)
    for pid in random.Random(seed).sample(candidates, AUDIT2_SIZE):
        print(pid, "team_alone")


def sweep(pages: list[dict[str, str]]) -> None:
    """The keyword sweep (ids only): unlabelled team-alone pages with a danger-ish word stem."""
    import re

    by_id = {p["id"]: p for p in pages}
    stems = re.compile(SWEEP_STEMS)
    for pid in team_alone_ids(pages, labelled_ids(SWEEP_LABELLED)):
        page = by_id[pid]
        if stems.search((page["call_type"] + " " + page["narrative"]).upper()):
            print(pid, "team_alone_keyword")


def audit2(pages: list[dict[str, str]], mh_order: bool) -> None:
    """The second team-alone audit (ids only): the team-alone draw, or the shuffled rest."""
    exclude = labelled_ids()
    candidates = team_alone_ids(pages, exclude)
    drawn = random.Random(AUDIT2_SEED).sample(candidates, AUDIT2_SIZE)
    if not mh_order:
        for pid in drawn:
            print(pid, "team_alone")
        return
    rest = sorted(p["id"] for p in pages if p["id"] not in exclude and p["id"] not in set(drawn))
    random.Random(AUDIT2_MH_SEED).shuffle(rest)
    for pid in rest:
        print(pid, "random")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = sys.argv[1:]
    path = Path(args[0]) if args else DEFAULT
    pages = [json.loads(line) for line in path.open(encoding="utf-8")]
    for flag, already, seed in (
        ("--audit3", AUDIT3_LABELLED, AUDIT3_SEED),
        ("--audit4", AUDIT4_LABELLED, AUDIT4_SEED),
        ("--audit5", AUDIT5_LABELLED, AUDIT5_SEED),
    ):
        if flag in flags:
            fresh_audit(pages, already, seed)
            return
    if "--rest" in flags:
        with_text = {p["id"] for p in pages if p["narrative"].strip()}
        for pid in team_alone_ids(pages, labelled_ids(REST_LABELLED)):
            if pid in with_text:
                print(pid, "team_alone_text_rest")
        return
    if "--sweep" in flags:
        sweep(pages)
        return
    if "--audit2" in flags or "--audit2-mh" in flags:
        audit2(pages, "--audit2-mh" in flags)
        return
    round_ = 3 if "--heldout3" in flags else 2 if "--heldout2" in flags else 1 if "--heldout" in flags else 0
    heldout = round_ > 0
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
