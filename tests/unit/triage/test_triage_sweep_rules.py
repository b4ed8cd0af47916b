"""The rules added after the keyword sweep of team-alone pages (docs/triage-measurements.md, 2026-11-27).

Violence by its acts toward a named person, a threat to kill oneself and someone else,
breathing trouble in call-type abbreviations, a person who will not respond when spoken to,
a doubt whether someone breathes, a count of a named drug, stepping in front of vehicles,
harming oneself now, fire and fuel, an ingestion named as the means, "knife" with two
letters swapped, and "UNK DEST" no longer making the danger after it uncertain.
Every rule only adds safety. All examples are invented; none is copied from the real pages.
"""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import Tier, read_narrative

from .builders import run


def flags(text: str) -> set[str]:
    return set(read_narrative(text).names)


def denied(text: str) -> set[str]:
    return set(read_narrative(text).denied_names)


# -- violence by its acts toward a named person ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "PT LUNGED TO BITE THE RP TWICE",
        "SON HIT HIS MOTHER IN THE FACE",
        "RESIDENT KICKED A STAFF MEMBER",
        "PUSHED THE NURSE INTO THE WALL",
        "GRANDSON CHOKING THE GRANDMOTHER",
        "CALLER SAYS HER SISTER IS BEING BATTERED BY BF",
        "FRIEND SAID SHE GOT BATTERED LAST NIGHT AND AGAIN NOW",
        "ADULT GRANDSON ABUSING HIS GRANDMOTHER PER NEIGHBOUR",
        "HUSBAND LOCKED HER IN THE GARAGE",
        "MALE POSSIBLY LOCKING HIS FATHER INSIDE THE SHED",
    ],
)
def test_an_act_of_violence_toward_a_named_person_is_violence(text: str) -> None:
    assert "violence" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "PT LOCKED HIMSELF IN THE BATHROOM",
        "SHE LOCKED HERSELF IN HER CAR",
        "LOCKED HER KEYS IN THE CAR",
        "HAS BEEN ABUSING ALCOHOL FOR YEARS",
        "VERBALLY ABUSING HIS MOTHER, NOTHING PHYSICAL",
        "HIT THE POLICE CAR WITH HIS BIKE EARLIER",
        "BATTERED WOMENS SHELTER CALLING ABOUT A RESIDENT WHO IS DEPRESSED",
    ],
)
def test_the_same_verbs_without_a_person_hurt_are_not_violence(text: str) -> None:
    assert "violence" not in flags(text)


@pytest.mark.parametrize(
    "text",
    ["DID NOT HIT THE CALLER", "DENIES HITTING HIS MOTHER", "HAS NOT BEEN BATTERED, JUST SCARED"],
)
def test_a_denied_act_of_violence_is_a_denial(text: str) -> None:
    assert "violence" not in flags(text)
    assert "violence" in denied(text)


@pytest.mark.parametrize(
    "text",
    [
        "SAYS HE IS GOING TO KILL HIMSELF AND HIS GIRLFRIEND",
        "THREATENING TO HURT HERSELF AND THE KIDS",
        "WANTS TO SHOOT HIMSELF & HIS DAD",
        "STATES SHE WILL KILL HERSELF AND ALSO THE CALLER",
    ],
)
def test_a_threat_to_kill_oneself_and_someone_else_is_violence_and_suicidal_talk(text: str) -> None:
    assert {"violence", "suicidal"} <= flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "SAYS HE WILL KILL HIMSELF AND NOBODY CAN STOP HIM",
        "WANTS TO HURT HERSELF AND IS CRYING",
        "THREATENS TO SHOOT HIMSELF AND JUMP OFF THE ROOF",
    ],
)
def test_a_threat_to_oneself_followed_by_something_else_is_not_violence(text: str) -> None:
    assert "violence" not in flags(text)


# -- medical: breathing, not responding, a doubt whether someone breathes -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "55 YOF DRUNK NOW SHALLOW RESP",
        "LABORED RESPIRATIONS PER RP",
        "AGONAL BREATHS",
        "EYES CLOSED AND WILL NOT RESPOND WHEN HIS WIFE SHAKES HIM",
        "SHE WONT RESPOND TO HER NAME",
        "MALE ON BENCH DOESNT RESPOND.",
    ],
)
def test_breathing_trouble_or_not_responding_when_spoken_to_is_medical(text: str) -> None:
    assert "medical" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "SON WILL NOT RESPOND TO TEXTS SINCE YESTERDAY",
        "SHE DOES NOT RESPOND TO HER MEDS ANYMORE",
        "PT WOULD NOT RESPOND TO THE DOOR",
        "RESP UNIT 12 ENROUTE",
    ],
)
def test_not_answering_texts_the_door_or_a_medication_is_not_medical(text: str) -> None:
    assert "medical" not in flags(text)


def test_shallow_breathing_denied_is_a_denial() -> None:
    assert "medical" in denied("NO SHALLOW RESP, TALKING NORMALLY")


@pytest.mark.parametrize(
    "text",
    [
        "CALLER CANT TELL IF HE IS BREATHING",
        "RP UNSURE WHETHER HER CHEST IS MOVING",
        "UNK IF CONSCIOUS",
        "Conscious: Unknown Breathing: Unknown",
        "CONSCIOUS UNK, BREATHING UNK",
        "52-year-old, Male, Consciousness unknown, Breathing status unknown.",
    ],
)
def test_a_doubt_whether_someone_breathes_or_is_conscious_is_a_possible_medical_doubt(text: str) -> None:
    assert "possible_medical" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "Conscious: Unknown Breathing: Yes",  # one unknown, the other answered: not this rule
        "Conscious: Yes Breathing: Yes",
        "Consciousness unknown, Breathing status normal",
        "SHE IS CONSCIOUS AND BREATHING",
    ],
)
def test_an_answered_conscious_or_breathing_line_is_not_a_doubt(text: str) -> None:
    assert "possible_medical" not in flags(text)


def test_a_proqa_line_with_both_unknown_under_a_welfare_call_brings_ems_beside_the_team() -> None:
    result = run(call_type="MENTAL HEALTH CHECK", narrative="Conscious: Unknown\nBreathing: Unknown")
    assert result.tier is Tier.MH_TEAM_WITH_EMS


# -- overdose: a count of a named drug -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["30 YOF 25 KLONOPIN ABOUT AN HOUR AGO", "SAYS 12 OR SO OF HER ATIVAN", "15-20 TYLENOL EARLIER", "60 BENADRYL"],
)
def test_a_count_of_a_named_drug_is_an_ingestion(text: str) -> None:
    assert "overdose" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "TAKES 1 XANAX AT NIGHT",
        "2 AMBIEN PRESCRIBED",
        "ON 50 MG SEROQUEL",
        "PRESCRIBED 100MG TRAZODONE",
    ],
)
def test_one_or_two_tablets_or_a_dose_in_milligrams_is_not_an_ingestion(text: str) -> None:
    assert "overdose" not in flags(text)


def test_a_count_of_a_drug_denied_is_a_denial() -> None:
    assert "overdose" in denied("DENIES TAKING 20 XANAX, ONLY THREATENED")


# -- self-harm in progress ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SUICIDAL MALE TRYING TO STEP IN FRONT OF TRUCKS",
        "SHE KEEPS RUNNING OUT IN FRONT OF ONCOMING TRAFFIC",
        "ATTEMPTED TO THROW HIMSELF IN FRONT OF A BUS",
        "LAYING IN FRONT OF CARS ON THE RAMP",
    ],
)
def test_stepping_in_front_of_vehicles_is_an_attempt(text: str) -> None:
    assert "self_harm_in_progress" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "PT WALKED IN FRONT OF THE TV YELLING",
        "STANDING IN FRONT OF THE STORE",
        "PARKED IN FRONT OF HER HOUSE",
        "SITTING IN FRONT OF CARS PARKED IN THE LOT",
    ],
)
def test_being_in_front_of_other_things_is_not_an_attempt(text: str) -> None:
    assert "self_harm_in_progress" not in flags(text)


@pytest.mark.parametrize(
    "text",
    ["SAYS SHE WANTS TO WALK IN FRONT OF A CAR", "THREATENING TO JUMP IN FRONT OF TRAFFIC"],
)
def test_a_wish_to_step_in_front_of_vehicles_is_suicidal_talk_not_an_attempt(text: str) -> None:
    found = flags(text)
    assert "suicidal" in found
    assert "self_harm_in_progress" not in found


@pytest.mark.parametrize(
    "text",
    [
        "9 YOF SCREAMING AND HITTING HERSELF",
        "HARMING HIMSELF RIGHT NOW PER MOM",
        "TEEN HAS BEEN BANGING HIMSELF AGAINST THE WALL",
    ],
)
def test_harming_oneself_now_is_an_attempt(text: str) -> None:
    assert "self_harm_in_progress" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "THOUGHTS OF HURTING HIMSELF",
        "TALKING ABOUT HARMING HERSELF",
        "PLANNING ON HURTING HIMSELF",
        "FEELS LIKE HURTING HERSELF",
        "HX OF HARMING HIMSELF",
    ],
)
def test_talk_of_harming_oneself_is_not_an_attempt(text: str) -> None:
    assert "self_harm_in_progress" not in flags(text)


def test_harming_oneself_denied_is_a_denial() -> None:
    assert "self_harm_in_progress" in denied("NOT HURTING HERSELF, JUST UPSET")


@pytest.mark.parametrize(
    "text",
    ["POURED GASOLINE ON HERSELF IN THE YARD", "HE DOUSED HIMSELF WITH LIGHTER FLUID", "LIT HIMSELF ON FIRE"],
)
def test_fuel_on_oneself_or_setting_oneself_alight_is_an_attempt(text: str) -> None:
    assert "self_harm_in_progress" in flags(text)


def test_a_threat_to_set_oneself_alight_is_suicidal_talk() -> None:
    found = flags("SAYS HE IS GOING TO SET HIMSELF ON FIRE")
    assert "suicidal" in found
    assert "self_harm_in_progress" not in found


def test_not_knowing_whether_fuel_was_poured_is_a_possible_medical_doubt() -> None:
    found = flags("RP UNSURE IF SHE POURED GAS ON HERSELF")
    assert "possible_medical" in found
    assert "self_harm_in_progress" not in found


@pytest.mark.parametrize(
    "text",
    [
        "HAS A BOTTLE OF VODKA AND IS GOING TO DRINK IT TO KILL HIMSELF",
        "SAYS SHE WILL SWALLOW THE WHOLE BOTTLE TO END HERSELF",
        "TOOK HIS PILLS IN AN ATTEMPT TO HARM HIMSELF",
        "GOING TO DRINK THIS TO TRY TO KILL HERSELF",
    ],
)
def test_an_ingestion_named_as_the_means_of_suicide_is_the_means_at_hand(text: str) -> None:
    assert "self_harm_in_progress" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "HAS BEEN DRINKING AND THREATENED TO KILL HIMSELF",
        "TOOK HER PHONE AND SAID SHE WOULD KILL HERSELF",
    ],
)
def test_drinking_and_a_threat_said_separately_are_not_a_means(text: str) -> None:
    assert "self_harm_in_progress" not in flags(text)


def test_try_and_is_read_like_trying_to() -> None:
    assert "self_harm_in_progress" in flags("MOM SAYS HE DID TRY AND OD ON HIS PILLS TONIGHT")


# -- a weapon word with two neighbouring letters swapped, "UNK DEST" ----------------------------------


@pytest.mark.parametrize("word", ["KNIEF", "KINFE", "KNFIE", "NKIFE"])
def test_knife_with_two_neighbouring_letters_swapped_is_a_weapon(word: str) -> None:
    assert "weapon" in flags(f"HAS A STEAK {word} IN HER HAND")


def test_a_swapped_knife_denied_is_a_denial() -> None:
    assert "weapon" in denied("NO KNIEF SEEN")


@pytest.mark.parametrize(
    "text",
    ["ADULT MALE UNK DEST, ASSAULTIVE TOWARD STAFF", "PT UNKNOWN DESTINATION COMBATIVE", "UNK LOC ASSAULTIVE"],
)
def test_an_unknown_destination_or_location_does_not_make_the_danger_after_it_uncertain(text: str) -> None:
    assert "violence" in flags(text)


@pytest.mark.parametrize("text", ["UNK WEAPONS", "UNK IF VIOLENT", "UNK DEST / UNK IF HE HAS A GUN"])
def test_an_unknown_danger_is_still_uncertain(text: str) -> None:
    assert not flags(text) & {"weapon", "violence"}


def test_an_unknown_destination_does_not_block_a_denial() -> None:
    assert "violence" in denied("UNK DEST NOT VIOLENT")


@pytest.mark.parametrize("text", ["SO ENROUTE, WILL ADVISE WHEN SCENE IS SECURE", "EMS TO HOLD BACK ONCE THE SCENE SECURED"])
def test_responders_told_to_wait_until_the_scene_is_secure_are_staged(text: str) -> None:
    assert "staged" in flags(text)


# -- calm mental-health calls still go to the team alone ---------------------------------------------


@pytest.mark.parametrize(
    "narrative",
    [
        "PT DEPRESSED, THOUGHTS OF HURTING HERSELF, NO PLAN, NO WEAPONS, CALM",
        "SON OFF HIS MEDS, PACING IN FRONT OF THE TV, TALKING TO HIMSELF, NOT VIOLENT",
        "ANXIOUS FEMALE LOCKED HERSELF IN HER ROOM, NO WEAPONS, NO INJURIES",
        "MOTHER REQ CRISIS TEAM, SON WONT RESPOND TO TEXTS, HAS HX OF SCHIZOPHRENIA",
        "UNK DEST, MALE HEARING VOICES, COOPERATIVE",
        "VERBALLY ABUSING HIS FATHER, PSYCH HX, NO WEAPONS",
    ],
)
def test_calm_mental_health_calls_still_go_to_the_team_alone(narrative: str) -> None:
    assert run(call_type="PSYCH", narrative=narrative).tier is Tier.MH_TEAM


@pytest.mark.parametrize(
    ("narrative", "tier"),
    [
        ("SUICIDAL FEMALE TRYING TO WALK IN FRONT OF CARS, HUSBAND HOLDING HER DOWN", Tier.MH_TEAM_WITH_POLICE_AND_EMS),
        ("SUICIDAL FEMALE TRYING TO WALK IN FRONT OF CARS", Tier.MH_TEAM_WITH_POLICE_AND_EMS),
        ("PT SHOVED THE NURSE, NO WEAPONS", Tier.MH_TEAM_WITH_POLICE),
        ("HE SAYS HE WILL KILL HIMSELF AND HIS MOTHER", Tier.MH_TEAM_WITH_POLICE),
        ("PARTNER SAYS SHE WILL CUT HERSELF, HOLDING A BREAD KINFE", Tier.MH_TEAM_WITH_POLICE_AND_EMS),
    ],
)
def test_the_sweep_dangers_bring_police_or_ems_beside_the_team(narrative: str, tier: Tier) -> None:
    assert run(call_type="PSYCH", narrative=narrative).tier is tier
