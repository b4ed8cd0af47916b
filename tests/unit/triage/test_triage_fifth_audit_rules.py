"""The rules added after the fifth audit of team-alone pages (docs/triage-measurements.md).

A call type's reported condition set off by asterisks, "VIOL" for violent, and the
"ATMPT" family of abbreviations for attempt. Every rule only adds safety. All examples are
invented; none is copied from the real pages.
"""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import Tier
from crisis_dispatch.domain.triage.mappings import starred_parts

from .builders import run


@pytest.mark.parametrize(
    ("call_type", "parts"),
    [
        ("Mental *Attempted Suicide* Per Deputy", ["Attempted Suicide", " Per Deputy"]),
        ("Mental *Attempted Suicide", ["Attempted Suicide"]),
        ("Behavioural **CALL BACK**", ["CALL BACK"]),
        ("Behavioural crisis", []),
    ],
)
def test_the_parts_of_a_call_type_set_off_by_asterisks_are_found(call_type: str, parts: list[str]) -> None:
    assert starred_parts(call_type) == parts


@pytest.mark.parametrize(
    ("call_type", "tier"),
    [
        ("Psych *Suicide Attempt* Per Deputy", Tier.MH_TEAM_WITH_EMS),  # reported, not a card title
        ("Psych *Suicide Atmpt Per Deputy", Tier.MH_TEAM_WITH_EMS),
        ("Psych *Combative* Per Deputy", Tier.MH_TEAM_WITH_POLICE),
        ("Psych *Calm* Per Deputy", Tier.MH_TEAM),
        ("Psych *Secure*", Tier.MH_TEAM),
        # the card's title: not a report of an attempt, but it leaves one open (issue 10)
        ("Psych Suicide Attempt", Tier.MH_TEAM_WITH_EMS),
        ("EMOTIONAL PERSON * Cover Unit 12 *", Tier.MH_TEAM),  # asterisks around a unit note
    ],
)
def test_a_condition_set_off_by_asterisks_in_a_psych_call_type_is_read_as_reported(call_type: str, tier: Tier) -> None:
    assert run(call_type=call_type).tier is tier


@pytest.mark.parametrize(
    ("call_type", "tier"),
    [
        ("VIOL PSYCH PT", Tier.MH_TEAM_WITH_POLICE),
        ("MENTAL PT - VIOL", Tier.MH_TEAM_WITH_POLICE),
        ("MENTAL PT - NOT VIOL", Tier.MH_TEAM),
        ("MENTAL PT - NON VIOL", Tier.MH_TEAM),
    ],
)
def test_viol_in_a_call_type_is_violent_unless_negated(call_type: str, tier: Tier) -> None:
    assert run(call_type=call_type).tier is tier


@pytest.mark.parametrize("call_type", ["SUICIDE ATMPT", "SUICIDE ATTMPT", "SUICIDE ATTMP", "SUICIDE ATMP"])
def test_abbreviated_suicide_attempts_are_attempts(call_type: str) -> None:
    assert run(call_type=call_type).tier is Tier.MH_TEAM_WITH_EMS


@pytest.mark.parametrize("call_type", ["PSYC SUICIDE ATMPT", "PSYCHIATRIC/SUICIDE ATTMPT", "Psychiatric / Suicide Atmp"])
def test_an_abbreviated_card_title_is_still_a_card_title(call_type: str) -> None:
    # a card title, not a reported attempt: EMS goes because one is possible (issue 10), and
    # text that tells of talk only keeps the team alone
    result = run(call_type=call_type)
    assert result.tier is Tier.MH_TEAM_WITH_EMS and "possible_attempt" in result.flag_names
    assert "self_harm_in_progress" not in result.flag_names
    assert run(call_type=call_type, narrative="SUICIDAL THOUGHTS ONLY, NO WEAPONS").tier is Tier.MH_TEAM
