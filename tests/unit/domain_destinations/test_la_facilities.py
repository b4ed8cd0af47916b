"""The rules on the LA County facilities shipped with the package (Ref. 501, 2025)."""

from __future__ import annotations

import math

import pytest

from crisis_dispatch.data.reference import la_facilities
from crisis_dispatch.domain.destinations import AGE_YEARS, PatientAssessment, recommend_destinations
from crisis_dispatch.domain.outcomes import DestinationType
from crisis_dispatch.domain.station import Facility
from tests.unit.domain_destinations.builders import ED, PUCC, SOBERING, pucc_patient, sobering_patient

#: Straight line at 8 m/s (about 29 km/h): a stand-in for the travel-time provider, enough to order places.
SPEED_M_S = 8.0


def facilities() -> list[Facility]:
    return [
        Facility(
            id=r.id,
            name=r.name,
            type=DestinationType(r.type),
            lat=r.lat,
            lon=r.lon,
            accepts=r.accepts,
            capabilities=set(r.capabilities),
        )
        for r in la_facilities()
        if r.has_location
    ]


def travel_from(lat: float, lon: float) -> dict[str, float]:
    def seconds(f: Facility) -> float:
        dy = math.radians(f.lat - lat) * 6_371_000
        dx = math.radians(f.lon - lon) * 6_371_000 * math.cos(math.radians(lat))
        return math.hypot(dx, dy) / SPEED_M_S

    return {f.id: seconds(f) for f in facilities()}


BOYLE_HEIGHTS = (34.045, -118.205)
WATTS = (33.935, -118.245)
PALMDALE = (34.58, -118.10)


def test_the_shipped_ems_age_band_and_transport_limit_are_the_rules_ones() -> None:
    community = [r for r in la_facilities() if r.type in ("psychiatric_urgent_care", "sobering_center")]
    assert len(community) == 8
    assert {(r.ems_min_age, r.ems_max_age + 1, r.ems_max_transport_minutes) for r in community} == {(*AGE_YEARS, 15)}


def test_a_calm_adult_in_boyle_heights_goes_to_the_east_side_pucc() -> None:
    result = recommend_destinations(pucc_patient(), facilities(), travel_from(*BOYLE_HEIGHTS))
    best = result.ranked[0]
    assert (best.type, best.facility_id) == (PUCC, "exodus-recovery-center-psychiatric-urgent-care-east-side")
    assert result.ranked[-1].type is ED


def test_a_drunk_adult_in_watts_goes_to_the_mlk_sobering_center() -> None:
    result = recommend_destinations(sobering_patient(), facilities(), travel_from(*WATTS))
    assert result.ranked[0].facility_id == "respite-sobering-center-mlk-campus"
    assert result.ranked[0].type is SOBERING


@pytest.mark.parametrize("patient", [PatientAssessment(consent="hold_5585"), pucc_patient(age=15, consent="hold_5585")])
def test_a_minor_on_a_5585_hold_is_taken_to_an_emergency_department(patient) -> None:
    result = recommend_destinations(patient, facilities(), travel_from(*BOYLE_HEIGHTS))
    assert {d.type for d in result.ranked} == {ED}
    adult_puccs = [f.id for f in facilities() if f.type is PUCC and f.accepts == "adults_only"]
    excluded = {e.facility_id: e.reasons for e in result.excluded}
    assert all(any("Ref. 501 patient category" in r for r in excluded[i]) for i in adult_puccs)


def test_far_from_every_pucc_the_nearest_emergency_departments_are_offered() -> None:
    # Palmdale: the Lancaster PUCC is more than 15 minutes away at this speed.
    result = recommend_destinations(pucc_patient(), facilities(), travel_from(*PALMDALE))
    assert [d.type for d in result.ranked] == [ED] * 5
    lancaster = "star-behavioral-health-psychiatric-urgent-care-center-lancaster"
    excluded = {e.facility_id: e.reasons for e in result.excluded}
    assert any("exceeds the 15-minute limit (Ref. 526 III.A)" in r for r in excluded[lancaster])
