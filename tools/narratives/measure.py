"""Measure the narrative reader and the default protocol on hand-labelled real dispatch pages.

Usage:
    python tools/narratives/measure.py [--pages PAGES.jsonl] [--labels labels.jsonl] [--json] [--all]

``labels.jsonl`` (beside this script; ``labels_heldout.jsonl``, ``labels_heldout2.jsonl`` and
``labels_heldout3.jsonl`` are the held-out sets, pass them with ``--labels``) holds only page ids and our labels, never
page text:
``{"id", "stratum", "narrative_flags", "page_flags", "mental_health_page"}`` where
``narrative_flags`` are the flags the narrative text reports and ``page_flags`` the flags
the whole page reports (narrative, call type and code). The pages themselves are read from
the shared data folder (``../shared/data/calls/dispatch_narratives/``, or
``$CRISIS_DISPATCH_SHARED_DATA``); they must never be copied into the repository.

Prints:
- per-flag precision/recall of the narrative reader alone (narrative text vs narrative labels);
- per-flag precision/recall of all evidence (code + call type + narrative) vs page labels;
- the share of labelled mental-health pages whose response includes the crisis team, and of
  calm ones (no safety label) sent to the team alone;
- safety: labelled pages with a weapon/violence/medical/overdose/attempt label whose
  response misses police or EMS, or is the team alone or the phone;
- with ``--all``: the tier mix of every page under the default and the narrow-2019 protocols.

``--audit FILE`` reads an audit instead (``audit_team_alone.jsonl``, ``audit2_team_alone.jsonl``:
``{"id", "stratum", "danger_flags", "borderline"}``; ``audit2_mh_routing.jsonl``:
``{"id", "stratum", "mental_health_page", "danger_flags"?, "borderline"?}``) and prints how many
audited pages still go to the team alone or the phone although they report a danger (clear,
and clear + borderline, with Wilson 95 % intervals), and for the routing sample the share of
mental-health pages with the team in the response and with the team alone.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

from crisis_dispatch.adapters.protocol_loader import load_default_protocol, load_packaged_protocol
from crisis_dispatch.domain.triage import (
    NARRATIVE_FLAGS,
    NEEDS_EMS,
    NEEDS_POLICE,
    UNCERTAINTY_FLAGS,
    CallInput,
    Tier,
    gather_evidence,
    read_narrative,
    triage,
    whatif,
)
from crisis_dispatch.services.triage_io import call_from_dict

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAGES = Path("calls") / "dispatch_narratives" / "dispatch_pages_mh_related.jsonl"


def shared_data() -> Path:
    override = os.environ.get("CRISIS_DISPATCH_SHARED_DATA")
    return Path(override) if override else REPO / ".." / "shared" / "data"


def load_pages(path: Path) -> dict[str, dict[str, str]]:
    pages = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            page = json.loads(line)
            pages[page["id"]] = page
    return pages


def as_call(page: dict[str, str]) -> CallInput:
    return call_from_dict(page)  # the CLI's own reader of a call record


def prf(pairs: list[tuple[set[str], set[str]]], flags: tuple[str, ...]) -> dict[str, dict[str, float | int]]:
    """Per-flag counts and precision/recall from (predicted, gold) pairs."""
    out: dict[str, dict[str, float | int]] = {}
    for flag in flags:
        tp = sum(1 for p, g in pairs if flag in p and flag in g)
        fp = sum(1 for p, g in pairs if flag in p and flag not in g)
        fn = sum(1 for p, g in pairs if flag not in p and flag in g)
        out[flag] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else float("nan"),
            "recall": round(tp / (tp + fn), 3) if tp + fn else float("nan"),
        }
    return out


def measure(pages: dict[str, dict[str, str]], labels: list[dict], include_all: bool) -> dict:
    protocol = load_default_protocol()
    reader_pairs = []
    page_pairs = []
    mh_total = mh_team = calm_total = calm_team_alone = 0
    unsafe: list[dict[str, object]] = []
    safety_pages = 0
    doubts = {name: {"pages": 0, "with_covered_label": 0, "only_catch": 0} for name in UNCERTAINTY_FLAGS}
    missing = [lab["id"] for lab in labels if lab["id"] not in pages]
    for lab in labels:
        page = pages.get(lab["id"])
        if page is None:
            continue
        call = as_call(page)
        reader_pairs.append((set(read_narrative(call.narrative).names), set(lab["narrative_flags"])))
        page_pairs.append((set(gather_evidence(call, protocol).present), set(lab["page_flags"])))
        result = triage(call, protocol)
        gold = set(lab["page_flags"])
        found = result.flag_names
        for name, covers in UNCERTAINTY_FLAGS.items():
            if name in found:
                doubts[name]["pages"] += 1
                doubts[name]["with_covered_label"] += bool(gold & covers)
                # the doubt was the only evidence of a labelled danger it covers
                doubts[name]["only_catch"] += bool(gold & covers) and not found & covers
        if lab["mental_health_page"]:
            mh_total += 1
            mh_team += result.tier.includes_team
            if not gold & (NEEDS_POLICE | NEEDS_EMS):
                calm_total += 1
                calm_team_alone += result.tier is Tier.MH_TEAM
        needs_police = bool(gold & NEEDS_POLICE)
        needs_ems = bool(gold & NEEDS_EMS)
        if needs_police or needs_ems:
            safety_pages += 1
            bad = (
                (needs_police and not result.tier.includes_police)
                or (needs_ems and not result.tier.includes_ems)
                or result.tier in (Tier.MH_TEAM, Tier.PHONE_988)
            )
            if bad:
                unsafe.append({"id": lab["id"], "gold": sorted(gold), "tier": str(result.tier)})
    report: dict[str, object] = {
        "labelled_pages": len(labels) - len(missing),
        "missing_pages": missing,
        "reader": prf(reader_pairs, NARRATIVE_FLAGS),
        "all_evidence": prf(page_pairs, NARRATIVE_FLAGS),
        "mental_health_pages": mh_total,
        "mental_health_pages_with_team": mh_team,
        "share_mh_pages_with_team": round(mh_team / mh_total, 3) if mh_total else None,
        "calm_mh_pages": calm_total,
        "calm_mh_pages_team_alone": calm_team_alone,
        "pages_with_safety_label": safety_pages,
        "safety_misses": unsafe,
        "doubts": doubts,
    }
    if include_all:
        calls = [as_call(p) for p in pages.values()]
        report["all_pages"] = whatif(calls, protocol, load_packaged_protocol("narrow-2019.yaml")).to_dict()
        report["all_pages"].pop("changed_ids", None)
    return report


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion k/n (95 % by default)."""
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4))


def share(k: int, n: int) -> dict[str, object]:
    return {"k": k, "n": n, "share": round(k / n, 4) if n else None, "wilson95": wilson(k, n)}


def audit(pages: dict[str, dict[str, str]], rows: list[dict]) -> dict[str, object]:
    """Audited pages: dangers still sent to the team alone or the phone; routing of mental-health pages."""
    protocol = load_default_protocol()
    alone = (Tier.MH_TEAM, Tier.PHONE_988)
    judged = [(row, triage(as_call(pages[row["id"]]), protocol)) for row in rows if "danger_flags" in row]
    clear = [(r, t) for r, t in judged if r["danger_flags"] and not r["borderline"]]
    any_danger = [(r, t) for r, t in judged if r["danger_flags"]]
    report: dict[str, object] = {
        "pages": len(rows),
        "judged": len(judged),
        "team_alone_now": sum(t.tier in alone for _, t in judged),
        "clear_danger": share(len(clear), len(judged)),
        "clear_or_borderline_danger": share(len(any_danger), len(judged)),
        "clear_still_team_alone": sorted(r["id"] for r, t in clear if t.tier in alone),
        "borderline_still_team_alone": sorted(r["id"] for r, t in any_danger if r["borderline"] and t.tier in alone),
    }
    if any("mental_health_page" in row for row in rows):
        mh = [(r, t) for r, t in judged if r.get("mental_health_page")]
        calm = [(r, t) for r, t in mh if not r["danger_flags"]]
        report["mental_health_pages"] = len(mh)
        report["mh_with_team"] = share(sum(t.tier.includes_team for _, t in mh), len(mh))
        report["mh_team_alone"] = share(sum(t.tier is Tier.MH_TEAM for _, t in mh), len(mh))
        report["calm_mh_with_team"] = share(sum(t.tier.includes_team for _, t in calm), len(calm))
        report["calm_mh_team_alone"] = share(sum(t.tier is Tier.MH_TEAM for _, t in calm), len(calm))
        report["dangerous_mh_unsafe"] = sorted(
            r["id"]
            for r, t in mh
            if r["danger_flags"]
            and not r["borderline"]
            and (
                t.tier in alone
                or (set(r["danger_flags"]) & NEEDS_POLICE and not t.tier.includes_police)
                or (set(r["danger_flags"]) & NEEDS_EMS and not t.tier.includes_ems)
            )
        )
    return report


def print_report(report: dict) -> None:
    print(
        f"labelled pages: {report['labelled_pages']}"
        + (f" ({len(report['missing_pages'])} ids not found)" if report["missing_pages"] else "")
    )
    for key, title in (
        ("reader", "narrative reader alone (narrative labels)"),
        ("all_evidence", "code + call type + narrative (page labels)"),
    ):
        print(f"\n{title}")
        print(f"  {'flag':24} {'P':>6} {'R':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for flag, m in report[key].items():
            print(f"  {flag:24} {m['precision']:>6} {m['recall']:>6} {m['tp']:>4} {m['fp']:>4} {m['fn']:>4}")
    print(
        f"\nmental-health pages with the crisis team in the response: {report['mental_health_pages_with_team']}"
        f"/{report['mental_health_pages']} = {report['share_mh_pages_with_team']}"
    )
    print(
        "calm mental-health pages (no safety label) sent to MH_TEAM alone: "
        f"{report['calm_mh_pages_team_alone']}/{report['calm_mh_pages']}"
    )
    print(f"pages with a safety label: {report['pages_with_safety_label']}; unsafe responses: {len(report['safety_misses'])}")
    for miss in report["safety_misses"]:
        print(f"  {miss['id']}: labels {miss['gold']} -> {miss['tier']}")
    for name, d in report["doubts"].items():
        print(
            f"doubt {name}: stands on {d['pages']} pages, {d['with_covered_label']} of them with a danger label it covers, "
            f"{d['only_catch']} where it was the only evidence of that danger"
        )
    if "all_pages" in report:
        data = report["all_pages"]
        print(f"\nall {data['calls']} pages: default vs narrow-2019")
        for tier in data["tiers"]["a"]:
            print(f"  {tier:30} {data['tiers']['a'][tier]:>6} {data['tiers']['b'][tier]:>6}")
        print(f"  crisis team goes: {data['team']['a']} vs {data['team']['b']}; {data['changed']} pages change tier")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=None)
    parser.add_argument("--labels", type=Path, default=HERE / "labels.jsonl")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--all", action="store_true", help="also triage every page under both shipped protocols")
    parser.add_argument("--audit", type=Path, default=None, help="an audit file instead of a label set")
    args = parser.parse_args(argv)
    pages_path = args.pages or shared_data() / PAGES
    if not pages_path.is_file():
        print(f"error: dispatch pages not found at {pages_path} (set CRISIS_DISPATCH_SHARED_DATA)", file=sys.stderr)
        return 2
    if args.audit:
        rows = [json.loads(line) for line in args.audit.open(encoding="utf-8") if line.strip()]
        print(json.dumps(audit(load_pages(pages_path), rows), indent=2))
        return 0
    labels = [json.loads(line) for line in args.labels.open(encoding="utf-8") if line.strip()]
    report = measure(load_pages(pages_path), labels, args.all)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
