"""Plain assessments and facilities for the destination-rule tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from crisis_dispatch.domain.destinations import Consent, PatientAssessment
from crisis_dispatch.domain.outcomes import DestinationType
from crisis_dispatch.domain.station import Facility

PUCC = DestinationType.PSYCHIATRIC_URGENT_CARE
SOBERING = DestinationType.SOBERING_CENTER
RESIDENTIAL = DestinationType.CRISIS_RESIDENTIAL
ED = DestinationType.EMERGENCY_DEPARTMENT
OTHER = DestinationType.OTHER

#: Everything recorded, nothing wrong: a calm adult in a behavioural crisis, sober, stable vitals.
CALM_ADULT = PatientAssessment(
    age=30,
    heart_rate=80,
    resp_rate=16,
    spo2=98,
    sbp=120,
    gcs=15,
    diabetic=False,
    hypertension_history=False,
    hypertension_symptoms=False,
    behavioral_crisis=True,
    alcohol_intoxication=False,
    drug_intoxication=False,
    emergent_medical_condition=False,
    trauma=False,
    focal_neuro_deficit=False,
    ambulatory=True,
    cooperative=True,
    requires_restraints=False,
    suspected_pregnancy=False,
    chest_pain_sob_abdominal_syncope=False,
    bleeding=False,
    bruising_above_clavicles=False,
    suicidal_ideation=False,
    on_anticoagulants=False,
    developmental_disability=False,
    special_equipment=False,
    dangerous_behavior=False,
    midazolam_given=False,
    loss_of_consciousness_24h=False,
    altered_consciousness=False,
    crew_judges_unstable=False,
    requests_emergency_department=False,
    consent=Consent.VOLUNTARY,
)

#: Meets every sobering-center criterion (Ref. 528): drunk, found on the street, implied consent.
DRUNK_ADULT = replace(CALM_ADULT, alcohol_intoxication=True, behavioral_crisis=False, consent=Consent.IMPLIED)


def pucc_patient(**changes: Any) -> PatientAssessment:
    return replace(CALM_ADULT, **changes)


def sobering_patient(**changes: Any) -> PatientAssessment:
    return replace(DRUNK_ADULT, **changes)


#: The assessment that fits each community type exactly (crisis residential uses PUCC criteria).
FITTING = {PUCC: pucc_patient, SOBERING: sobering_patient, RESIDENTIAL: pucc_patient}


def facility(
    ident: str,
    type: DestinationType,
    *,
    name: str | None = None,
    accepts: str = "all_ages",
    capabilities: set[str] | None = None,
    beds_available: int | None = None,
    beds_total: int | None = None,
) -> Facility:
    if capabilities is None:
        capabilities = {"accepts_5150_holds", "accepts_voluntary"} if type is PUCC else set()
    return Facility(
        id=ident,
        name=name if name is not None else ident.replace("-", " ").title(),
        type=type,
        lat=34.05,
        lon=-118.25,
        accepts=accepts,
        capabilities=capabilities,
        beds_available=beds_available,
        beds_total=beds_total,
    )
