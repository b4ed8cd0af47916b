"""What-if: the same calls under two protocols, with the changes and the rules behind them."""

from __future__ import annotations

from crisis_dispatch.domain.triage import CallInput, whatif

from .builders import CALM_ANSWERS, default, narrow

CALLS = [
    CallInput(id="calm-no-answers", call_type="PSYCHIATRIC", narrative="PT ANXIOUS"),
    CallInput(id="calm-answered", call_type="PSYCHIATRIC", answers=CALM_ANSWERS),
    CallInput(id="knife", call_type="EDP", narrative="HAS A KNIFE"),
    CallInput(id="overdose", call_type="OVERDOSE", narrative="ACCIDENTAL"),
]


def test_whatif_counts_tiers_under_each_protocol_and_the_changes() -> None:
    report = whatif(CALLS, default(), narrow())
    assert report.calls == 4
    assert report.tiers_a["MH_TEAM"] == 1 and report.tiers_a["PHONE_988"] == 1
    assert report.tiers_b["MH_TEAM"] == 1 and report.tiers_b["POLICE"] == 2
    assert report.changed == 3
    assert report.changed_ids == ("calm-no-answers", "calm-answered", "knife")
    assert report.transitions["MH_TEAM"] == {"POLICE": 1}
    assert report.transitions["MH_TEAM_WITH_POLICE"] == {"POLICE": 1}
    assert report.transitions["EMS"] == {"EMS": 1}
    assert report.team_a == 2 and report.team_b == 1


def test_whatif_names_the_rules_that_drove_the_changes() -> None:
    drivers = whatif(CALLS, default(), narrow()).rules_driving
    assert drivers["A:crisis-team"] == 3
    assert drivers["B:not-screened"] == 2
    assert drivers["B:exclude-weapon"] == 1


def test_whatif_of_a_protocol_against_itself_changes_nothing() -> None:
    report = whatif(CALLS, default(), default())
    assert report.changed == 0 and report.rules_driving == {}
    assert set(report.to_dict()) >= {"tiers", "changed", "transitions", "rules_driving_changes"}
