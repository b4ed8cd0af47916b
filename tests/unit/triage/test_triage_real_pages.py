"""On real dispatch pages (read from ../shared/data, never copied): safe and useful.

Uses the hand labels in tools/narratives/labels*.jsonl (page ids and labels only): 200
pages the reader was developed on and two held-out sets of 80 labelled afterwards.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisis_dispatch.domain.triage import NEEDS_EMS, NEEDS_POLICE, CallInput, Tier, triage
from tests.shared_data import shared_data_dir

from .builders import default

NARRATIVES = Path(__file__).resolve().parents[3] / "tools" / "narratives"


@pytest.fixture(scope="module")
def labelled() -> list[tuple[dict, CallInput]]:
    path = shared_data_dir() / "calls" / "dispatch_narratives" / "dispatch_pages_mh_related.jsonl"
    labels = {
        row["id"]: row
        for name in ("labels.jsonl", "labels_heldout.jsonl", "labels_heldout2.jsonl")
        for row in map(json.loads, (NARRATIVES / name).read_text(encoding="utf-8").splitlines())
    }
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            page = json.loads(line)
            if page["id"] in labels:
                call = CallInput(page["id"], page["call_type"], page["narrative"], page["code"] or None)
                out.append((labels[page["id"]], call))
    assert len(out) == len(labels), "labelled page ids missing from the shared data"
    return out


def test_no_labelled_dangerous_page_goes_to_the_team_alone_or_the_phone(labelled: list[tuple[dict, CallInput]]) -> None:
    protocol = default()
    unsafe = []
    for label, call in labelled:
        gold = set(label["page_flags"])
        if gold & (NEEDS_POLICE | NEEDS_EMS) and triage(call, protocol).tier in (Tier.MH_TEAM, Tier.PHONE_988):
            unsafe.append(call.id)
    # Measured: 4 of 226 ("PILLS/" alone, a very drunk man, a page in Swedish, a low sugar
    # described only as "feels like it is low"). More is a regression of the reader.
    assert len(unsafe) <= 4, unsafe


def test_real_mental_health_pages_go_to_the_team(labelled: list[tuple[dict, CallInput]]) -> None:
    protocol = default()
    mh = [call for label, call in labelled if label["mental_health_page"]]
    with_team = sum(triage(call, protocol).tier.includes_team for call in mh)
    assert with_team / len(mh) >= 0.95
