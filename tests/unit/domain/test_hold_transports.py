"""Transports of people on holds written by others (WIC 5150/5585): the request, the check of
the written application at pickup, the handover, and the 72 hours from first detention."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.domain.errors import IllegalTransition, InvalidInput
from crisis_dispatch.domain.hold_transport import HoldTransport, PickupKind
from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.domain.outcomes import (
    Destination,
    DestinationType,
    Disposition,
    Hold,
    HoldCriterion,
    HoldType,
    HoldWriter,
    Outcome,
    WriterKind,
)
from tests.unit.domain.builders import HOUR, MINUTE, T0, hold, incident_in, new_incident

S = IncidentStatus
OFFICER = HoldWriter(agency="LAPD", name="Officer A. Example", credential="12345", kind=WriterKind.POLICE_OFFICER)


def transport(**overrides: object) -> HoldTransport:
    fields: dict[str, object] = dict(
        hold_type=HoldType.WIC_5150,
        writer=OFFICER,
        first_detained_at=T0 - 10 * HOUR,
        written_at=T0 - 9 * HOUR,
        criteria=frozenset({HoldCriterion.DANGER_TO_SELF}),
        pickup_kind=PickupKind.EMERGENCY_DEPARTMENT,
        pickup_name="Example Medical Center ED",
        destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE, "Example PUCC", "example-pucc"),
        requested_at=T0,
    )
    return HoldTransport(**(fields | overrides))  # type: ignore[arg-type]


def verified(t: HoldTransport, at: object = T0 + HOUR) -> HoldTransport:
    return t.verify(application_seen=True, application_signed=True, person_matches=True, by="crew-1", now=at)  # type: ignore[arg-type]


def on_scene_with(t: HoldTransport):  # type: ignore[no-untyped-def]
    incident = incident_in(S.ON_SCENE, start=T0)
    incident.hold_transport = t
    return incident


# ----------------------------------------------------------------------------- the request
def test_a_valid_request_passes_and_shows_the_time_left_on_the_hold() -> None:
    t = transport()
    t.validate(now=T0)
    assert t.expires_at == T0 - 10 * HOUR + 72 * HOUR
    assert t.remaining(T0) == 62 * HOUR


def test_a_request_for_an_expired_hold_is_refused() -> None:
    with pytest.raises(InvalidInput, match="expired"):
        transport(first_detained_at=T0 - 73 * HOUR, written_at=T0 - 72 * HOUR).validate(now=T0)


def test_the_writer_must_be_named_with_agency_and_badge_or_licence() -> None:
    for missing in ("agency", "name", "credential"):
        with pytest.raises(InvalidInput, match=missing):
            transport(writer=replace(OFFICER, **{missing: " "})).validate(now=T0)


def test_the_application_cannot_be_written_before_first_detention_or_in_the_future() -> None:
    with pytest.raises(InvalidInput, match="first detention"):
        transport(written_at=T0 - 11 * HOUR).validate(now=T0)
    with pytest.raises(InvalidInput, match="future"):
        transport(first_detained_at=T0 + MINUTE, written_at=T0 + MINUTE).validate(now=T0)


def test_the_hold_type_follows_the_age_rule() -> None:
    with pytest.raises(InvalidInput, match="5585"):
        transport(subject_age=15).validate(now=T0)
    with pytest.raises(InvalidInput, match="adult"):
        transport(hold_type=HoldType.WIC_5585, subject_age=30).validate(now=T0)
    transport(hold_type=HoldType.WIC_5585, subject_age=15).validate(now=T0)


def test_a_request_needs_a_criterion_and_a_named_emergency_department_or_station() -> None:
    with pytest.raises(InvalidInput, match="criterion"):
        transport(criteria=frozenset()).validate(now=T0)
    with pytest.raises(InvalidInput, match="name"):
        transport(pickup_kind=PickupKind.POLICE_STATION, pickup_name="").validate(now=T0)
    transport(pickup_kind=PickupKind.STREET, pickup_name="").validate(now=T0)


def test_the_destination_is_a_facility_by_id() -> None:
    with pytest.raises(InvalidInput, match="designated facility"):
        transport(destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE, "somewhere")).validate(now=T0)


# ----------------------------------------------------------------------------- pickup
def test_pickup_verification_needs_every_item_of_the_checklist() -> None:
    t = transport()
    with pytest.raises(InvalidInput, match="signed"):
        t.verify(application_seen=True, application_signed=False, person_matches=True, by="crew-1", now=T0 + HOUR)
    with pytest.raises(InvalidInput, match="application seen.*person matches"):
        t.verify(application_seen=False, application_signed=True, person_matches=False, by="crew-1", now=T0 + HOUR)
    done = verified(t)
    assert done.verification is not None and done.verification.verified_by == "crew-1"
    assert t.verification is None  # frozen: a new value is returned


def test_an_expired_hold_cannot_be_verified() -> None:
    with pytest.raises(InvalidInput, match="expired"):
        verified(transport(), at=T0 + 63 * HOUR)


def test_a_transport_does_not_start_before_the_application_is_verified() -> None:
    incident = on_scene_with(transport())
    with pytest.raises(IllegalTransition, match="verify"):
        incident.transition(S.TRANSPORTING, now=T0 + HOUR, by="crew-1")
    incident.hold_transport = verified(transport())
    incident.transition(S.TRANSPORTING, now=T0 + HOUR, by="crew-1")
    assert incident.status is S.TRANSPORTING


def test_a_transport_does_not_start_once_the_hold_has_expired() -> None:
    incident = on_scene_with(verified(transport(), at=T0 + HOUR))
    with pytest.raises(IllegalTransition, match="expired"):
        incident.transition(S.TRANSPORTING, now=T0 + 62 * HOUR, by="crew-1")


@given(
    detained_hours_ago=st.integers(min_value=0, max_value=200),
    start_after_minutes=st.integers(min_value=5, max_value=100 * 60),
    seen=st.booleans(),
    signed=st.booleans(),
    matches=st.booleans(),
)
def test_a_transport_never_starts_on_an_expired_or_unverified_hold(
    detained_hours_ago: int, start_after_minutes: int, seen: bool, signed: bool, matches: bool
) -> None:
    detained = T0 - timedelta(hours=detained_hours_ago)
    incident = on_scene_with(transport(first_detained_at=detained, written_at=detained))
    start = T0 + timedelta(minutes=start_after_minutes)
    verified_ok = True
    try:
        incident.hold_transport = incident.hold_transport.verify(  # type: ignore[union-attr]
            application_seen=seen, application_signed=signed, person_matches=matches, by="crew-1", now=T0
        )
    except InvalidInput:
        verified_ok = False
    try:
        incident.transition(S.TRANSPORTING, now=start, by="crew-1")
        started = True
    except IllegalTransition:
        started = False
    expired = start >= detained + timedelta(hours=72)
    assert started == (verified_ok and not expired)
    if started:
        assert seen and signed and matches and detained + timedelta(hours=72) > T0


# ----------------------------------------------------------------------------- handover and outcome
def test_the_handover_needs_a_verified_pickup_and_a_receiver() -> None:
    with pytest.raises(InvalidInput, match="verif"):
        transport().hand_over(received_by="RN Example", by="crew-1", now=T0 + 2 * HOUR)
    with pytest.raises(InvalidInput, match="received"):
        verified(transport()).hand_over(received_by=" ", by="crew-1", now=T0 + 2 * HOUR)
    done = verified(transport()).hand_over(received_by="RN Example", by="crew-1", now=T0 + 2 * HOUR)
    assert done.handover is not None and done.handover.received_by == "RN Example"


def test_the_outcome_carries_the_external_writers_hold_to_the_destination() -> None:
    t = verified(transport()).hand_over(received_by="RN Example", by="crew-1", now=T0 + 2 * HOUR)
    outcome = t.outcome(recorded_by="crew-1", now=T0 + 2 * HOUR)
    assert outcome.disposition is Disposition.INVOLUNTARY_HOLD
    assert outcome.destination == t.destination
    assert outcome.hold is not None and outcome.hold.writer == OFFICER and outcome.hold.placed_by == ""
    outcome.validate(now=T0 + 2 * HOUR)
    assert Outcome.from_dict(outcome.to_dict()) == outcome
    assert HoldTransport.from_dict(t.to_dict()) == t


def test_a_hold_transport_closes_only_after_the_handover() -> None:
    incident = on_scene_with(verified(transport()))
    incident.transition(S.TRANSPORTING, now=T0 + HOUR, by="crew-1")
    incident.transition(S.AT_DESTINATION, now=T0 + 2 * HOUR, by="crew-1")
    assert incident.hold_transport is not None
    incident.record_outcome(incident.hold_transport.outcome(recorded_by="crew-1", now=T0 + 2 * HOUR), now=T0 + 2 * HOUR)
    with pytest.raises(IllegalTransition, match="handover"):
        incident.transition(S.CLOSED, now=T0 + 2 * HOUR, by="crew-1")
    incident.hold_transport = incident.hold_transport.hand_over(received_by="RN Example", by="crew-1", now=T0 + 2 * HOUR)
    incident.transition(S.CLOSED, now=T0 + 2 * HOUR, by="crew-1")


def test_an_external_writers_hold_may_predate_the_call_but_not_be_expired() -> None:
    incident = incident_in(S.AT_DESTINATION, start=T0)
    t = verified(transport())
    incident.hold_transport = t
    incident.record_outcome(t.outcome(recorded_by="crew-1", now=T0 + HOUR), now=T0 + HOUR)
    late = transport(first_detained_at=T0 - 71 * HOUR, written_at=T0 - 71 * HOUR)
    with pytest.raises(InvalidInput, match="expired"):
        incident.record_outcome(late.outcome(recorded_by="crew-1", now=T0 + 2 * HOUR), now=T0 + 2 * HOUR)


def test_a_hold_names_either_our_staff_or_an_external_writer() -> None:
    ours = hold()
    ours.validate(subject_age=None)
    assert "writer" not in ours.to_dict()  # unchanged record for our own crew's holds
    with pytest.raises(InvalidInput, match="either"):
        replace(ours, writer=OFFICER).validate(subject_age=None)
    with pytest.raises(InvalidInput, match="who wrote"):
        replace(ours, placed_by="").validate(subject_age=None)
    external = Hold(
        type=HoldType.WIC_5150,
        placed_by="",
        placed_at=T0,
        first_detained_at=T0,
        criteria=frozenset({HoldCriterion.GRAVE_DISABILITY}),
        could_be_served_without_detention=False,
        writer=OFFICER,
    )
    assert Hold.from_dict(external.to_dict()) == external


def test_a_new_incident_has_no_hold_transport() -> None:
    assert new_incident().hold_transport is None
