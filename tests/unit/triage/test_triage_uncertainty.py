"""When the text cannot rule a danger out: possible_medical, unreadable, quoted codes, staging.

Examples are invented or paraphrased; never copied from the real dispatch pages.
"""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import (
    SAFETY_FLOOR_RULE,
    UNCERTAINTY_FLAGS,
    CallInput,
    Tier,
    read_narrative,
    triage,
)

from .builders import CALM_ANSWERS, careless, narrow, run


@pytest.mark.parametrize(
    "text",
    [
        "PILLS / UNK IF ARMED",
        "SAYS HER SUGAR FEELS LOW",
        "MAN ON THE GROUND MOANING",
        "EXTREMELY INTOXICATED, BARELY ABLE TO STAND",
        "took some kind of sleep aid, unk amount",
        "UNK IF SHE TOOK ANYTHING",
        "CUT ON HER ARM",
        "FOAMING AT THE MOUTH",
        "LEFT A NOTE / STILL BREATHING",
        "ANXIOUS WITH SPASMS AND RAPID BREATHING",
        "SAYS HE SPRAINED HIS WRIST",
        "MAN SLEEPING ON GROUND BY THE DOOR",
    ],
)
def test_loose_talk_of_pills_injury_or_a_body_in_trouble_is_a_possible_medical_problem(text: str) -> None:
    assert "possible_medical" in read_narrative(text).names


@pytest.mark.parametrize(
    "text",
    [
        "NO PILLS OR DRUGS TAKEN",
        "OFF HIS MEDS FOR A WEEK, HEARING VOICES",
        "REFUSING TO TAKE HER MEDICATION",
        "MOM TOOK HIM TO THE ER YESTERDAY",
        "STAGE 4 CANCER PATIENT, DEPRESSED",
    ],
)
def test_calm_talk_of_medication_or_outings_raises_no_doubt(text: str) -> None:
    assert not read_narrative(text).names & set(UNCERTAINTY_FLAGS)


def test_a_possible_medical_problem_brings_ems_with_the_team() -> None:
    result = run(call_type="EMOTIONAL CRISIS", narrative="PILLS / UNK IF ARMED")
    assert result.tier is Tier.MH_TEAM_WITH_EMS
    assert "possible-medical-ems" in result.rules_fired
    assert any("PILLS" in reason for reason in result.reasons)


def test_the_call_takers_answers_settle_a_possible_medical_problem() -> None:
    answers = {k: CALM_ANSWERS[k] for k in ("conscious_breathing", "injury", "ingestion", "attempt_in_progress")}
    result = run(call_type="EMOTIONAL CRISIS", narrative="PILLS ON THE TABLE", answers=answers)
    assert result.tier is Tier.MH_TEAM
    assert "possible_medical" not in result.flag_names
    assert any("settled" in reason for reason in result.reasons)


def test_a_partial_answer_does_not_settle_the_doubt() -> None:
    result = run(call_type="EMOTIONAL CRISIS", narrative="PILLS ON THE TABLE", answers={"injury": "no"})
    assert result.tier is Tier.MH_TEAM_WITH_EMS


@pytest.mark.parametrize(
    "text",
    ["Mannen har tagit tabletter och vill inte prata", "Hon står vid bron", "Elle est sur le pont avec un couteau"],
)
def test_text_in_another_language_is_unreadable(text: str) -> None:
    assert "unreadable" in read_narrative(text).names


def test_spanish_is_read_not_doubted() -> None:
    reading = read_narrative("La señora dice que no quiere vivir")
    assert "unreadable" not in reading.names
    assert {"suicidal", "mental_health"} <= reading.names


@pytest.mark.parametrize(
    "text",
    ["JOSÉ IS CALM AND WANTS TO TALK TO SOMEONE", "SUICIDE ATT", "25 YOM CON/BREATHING", "OVERDOSE INTE", "DE LA VINA ST"],
)
def test_english_with_foreign_names_or_abbreviations_stays_readable(text: str) -> None:
    assert "unreadable" not in read_narrative(text).names


def test_unreadable_text_sends_police_and_ems_with_the_team() -> None:
    result = run(call_type="SUICIDE THREAT", narrative="Mannen har tagit tabletter och vill inte prata")
    assert result.tier is Tier.MH_TEAM_WITH_POLICE_AND_EMS
    assert "unreadable-co-response" in result.rules_fired


def test_a_foreign_call_type_is_unreadable_too() -> None:
    result = run(call_type="Hot om suicid / Person vid vatten")
    assert "unreadable" in result.flag_names
    assert result.tier not in (Tier.MH_TEAM, Tier.PHONE_988)


def test_the_narrow_protocol_screens_a_doubt_out_and_sends_ems() -> None:
    result = run(call_type="EDP", narrative="HAS A BOTTLE OF PILLS", protocol=narrow())
    assert result.tier is Tier.EMS


def test_a_protocol_without_a_rule_for_doubts_still_never_sends_the_team_alone() -> None:
    protocol = careless()
    pills = triage(CallInput(id="x", call_type="EDP", narrative="PILLS / UNK IF ARMED"), protocol)
    assert pills.tier is Tier.MH_TEAM_WITH_EMS and pills.rules_fired[-1] == SAFETY_FLOOR_RULE
    foreign = triage(CallInput(id="y", call_type="EDP", narrative="Mannen har tagit tabletter och vill inte prata"), protocol)
    assert foreign.tier is Tier.MH_TEAM_WITH_POLICE_AND_EMS


def test_an_mpds_determinant_quoted_in_the_text_counts() -> None:
    result = run(
        call_type="PSYCH", narrative="PROQA SUMMARY: DELTA 25D01 ABNORMAL BEHAVIOR. 30-YEAR-OLD MALE, CONSCIOUS AND BREATHING."
    )
    assert "medical" in result.flag_names and result.tier.includes_ems


def test_a_unit_name_that_looks_like_a_code_is_not_read_as_one() -> None:
    assert "medical" not in run(call_type="PSYCH", narrative="RECEIVED BY UNIT 9D12, PT CALM").flag_names


def test_responders_told_to_stage_for_police_bring_police_and_ems() -> None:
    result = run(call_type="PSYCHIATRIC", narrative="STAGE FOR PD, PT HEARING VOICES")
    assert result.tier is Tier.MH_TEAM_WITH_POLICE_AND_EMS


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("THREATENING TO HURT HIMSELF AND OTHERS", "violence"),
        ("DAUGHTER COMING AT EVERYONE WITH SISSORS", "weapon"),
        ("DAUGHTER COMING AT EVERYONE WITH SISSORS", "violence"),
        ("SON FEELS HOMOCIDAL", "violence"),
        ("MAKING THREATS TO C2 AND STAFF", "violence"),
        ("HE STRUCK HIS MOTHER EARLIER", "violence"),
        ("WALKING INTO THE ROADWAY", "self_harm_in_progress"),
        ("GARDEN HOSE IN THE CAR EXHAUST", "self_harm_in_progress"),
        ("HAS BEEN THREATENING EMPLOYEES AT THE DOOR", "violence"),
        ("INTOX AND BLACKING OUT", "medical"),
        ("RESIDENT WITH RECENT MENTAL STATUS CHANGES", "medical"),
        ("STANDBY UNTIL SCENE SECURE", "staged"),
        ("HER SON IS HOLDING HER DOWN", "unsafe_location"),
        ("SAYS HE HAS THOUGHT ABOUT KILLING A LOT OF PEOPLE", "violence"),
        ("TOLD HIS NURSE HE HAS THOUGHTS OF HURTING OTHERS", "violence"),
        ("RESIDENT THREATENING HARM TO OTHERS", "violence"),
        ("PT ENDORSES SI/HI", "violence"),
    ],
)
def test_more_ways_of_reporting_a_danger_are_read(text: str, flag: str) -> None:
    assert flag in read_narrative(text).names


@pytest.mark.parametrize(
    "text",
    [
        "NOT STATING HE WILL HURT ANYONE",
        "SHE WOULD NEVER HURT OTHER PEOPLE",
        "PT DENIES SI/HI",
        "NO THOUGHTS OF HARMING OTHERS",
    ],
)
def test_denied_harm_to_people_is_no_violence(text: str) -> None:
    assert "violence" not in read_narrative(text).names


def test_thoughts_of_hurting_others_are_not_suicidal_talk() -> None:
    assert "suicidal" not in read_narrative("HAS THOUGHTS OF HURTING OTHERS").names
    assert "suicidal" in read_narrative("HAS THOUGHTS OF HURTING HERSELF").names


def test_a_call_type_that_says_the_scene_is_not_secure_brings_police() -> None:
    result = run(call_type="Psych *Not Secure* Per PD")
    assert "unsafe_location" in result.flag_names and result.tier is Tier.MH_TEAM_WITH_POLICE
    assert run(call_type="Psych *Secure* Per PD").tier is Tier.MH_TEAM


def test_an_unknown_status_determinant_is_a_doubt_the_call_taker_can_settle() -> None:
    result = run(call_type="PSYCHIATRIC", code="25B06")
    assert "possible_medical" in result.flag_names and result.tier is Tier.MH_TEAM_WITH_EMS
    answers = {k: CALM_ANSWERS[k] for k in ("conscious_breathing", "injury", "ingestion", "attempt_in_progress")}
    assert run(call_type="PSYCHIATRIC", code="25B06", answers=answers).tier is Tier.MH_TEAM
    assert "possible_medical" in run(call_type="PSYCH - UNKNOWN STATUS").flag_names


def test_answers_to_every_safety_question_settle_unreadable_text() -> None:
    result = run(call_type="SUICIDE THREAT", narrative="Mannen har tagit tabletter och vill inte prata", answers=CALM_ANSWERS)
    assert "unreadable" not in result.flag_names
    assert result.tier in (Tier.MH_TEAM, Tier.PHONE_988)
