"""Determinant levels and codes written where a call type is: a level letter after a card
title ("PSYCH-DELTA"), a determinant code without its card number, determinants inside the
call type. Every rule only adds safety. All examples are invented."""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import Tier
from crisis_dispatch.domain.triage.mappings import call_type_determinants, call_type_levels

from .builders import CALM_ANSWERS, call_type_flags, code_flags, run

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
