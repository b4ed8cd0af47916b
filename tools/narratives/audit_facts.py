"""Audit triage on blind fact labels, every tier, both directions (issue 10).

Usage:
    python tools/narratives/audit_facts.py LABELS.jsonl [LABELS.jsonl ...] [--json] [--list]

``LABELS`` are files of ``tools/narratives/facts/`` (ids and labels only; the pages are read
from the shared data folder, as ``measure.py`` does). For every labelled page it runs the
default protocol as the ``triage`` command does (no call-taker answers) and reports, with
Wilson 95 % intervals:

- (a) **dangerous pages missing a responder**: pages labelled ``needs_police`` or
  ``needs_ems`` whose response lacks police or EMS, in all and by missing responder;
- (b) **calm eligible pages not kept with the team alone**: pages labelled ``calm_eligible``
  whose tier is neither ``MH_TEAM`` nor ``PHONE_988`` (the team's own phone line);
- both again on the pages no earlier label file held (``--fresh`` counts), and the tier mix.

``--list`` prints the ids of the pages in (a) and (b) with their tier (never page text).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from measure import PAGES, as_call, load_pages, shared_data, wilson

from crisis_dispatch.adapters.protocol_loader import load_default_protocol
from crisis_dispatch.domain.triage import Tier, triage

HERE = Path(__file__).resolve().parent
EARLIER = sorted(p for p in HERE.glob("*.jsonl"))  # the label files of earlier sessions
KEPT = (Tier.MH_TEAM, Tier.PHONE_988)


def share(k: int, n: int) -> dict[str, object]:
    low, high = wilson(k, n)
    return {"k": k, "n": n, "share": round(k / n, 4) if n else None, "wilson95": [round(low, 4), round(high, 4)]}


def audit(pages: dict[str, dict[str, str]], labels: list[dict[str, int | str]], earlier: set[str]) -> dict[str, object]:
    protocol = load_default_protocol()
    tiers: Counter[str] = Counter()
    missing: list[dict[str, object]] = []
    lost_calm: list[dict[str, object]] = []
    counts = {"dangerous": 0, "police": 0, "ems": 0, "calm": 0, "fresh_dangerous": 0, "fresh_calm": 0}
    bad = {"any": 0, "police": 0, "ems": 0, "calm_lost": 0, "fresh_any": 0, "fresh_calm_lost": 0}
    for lab in labels:
        page = pages[str(lab["id"])]
        result = triage(as_call(page), protocol)
        tier = result.tier
        tiers[str(tier)] += 1
        fresh = lab["id"] not in earlier
        needs_police, needs_ems = bool(lab["needs_police"]), bool(lab["needs_ems"])
        if needs_police or needs_ems:
            counts["dangerous"] += 1
            counts["fresh_dangerous"] += fresh
            counts["police"] += needs_police
            counts["ems"] += needs_ems
            lacks_police = needs_police and not tier.includes_police
            lacks_ems = needs_ems and not tier.includes_ems
            bad["police"] += lacks_police
            bad["ems"] += lacks_ems
            if lacks_police or lacks_ems:
                bad["any"] += 1
                bad["fresh_any"] += fresh
                missing.append(
                    {
                        "id": lab["id"],
                        "tier": str(tier),
                        "lacks": [n for n, b in (("police", lacks_police), ("ems", lacks_ems)) if b],
                        "borderline": lab["borderline"],
                    }
                )
        if lab["calm_eligible"]:
            counts["calm"] += 1
            counts["fresh_calm"] += fresh
            if tier not in KEPT:
                bad["calm_lost"] += 1
                bad["fresh_calm_lost"] += fresh
                lost_calm.append({"id": lab["id"], "tier": str(tier), "borderline": lab["borderline"]})
    return {
        "pages": len(labels),
        "protocol": protocol.version,
        "dangerous_missing_a_responder": share(bad["any"], counts["dangerous"]),
        "needs_police_without_police": share(bad["police"], counts["police"]),
        "needs_ems_without_ems": share(bad["ems"], counts["ems"]),
        "calm_eligible_kept_with_team_alone": share(counts["calm"] - bad["calm_lost"], counts["calm"]),
        "fresh_pages": {
            "dangerous_missing_a_responder": share(bad["fresh_any"], counts["fresh_dangerous"]),
            "calm_eligible_kept_with_team_alone": share(counts["fresh_calm"] - bad["fresh_calm_lost"], counts["fresh_calm"]),
        },
        "tiers": dict(sorted(tiers.items())),
        "missing": missing,
        "calm_lost": lost_calm,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--list", action="store_true", help="list the pages missing a responder and the calm pages lost")
    args = parser.parse_args(argv)
    pages = load_pages(shared_data() / PAGES)
    labels = [json.loads(line) for path in args.labels for line in path.open(encoding="utf-8")]
    earlier = {json.loads(line)["id"] for path in EARLIER for line in path.open(encoding="utf-8")}
    report = audit(pages, labels, earlier)
    if not args.list:
        report.pop("missing")
        report.pop("calm_lost")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
