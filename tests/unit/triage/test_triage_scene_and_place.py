"""Families of wordings for the scene and the place (issue 10, protocol default-2026.12.2).

- Responders told to stage until police secure the scene: the centre that wrote it sent EMS
  and judged the scene unsafe, so police and EMS go beside the team; a centre's standing
  boilerplate and a cancer's stage are no staging.
- Suicidal talk or self-harm at a dangerous place (by the tracks, off a bridge, in traffic):
  police and EMS, whether the suicide comes from the text or from the call type; the place
  alone, or a street named after one, changes nothing.
- An "ALS" call type (the advanced tier a centre's medical protocol sends) brings EMS;
  "BLS" does not. An ordinal ("2ND OFFICER") is one word to the reader, and a meeting with
  an agency named by its initials ("MEET TCSO") asks for police.
"""

from __future__ import annotations

import itertools

import pytest

from crisis_dispatch.domain.triage import Tier
from crisis_dispatch.domain.triage.reader import read_narrative

from .builders import run

STAGING = [
    "STAGE FOR PD",
    "STAGE AWAY",
    "MEDIC TO STAGE",
    "STAGING PRIOR TO ARRIVAL",
    "STG UNTIL PD ARRIVES",
    "EMS STANDBY UNTIL SCENE SECURE",
    "SCENE NOT SECURE",
    "WILL ADVISE WHEN SCENE IS SECURE",
]
CALM_CONTEXT = ["PT HEARING VOICES", "55 YOM DEPRESSED", "ELDERLY FEMALE CONFUSED"]


@pytest.mark.parametrize(("staging", "context"), itertools.product(STAGING, CALM_CONTEXT))
@pytest.mark.parametrize("call_type", ["PSYCHIATRIC", ""])
def test_responders_told_to_stage_bring_police_and_ems(staging: str, context: str, call_type: str) -> None:
    for text in (f"{staging}, {context}", f"{context} / {staging}"):
        result = run(call_type=call_type, narrative=text)
        assert result.tier.includes_police and result.tier.includes_ems, (text, result.tier, result.flag_names)
        assert "staged" in result.flag_names


PLACES = [
    "STANDING BY THE TRACKS",
    "AT THE BRIDGE",
    "NEAR THE OVERPASS",
    "ON THE RAILROAD TRACKS",
    "IN THE MIDDLE OF THE ROADWAY",
    "WALKING IN TRAFFIC",
    "ON THE FREEWAY",
    "ON THE EDGE OF THE ROOF",
    "ON THE SIDE OF THE ROAD",
    "IN FRONT OF ONCOMING TRAFFIC",
    "RAN INTO ONCOMING TRAFFIC",
]
SUICIDAL_TEXT = ["SAYS HE WANTS TO DIE", "THREATENING SUICIDE", "SUICIDAL", "GOING TO PLAY IN TRAFFIC"]


@pytest.mark.parametrize(("place", "talk"), itertools.product(PLACES, SUICIDAL_TEXT))
def test_suicidal_talk_at_a_dangerous_place_brings_police_and_ems(place: str, talk: str) -> None:
    for text in (f"MALE {place} {talk}", f"{talk} // {place}", f"{talk.lower()}. {place.lower()}"):
        result = run(call_type="EDP", narrative=text)
        assert result.tier.includes_police and result.tier.includes_ems, (text, result.tier, result.flag_names)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("call_type", ["SUICIDE/ATTEMPT", "SUICIDAL SUBJECT", "ATTEMPTED SUICIDE/SUICIDE THREAT"])
def test_a_suicide_call_type_with_the_person_at_a_dangerous_place_brings_police_and_ems(place: str, call_type: str) -> None:
    result = run(call_type=call_type, narrative=f"SUBJ {place}, TALL W/M ORANGE SHIRT")
    assert result.tier.includes_police and result.tier.includes_ems, (call_type, place, result.tier, result.flag_names)


# A stage that is no staging, a place without suicidal talk or self-harm, a street named
# after a place: the team goes alone.
NO_DANGER = [
    "STAGE 4 CANCER PATIENT, DEPRESSED",
    "HAS STAGE IV LUNG CANCER AND IS SAD",
    "consider staging EMS until law units have confirmed the scene",
    "PD ON SCENE AND SECURE",
    "LIVES BY THE TRACKS, HEARING VOICES, NO WEAPONS, CALM",
    "PT AT THE BRIDGE ST APTS, ANXIOUS, WANTS TO TALK",
    "NEAR THE OVERPASS APARTMENTS, DEPRESSED, NOT SUICIDAL",
    "SLEEPS UNDER THE BRIDGE, HEARING VOICES",
]


@pytest.mark.parametrize("text", NO_DANGER)
@pytest.mark.parametrize("call_type", ["PSYCHIATRIC", "EDP"])
def test_a_stage_or_place_that_is_no_danger_sends_the_team_alone(text: str, call_type: str) -> None:
    result = run(call_type=call_type, narrative=text)
    assert result.tier is Tier.MH_TEAM, (text, result.tier, result.flag_names)


@pytest.mark.parametrize("text", ["NOT ON THE BRIDGE, AT HOME NOW, SUICIDAL THOUGHTS ONLY", "SUICIDAL, NOT NEAR THE TRACKS"])
def test_a_denied_place_is_no_place(text: str) -> None:
    assert "dangerous_place" not in read_narrative(text).names


@pytest.mark.parametrize(
    "call_type",
    [
        "PSYCHA (ALS-BEHAVIORAL/SUICIDAL)",
        "EMS-MENTAL/EMOTIONAL/PSYCHOLOGICAL ALS",
        "F ALS - mental emotional",
        "Psychiatric/abnormal Behvr-ALS",
    ],
)
def test_an_als_call_type_brings_ems(call_type: str) -> None:
    assert run(call_type=call_type).tier.includes_ems


@pytest.mark.parametrize("call_type", ["EMS-MENTAL/EMOTIONAL/PSYCHOLOGICAL BLS", "PSYCH EVAL BLS", "MENTAL - FALSE ALARM"])
def test_a_bls_call_type_does_not_bring_ems(call_type: str) -> None:
    assert not run(call_type=call_type, narrative="PT CALM, NO WEAPONS").tier.includes_ems


@pytest.mark.parametrize(
    "text",
    ["REQ 2ND OFFICER", "REQ 2nd officer.", "MEET TCSO AT THE COUNTY LINE", "MEET WITH LAPD AT THE CORNER", "meet wcso"],
)
def test_police_asked_for_in_cad_shorthand_go(text: str) -> None:
    for narrative in (text, f"PT HEARING VOICES / {text}", f"{text}, PT HEARING VOICES"):
        assert run(call_type="PSYCHIATRIC", narrative=narrative).tier.includes_police, narrative


def test_meeting_also_is_no_agency() -> None:
    assert "police_requested" not in read_narrative("WILL MEET ALSO WITH THE FAMILY").names


@pytest.mark.parametrize(
    "text",
    ["SAYS HE WANTS TO KILL HIMSELF BY SHOOTING", "MIGHT AS WELL PULL THE TRIGGER", "THREATENED TO END HER LIFE WITH A GUN"],
)
def test_a_suicide_by_firearm_implies_a_gun(text: str) -> None:
    result = run(call_type="EDP", narrative=text)
    assert "weapon" in result.flag_names and result.tier.includes_police, (text, result.flag_names)


@pytest.mark.parametrize("text", ["SAYS HE WANTS TO KILL HIMSELF BY SHOOTING", "MIGHT AS WELL PULL THE TRIGGER"])
def test_an_implied_gun_yields_to_no_guns(text: str) -> None:
    denied = run(call_type="EDP", narrative=f"{text}. NO GUNS IN THE HOME")
    assert "weapon" not in denied.flag_names, denied.flag_names


@pytest.mark.parametrize("call_type", ["MALE SUICIDAL - POSS STRUCTURE FIRE", "STRUCTURE FIRE", "EDP / HOUSE FIRE"])
def test_a_building_on_fire_brings_police_and_ems(call_type: str) -> None:
    tier = run(call_type=call_type).tier
    assert tier.includes_police and tier.includes_ems, (call_type, tier)


@pytest.mark.parametrize("call_type", ["ENVIRONMENTAL EMERGENCY", "ENVIROMENTAL EMERGENCY", "ENVIRONMENTAL EXPOSURE"])
def test_an_environmental_emergency_brings_ems_whatever_its_spelling(call_type: str) -> None:
    assert run(call_type=call_type, code="EE").tier.includes_ems
