"""Every outcome maps to NEMSIS v3.5 eDisposition codes that exist, in the right element."""

from __future__ import annotations

import pytest

from crisis_dispatch.data.reference import NemsisCode, nemsis_codes
from crisis_dispatch.domain.outcomes import (
    NEMSIS,
    NEMSIS_CANCELLED_ON_SCENE,
    NEMSIS_CANCELLED_PRIOR_TO_ARRIVAL,
    Disposition,
    NemsisDisposition,
)

#: Which NEMSIS element each field of the mapping speaks for.
ELEMENT_OF_FIELD = {
    "unit_disposition": "eDisposition.27",
    "patient_evaluation_care": "eDisposition.28",
    "transport_disposition": "eDisposition.30",
    "reason_for_refusal_release": "eDisposition.31",
}
EVERY_MAPPING: list[tuple[str, NemsisDisposition]] = [(d.value, NEMSIS[d]) for d in Disposition] + [
    ("cancelled_prior_to_arrival", NEMSIS_CANCELLED_PRIOR_TO_ARRIVAL),
    ("cancelled_on_scene", NEMSIS_CANCELLED_ON_SCENE),
]

PATIENT_CONTACT_MADE = "4227001"
TRANSPORT_BY_THIS_UNIT = "4230001"
NO_TRANSPORT, REFUSED_TRANSPORT = "4230013", "4230009"


@pytest.fixture(scope="module")
def codes() -> dict[str, NemsisCode]:
    return nemsis_codes()


def test_every_disposition_has_a_nemsis_mapping() -> None:
    assert set(NEMSIS) == set(Disposition)


def test_treated_and_released_on_site_is_the_four_codes_of_the_domain_brief() -> None:
    assert NEMSIS[Disposition.TREATED_AND_RELEASED].codes() == ("4227001", "4228001", "4230013", "4231005")


@pytest.mark.parametrize(("name", "mapping"), EVERY_MAPPING, ids=[n for n, _ in EVERY_MAPPING])
def test_every_code_used_exists_in_nemsis_and_belongs_to_its_element(
    name: str, mapping: NemsisDisposition, codes: dict[str, NemsisCode]
) -> None:
    for field, element in ELEMENT_OF_FIELD.items():
        code = getattr(mapping, field)
        if code is None:
            continue
        assert code in codes, f"{name}: {field} {code} is not a NEMSIS v3.5 value"
        assert codes[code].element == element, f"{name}: {code} is {codes[code].element}, not {element}"


@pytest.mark.parametrize(("name", "mapping"), EVERY_MAPPING, ids=[n for n, _ in EVERY_MAPPING])
def test_every_mapping_has_a_unit_disposition(name: str, mapping: NemsisDisposition) -> None:
    assert mapping.unit_disposition is not None
    assert mapping.codes()[0] == mapping.unit_disposition


@pytest.mark.parametrize("disposition", list(Disposition), ids=str)
def test_contact_with_the_person_always_says_what_care_and_what_transport_followed(disposition: Disposition) -> None:
    mapping = NEMSIS[disposition]
    if mapping.unit_disposition == PATIENT_CONTACT_MADE:
        assert mapping.patient_evaluation_care is not None
        assert mapping.transport_disposition is not None
    else:
        assert mapping.codes() == (mapping.unit_disposition,), "no contact, so no care or transport to report"


@pytest.mark.parametrize("disposition", list(Disposition), ids=str)
def test_only_a_transport_by_the_team_is_coded_as_transport_by_this_unit(disposition: Disposition) -> None:
    transports = {Disposition.VOLUNTARY_TRANSPORT, Disposition.INVOLUNTARY_HOLD}
    assert (NEMSIS[disposition].transport_disposition == TRANSPORT_BY_THIS_UNIT) == (disposition in transports)


@pytest.mark.parametrize("disposition", list(Disposition), ids=str)
def test_a_reason_for_release_is_given_exactly_when_nobody_was_transported(disposition: Disposition) -> None:
    mapping = NEMSIS[disposition]
    released = mapping.transport_disposition in (NO_TRANSPORT, REFUSED_TRANSPORT)
    assert (mapping.reason_for_refusal_release is not None) == released


@pytest.mark.parametrize(
    ("disposition", "field", "description"),
    [
        (Disposition.NO_PERSON_FOUND, "unit_disposition", "No Patient Found"),
        (Disposition.DECLINED_SERVICES, "patient_evaluation_care", "Patient Refused Evaluation/Care"),
        (Disposition.DECLINED_SERVICES, "transport_disposition", "Patient Refused Transport"),
        (Disposition.ESCALATED_TO_EMS, "transport_disposition", "Transport by Another EMS Unit/Agency"),
        (Disposition.ESCALATED_TO_POLICE, "reason_for_refusal_release", "Released to Law Enforcement"),
        (Disposition.TREATED_AND_RELEASED, "reason_for_refusal_release", "Released Following Protocol Guidelines"),
        (Disposition.VOLUNTARY_TRANSPORT, "transport_disposition", "Transport by This EMS Unit (This Crew Only)"),
    ],
)
def test_the_codes_say_what_happened(
    disposition: Disposition, field: str, description: str, codes: dict[str, NemsisCode]
) -> None:
    assert codes[getattr(NEMSIS[disposition], field)].description == description


def test_the_cancellation_codes_say_when_the_call_was_cancelled(codes: dict[str, NemsisCode]) -> None:
    assert codes[NEMSIS_CANCELLED_PRIOR_TO_ARRIVAL.unit_disposition].description == "Cancelled Prior to Arrival at Scene"
    assert codes[NEMSIS_CANCELLED_ON_SCENE.unit_disposition].description == "Cancelled on Scene"
