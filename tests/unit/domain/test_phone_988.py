"""Calls sent to the 988 line: the transfer, its result, and a handback that brings a team."""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.errors import Conflict, InvalidInput
from crisis_dispatch.domain.phone_988 import Result988, Transfer988, check_transferable
from tests.unit.domain.builders import HOUR, MINUTE, T0

DIDI = Transfer988(centre="Didi Hirsch 988", reference="DH-2026-0001", transferred_at=T0, transferred_by="ct-1")


def test_a_transfer_names_the_centre_and_its_reference() -> None:
    DIDI.validate(received_at=T0 - MINUTE, now=T0)
    with pytest.raises(InvalidInput, match="centre"):
        Transfer988(centre=" ", reference="x", transferred_at=T0, transferred_by="ct-1").validate(received_at=T0, now=T0)
    with pytest.raises(InvalidInput, match="reference"):
        Transfer988(centre="Didi", reference="", transferred_at=T0, transferred_by="ct-1").validate(received_at=T0, now=T0)


def test_a_transfer_happens_between_the_call_and_now() -> None:
    with pytest.raises(InvalidInput, match="before the call"):
        DIDI.validate(received_at=T0 + MINUTE, now=T0 + HOUR)
    with pytest.raises(InvalidInput, match="future"):
        DIDI.validate(received_at=T0 - HOUR, now=T0 - MINUTE)


def test_only_a_call_triaged_to_988_is_transferred() -> None:
    check_transferable("PHONE_988")
    for tier in ("MH_TEAM", "POLICE", None):
        with pytest.raises(InvalidInput, match="988"):
            check_transferable(tier)


def test_a_call_back_is_interim_and_a_final_result_stays() -> None:
    later = DIDI.record_result(Result988.CALL_BACK, by="ct-1", now=T0 + HOUR)
    assert later.result is Result988.CALL_BACK and DIDI.result is None
    done = later.record_result(Result988.RESOLVED_BY_PHONE, by="ct-1", now=T0 + 2 * HOUR, note="safety plan made")
    assert done.result is Result988.RESOLVED_BY_PHONE and done.result_note == "safety plan made"
    with pytest.raises(Conflict, match="already"):
        done.record_result(Result988.CALL_BACK, by="ct-1", now=T0 + 3 * HOUR)


def test_a_result_cannot_predate_the_transfer() -> None:
    with pytest.raises(InvalidInput, match="before the transfer"):
        DIDI.record_result(Result988.CALL_BACK, by="ct-1", now=T0 - MINUTE)


def test_a_team_is_requested_only_by_a_handback() -> None:
    with pytest.raises(InvalidInput, match="handback"):
        DIDI.record_result(Result988.TEAM_REQUESTED, by="ct-1", now=T0 + HOUR)


def test_a_handback_links_the_team_incident_once() -> None:
    back = DIDI.record_result(Result988.CALL_BACK, by="ct-1", now=T0 + HOUR).hand_back("INC-2", by="ct-1", now=T0 + 2 * HOUR)
    assert back.result is Result988.TEAM_REQUESTED and back.handed_back_to == "INC-2"
    with pytest.raises(Conflict, match="INC-2"):
        back.hand_back("INC-3", by="ct-1", now=T0 + 3 * HOUR)
    resolved = DIDI.record_result(Result988.RESOLVED_BY_PHONE, by="ct-1", now=T0 + HOUR)
    # The person may call 988 again and ask for a team after all: a handback still comes.
    assert resolved.hand_back("INC-4", by="ct-1", now=T0 + 2 * HOUR).handed_back_to == "INC-4"
    assert Transfer988.from_dict(back.to_dict()) == back
