"""Ranking facilities for a transport: transport limit, holds and minors, beds, preference, ties."""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.destinations import (
    DestinationRecommendation,
    ExcludedDestination,
    PatientAssessment,
    recommend_destinations,
)
from crisis_dispatch.domain.errors import InvalidInput
from tests.unit.domain_destinations.builders import (
    ED,
    OTHER,
    PUCC,
    RESIDENTIAL,
    SOBERING,
    facility,
    pucc_patient,
    sobering_patient,
)


def ranked_ids(recommendation: DestinationRecommendation) -> list[str]:
    return [d.facility_id for d in recommendation.ranked]


def excluded(recommendation: DestinationRecommendation) -> dict[str, tuple[str, ...]]:
    return {e.facility_id: e.reasons for e in recommendation.excluded}


# --------------------------------------------------------------------------- transport-time limit


@pytest.mark.parametrize(("kind", "reference"), [(PUCC, "Ref. 526 III.A"), (SOBERING, "Ref. 528 III.A")])
@pytest.mark.parametrize(("eta", "reachable"), [(900.0, True), (901.0, False)])
def test_pucc_and_sobering_center_must_be_within_15_minutes(kind, reference, eta, reachable) -> None:
    patient = pucc_patient() if kind is PUCC else sobering_patient()
    result = recommend_destinations(patient, [facility("community", kind)], {"community": eta})
    if reachable:
        assert ranked_ids(result) == ["community"]
        assert f"transport 900 s within the 15-minute limit ({reference})" in result.ranked[0].reasons_for
    else:
        assert excluded(result) == {"community": (f"transport 901 s exceeds the 15-minute limit ({reference})",)}


def test_the_transport_limit_is_a_parameter() -> None:
    result = recommend_destinations(pucc_patient(), [facility("pucc", PUCC)], {"pucc": 1200.0}, max_transport_minutes=20)
    assert ranked_ids(result) == ["pucc"]


def test_an_emergency_department_and_crisis_residential_have_no_transport_limit() -> None:
    result = recommend_destinations(
        pucc_patient(), [facility("ed", ED), facility("home", RESIDENTIAL)], {"ed": 3600.0, "home": 3000.0}
    )
    assert ranked_ids(result) == ["home", "ed"]


@pytest.mark.parametrize("travel", [{"ed": None}, {}], ids=["none", "missing"])
def test_an_unreachable_facility_is_excluded(travel) -> None:
    result = recommend_destinations(pucc_patient(), [facility("ed", ED)], travel)
    assert result.ranked == ()
    assert result.excluded == (ExcludedDestination("ed", "Ed", ("not reachable: no travel time to it",)),)


# --------------------------------------------------------------------------- holds and minors


def test_a_5150_hold_goes_to_a_pucc_that_accepts_holds_or_an_ed() -> None:
    facilities = [
        facility("pucc-holds", PUCC),
        facility("pucc-voluntary-only", PUCC, capabilities={"accepts_voluntary"}),
        facility("ed", ED),
    ]
    travel = {"pucc-holds": 600.0, "pucc-voluntary-only": 100.0, "ed": 50.0}
    result = recommend_destinations(pucc_patient(consent="hold_5150"), facilities, travel)
    assert ranked_ids(result) == ["pucc-holds", "ed"]
    assert excluded(result)["pucc-voluntary-only"] == (
        "does not take WIC 5150 holds (no accepts_5150_holds capability; Ref. 526 III.A.1.a)",
    )


def test_a_5150_hold_never_goes_to_a_sobering_center_or_crisis_residential() -> None:
    facilities = [facility("sc", SOBERING), facility("home", RESIDENTIAL), facility("ed", ED)]
    result = recommend_destinations(
        pucc_patient(consent="hold_5150", alcohol_intoxication=True), facilities, {"sc": 60.0, "home": 60.0, "ed": 500.0}
    )
    assert ranked_ids(result) == ["ed"]
    for ident in ("sc", "home"):
        assert any("does not take WIC 5150 holds" in r for r in excluded(result)[ident])


def test_a_minor_on_a_5585_hold_cannot_go_to_an_adults_only_pucc() -> None:
    facilities = [facility("adult-pucc", PUCC, accepts="adults_only"), facility("ed", ED)]
    for minor in (PatientAssessment(consent="hold_5585"), pucc_patient(age=15, consent="hold_5585")):
        result = recommend_destinations(minor, facilities, {"adult-pucc": 60.0, "ed": 600.0})
        assert ranked_ids(result) == ["ed"]
        reasons = excluded(result)["adult-pucc"]
        assert any(r.endswith("facility takes adults only (Ref. 501 patient category)") for r in reasons)
    unknown_age = recommend_destinations(PatientAssessment(consent="hold_5585"), facilities, {"adult-pucc": 60.0})
    assert (
        "a minor on a WIC 5585 hold: facility takes adults only (Ref. 501 patient category)"
        in excluded(unknown_age)["adult-pucc"]
    )


@pytest.mark.parametrize(
    ("accepts", "age", "fits"),
    [
        ("adults_only", 17, False),
        ("adults_only", 18, True),
        ("adolescents_13_plus_and_adults", 12, False),
        ("adolescents_13_plus_and_adults", 13, True),
        ("all_ages", 3, True),
        ("adults_only", None, False),
        ("all_ages", None, True),
    ],
)
def test_a_facility_takes_only_the_ages_it_accepts(accepts, age, fits) -> None:
    result = recommend_destinations(PatientAssessment(age=age), [facility("ed", ED, accepts=accepts)], {"ed": 60.0})
    assert (ranked_ids(result) == ["ed"]) is fits


def test_an_unknown_accepted_population_excludes_the_facility_with_a_reason() -> None:
    result = recommend_destinations(PatientAssessment(), [facility("ed", ED, accepts="seniors")], {"ed": 60.0})
    assert excluded(result) == {"ed": ("unknown accepted population 'seniors' (Ref. 501 patient category)",)}


# --------------------------------------------------------------------------- beds


def test_a_community_facility_reporting_no_beds_is_excluded() -> None:
    result = recommend_destinations(pucc_patient(), [facility("pucc", PUCC, beds_available=0)], {"pucc": 60.0})
    assert excluded(result) == {"pucc": ("no beds available (Ref. 526 II.B.4)",)}


def test_untracked_beds_rank_after_known_free_beds_at_equal_preference() -> None:
    facilities = [
        facility("near-untracked", PUCC, beds_available=None),
        facility("far-with-beds", PUCC, beds_available=2, beds_total=12),
    ]
    result = recommend_destinations(pucc_patient(), facilities, {"near-untracked": 60.0, "far-with-beds": 800.0})
    assert ranked_ids(result) == ["far-with-beds", "near-untracked"]
    assert "2 of 12 beds free (Ref. 526 II.B.4)" in result.ranked[0].reasons_for
    assert "beds not tracked: confirm capacity before transport (Ref. 526 II.B.4)" in result.ranked[1].reasons_for


def test_a_full_emergency_department_stays_a_fallback_ranked_after_the_others() -> None:
    facilities = [facility("full-ed", ED, beds_available=0), facility("far-ed", ED), facility("pucc", PUCC)]
    result = recommend_destinations(PatientAssessment(), facilities, {"full-ed": 60.0, "far-ed": 1800.0, "pucc": 60.0})
    assert ranked_ids(result) == ["far-ed", "full-ed"]
    assert any("Ref. 502 I.B" in r for r in result.ranked[1].reasons_for)


# --------------------------------------------------------------------------- preference and ties


def test_a_fitting_community_facility_is_preferred_over_a_nearer_emergency_department() -> None:
    facilities = [facility("ed", ED), facility("pucc", PUCC), facility("home", RESIDENTIAL)]
    result = recommend_destinations(pucc_patient(), facilities, {"ed": 60.0, "pucc": 840.0, "home": 400.0})
    assert ranked_ids(result) == ["home", "pucc", "ed"]
    assert result.ranked[1].reasons_for[0] == (
        "meets the psychiatric urgent care criteria (Ref. 526 III); preferred over an emergency department"
    )


def test_the_sobering_center_is_recommended_for_a_drunk_cooperative_adult() -> None:
    facilities = [facility("ed", ED), facility("pucc", PUCC), facility("sc", SOBERING)]
    result = recommend_destinations(sobering_patient(), facilities, {"ed": 60.0, "pucc": 60.0, "sc": 700.0})
    assert ranked_ids(result) == ["sc", "ed"]
    assert "intoxicated (alcohol) (Ref. 526 III.B.6)" in excluded(result)["pucc"]


def test_when_nothing_is_recorded_only_emergency_departments_are_ranked_nearest_first() -> None:
    facilities = [facility(f"ed-{n}", ED) for n in range(3)] + [facility("pucc", PUCC), facility("x", OTHER)]
    travel = {"ed-0": 300.0, "ed-1": 100.0, "ed-2": 200.0, "pucc": 10.0, "x": 10.0}
    result = recommend_destinations(PatientAssessment(), facilities, travel)
    assert ranked_ids(result) == ["ed-1", "ed-2", "ed-0"]
    assert [e.facility_id for e in result.excluded] == ["pucc", "x"]


def test_an_emergency_department_is_always_kept_among_the_top_k() -> None:
    facilities = [facility(f"home-{n}", RESIDENTIAL) for n in range(4)] + [facility("ed", ED)]
    travel = {f"home-{n}": 100.0 * n for n in range(4)} | {"ed": 50.0}
    result = recommend_destinations(pucc_patient(), facilities, travel, k=3)
    assert ranked_ids(result) == ["home-0", "home-1", "ed"]
    assert ranked_ids(recommend_destinations(pucc_patient(), facilities, travel, k=1)) == ["home-0"]


def test_equal_travel_times_break_ties_by_name_then_id() -> None:
    facilities = [
        facility("b-2", ED, name="Same Name"),
        facility("zz", ED, name="Alpha"),
        facility("b-1", ED, name="Same Name"),
    ]
    result = recommend_destinations(PatientAssessment(), facilities, dict.fromkeys(("b-2", "zz", "b-1"), 300.0))
    assert ranked_ids(result) == ["zz", "b-1", "b-2"]


def test_the_result_does_not_depend_on_the_order_of_the_facilities() -> None:
    facilities = [facility(f"f-{n}", kind) for n, kind in enumerate([PUCC, ED, SOBERING, ED, RESIDENTIAL, PUCC])]
    travel = {f"f-{n}": 120.0 * (n % 3) for n in range(6)}
    forward = recommend_destinations(pucc_patient(), facilities, travel)
    backward = recommend_destinations(pucc_patient(), list(reversed(facilities)), travel)
    assert forward == backward


def test_the_recommendation_carries_the_type_reasons_and_why_an_ed_is_required() -> None:
    result = recommend_destinations(pucc_patient(altered_consciousness=True), [facility("ed", ED)], {"ed": 10.0})
    assert result.type_reasons[ED] == ()
    assert result.emergency_department_required == (
        "altered level of consciousness goes to an emergency department (Ref. 526 principle 2)",
    )
    assert result.emergency_department_required[0] in result.ranked[0].reasons_for


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "k must be a whole number of at least 1, not 0"),
        ({"max_transport_minutes": 0}, "max_transport_minutes must be a positive number, not 0"),
        ({"travel_seconds": {"ed": -1.0}}, "travel time to facility ed must be a non-negative number of seconds, not -1.0"),
        (
            {"travel_seconds": {"ed": float("inf")}},
            "travel time to facility ed must be a non-negative number of seconds, not inf",
        ),
        ({"facilities": [facility("ed", ED), facility("ed", ED)]}, "facility ed is listed twice"),
        ({"facilities": [facility("ed", ED, beds_available=-2)]}, "facility ed reports -2 beds available"),
        ({"facilities": [facility("ed", "hospital")]}, "facility ed has an unknown type 'hospital'"),
    ],
)
def test_bad_arguments_are_refused_clearly(kwargs, message) -> None:
    arguments = {"facilities": [facility("ed", ED)], "travel_seconds": {"ed": 60.0}} | kwargs
    with pytest.raises(InvalidInput) as error:
        recommend_destinations(PatientAssessment(), **arguments)
    assert str(error.value) == message
