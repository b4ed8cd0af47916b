"""Inclusion flags, exclusions and consent of Ref. 526 (PUCC), Ref. 528 (sobering center) and the
crisis-residential rule; the emergency department as the always-suitable fallback."""

from __future__ import annotations

from dataclasses import fields

import pytest

from crisis_dispatch.domain.destinations import PatientAssessment, eligible_types, emergency_department_required
from tests.unit.domain_destinations.builders import (
    ED,
    OTHER,
    PUCC,
    RESIDENTIAL,
    SOBERING,
    pucc_patient,
    sobering_patient,
)

PUCC_EXCLUSIONS = [
    ("behavioral_crisis", False, "no behavioural/psychiatric crisis impression (Ref. 526 III.A.1)"),
    ("ambulatory", False, "not ambulatory (needs a wheelchair) (Ref. 526 III.A.1.b)"),
    ("trauma", True, "trauma (Ref. 526 III.A.1.c)"),
    ("emergent_medical_condition", True, "emergent medical condition (Ref. 526 III.B.1)"),
    ("focal_neuro_deficit", True, "focal neurological deficit (Ref. 526 III.B.2)"),
    (
        "chest_pain_sob_abdominal_syncope",
        True,
        "chest pain, shortness of breath, abdominal/pelvic pain or syncope (Ref. 526 III.B.4)",
    ),
    ("bleeding", True, "open wounds or bleeding (Ref. 526 III.B.5)"),
    ("alcohol_intoxication", True, "intoxicated (alcohol) (Ref. 526 III.B.6)"),
    ("drug_intoxication", True, "intoxicated (drugs) (Ref. 526 III.B.6)"),
    ("suspected_pregnancy", True, "pregnant (known or suspected) (Ref. 526 III.B.7)"),
    ("special_equipment", True, "requires special medical equipment (Ref. 526 III.B.8)"),
    ("developmental_disability", True, "intellectual or developmental disability (Ref. 526 III.B.9)"),
    ("dangerous_behavior", True, "dangerous behaviour (Ref. 526 III.B.10)"),
    ("midazolam_given", True, "midazolam given for agitation (Ref. 526 III.B.11)"),
    ("crew_judges_unstable", True, "crew judges the person not stable enough (Ref. 526 III.B.12)"),
    ("altered_consciousness", True, "altered level of consciousness: emergency department (Ref. 526 principle 2)"),
    ("requests_emergency_department", True, "the person asks to go to an emergency department (Ref. 526 principle 7)"),
]

SOBERING_EXCLUSIONS = [
    ("alcohol_intoxication", False, "no impression of alcohol intoxication (Ref. 528 III.A.1)"),
    ("drug_intoxication", True, "intoxicated (drugs) (Ref. 528 definition of alcohol intoxication)"),
    ("cooperative", False, "not cooperative (Ref. 528 III.A.1.b)"),
    ("requires_restraints", True, "requires restraints (Ref. 528 III.A.1.b)"),
    ("ambulatory", False, "not ambulatory (needs a wheelchair) (Ref. 528 III.A.1.c)"),
    ("trauma", True, "trauma (Ref. 528 III.A.1.d)"),
    ("emergent_medical_condition", True, "emergent medical condition (Ref. 528 III.B.1)"),
    ("focal_neuro_deficit", True, "focal neurological deficit (Ref. 528 III.B.2)"),
    (
        "chest_pain_sob_abdominal_syncope",
        True,
        "chest pain, shortness of breath, abdominal/pelvic pain or syncope (Ref. 528 III.B.4)",
    ),
    ("bleeding", True, "open wounds or bleeding (Ref. 528 III.B.5)"),
    ("suicidal_ideation", True, "suicidal ideation (Ref. 528 III.B.6)"),
    ("on_anticoagulants", True, "on anticoagulants (Ref. 528 III.B.7)"),
    ("suspected_pregnancy", True, "pregnant (known or suspected) (Ref. 528 III.B.8)"),
    ("bruising_above_clavicles", True, "bruising or hematoma above the clavicles (Ref. 528 III.B.9)"),
    ("developmental_disability", True, "intellectual or developmental disability (Ref. 528 III.B.10)"),
    ("crew_judges_unstable", True, "crew judges the person not stable enough (Ref. 528 III.B.11)"),
    ("loss_of_consciousness_24h", True, "loss of consciousness within 24 hours (Ref. 528.1)"),
    ("altered_consciousness", True, "altered level of consciousness: emergency department (Ref. 526 principle 2)"),
    ("requests_emergency_department", True, "the person asks to go to an emergency department (Ref. 528 principle 5)"),
]


@pytest.mark.parametrize(("field", "value", "reason"), PUCC_EXCLUSIONS, ids=[e[0] for e in PUCC_EXCLUSIONS])
def test_each_pucc_exclusion_rules_out_the_pucc_with_its_reference(field, value, reason) -> None:
    assert eligible_types(pucc_patient(**{field: value}))[PUCC] == [reason]


@pytest.mark.parametrize(("field", "value", "reason"), SOBERING_EXCLUSIONS, ids=[e[0] for e in SOBERING_EXCLUSIONS])
def test_each_sobering_exclusion_rules_out_the_sobering_center_with_its_reference(field, value, reason) -> None:
    assert eligible_types(sobering_patient(**{field: value}))[SOBERING] == [reason]


@pytest.mark.parametrize(("field", "_value", "_reason"), PUCC_EXCLUSIONS, ids=[e[0] for e in PUCC_EXCLUSIONS])
def test_an_unrecorded_pucc_criterion_fails_as_not_recorded(field, _value, _reason) -> None:
    (reason,) = eligible_types(pucc_patient(**{field: None}))[PUCC]
    assert " not recorded (Ref. 526 " in reason


@pytest.mark.parametrize(("field", "_value", "_reason"), SOBERING_EXCLUSIONS, ids=[e[0] for e in SOBERING_EXCLUSIONS])
def test_an_unrecorded_sobering_criterion_fails_as_not_recorded(field, _value, _reason) -> None:
    (reason,) = eligible_types(sobering_patient(**{field: None}))[SOBERING]
    assert " not recorded (Ref. 52" in reason


def test_suicidal_ideation_and_anticoagulants_do_not_exclude_a_pucc() -> None:
    # "Talking about suicide threats" is itself a mental-health crisis (Ref. 526 definitions).
    assert eligible_types(pucc_patient(suicidal_ideation=True, on_anticoagulants=True))[PUCC] == []


@pytest.mark.parametrize(
    ("consent", "pucc_fits", "sobering_fits", "residential_fits"),
    [
        ("voluntary", True, True, True),
        ("hold_5150", True, False, False),
        ("implied", False, True, False),
    ],
)
def test_consent_each_type_accepts(consent, pucc_fits, sobering_fits, residential_fits) -> None:
    # PUCC: voluntary or 5150 (Ref. 526 III.A.1.a); sobering: voluntary or implied (Ref. 528 III.A.1.a);
    # crisis residential: voluntary only (not a WIC 5150 designated facility).
    assert (eligible_types(pucc_patient(consent=consent))[PUCC] == []) is pucc_fits
    assert (eligible_types(sobering_patient(consent=consent))[SOBERING] == []) is sobering_fits
    assert (eligible_types(pucc_patient(consent=consent))[RESIDENTIAL] == []) is residential_fits


def test_a_refused_consent_names_the_consents_allowed() -> None:
    assert eligible_types(sobering_patient(consent="hold_5150"))[SOBERING] == [
        "consent 'hold_5150' is not implied or voluntary (Ref. 528 III.A.1.a)"
    ]


def test_a_minor_on_a_5585_hold_fits_no_pucc_because_of_age_and_consent() -> None:
    reasons = eligible_types(pucc_patient(age=16, consent="hold_5585"))[PUCC]
    assert reasons == [
        "consent 'hold_5585' is not hold_5150 or voluntary (Ref. 526 III.A.1.a)",
        "age 16 years outside ≥18 and <65 years (Ref. 526 III.A.2)",
    ]


def test_sobering_takes_a_best_gcs_of_14_after_reassessment_not_13() -> None:
    assert eligible_types(sobering_patient(gcs=14))[SOBERING] == []
    assert eligible_types(sobering_patient(gcs=13))[SOBERING] == ["GCS 13 outside ≥14 (Ref. 528 III.A.4)"]


def test_the_calm_adult_fits_pucc_and_crisis_residential_but_not_sobering() -> None:
    types = eligible_types(pucc_patient())
    assert types[PUCC] == [] and types[RESIDENTIAL] == []
    assert types[SOBERING] == ["no impression of alcohol intoxication (Ref. 528 III.A.1)"]


def test_the_emergency_department_is_suitable_even_when_nothing_is_recorded() -> None:
    types = eligible_types(PatientAssessment())
    assert types[ED] == []
    assert all(types[t] for t in (PUCC, SOBERING, RESIDENTIAL, OTHER))


def test_eligible_types_answers_for_every_destination_type() -> None:
    assert set(eligible_types(PatientAssessment())) == {PUCC, SOBERING, RESIDENTIAL, ED, OTHER}


@pytest.mark.parametrize(
    ("field", "reference"),
    [
        ("altered_consciousness", "Ref. 526 principle 2"),
        ("emergent_medical_condition", "Ref. 526 III.B.1; Ref. 528 III.B.1"),
        ("requests_emergency_department", "Ref. 526 principle 7; Ref. 528 principle 5"),
    ],
)
def test_the_emergency_department_is_mandatory_for_aloc_emergencies_and_requests(field, reference) -> None:
    for patient in (pucc_patient(**{field: True}), sobering_patient(**{field: True})):
        types = eligible_types(patient)
        assert types[ED] == []
        assert all(types[t] for t in (PUCC, SOBERING, RESIDENTIAL))
        (required,) = emergency_department_required(patient)
        assert required.endswith(f"({reference})")


def test_nothing_forces_an_emergency_department_for_a_patient_who_fits_a_pucc() -> None:
    assert emergency_department_required(pucc_patient()) == []
    assert emergency_department_required(PatientAssessment()) == []


def test_every_assessment_field_is_used_by_some_rule() -> None:
    # A recorded value that no rule reads would be a silent gap in the model.
    unused = []
    for f in fields(PatientAssessment):
        if f.name in ("glucose", "ketoacidosis", "hypertension_history", "hypertension_symptoms"):
            continue
        before = eligible_types(pucc_patient()), eligible_types(sobering_patient())
        after = eligible_types(pucc_patient(**{f.name: None})), eligible_types(sobering_patient(**{f.name: None}))
        if before == after:
            unused.append(f.name)
    assert unused == []
