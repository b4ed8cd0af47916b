"""The age and vital-sign limits of Ref. 526 (PUCC) and Ref. 528 (sobering center), at their edges.

Both policies use the same limits and the same item numbers (III.A.2-5), so every boundary is
checked for both; crisis residential borrows the PUCC ones.
"""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.destinations import eligible_types
from tests.unit.domain_destinations.builders import FITTING, PUCC, RESIDENTIAL, SOBERING

COMMUNITY = pytest.mark.parametrize("kind", [PUCC, SOBERING, RESIDENTIAL], ids=lambda t: t.value)
REF = {PUCC: "Ref. 526", SOBERING: "Ref. 528", RESIDENTIAL: "Ref. 526"}


def cite(kind, item: str) -> str:
    suffix = ", applied to crisis residential" if kind is RESIDENTIAL else ""
    return f"{REF[kind]} {item}{suffix}"


def reasons(kind, **changes):
    return eligible_types(FITTING[kind](**changes))[kind]


@COMMUNITY
def test_the_fitting_patient_has_no_reason_against_the_type(kind) -> None:
    assert reasons(kind) == []


LIMITS = [
    # field, value, fits, item
    ("heart_rate", 59, False, "III.A.3.a"),
    ("heart_rate", 60, True, "III.A.3.a"),
    ("heart_rate", 119, True, "III.A.3.a"),
    ("heart_rate", 120, False, "III.A.3.a"),
    ("resp_rate", 11, False, "III.A.3.b"),
    ("resp_rate", 12, True, "III.A.3.b"),
    ("resp_rate", 23, True, "III.A.3.b"),
    ("resp_rate", 24, False, "III.A.3.b"),
    ("spo2", 93, False, "III.A.3.c"),
    ("spo2", 94, True, "III.A.3.c"),
    ("spo2", 100, True, "III.A.3.c"),
    ("sbp", 99, False, "III.A.3.d"),
    ("sbp", 100, True, "III.A.3.d"),
    ("sbp", 179, True, "III.A.3.d"),
    ("sbp", 180, False, "III.A.3.d"),
    ("gcs", 13, False, "III.A.4"),
    ("gcs", 14, True, "III.A.4"),
    ("age", 17, False, "III.A.2"),
    ("age", 18, True, "III.A.2"),
    ("age", 64, True, "III.A.2"),
    ("age", 65, False, "III.A.2"),
]


@COMMUNITY
@pytest.mark.parametrize(("field", "value", "fits", "item"), LIMITS, ids=lambda v: str(v))
def test_each_limit_admits_its_inclusive_bound_and_refuses_beyond(kind, field, value, fits, item) -> None:
    got = reasons(kind, **{field: value})
    if fits:
        assert got == []
    else:
        assert len(got) == 1
        assert got[0].endswith(f"({cite(kind, item)})")
        assert f" {value}" in got[0]


@COMMUNITY
@pytest.mark.parametrize(("glucose", "fits"), [(59, False), (60, True), (249, True), (250, False)], ids=lambda v: str(v))
def test_a_diabetics_glucose_must_be_at_least_60_and_under_250(kind, glucose, fits) -> None:
    got = reasons(kind, diabetic=True, ketoacidosis=False, glucose=glucose)
    assert (got == []) is fits
    if not fits:
        assert got == [f"blood glucose {glucose} mg/dL outside ≥60 and <250 mg/dL ({cite(kind, 'III.A.5')})"]


@COMMUNITY
def test_glucose_is_not_checked_for_a_person_without_diabetes(kind) -> None:
    assert reasons(kind, diabetic=False, glucose=40) == []


@COMMUNITY
def test_a_diabetic_needs_glucose_and_no_ketoacidosis(kind) -> None:
    assert any("blood glucose not recorded" in r for r in reasons(kind, diabetic=True, ketoacidosis=False))
    assert any("ketoacidosis not assessed" in r for r in reasons(kind, diabetic=True, glucose=100))
    assert any("evidence of ketoacidosis" in r for r in reasons(kind, diabetic=True, glucose=100, ketoacidosis=True))


@COMMUNITY
def test_isolated_asymptomatic_hypertension_admits_sbp_180_but_not_181(kind) -> None:
    # Note to III.A.3.d: SBP <= 180 with a history of hypertension and no symptoms is no reason to exclude.
    known_hypertensive = {"hypertension_history": True, "hypertension_symptoms": False}
    assert reasons(kind, sbp=180, **known_hypertensive) == []
    assert any("systolic blood pressure 181" in r for r in reasons(kind, sbp=181, **known_hypertensive))
    assert any("systolic blood pressure 180" in r for r in reasons(kind, sbp=180, hypertension_history=False))
    symptomatic = {"hypertension_history": True, "hypertension_symptoms": True}
    assert any("systolic blood pressure 180" in r for r in reasons(kind, sbp=180, **symptomatic))


@COMMUNITY
def test_the_hypertension_note_does_not_rescue_a_low_pressure(kind) -> None:
    assert reasons(kind, sbp=99, hypertension_history=True, hypertension_symptoms=False) != []


@COMMUNITY
@pytest.mark.parametrize(
    ("field", "label", "item"),
    [
        ("age", "age", "III.A.2"),
        ("heart_rate", "heart rate", "III.A.3.a"),
        ("resp_rate", "respiratory rate", "III.A.3.b"),
        ("spo2", "pulse oximetry", "III.A.3.c"),
        ("sbp", "systolic blood pressure", "III.A.3.d"),
        ("gcs", "GCS", "III.A.4"),
        ("diabetic", "diabetes history", "III.A.5"),
    ],
)
def test_a_vital_sign_not_recorded_fails_its_criterion(kind, field, label, item) -> None:
    got = reasons(kind, **{field: None})
    assert len(got) == 1
    assert got == [f"{label} not recorded ({cite(kind, item)})"]


def test_the_reason_for_a_missing_heart_rate_is_worded_as_specified() -> None:
    assert reasons(PUCC, heart_rate=None) == ["heart rate not recorded (Ref. 526 III.A.3.a)"]


def test_fractional_vitals_are_compared_exactly() -> None:
    assert reasons(PUCC, heart_rate=119.9) == []
    assert reasons(PUCC, heart_rate=59.9) == ["heart rate 59.9 bpm outside ≥60 and <120 bpm (Ref. 526 III.A.3.a)"]
