"""Invariants of the destination ranking over arbitrary patients, facilities and travel times."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from crisis_dispatch.domain.destinations import (
    COMMUNITY_TYPES,
    TIME_LIMITED_TYPES,
    Consent,
    PatientAssessment,
    eligible_types,
    recommend_destinations,
)
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.outcomes import DestinationType
from tests.unit.domain_destinations.builders import ED, PUCC, RESIDENTIAL, facility, pucc_patient, sobering_patient

# Values at and around every limit, plus "not recorded".
VALUES = {
    "age": [None, 12, 13, 17, 18, 64, 65],
    "heart_rate": [None, 59, 60, 119, 120],
    "spo2": [None, 93, 94],
    "sbp": [None, 99, 100, 179, 180, 181],
    "gcs": [None, 13, 14],
    "diabetic": [None, False, True],
    "glucose": [None, 59, 60, 249, 250],
    "alcohol_intoxication": [None, False, True],
    "altered_consciousness": [None, False, True],
    "requests_emergency_department": [None, False, True],
    "consent": [None, *Consent],
}


@st.composite
def assessments(draw) -> PatientAssessment:
    base = draw(st.sampled_from([PatientAssessment(), pucc_patient(), pucc_patient(), sobering_patient()]))
    changes = draw(st.dictionaries(st.sampled_from(sorted(VALUES)), st.none(), max_size=4))
    chosen = {name: draw(st.sampled_from(VALUES[name])) for name in changes}
    try:
        return replace(base, **chosen)
    except InvalidInput:  # a 5150 hold on a minor, or a 5585 hold on an adult
        return base


FACILITY_FIELDS = st.tuples(
    # Weighted towards community types, so that the top k is often full of them.
    st.sampled_from([*DestinationType, PUCC, RESIDENTIAL, RESIDENTIAL]),
    st.sampled_from(["Alpha", "Beta", "Gamma"]),  # repeated names: ties go to the id
    st.sampled_from(["all_ages", "adults_only", "adolescents_13_plus_and_adults"]),
    st.frozensets(st.sampled_from(["accepts_5150_holds", "accepts_voluntary", "open_24_7"])),
    st.sampled_from([None, 0, 1, 3]),
    st.one_of(st.none(), st.sampled_from([0.0, 300.0, 900.0, 901.0]), st.floats(0, 3600)),
)


@st.composite
def scenes(draw):
    facilities, travel = [], {}
    for n, (kind, name, accepts, capabilities, beds, eta) in enumerate(draw(st.lists(FACILITY_FIELDS, max_size=10))):
        ident = f"f{n}"
        facilities.append(facility(ident, kind, name=name, accepts=accepts, capabilities=set(capabilities), beds_available=beds))
        travel[ident] = eta
    return facilities, travel


def expected_key(destination, facility_by_id):
    f = facility_by_id[destination.facility_id]
    tier = 1 if f.beds_available is None else (0 if f.beds_available > 0 else 2)
    return (0 if f.type in COMMUNITY_TYPES else 1, tier, destination.eta_s, f.name, f.id)


@settings(max_examples=150, deadline=None)
@given(assessments(), scenes(), st.sampled_from([1, 2, 2, 3, 3, 4, 6]))
def test_the_ranking_is_ordered_complete_and_keeps_an_emergency_department(patient, scene, k) -> None:
    facilities, travel = scene
    by_id = {f.id: f for f in facilities}
    result = recommend_destinations(patient, facilities, travel, k=k)
    ranked = [d.facility_id for d in result.ranked]
    excluded = {e.facility_id for e in result.excluded}

    # Ordered by (preference class, beds known, eta, name, id); at most k; no duplicates.
    keys = [expected_key(d, by_id) for d in result.ranked]
    assert keys == sorted(keys)
    assert len(ranked) == len(set(ranked)) <= k
    # Never an excluded facility; every facility is either ranked, excluded or cut by k.
    assert not excluded & set(ranked)
    assert excluded | set(ranked) <= set(by_id)
    candidates = set(by_id) - excluded
    assert len(ranked) == min(k, len(candidates))
    # Every excluded facility says why.
    assert all(e.reasons for e in result.excluded)

    types = eligible_types(patient)
    for d in result.ranked:
        f = by_id[d.facility_id]
        assert d.eta_s == travel[f.id]
        assert types[f.type] == []
        if f.type in TIME_LIMITED_TYPES:
            assert d.eta_s <= 900
        if f.type is not ED:
            assert f.beds_available != 0

    # An emergency department always remains available when one is reachable and takes everyone.
    open_eds = [f.id for f in facilities if f.type is ED and travel[f.id] is not None and f.accepts == "all_ages"]
    assert set(open_eds) <= candidates
    if open_eds and k >= 2:
        assert any(by_id[i].type is ED for i in ranked)
