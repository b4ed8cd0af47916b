"""Demand's integer codes for outcomes are the domain's vocabulary, in a fixed order."""

from __future__ import annotations

from crisis_dispatch.domain.outcomes import TRANSPORTS, DestinationType, Disposition
from crisis_dispatch.simulation.demand import DESTINATIONS, DISPOSITIONS, TRANSPORT_CODES


def test_disposition_and_destination_codes_are_the_domain_enums_in_declaration_order() -> None:
    assert [Disposition(name) for name in DISPOSITIONS] == list(Disposition)
    assert [DestinationType(name) for name in DESTINATIONS] == list(DestinationType)
    # Pinned: arrays, saved outputs and the benchmark read these codes.
    assert DISPOSITIONS == (
        "treated_and_released",
        "voluntary_transport",
        "involuntary_hold",
        "referred",
        "declined_services",
        "no_person_found",
        "escalated_to_ems",
        "escalated_to_police",
        "care_court_petition_recommended",
    )
    assert DESTINATIONS == ("psychiatric_urgent_care", "sobering_center", "crisis_residential", "emergency_department", "other")


def test_the_transport_codes_are_the_domains_transports() -> None:
    assert {Disposition(DISPOSITIONS[c]) for c in TRANSPORT_CODES} == TRANSPORTS
    assert frozenset({1, 2}) == TRANSPORT_CODES
