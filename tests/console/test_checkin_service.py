"""Safety check-ins as a use case (services/checkin.py): stored as notes, scoped by role."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.checkin import CHECKIN_INTERVAL, is_checkin_note
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.errors import InvalidInput, NotFound, PermissionDenied
from crisis_dispatch.services import checkin, incidents
from crisis_dispatch.services.context import SYSTEM, Actor
from tests.integration.helpers import crew_of, new_incident, staffed_unit

DISPATCHER = Actor("dana", UserRole.DISPATCHER)


def on_scene(container: Container, call_sign: str) -> str:
    unit = staffed_unit(container, call_sign)
    incident = new_incident(container)
    incidents.assign_unit(container.ctx, SYSTEM, incident, unit)
    incidents.change_status(container.ctx, SYSTEM, incident, "on_scene")
    return incident


def test_a_crew_on_scene_is_missed_after_the_interval_and_ok_again_after_checking_in(
    container: Container, clock: FixedClock
) -> None:
    incident = on_scene(container, "TTP-7")
    crew = crew_of("TTP-7")
    (state,) = checkin.checkin_states(container.ctx, DISPATCHER)["checkins"]
    assert (state["incident_id"], state["call_sign"], state["level"]) == (incident, "TTP-7", "ok")
    clock.advance(CHECKIN_INTERVAL + timedelta(minutes=1))
    assert checkin.checkin_states(container.ctx, DISPATCHER)["checkins"][0]["level"] == "missed"
    after = checkin.check_in(container.ctx, crew, incident, "all calm")
    assert after["level"] == "ok"
    assert after["last_checkin_at"] == clock.now().isoformat()
    notes = incidents.get_incident(container.ctx, SYSTEM, incident)["notes"]
    assert [n["text"] for n in notes if is_checkin_note(n["text"])] == ["Safety check-in: all calm"]


def test_a_check_in_is_refused_when_the_crew_is_not_on_scene(container: Container) -> None:
    unit = staffed_unit(container, "TTP-7")
    incident = new_incident(container)
    incidents.assign_unit(container.ctx, SYSTEM, incident, unit)
    with pytest.raises(InvalidInput, match="on scene"):
        checkin.check_in(container.ctx, crew_of("TTP-7"), incident)


def test_crew_follow_and_check_in_only_for_their_own_van(container: Container) -> None:
    ours = on_scene(container, "TTP-7")
    theirs = on_scene(container, "TTP-8")
    crew = crew_of("TTP-7")
    assert [s["incident_id"] for s in checkin.checkin_states(container.ctx, crew)["checkins"]] == [ours]
    with pytest.raises(NotFound):
        checkin.check_in(container.ctx, crew, theirs)


def test_police_liaisons_do_not_follow_check_ins(container: Container) -> None:
    with pytest.raises(PermissionDenied):
        checkin.checkin_states(container.ctx, Actor("pat", UserRole.POLICE_LIAISON))


def test_a_check_in_is_audited_as_a_read_of_the_incident_and_a_note_added(container: Container) -> None:
    incident = on_scene(container, "TTP-7")
    with container.ctx.uow() as uow:
        before = {r.id for r in uow.audit.list(object_id=incident)}
    checkin.check_in(container.ctx, crew_of("TTP-7"), incident, "fine")
    with container.ctx.uow() as uow:
        rows = [r for r in reversed(uow.audit.list(object_id=incident)) if r.id not in before]
    assert [(r.action, r.username, r.detail) for r in rows] == [
        ("read", "crew-TTP-7", ""),
        ("update", "crew-TTP-7", "note added"),
    ]


def test_a_refused_check_in_still_audits_the_read(container: Container) -> None:
    unit = staffed_unit(container, "TTP-7")
    incident = new_incident(container)
    incidents.assign_unit(container.ctx, SYSTEM, incident, unit)
    with pytest.raises(InvalidInput):
        checkin.check_in(container.ctx, crew_of("TTP-7"), incident)
    with container.ctx.uow() as uow:
        latest = uow.audit.list(object_id=incident, limit=1)[0]
    assert (latest.action, latest.username) == ("read", "crew-TTP-7")
