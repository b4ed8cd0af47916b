"""The rules added after the third audit of team-alone pages (docs/triage-measurements.md).

A one-letter typo in a call type's key danger word, a determinant level written in a
call type, a determinant code without its card number, and shooting oneself said in full.
Every rule only adds safety. All examples are invented; none is copied from the real pages.
"""

from __future__ import annotations

import pytest

from crisis_dispatch.adapters.protocol_loader import load_code_mappings
from crisis_dispatch.domain.triage import CodeMappings, Tier, read_narrative
from crisis_dispatch.domain.triage.mappings import call_type_determinants, call_type_levels
from crisis_dispatch.domain.triage.reader.typos import one_edit_apart

from .builders import CALM_ANSWERS, run


def call_type_flags(call_type: str) -> set[str]:
    hit = load_code_mappings().lookup_call_type(call_type)
    return set(hit.flags) if hit else set()


def code_flags(code: str, call_type: str | None) -> set[str]:
    hit = load_code_mappings().lookup_code(code, call_type=call_type)
    return set(hit.flags) if hit else set()


# -- one-letter typos in a call type's key danger words -------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("ATTEMPT", "ATXEMPT", True),  # a letter changed
        ("ATTEMPT", "ATEMPT", True),  # dropped
        ("ATTEMPT", "ATTEMMPT", True),  # added
        ("ATTEMPT", "ATTEPMT", True),  # neighbours swapped
        ("ATTEMPT", "ATTEMPT", False),
        ("ATTEMPT", "TATEMTP", False),  # two edits
        ("ATTEMPT", "ATTEMPTED", False),
    ],
)
def test_one_edit_apart_counts_one_change_addition_deletion_or_swap(a: str, b: str, apart: bool) -> None:
    assert one_edit_apart(a, b) is apart
    assert one_edit_apart(b, a) is apart


@pytest.mark.parametrize(
    ("call_type", "flag"),
    [
        ("SUICIDE ATTEMQT", "self_harm_in_progress"),
        ("Suicide Atempt - Priority", "self_harm_in_progress"),
        ("SUICIDE ATTEPMT", "self_harm_in_progress"),
        ("UNCONSIOUS PERSON", "medical"),
        ("OVERDPSE", "overdose"),
        ("SUBJECT WITH WAEPON", "weapon"),
        ("STABBNIG", "weapon"),
        ("SHOOTIGN", "weapon"),
    ],
)
def test_a_one_letter_typo_in_a_key_danger_word_of_a_call_type_still_counts(call_type: str, flag: str) -> None:
    assert flag in call_type_flags(call_type)


def test_a_mistyped_attempt_call_type_with_nothing_else_gets_ems() -> None:
    result = run(call_type="SUICIDE ATTEMOT", code="XQ")
    assert result.tier is Tier.MH_TEAM_WITH_EMS
    assert any(f.name == "self_harm_in_progress" and f.evidence == "SUICIDE ATTEMOT" for f in result.flags)


@pytest.mark.parametrize(
    "call_type",
    [
        "PSYCH - MAN SHOUTING AT NEIGHBOURS",  # SHOUTING is a word, not SHOOTING mistyped
        "SCOOTING IN TRAFFIC",
        "STUBBING TOE",
        "MENTAL - NOT ARMED, NO WAEPON",  # a mistyped word is still negated
    ],
)
def test_real_words_near_a_danger_word_and_negated_typos_raise_nothing(call_type: str) -> None:
    assert not call_type_flags(call_type) & {"weapon", "violence"}


def test_a_card_title_with_a_typo_is_still_a_card_title_not_an_attempt() -> None:
    assert "self_harm_in_progress" not in call_type_flags("Psychiatric/Suicide Atempt")
    assert "self_harm_in_progress" not in call_type_flags("PSYCH/ABN BEHAV/SUICIDE ATTEPMT")


def test_words_shorter_than_six_letters_are_never_read_through_a_typo() -> None:
    mappings = CodeMappings.from_data(call_types={"typos": {"words": ["WEAPON"]}})
    assert mappings.correct_typos("MAN WITH WEAPN") == "MAN WITH WEAPN"  # five letters: left alone
    assert mappings.correct_typos("MAN WITH WEAPOM") == "MAN WITH WEAPON"


def test_a_typo_tolerant_word_must_be_long_enough() -> None:
    with pytest.raises(ValueError, match="at least 6 letters"):
        CodeMappings.from_data(call_types={"typos": {"words": ["GUN"]}})


# -- a determinant level written in a call type ------------------------------------------------


@pytest.mark.parametrize(
    ("call_type", "levels"),
    [
        ("Psych/Abn Behav/Suicd Att(D)", ["D"]),
        ("PSYCH EMERG (e)", ["E"]),
        ("PSYCHPROB-D", ["D"]),
        ("Psych Problem D", ["D"]),
        ("PSYCH-DELTA-LAW", ["D"]),
        ("SUICIDE ATTEMPT (ECHO)", ["E"]),
        ("PSYCH PROBLEM", []),
        ("PSYCH F", []),  # not an MPDS level letter
    ],
)
def test_call_type_levels_are_read_in_every_form_the_feeds_write_them(call_type: str, levels: list[str]) -> None:
    assert call_type_levels(call_type) == levels


@pytest.mark.parametrize(
    "call_type", ["Psych/Abn Behav/Suicd Att(D)", "PSYCH EMERG (E)", "PSYCHPROB-D", "Psych Problem D", "PSYCH-DELTA-LAW"]
)
def test_a_delta_or_echo_level_on_a_psychiatric_call_type_is_medical_and_brings_ems(call_type: str) -> None:
    assert "medical" in call_type_flags(call_type)
    assert run(call_type=call_type).tier is Tier.MH_TEAM_WITH_EMS


@pytest.mark.parametrize("call_type", ["Psych/Abn Behav/Suicd Att(A)", "PSYCHPROB-B", "Psych Problem A", "PSYCH-BRAVO"])
def test_an_alpha_or_bravo_level_on_a_psychiatric_call_type_adds_no_danger(call_type: str) -> None:
    assert run(call_type=call_type).tier is Tier.MH_TEAM


def test_a_level_letter_on_a_call_type_that_names_no_card_means_nothing() -> None:
    assert call_type_flags("WELFARE CHECK-D") == {"welfare_check"}


def test_a_local_code_ending_in_a_letter_is_not_read_as_a_level() -> None:
    # in the code field, "-E" is the centre's own suffix, not Echo
    assert "medical" not in code_flags("SUIC -E", None)


# -- a determinant code without its card number --------------------------------------------------


@pytest.mark.parametrize(
    ("code", "call_type", "flags"),
    [
        ("B6", "PSYCHIATRIC / SUICIDE ATTEMPT", {"mental_health", "possible_medical"}),
        ("b-06", "Psych Problem", {"mental_health", "possible_medical"}),
        ("D1", "PSYCH PROBLEM", {"mental_health", "medical"}),
        ("B3V", "PSYCH PROBLEM", {"mental_health", "suicidal", "violence"}),
        ("C1", "OVERDOSE / POISONING", {"overdose"}),
    ],
)
def test_a_code_without_its_card_number_is_read_as_a_determinant_of_the_card_the_call_type_names(
    code: str, call_type: str, flags: set[str]
) -> None:
    assert code_flags(code, call_type) == flags


@pytest.mark.parametrize(
    ("code", "call_type"),
    [
        ("B6", None),  # no call type: no card
        ("B6", "WELFARE CHECK"),  # a call type that names no card
        ("E24", "Psychological"),  # 25E24 is no determinant: a local code
        ("C10", "SUICIDE THREAT"),  # 25C10 is no determinant either
    ],
)
def test_a_code_without_a_card_is_not_guessed_at(code: str, call_type: str | None) -> None:
    assert not code_flags(code, call_type) & {"possible_medical", "medical"}


@pytest.mark.parametrize(
    ("call_type", "determinants"),
    [
        ("PSY-B6 - Psychiatric - third party caller", ["B6"]),
        ("Psychiatric/Suicide Att (C03)", ["C3"]),
        ("OVERDOSE-c2", ["C2"]),
        ("PSYCH PROBLEM", []),
        ("25B6 PSYCH", []),  # a whole determinant, card and all, is read elsewhere
    ],
)
def test_card_less_determinants_are_found_inside_a_call_type(call_type: str, determinants: list[str]) -> None:
    assert call_type_determinants(call_type) == determinants


@pytest.mark.parametrize(
    ("call_type", "tier"),
    [
        ("PSY-B1 - Psychiatric - bleeding badly", Tier.MH_TEAM_WITH_EMS),  # 25B1: serious haemorrhage
        ("PSY-B6 - Psychiatric - third party caller", Tier.MH_TEAM_WITH_EMS),  # 25B6: unknown status
        ("PSY-A1 - Psychiatric not suicidal", Tier.MH_TEAM),  # 25A1: calm
        ("Behavioural C2", Tier.MH_TEAM),  # 25C2 is no determinant: nothing is guessed
    ],
)
def test_a_determinant_written_in_a_psych_call_type_means_what_the_card_says(call_type: str, tier: Tier) -> None:
    assert run(call_type=call_type).tier is tier


def test_a_bare_unknown_status_code_under_a_psych_call_type_brings_ems_until_answers_settle_it() -> None:
    unsettled = run(call_type="PSYCHIATRIC / SUICIDE ATTEMPT", code="B6").tier
    assert unsettled.includes_ems and unsettled.includes_team
    settled = run(call_type="PSYCHIATRIC / SUICIDE ATTEMPT", code="B6", answers=CALM_ANSWERS)
    assert settled.tier in (Tier.MH_TEAM, Tier.PHONE_988)


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


# -- the team keeps its calm calls --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call_type", "code", "narrative"),
    [
        ("PSYCHIATRIC PROBLEM (A)", None, "ADULT SON PACING AND TALKING TO HIMSELF, CALM, NO WEAPONS"),
        ("PSYCHIATRIC / SUICIDE ATTEMPT", "A1", "WOMAN FEELS ANXIOUS AND WANTS TO TALK TO SOMEONE"),
        ("MENTAL HEALTH", None, "MAN SHOUTING AT PASSING CARS, NOT VIOLENT"),
    ],
)
def test_a_calm_mental_health_call_still_goes_to_the_team_alone(call_type: str, code: str | None, narrative: str) -> None:
    assert run(call_type=call_type, code=code, narrative=narrative).tier is Tier.MH_TEAM


def test_respelling_a_typo_only_adds_to_what_the_call_type_says_as_written() -> None:
    mappings = CodeMappings.from_data(
        call_types={
            "phrases": [{"match": ["STABBING"], "flags": ["weapon"], "category": "violence"}],
            "categories": {"Violent Crime": ["violence"]},
            "typos": {"words": ["STABBING"]},
        },
        exact_call_types=[("OLD STABBNIG REPORT", "Violent Crime")],
    )
    hit = mappings.lookup_call_type("Old Stabbnig Report")
    assert hit is not None and set(hit.flags) == {"weapon", "violence"}
