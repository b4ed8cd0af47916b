"""On real dispatch pages (read from ../shared/data, never copied): safe and useful.

Uses the hand labels in tools/narratives/labels*.jsonl (page ids and labels only): 200
pages the reader was developed on and three held-out sets (80, 80, 120) labelled afterwards,
audit_team_alone.jsonl: 80 pages the finished reader sent to the team alone, audited,
audit2_team_alone.jsonl: 150 more, drawn at random from every team-alone page (seed 20261127+5),
and audit3_team_alone.jsonl: 150 more, drawn the same way after the second audit's fixes
(seed 20261127+7); its two clear misses were both in call types without text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisis_dispatch.domain.triage import NEEDS_EMS, NEEDS_POLICE, Tier, TriageResult, triage
from crisis_dispatch.services.triage_io import call_from_dict
from tests.shared_data import shared_data_dir

from .builders import default

load_default_protocol = default

NARRATIVES = Path(__file__).resolve().parents[3] / "tools" / "narratives"
LABEL_SETS = ("labels.jsonl", "labels_heldout.jsonl", "labels_heldout2.jsonl", "labels_heldout3.jsonl")
AUDITS = (
    # every team-alone page without text, judged by its call type and code (first: where a
    # page is also in an audit below, the audit's own label wins)
    "calltype_review.jsonl",
    "audit_team_alone.jsonl",
    "audit2_team_alone.jsonl",
    "audit3_team_alone.jsonl",
    "audit4_team_alone.jsonl",
    # the keyword sweep of 413 team-alone pages (not a random sample): its 13 clear misses
    "sweep_team_alone.jsonl",
    "audit5_team_alone.jsonl",
    # every other team-alone page with text, all read
    "rest_team_alone.jsonl",
)


def _read(name: str) -> dict[str, dict]:
    return {row["id"]: row for row in map(json.loads, (NARRATIVES / name).read_text(encoding="utf-8").splitlines())}


def _triage_pages(pages: list[dict], rows: dict[str, dict]) -> list[tuple[dict, TriageResult]]:
    """Triage the real pages whose ids are in ``rows`` with the default protocol, read as
    ``crisis-dispatch triage`` reads a JSON line."""
    protocol = default()
    out = [(rows[page["id"]], triage(call_from_dict(page), protocol)) for page in pages if page["id"] in rows]
    assert len(out) == len(rows), "labelled page ids missing from the shared data"
    return out


def _unsafe(flags: set[str], tier: Tier) -> bool:
    """A page labelled with these dangers sent to the team alone (or 988), or without the
    police or EMS one of them needs."""
    return (
        tier in (Tier.MH_TEAM, Tier.PHONE_988)
        or bool(flags & NEEDS_POLICE and not tier.includes_police)
        or bool(flags & NEEDS_EMS and not tier.includes_ems)
    )


@pytest.fixture(scope="module")
def pages() -> list[dict]:
    """Every real page, read once for the module."""
    path = shared_data_dir() / "calls" / "dispatch_narratives" / "dispatch_pages_mh_related.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def labelled(pages: list[dict]) -> list[tuple[dict, TriageResult]]:
    return _triage_pages(pages, {k: v for name in LABEL_SETS for k, v in _read(name).items()})


@pytest.fixture(scope="module")
def audited(pages: list[dict]) -> list[tuple[dict, TriageResult]]:
    """Pages the reader sent to the team alone, audited by hand for a danger it missed."""
    return _triage_pages(pages, {k: v for name in AUDITS for k, v in _read(name).items()})


def test_the_dangers_an_audit_of_team_alone_pages_found_are_no_longer_missed(
    audited: list[tuple[dict, TriageResult]],
) -> None:
    missed = [
        (row["id"], row["danger_flags"], str(result.tier))
        for row, result in audited
        if row["danger_flags"] and not row["borderline"] and result.tier in (Tier.MH_TEAM, Tier.PHONE_988)
    ]
    assert not missed


def test_no_labelled_dangerous_page_goes_to_the_team_alone_or_misses_police_or_ems(
    labelled: list[tuple[dict, TriageResult]],
) -> None:
    unsafe = []
    for label, result in labelled:
        gold = set(label["page_flags"])
        if not gold & (NEEDS_POLICE | NEEDS_EMS):
            continue
        if _unsafe(gold, result.tier):
            unsafe.append((result.call_id, sorted(gold), str(result.tier)))
    assert not unsafe


def test_real_mental_health_pages_go_to_the_team(labelled: list[tuple[dict, TriageResult]]) -> None:
    mh = [result for label, result in labelled if label["mental_health_page"]]
    assert sum(r.tier.includes_team for r in mh) / len(mh) >= 0.97


def test_calm_mental_health_pages_all_go_to_the_team(labelled: list[tuple[dict, TriageResult]]) -> None:
    # Calm in the first label set: no weapon/violence/medical/overdose/attempt label. How many
    # go *alone* is measured on the blind fact labels below, whose guide follows issue 10 (a
    # call type that leaves an attempt open, "SUICIDE" with no text, brings EMS beside the team).
    calm = [
        result
        for label, result in labelled
        if label["mental_health_page"] and not set(label["page_flags"]) & (NEEDS_POLICE | NEEDS_EMS)
    ]
    assert all(r.tier.includes_team for r in calm)


def test_on_the_blind_fact_labels_calm_pages_stay_with_the_team_and_dangers_get_their_responders(pages: list[dict]) -> None:
    # tools/narratives/facts/train_*.jsonl: 2,600 pages labelled blind (issue 10); the reader
    # was developed on them, so this is the development figure, not the audit's. Measured at
    # protocol default-2026.12.1: 0.870 of 682 calm eligible pages kept with the team alone;
    # 3.4 % of 1,847 dangerous pages miss a responder (most of them borderline labels).
    by_id = {p["id"]: p for p in pages}
    protocol = load_default_protocol()
    calm = kept = dangerous = missing = 0
    for path in sorted(NARRATIVES.glob("facts/train_*.jsonl")):
        for line in path.open(encoding="utf-8"):
            label = json.loads(line)
            tier = triage(call_from_dict(by_id[label["id"]]), protocol).tier
            if label["calm_eligible"]:
                calm += 1
                kept += tier in (Tier.MH_TEAM, Tier.PHONE_988)
            if label["needs_police"] or label["needs_ems"]:
                dangerous += 1
                missing += (label["needs_police"] and not tier.includes_police) or (label["needs_ems"] and not tier.includes_ems)
    assert calm == 682 and dangerous == 1847
    assert kept / calm >= 0.85
    assert missing / dangerous <= 0.04


def test_a_random_sample_of_mental_health_pages_is_safe_and_goes_to_the_team(pages: list[dict]) -> None:
    # audit2_mh_routing.jsonl: unlabelled pages in a seeded random order, judged one by one
    # until 60 were mental-health pages (measured: 59/60 with the team, the other an
    # overdose call type that sends EMS; 37/37 calm ones with the team, 34 of them alone).
    rows = {k: v for k, v in _read("audit2_mh_routing.jsonl").items() if v["mental_health_page"]}
    sample = _triage_pages(pages, rows)
    unsafe = [
        (row["id"], str(result.tier))
        for row, result in sample
        if row["danger_flags"] and not row["borderline"] and _unsafe(set(row["danger_flags"]), result.tier)
    ]
    assert not unsafe
    calm = [result for row, result in sample if not row["danger_flags"]]
    assert all(r.tier.includes_team for r in calm)
    assert sum(r.tier.includes_team for _, r in sample) / len(sample) >= 0.95
