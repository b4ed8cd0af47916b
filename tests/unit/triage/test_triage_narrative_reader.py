"""The narrative reader: flags with evidence spans from shouted, abbreviated, negated text.

All examples are invented or paraphrased; none is copied from the real dispatch pages.
"""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import read_narrative


def raised(text: str) -> set[str]:
    return set(read_narrative(text).names)


def denied(text: str) -> set[str]:
    return set(read_narrative(text).denied_names)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("RP STATES PT HAS A KNIFE IN THE KITCHEN", "weapon"),
        ("EDP W/ GUN IN WAISTBAND", "weapon"),
        ("BROTHER WAVING A MACHETE", "weapon"),
        ("Suffix: W (Weapons)", "weapon"),
        ("SON IS VIOLENT AND PUNCHED HIS MOTHER", "violence"),
        ("PT COMBATIVE WITH STAFF", "violence"),
        ("THREATENED TO KILL HIS ROOMMATE", "violence"),
        ("Suffix: V (Violent)", "violence"),
        ("PT UNC AND NOT BREATHING NORMALLY", "medical"),
        ("Questions: 6. Not completely alert.", "medical"),
        ("CUT HER WRISTS, BLEEDING HEAVILY", "medical"),
        ("POSS OD ON HEROIN", "overdose"),
        ("TOOK A HANDFUL OF SLEEPING PILLS", "overdose"),
        ("SWALLOWED 40 TABLETS", "overdose"),
        ("SLIT HIS WRIST IN THE BATHROOM", "self_harm_in_progress"),
        ("MALE ON THE BRIDGE LEDGE ATTEMPTING TO JUMP", "self_harm_in_progress"),
        ("BELT WRAPPED AROUND HIS NECK", "self_harm_in_progress"),
        ("HAS BEEN DRINKING ALL DAY, ETOH ON BREATH", "intoxication"),
        ("15 YOF RAN AWAY FROM HOME", "minor"),
        ("PATIENT IS A 16-year-old, Male", "minor"),
        ("PT C/O HEARING VOICES, HX BIPOLAR", "mental_health"),
        ("EDP IN THE LOBBY", "mental_health"),
        ("PT SI, WANTS TO DIE", "suicidal"),
        ("CALLER SAYS HE WANTS TO KILL HIMSELF", "suicidal"),
    ],
)
def test_each_flag_is_raised_by_its_cues(text: str, flag: str) -> None:
    assert flag in raised(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("NO WEAPONS - NOT BEING PHYSICALLY VIOLENT", "weapon"),
        ("NO WEAPONS - NOT BEING PHYSICALLY VIOLENT", "violence"),
        ("- She does not have a weapon.", "weapon"),
        ("2. No wpn.", "weapon"),
        ("NEG WEAPONS IN THE HOME", "weapon"),
        ("PT DENIES SI", "suicidal"),
        ("NOT VIOLENT, COOPERATIVE", "violence"),
        ("NON-VIOLENT", "violence"),
        ("WEAPONS: NO", "weapon"),
        ("5. Not thinking about committing suicide.", "suicidal"),
        ("NO ETOH OR DRUGS", "intoxication"),
        ("45 YOM", "minor"),
        ("30-year-old, Female, Conscious, Breathing.", "medical"),
    ],
)
def test_negations_deny_instead_of_raising(text: str, flag: str) -> None:
    assert flag not in raised(text)
    assert flag in denied(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("NO WEAPONS - CALM", "NO WEAPONS"),
        ("PT DENIES SI", "DENIES SI"),
        ("- She does not have a weapon.", "does not have a weapon"),
        ("WEAPONS: NO", "WEAPONS: NO"),
    ],
)
def test_a_denial_quotes_its_negation_as_evidence(text: str, evidence: str) -> None:
    (denial,) = read_narrative(text).denials
    assert denial.evidence == evidence == text[denial.start : denial.end]


@pytest.mark.parametrize(
    "text",
    ["ANY WEAPONS?", "UNK IF WEAPONS IN THE HOUSE", "It is not known if he has a weapon.", "UNSURE IF ANY ACCESS TO WEAPONS"],
)
def test_questions_and_uncertainty_neither_raise_nor_deny(text: str) -> None:
    assert "weapon" not in raised(text) and "weapon" not in denied(text)


def test_a_later_report_outranks_an_earlier_denial() -> None:
    reading = read_narrative("NO WEAPONS BUT SISTER SAYS HE HAS A KNIFE")
    assert "weapon" in reading.names and "weapon" not in reading.denied_names


def test_possible_counts_as_present() -> None:
    assert "weapon" in raised("POSS HAS A GUN IN THE CAR")
    assert "violence" in raised("4. Unk but poss violent.")


def test_the_protocol_title_echoed_by_proqa_is_not_evidence_of_an_attempt() -> None:
    assert "self_harm_in_progress" not in raised("CC Text: Psychiatric / Abnormal Behavior / Suicide Attempt")


def test_a_wish_is_suicidal_talk_not_an_attempt_in_progress() -> None:
    text = "SAYS HE WANTS TO JUMP OFF THE OVERPASS"
    assert "suicidal" in raised(text)
    assert "self_harm_in_progress" not in raised(text)


def test_pills_taken_in_a_suicidal_context_are_an_attempt() -> None:
    assert {"overdose", "suicidal", "self_harm_in_progress"} <= raised("SUICIDAL, TOOK A BOTTLE OF PILLS")


def test_altered_mental_status_is_medical_not_mental_health() -> None:
    text = "89 YOM ALTERED MENTAL STATUS"
    assert "medical" in raised(text) and "mental_health" not in raised(text)


def test_heart_and_panic_attacks_are_not_violence() -> None:
    assert "violence" not in raised("HAVING A PANIC ATTACK, THINKS IT IS A HEART ATTACK")


def test_minor_hemorrhage_is_not_a_minor() -> None:
    assert "minor" not in raised("MINOR HEMORRHAGE FROM THE ARM")


def test_every_evidence_span_points_into_the_text() -> None:
    text = "17 YOF OD'D ON TYLENOL, UNC, BF HAS A GUN, NO VIOLENCE"
    reading = read_narrative(text)
    for flag in reading.flags + reading.denials:
        assert text[flag.start : flag.end] == flag.evidence


def test_empty_text_has_no_flags() -> None:
    assert read_narrative("").flags == () and read_narrative(None).denials == ()


@pytest.mark.parametrize("text", ["SAYS HE WILL HURT HIM SELF", "THREATENING TO HARM HER SELF", "WANTS TO KILL HERSELF"])
def test_harm_to_oneself_split_or_not_is_not_violence_toward_others(text: str) -> None:
    assert "suicidal" in raised(text) and "violence" not in raised(text)
