"""Regression tests: wordings the reader once got wrong, and the ``confirmed`` mark.

Each case is a call as it may arrive (call type "EDP", and no call type where the text alone
must decide) under the default protocol. The assertions name who goes (police, EMS, the
crisis team) and the flags that sent them, never the exact wording of a reason.
"""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import Tier, TriageResult

from .builders import run

CALL_TYPES = ["EDP", ""]


def responders(result: TriageResult) -> set[str]:
    tier = result.tier
    return {
        name
        for name, present in (
            ("police", tier.includes_police),
            ("ems", tier.includes_ems),
            ("team", tier.includes_team),
        )
        if present
    }


# -- a danger followed by a clause that negates something else -------------------------------

WEAPON_THEN_OTHER_NEGATION = [
    "SUBJ HAS GUN NO SHOTS FIRED",
    "RP STATES SUBJ HAS A KNIFE NO INJURIES",
    "SUBJ WAVING KNIFE NO ONE HURT YET",
    "he has a knife no gun",
    "no weapons he has a knife",
]


@pytest.mark.parametrize("call_type", CALL_TYPES)
@pytest.mark.parametrize("narrative", WEAPON_THEN_OTHER_NEGATION)
def test_a_weapon_is_not_denied_by_a_negation_of_something_else(narrative: str, call_type: str) -> None:
    result = run(call_type, narrative)
    assert "weapon" in result.flag_names, result.reasons
    assert result.tier.includes_police, result.tier
    if call_type == "EDP":
        assert result.tier.includes_team, result.tier


# -- typos in the narrative -------------------------------------------------------------------


@pytest.mark.parametrize("call_type", CALL_TYPES)
def test_misspelt_cutting_and_bleeding_bring_ems(call_type: str) -> None:
    result = run(call_type, "pt is cuting his arms, bleding alot")
    assert {"medical", "self_harm_in_progress"} <= result.flag_names, result.flag_names
    assert result.tier.includes_ems, result.tier
    assert result.tier is not Tier.MH_TEAM


# -- a person at a dangerous place ------------------------------------------------------------


@pytest.mark.parametrize("call_type", CALL_TYPES)
def test_threatening_to_jump_from_an_overpass_brings_ems_and_police(call_type: str) -> None:
    result = run(call_type, "SUBJ STANDING ON OVERPASS THREATENING TO JUMP")
    assert result.tier.includes_ems, result.tier
    assert result.tier.includes_police, result.tier
    assert result.tier.includes_team, result.tier


# -- Spanish ----------------------------------------------------------------------------------


@pytest.mark.parametrize("call_type", CALL_TYPES)
def test_spanish_gun_and_suicidal_wish_bring_police_ems_and_the_team(call_type: str) -> None:
    result = run(call_type, "su esposo tiene una pistola y quiere matarse")
    assert {"weapon", "suicidal"} <= result.flag_names, result.flag_names
    assert responders(result) == {"police", "ems", "team"}, result.tier


def test_spanish_no_weapons_is_read_not_unreadable() -> None:
    result = run("EDP", "No tiene armas")
    assert "unreadable" not in result.flag_names, result.flag_names
    assert "weapon" not in result.flag_names, result.flag_names
    assert result.tier is Tier.MH_TEAM, result.tier


# -- calm texts -------------------------------------------------------------------------------


@pytest.mark.parametrize("call_type", CALL_TYPES)
def test_every_danger_denied_and_someone_to_talk_to_sends_the_team_alone(call_type: str) -> None:
    result = run(call_type, "Denies SI, denies HI, no weapons, no drugs, just needs someone to talk to")
    assert responders(result) == {"team"}, (result.tier, result.flag_names)
    assert not result.tier.includes_police
    assert not result.tier.includes_ems


def test_the_staging_boilerplate_is_no_finding() -> None:
    result = run("EDP", "consider staging EMS until law units have confirmed the scene")
    assert result.tier is Tier.MH_TEAM, (result.tier, result.flag_names)
    assert not result.flag_names & {"medical", "possible_medical", "unsafe_location", "staged", "weapon", "violence"}


# -- call types and codes that leave an attempt open ------------------------------------------


def test_suicide_attempt_or_threat_call_type_without_text_brings_ems() -> None:
    result = run("SUICIDE ATTEMPT/THREAT", "")
    assert result.tier.includes_ems, (result.tier, result.flag_names)
    assert result.tier.includes_team, result.tier


def test_suicide_attempt_or_threat_settled_by_the_text_sends_the_team_alone() -> None:
    result = run("SUICIDE ATTEMPT/THREAT", "thoughts only, has not taken anything, no means")
    assert result.tier is Tier.MH_TEAM, (result.tier, result.flag_names)
    assert "self_harm_in_progress" not in result.flag_names


@pytest.mark.parametrize("code", ["SUICTHRT", "SUICIDE"])
def test_a_suicide_code_without_text_brings_ems_beside_the_team(code: str) -> None:
    result = run("", "", code=code)
    assert result.tier.includes_ems, (code, result.tier, result.flag_names)
    assert result.tier.includes_team, (code, result.tier)


# -- confirmed --------------------------------------------------------------------------------

SAFETY_ANSWERS = {"weapon": "no", "violence": "no", "conscious_breathing": "yes"}


def test_the_team_alone_without_answers_is_unconfirmed() -> None:
    result = run("EDP", "")
    assert result.tier is Tier.MH_TEAM
    assert result.confirmed is False
    assert result.to_dict()["confirmed"] is False


def test_the_team_alone_with_the_three_safety_answers_is_confirmed() -> None:
    result = run("EDP", "", answers=dict(SAFETY_ANSWERS))
    assert result.tier is Tier.MH_TEAM
    assert result.confirmed is True
    assert result.to_dict()["confirmed"] is True


@pytest.mark.parametrize(
    ("call_type", "narrative"),
    [("EDP", "RP ADV PT HAS A KNIFE"), ("EDP", "PT UNCONSCIOUS"), ("", "SUBJ HAS GUN NO SHOTS FIRED")],
)
def test_a_decision_that_sends_police_or_ems_is_confirmed(call_type: str, narrative: str) -> None:
    result = run(call_type, narrative)
    assert result.tier.includes_police or result.tier.includes_ems, result.tier
    assert result.confirmed is True
    assert result.to_dict()["confirmed"] is True
