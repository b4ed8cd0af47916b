"""Destination recommendations through the service and the API on the LA demo facilities."""

from __future__ import annotations

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.services import destinations, reference, seed
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import new_incident

CALM_ADULT = dict(
    age=34,
    heart_rate=88,
    resp_rate=16,
    spo2=98,
    sbp=128,
    gcs=15,
    diabetic=False,
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
    consent="voluntary",
)
BOYLE_HEIGHTS = dict(lat=34.0407, lon=-118.2066)


@pytest.fixture
def la(container: Container) -> Container:
    seed.seed_la(container.ctx, days=1)
    return container


def test_a_calm_adult_goes_to_a_psychiatric_urgent_care_center_before_an_ed(la: Container) -> None:
    rec = destinations.recommend_for_incident(la.ctx, SYSTEM, new_incident(la, **BOYLE_HEIGHTS), CALM_ADULT)
    assert rec["ranked"][0]["type"] == "psychiatric_urgent_care"
    assert any(r["type"] == "emergency_department" for r in rec["ranked"])
    assert rec["emergency_department_required"] == []


def test_a_full_pucc_is_skipped_for_the_next_one(la: Container) -> None:
    iid = new_incident(la, **BOYLE_HEIGHTS)
    first = destinations.recommend_for_incident(la.ctx, SYSTEM, iid, CALM_ADULT)["ranked"][0]
    reference.update_beds(la.ctx, SYSTEM, first["facility_id"], 0, 12)
    again = destinations.recommend_for_incident(la.ctx, SYSTEM, iid, CALM_ADULT)
    assert first["facility_id"] not in [r["facility_id"] for r in again["ranked"]]
    assert any(e["facility_id"] == first["facility_id"] for e in again["excluded"])


def test_altered_consciousness_requires_an_emergency_department(la: Container) -> None:
    rec = destinations.recommend_for_incident(
        la.ctx, SYSTEM, new_incident(la, **BOYLE_HEIGHTS), CALM_ADULT | {"altered_consciousness": True}
    )
    assert {r["type"] for r in rec["ranked"]} == {"emergency_department"}
    assert rec["emergency_department_required"]


def test_unknown_assessment_fields_are_refused(la: Container) -> None:
    with pytest.raises(InvalidInput, match="unknown assessment field"):
        destinations.recommend_for_incident(la.ctx, SYSTEM, new_incident(la), {"mood": "blue"})


def test_outside_the_travel_model_destinations_are_ranked_on_a_labelled_estimate(la: Container) -> None:
    ventura_line = dict(lat=34.45, lon=-118.95)  # beyond the fitted LA model's area
    rec = destinations.recommend_for_incident(la.ctx, SYSTEM, new_incident(la, **ventura_line), CALM_ADULT, k=3)
    assert rec["ranked"] and "straight-line estimate" in rec["eta_source"]
    etas = [r["eta_s"] for r in rec["ranked"]]
    assert all(e > 0 for e in etas)


def test_inside_the_travel_model_destinations_say_the_provider_timed_them(la: Container) -> None:
    rec = destinations.recommend_for_incident(la.ctx, SYSTEM, new_incident(la, **BOYLE_HEIGHTS), CALM_ADULT)
    assert rec["eta_source"] == "provider"
