"""How call types are read through their spellings: a one-letter typo in a key danger word,
abbreviations ("ATMPT", "VIOL"), conditions set off by asterisks. Every such reading only
adds safety. All examples are invented; none is copied from the real pages."""

from __future__ import annotations

import pytest

from crisis_dispatch.adapters.config.mappings import code_mappings_from_data
from crisis_dispatch.domain.triage import Tier
from crisis_dispatch.domain.triage.mappings import starred_parts
from crisis_dispatch.domain.triage.reader.typos import one_edit_apart

from .builders import call_type_flags, run

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
    mappings = code_mappings_from_data(call_types={"typos": {"words": ["WEAPON"]}})
    assert mappings.correct_typos("MAN WITH WEAPN") == "MAN WITH WEAPN"  # five letters: left alone
    assert mappings.correct_typos("MAN WITH WEAPOM") == "MAN WITH WEAPON"


def test_a_typo_tolerant_word_must_be_long_enough() -> None:
    with pytest.raises(ValueError, match="at least 6 letters"):
        code_mappings_from_data(call_types={"typos": {"words": ["GUN"]}})


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
    mappings = code_mappings_from_data(
        call_types={
            "phrases": [{"match": ["STABBING"], "flags": ["weapon"], "category": "violence"}],
            "categories": {"Violent Crime": ["violence"]},
            "typos": {"words": ["STABBING"]},
        },
        exact_call_types=[("OLD STABBNIG REPORT", "Violent Crime")],
    )
    hit = mappings.lookup_call_type("Old Stabbnig Report")
    assert hit is not None and set(hit.flags) == {"weapon", "violence"}


# -- abbreviations, asterisks and "VIOL" ------------------------------------------------------------


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
