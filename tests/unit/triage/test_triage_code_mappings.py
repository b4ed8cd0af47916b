"""Codes and call-type strings map to flags, however they are spelled."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crisis_dispatch.adapters.config.mappings import code_mappings_from_data
from crisis_dispatch.adapters.protocol_loader import load_code_mappings
from crisis_dispatch.domain.triage import parse_mpds
from crisis_dispatch.domain.triage.mappings import REWRITE_MEMO_SIZE


@pytest.mark.parametrize("code", ["25-A-1", "25A1", "25A01", "025A1", "25 a 1", "25-a-01"])
def test_mpds_determinants_normalise_to_one_form(code: str) -> None:
    assert parse_mpds(code) == (25, "A", 1, "")


def test_mpds_suffixes_and_bare_cards_parse() -> None:
    assert parse_mpds("23-C-07V") == (23, "C", 7, "V")
    assert parse_mpds("23C01I") == (23, "C", 1, "I")
    assert parse_mpds("25") == (25, "", None, "")
    assert parse_mpds("127") is None  # a local code, not card 12 + something
    assert parse_mpds("OD") is None


def test_mpds_codes_raise_our_flags() -> None:
    m = load_code_mappings()
    assert set(m.lookup_code("25B3").flags) == {"mental_health", "suicidal"}
    assert set(m.lookup_code("25-B-3-W").flags) == {"mental_health", "suicidal", "weapon"}
    assert set(m.lookup_code("25D2").flags) >= {"medical", "self_harm_in_progress"}
    assert set(m.lookup_code("23C1I").flags) >= {"overdose", "self_harm_in_progress"}
    assert set(m.lookup_code("27B1").flags) >= {"weapon", "violence", "medical"}


def test_apco_codes_map_to_flags_and_known_irrelevant_codes_are_still_mapped() -> None:
    m = load_code_mappings()
    assert m.lookup_code("EDP").flags == ("mental_health",)
    assert m.lookup_code("suicthrt").flags == ("mental_health", "suicidal", "possible_attempt")  # issue 10
    fire = m.lookup_code("FSTRU")
    assert fire is not None and fire.flags == () and fire.kind == "apco"


@pytest.mark.parametrize(
    ("call_type", "flags"),
    [
        ("MENTAL VIOLENT - ARMED", {"weapon", "violence", "mental_health"}),
        ("MENTAL VIOLENT NOT ARMED", {"violence", "mental_health"}),
        ("121C_Mental Disordr NonViolent", {"mental_health"}),
        ("Suicide I/P", {"mental_health", "self_harm_in_progress", "suicidal", "possible_attempt"}),
        ("Welfare Check", {"welfare_check"}),
        ("OVERDOSE W/OUT SYMPTOMS", {"overdose"}),
        ("EMS-Altered Mental Status", {"medical"}),
        # the card's title names suicide: whether there was an attempt is open (issue 10)
        ("PSYCHIATRIC/ABNORMAL BEHAVIOR/SUICIDE ATTEMPT", {"mental_health", "suicidal", "possible_attempt"}),
    ],
)
def test_local_call_types_match_by_phrase_with_negation_and_rewrites(call_type: str, flags: set[str]) -> None:
    hit = load_code_mappings().lookup_call_type(call_type)
    assert hit is not None and set(hit.flags) == flags


def test_the_cad_taxonomy_table_covers_strings_no_phrase_matches() -> None:
    hit = load_code_mappings().lookup_call_type("Patrol Request")
    assert hit is not None and hit.kind == "call_type" and hit.flags == ()


def test_an_unknown_string_is_unmapped() -> None:
    m = load_code_mappings()
    assert m.lookup_call_type("ZZ QWERTY") is None
    assert m.lookup_code("XQ9") is None


def test_mapping_data_with_an_unknown_flag_is_refused() -> None:
    with pytest.raises(ValueError, match="apco.codes.EDP.flags: unknown flag 'crazy'"):
        code_mappings_from_data(apco={"codes": {"EDP": {"flags": ["crazy"]}}})


def test_every_problem_in_the_mapping_files_is_named_with_its_location() -> None:
    with pytest.raises(ValueError) as info:
        code_mappings_from_data(
            mpds={"cards": {25: {"flags": ["mental_health"]}}, "determinants": {"XYZ": ["medical"]}},
            call_types={
                "phrases": [{"flags": ["weapon"]}, {"match": "GUN", "flags": ["weapon", "gunn"]}],
                "rewrites": [{"to": "PSYCHIATRIC"}],
                "categories": {"Violent Crime": "violence"},
            },
        )
    assert str(info.value).split("; ") == [
        "mpds.determinants.XYZ: not an MPDS determinant",
        "call_types.phrases[0].match: missing",
        "call_types.phrases[1].flags: unknown flag 'gunn'",
        "call_types.rewrites[0].match: missing",
        "call_types.categories.Violent Crime: expected a list",
    ]


def test_mapping_tables_must_agree_with_each_other() -> None:
    with pytest.raises(ValueError) as info:
        code_mappings_from_data(
            mpds={"cards": {25: None}},
            call_types={"categories": {"Psych": ["mental_health"]}, "level_cards": {"behavioral_health": 26}},
            exact_call_types=[("EDP", "Psych"), ("ODD ONE", "Nope ")],
        )
    assert str(info.value).split("; ") == [
        "call_types.level_cards.behavioral_health: 26 is not a card of mpds.cards",
        "exact call type 'ODD ONE': category 'Nope' has no entry under call_types.categories",
    ]


def test_null_tables_and_entries_mean_empty_ones() -> None:
    m = code_mappings_from_data(apco={"codes": {"EDP": None}}, mpds=None, call_types={"phrases": None})
    hit = m.lookup_code("EDP")
    assert hit is not None and (hit.category, hit.flags) == ("other", ())


def test_a_remembered_rewrite_is_the_one_computed_afresh_and_the_memory_stays_bounded() -> None:
    m = replace(load_code_mappings())  # a copy with nothing remembered yet
    texts = ["SUICIDE ATIEMPT", "Psych *Violent* Per PD", "MENTAL DISORDER W/O WEAPON", "AMS"]
    first = [m.rewrite_text(t, correct_typos=fix) for t in texts for fix in (True, False)]
    assert first[0] == "SUICIDE ATTEMPT"
    assert [m.rewrite_text(t, correct_typos=fix) for t in texts for fix in (True, False)] == first
    assert [m._rewrite(t, fix) for t in texts for fix in (True, False)] == first
    assert m == replace(m)  # what a mapping remembers is no part of what it is

    for i in range(REWRITE_MEMO_SIZE + 1):
        m.rewrite_text(f"CALL {i}")
    assert len(m._rewritten) <= REWRITE_MEMO_SIZE
    assert m.rewrite_text("CALL 7") == "CALL 7"
