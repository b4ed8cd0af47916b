"""On real dispatch pages (read from ../shared/data, never copied): safe and useful.

Uses the hand labels in tools/narratives/labels*.jsonl (page ids and labels only): 200
pages the reader was developed on and three held-out sets (80, 80, 120) labelled afterwards.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisis_dispatch.domain.triage import NEEDS_EMS, NEEDS_POLICE, CallInput, Tier, TriageResult, triage
from tests.shared_data import shared_data_dir

from .builders import default

NARRATIVES = Path(__file__).resolve().parents[3] / "tools" / "narratives"
LABEL_SETS = ("labels.jsonl", "labels_heldout.jsonl", "labels_heldout2.jsonl", "labels_heldout3.jsonl")


@pytest.fixture(scope="module")
def labelled() -> list[tuple[dict, TriageResult]]:
    path = shared_data_dir() / "calls" / "dispatch_narratives" / "dispatch_pages_mh_related.jsonl"
    labels = {
        row["id"]: row
        for name in LABEL_SETS
        for row in map(json.loads, (NARRATIVES / name).read_text(encoding="utf-8").splitlines())
    }
    protocol = default()
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            page = json.loads(line)
            if page["id"] in labels:
                call = CallInput(page["id"], page["call_type"], page["narrative"], page["code"] or None)
                out.append((labels[page["id"]], triage(call, protocol)))
    assert len(out) == len(labels), "labelled page ids missing from the shared data"
    return out


def test_no_labelled_dangerous_page_goes_to_the_team_alone_or_misses_police_or_ems(
    labelled: list[tuple[dict, TriageResult]],
) -> None:
    unsafe = []
    for label, result in labelled:
        gold = set(label["page_flags"])
        if not gold & (NEEDS_POLICE | NEEDS_EMS):
            continue
        if (
            result.tier in (Tier.MH_TEAM, Tier.PHONE_988)
            or (gold & NEEDS_POLICE and not result.tier.includes_police)
            or (gold & NEEDS_EMS and not result.tier.includes_ems)
        ):
            unsafe.append((result.call_id, sorted(gold), str(result.tier)))
    assert not unsafe


def test_real_mental_health_pages_go_to_the_team(labelled: list[tuple[dict, TriageResult]]) -> None:
    mh = [result for label, result in labelled if label["mental_health_page"]]
    assert sum(r.tier.includes_team for r in mh) / len(mh) >= 0.97


def test_most_calm_mental_health_pages_go_to_the_team_alone(labelled: list[tuple[dict, TriageResult]]) -> None:
    # Calm: a mental-health page with no weapon/violence/medical/overdose/attempt label.
    # Measured 106/126 = 0.84 (the rest get EMS or police alongside, because the text
    # speaks loosely of pills, pain or a fall, or names a danger the label did not count).
    # Below 0.75 the reader's doubts would be eating the team's own calls: the LA lesson.
    calm = [
        result
        for label, result in labelled
        if label["mental_health_page"] and not set(label["page_flags"]) & (NEEDS_POLICE | NEEDS_EMS)
    ]
    assert all(r.tier.includes_team for r in calm)
    assert sum(r.tier is Tier.MH_TEAM for r in calm) / len(calm) >= 0.75
