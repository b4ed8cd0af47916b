"""Weapons implied by what is said: a threat to shoot oneself implies a gun and the means,
unless the text says there is none. All examples are invented."""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import Tier, read_narrative

from .builders import run

# -- shooting oneself, said in full -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "CALLER SAYS HER BROTHER IS GOING TO SHOOT HIMSELF TONIGHT",
        "Man texted that he would blow his brains out",
        "SHE KEEPS SAYING SHE WILL PUT A BULLET IN HER HEAD",
        "TALKING ABOUT EATING HIS GUN",
    ],
)
def test_a_threat_to_shoot_oneself_implies_a_gun_and_the_means(text: str) -> None:
    names = read_narrative(text).names
    assert {"weapon", "suicidal", "self_harm_in_progress"} <= names
    assert run(call_type="PSYCH", narrative=text).tier is Tier.MH_TEAM_WITH_POLICE_AND_EMS


def test_having_blown_ones_brains_out_is_an_attempt_with_a_gun() -> None:
    assert {"weapon", "self_harm_in_progress"} <= read_narrative("NEIGHBOUR SAYS HE BLEW HIS BRAINS OUT").names


@pytest.mark.parametrize(
    "text",
    [
        "SAYS HE WILL SHOOT HIMSELF / NO GUNS IN THE HOUSE",
        "Threatened to blow her brains out. She does not have a weapon.",
    ],
)
def test_an_implied_gun_yields_to_the_text_saying_there_is_none(text: str) -> None:
    reading = read_narrative(text)
    assert "weapon" not in reading.names
    assert "weapon" in reading.denied_names
    assert "suicidal" in reading.names


@pytest.mark.parametrize(
    "text", ["DENIES ANY THOUGHTS OF SHOOTING HIMSELF", "PT IS SHOUTING AT HIMSELF IN THE HALLWAY", "NOT GOING TO SHOOT HERSELF"]
)
def test_a_denied_threat_to_shoot_oneself_implies_no_gun(text: str) -> None:
    reading = read_narrative(text)
    assert "weapon" not in reading.names
    assert "weapon" not in reading.denied_names  # denying the threat says nothing about a gun
