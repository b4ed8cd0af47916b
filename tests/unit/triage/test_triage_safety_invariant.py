"""Property tests of the safety invariant over generated answers, codes and narratives.

Invariant (issue 3): any weapon or violence flag → the response includes police; any
medical, overdose or in-progress flag → it includes EMS; both when both; MH_TEAM alone or
PHONE_988 only when no safety flag is present. A standing doubt of the reader
(``possible_medical``, ``unreadable``) also keeps a call from the team alone and the phone.
It must hold for every protocol we ship.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisis_dispatch.domain.triage import (
    NEEDS_EMS,
    NEEDS_POLICE,
    SAFETY_FLAGS,
    UNCERTAINTY_FLAGS,
    CallInput,
    Tier,
    TriageResult,
    triage,
)

from .builders import default, narrow

YES_NO = st.sampled_from(["yes", "no", "unknown", "", None, True, False, "Y", "N", "maybe"])
ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "weapon": YES_NO,
        "violence": YES_NO,
        "conscious_breathing": YES_NO,
        "injury": YES_NO,
        "ingestion": YES_NO,
        "attempt_in_progress": YES_NO,
        "suicidal_thoughts": YES_NO,
        "mental_health_concern": YES_NO,
        "age": st.one_of(st.integers(min_value=0, max_value=110), st.sampled_from(["", "unk", "40s"])),
        "intoxicated": YES_NO,
        "cooperative": YES_NO,
        "safe_location": YES_NO,
        "caller_is_subject": YES_NO,
        "not_a_question": YES_NO,
    },
)

#: Invented fragments: dangers, their negations, calm mental-health talk, and noise.
DANGERS = {
    "HAS A KNIFE": "weapon",
    "GUN IN HIS WAISTBAND": "weapon",
    "Suffix: W (Weapons)": "weapon",
    "PUNCHED HIS BROTHER": "violence",
    "IS COMBATIVE": "violence",
    "THREATENING TO KILL HER HUSBAND": "violence",
    "PT UNCONSCIOUS": "medical",
    "NOT BREATHING NORMALLY": "medical",
    "BLEEDING FROM THE HEAD": "medical",
    "POSS OD": "overdose",
    "TOOK A BOTTLE OF PILLS": "overdose",
    "CUT HIS WRISTS": "self_harm_in_progress",
    "BELT AROUND HER NECK": "self_harm_in_progress",
}
OTHER = [
    "NO WEAPONS",
    "NOT VIOLENT",
    "DENIES SI",
    "- She does not have a weapon.",
    "UNK IF WEAPONS",
    "PT IS ANXIOUS",
    "HEARING VOICES",
    "RP ADV",
    "C/B 555",
    "17 YOF",
    "ETOH",
    "SUICIDAL",
    "EDP",
    "Conscious, Breathing.",
    "ANY WEAPONS?",
    "WELFARE CHECK REQ",
    "",
    # doubts: the reader cannot rule a medical danger out, or cannot read the text at all
    "PILLS",
    "UNK IF SHE TOOK ANYTHING",
    "SAYS HIS SUGAR FEELS LOW",
    "ON THE GROUND MOANING",
    "Hon har tagit tabletter och vill inte prata",
    "NO PILLS TAKEN",
]
SEPARATORS = st.sampled_from([" / ", " // ", ". ", "\n", " - ", ", "])
FRAGMENTS = st.sampled_from(sorted(DANGERS) + OTHER)
NARRATIVES = st.tuples(st.lists(FRAGMENTS, max_size=6), SEPARATORS).map(lambda t: t[1].join(t[0]))
CALL_TYPES = st.sampled_from(
    [
        "",
        "EDP",
        "PSYCHIATRIC",
        "SUICIDE ATTEMPT",
        "WELFARE CHECK",
        "OVERDOSE",
        "MENTAL VIOLENT - ARMED",
        "MENTAL VIOLENT NOT ARMED",
        "TRAFFIC STOP",
        "INTOXICATED PERSON",
        "ZZ UNKNOWN TYPE",
        "Hot om suicid / Övrigt",
    ]
)
CODES = st.sampled_from(
    [None, "", "25A1", "25-B-3", "25B3W", "25D1", "23C1I", "23-B-1", "EDP", "SUICTHRT", "OD", "WEAPON", "XQ9"]
)
CALLS = st.builds(CallInput, id=st.just("p"), call_type=CALL_TYPES, narrative=NARRATIVES, code=CODES, answers=ANSWERS)

PROTOCOLS = {"default": default(), "narrow-2019": narrow()}


def assert_safe(result: TriageResult) -> None:
    flags = result.flag_names
    if flags & NEEDS_POLICE:
        assert result.tier.includes_police, (flags, result.tier)
    if flags & NEEDS_EMS:
        assert result.tier.includes_ems, (flags, result.tier)
    if result.tier in (Tier.MH_TEAM, Tier.PHONE_988):
        assert not flags & (SAFETY_FLAGS | set(UNCERTAINTY_FLAGS)), (flags, result.tier)


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
@settings(max_examples=200, deadline=None)
@given(call=CALLS)
def test_safety_flags_always_bring_police_or_ems(name: str, call: CallInput) -> None:
    assert_safe(triage(call, PROTOCOLS[name]))


@settings(max_examples=300, deadline=None)
@given(
    danger=st.sampled_from(sorted(DANGERS)),
    before=st.lists(st.sampled_from(OTHER), max_size=3),
    after=st.lists(st.sampled_from(OTHER), max_size=3),
    sep=SEPARATORS,
    call_type=CALL_TYPES,
)
def test_a_reported_danger_is_never_lost_in_other_text(
    danger: str, before: list[str], after: list[str], sep: str, call_type: str
) -> None:
    narrative = " / ".join(filter(None, [sep.join(before), danger, sep.join(after)]))
    result = triage(CallInput(id="p", call_type=call_type, narrative=narrative), default())
    assert DANGERS[danger] in result.flag_names
    assert_safe(result)


DOUBTS = ["PILLS", "UNK IF SHE TOOK ANYTHING", "SAYS HIS SUGAR FEELS LOW", "ON THE GROUND MOANING"]
CALM = [f for f in OTHER if f not in DOUBTS and "tagit" not in f]


@settings(max_examples=200, deadline=None)
@given(
    doubt=st.sampled_from(DOUBTS),
    before=st.lists(st.sampled_from(CALM), max_size=3),
    after=st.lists(st.sampled_from(CALM), max_size=3),
    call_type=CALL_TYPES,
    name=st.sampled_from(sorted(PROTOCOLS)),
)
def test_a_doubt_about_a_medical_danger_is_never_lost_in_calm_text(
    doubt: str, before: list[str], after: list[str], call_type: str, name: str
) -> None:
    narrative = " / ".join(filter(None, [" / ".join(before), doubt, " / ".join(after)]))
    result = triage(CallInput(id="p", call_type=call_type, narrative=narrative), PROTOCOLS[name])
    assert result.tier not in (Tier.MH_TEAM, Tier.PHONE_988)
    assert_safe(result)


@settings(max_examples=200, deadline=None)
@given(answers=ANSWERS, name=st.sampled_from(sorted(PROTOCOLS)))
def test_a_yes_to_weapon_or_violence_always_brings_police(answers: dict[str, Any], name: str) -> None:
    answers = dict(answers, weapon="yes")
    result = triage(CallInput(id="p", answers=answers), PROTOCOLS[name])
    assert result.tier.includes_police and not result.tier.includes_phone


@settings(max_examples=200, deadline=None)
@given(call=CALLS)
def test_triage_is_deterministic(call: CallInput) -> None:
    assert triage(call, default()) == triage(call, default())


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), call_type=st.text(max_size=40))
def test_any_text_at_all_is_read_without_error_and_stays_safe(text: str, call_type: str) -> None:
    result = triage(CallInput(id="p", call_type=call_type, narrative=text), default())
    for flag in result.flags:
        if flag.start is not None:
            assert text[flag.start : flag.end] == flag.evidence
    assert_safe(result)
