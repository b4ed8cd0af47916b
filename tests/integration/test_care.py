"""CARE Court petitions through the services, on SQLite and PostgreSQL: prepared from an
encounter with its evidence bundle, read by court liaisons without the caller or the words of
the call, stages in order, the county's report due 14 court days after it is ordered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crisis_dispatch.domain.outcomes import Disposition, Hold, HoldCriterion, HoldType, Outcome
from crisis_dispatch.entrypoints.api.responses import KpiReport
from crisis_dispatch.services import care, incidents, reports
from crisis_dispatch.services.care import PetitionRequest
from crisis_dispatch.services.context import SYSTEM, Actor
from tests.integration.helpers import T0, crew_of, new_incident, staffed_unit

COURT = Actor("court-1", UserRole.COURT_LIAISON)
NARRATIVE = "Caller (marked-narrative) says her brother hears voices"
CALLER = "Marked Caller"
PETITIONER = "stf-ttp-9-peer_"


def request(**overrides: object) -> PetitionRequest:
    base = dict(
        respondent_name="Alex Example",
        respondent_age=34,
        respondent_county="Los Angeles",
        county="Los Angeles County",
        facts="Third crisis call in six weeks; stopped treatment in October.",
        criteria=("adult", "psychotic_disorder", "not_clinically_stabilized", "least_restrictive", "likely_to_benefit"),
        grounds=("needs_services_to_prevent_relapse",),
    )
    return PetitionRequest(**(base | overrides))  # type: ignore[arg-type]


def encounter(container: Container, *, outcome: Outcome | None = None, close: bool = True) -> str:
    """A call a team reached: on scene, then (by default) its outcome recorded and closed."""
    ctx = container.ctx
    iid = new_incident(container, narrative=NARRATIVE, caller_name=CALLER)
    incidents.assign_unit(ctx, SYSTEM, iid, "unit-ttp-9")
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    if close:
        done = outcome or Outcome(Disposition.TREATED_AND_RELEASED, ctx.clock.now(), "crew")
        incidents.record_outcome(ctx, SYSTEM, iid, done)
        incidents.change_status(ctx, SYSTEM, iid, "closed", "seen")
    return iid


@pytest.fixture
def van(container: Container) -> str:
    return staffed_unit(container, hours=24 * 90)


def test_a_clinician_prepares_a_petition_with_the_evidence_of_60_days(container: Container, van: str, clock) -> None:
    ctx = container.ctx
    earlier = encounter(container)
    clock.advance(timedelta(days=20))
    iid = encounter(container, close=False)
    crew = crew_of("TTP-9")
    view = care.prepare(ctx, crew, iid, request(evidence_incident_ids=[earlier, iid]))
    assert view["petitioner"]["staff_id"] == PETITIONER and "mobile crisis team" in view["petitioner"]["capacity"]
    assert view["county"] == "Los Angeles" and view["stage"] == "prepared" and view["due"] is None
    assert view["evidence_count"] == 2
    bundle = care.evidence(ctx, COURT, view["id"])
    assert [i["incident_id"] for i in bundle["items"]] == [earlier, iid]
    assert NARRATIVE not in str(bundle) and CALLER not in str(bundle)
    with pytest.raises(Conflict, match="already prepared"):
        care.prepare(ctx, crew, iid, request())
    history = incidents.get_incident(ctx, SYSTEM, iid)["history"]
    assert history[-1]["event"] == "care_petition"


def test_refusals_say_why(container: Container, van: str, clock) -> None:
    ctx = container.ctx
    iid = encounter(container, close=False)
    crew = crew_of("TTP-9")
    with pytest.raises(InvalidInput, match="the respondent is 16"):
        care.prepare(ctx, crew, iid, request(respondent_age=16))
    with pytest.raises(InvalidInput, match="CARE criterion 'nice'"):
        care.prepare(ctx, crew, iid, request(criteria=("nice",)))
    with pytest.raises(InvalidInput, match="not in our records"):
        care.prepare(ctx, crew, iid, request(evidence_incident_ids=["INC-NOPE"]))
    with pytest.raises(InvalidInput, match="petitioner_staff_id"):
        care.prepare(ctx, SYSTEM, iid, request())
    waiting = new_incident(container)
    with pytest.raises(InvalidInput, match="no team reached"):
        care.prepare(ctx, SYSTEM, waiting, request(petitioner_staff_id=PETITIONER))
    with pytest.raises(PermissionDenied):
        care.prepare(ctx, Actor("disp", UserRole.DISPATCHER), iid, request(petitioner_staff_id=PETITIONER))
    incidents.record_outcome(ctx, SYSTEM, iid, Outcome(Disposition.REFERRED, ctx.clock.now(), "crew"))
    incidents.change_status(ctx, SYSTEM, iid, "closed", "seen")
    old = encounter(container)
    clock.advance(timedelta(days=61))
    fresh = encounter(container)
    with pytest.raises(InvalidInput, match="not in the 60 days"):
        care.prepare(ctx, SYSTEM, fresh, request(petitioner_staff_id=PETITIONER, evidence_incident_ids=[old]))


def test_court_liaisons_see_care_matters_only_and_record_the_stages(container: Container, van: str, clock) -> None:
    ctx = container.ctx
    iid = encounter(container)
    other = encounter(container)  # no CARE referral, no petition: not the court's
    pid = care.prepare(ctx, SYSTEM, iid, request(petitioner_staff_id=PETITIONER))["id"]
    listed = incidents.list_incidents(ctx, COURT)
    assert [i["id"] for i in listed] == [iid]
    seen = incidents.get_incident(ctx, COURT, iid)
    assert seen["view"] == "court" and NARRATIVE not in str(seen) and CALLER not in str(seen)
    with pytest.raises(NotFound):
        incidents.get_incident(ctx, COURT, other)
    # T0 is Friday 27 November 2026 (the day after Thanksgiving) in Los Angeles.
    clock.advance(timedelta(days=3))  # Monday 30 November
    for stage in ("filed", "prima_facie_finding", "county_report_ordered"):
        view = care.record_stage(ctx, COURT, pid, stage, date(2026, 11, 30))
    assert view["due"]["due"] == "2026-12-18" and not view["due"]["overdue"]
    assert view["due"]["words"] == "The county's report (WIC 5977) is due Friday 18 December 2026, in 14 court days"
    assert care.list_petitions(ctx, COURT, overdue=True) == []
    clock.advance(timedelta(days=19))  # Saturday 19 December
    overdue = care.list_petitions(ctx, COURT, overdue=True)
    assert [p["id"] for p in overdue] == [pid] and overdue[0]["due"]["words"].startswith("Overdue")
    with pytest.raises(InvalidInput, match="next stage after 'county_report_ordered' is 'county_report_filed'"):
        care.record_stage(ctx, COURT, pid, "hearing", date(2026, 12, 18))
    done = care.record_stage(ctx, COURT, pid, "county_report_filed", date(2026, 12, 18))
    assert done["due"] is None and care.list_petitions(ctx, COURT, overdue=True) == []


def test_crew_read_only_the_petitions_they_prepared(container: Container, van: str) -> None:
    ctx = container.ctx
    pid = care.prepare(ctx, SYSTEM, encounter(container), request(petitioner_staff_id=PETITIONER))["id"]
    crew = crew_of("TTP-9")
    assert care.list_petitions(ctx, crew) == []
    with pytest.raises(NotFound):
        care.get_petition(ctx, crew, pid)
    with pytest.raises(PermissionDenied):
        care.list_petitions(ctx, Actor("cop", UserRole.POLICE_LIAISON))


def test_a_hold_and_a_care_referral_together_count_in_the_kpis(container: Container, van: str, clock) -> None:
    ctx = container.ctx
    start = clock.now() - timedelta(minutes=1)
    clock.advance(timedelta(minutes=5))
    legacy = encounter(container, outcome=Outcome(Disposition.CARE_COURT_PETITION_RECOMMENDED, clock.now(), "crew"))
    pid = care.prepare(ctx, SYSTEM, legacy, request(petitioner_staff_id=PETITIONER))["id"]
    care.record_stage(ctx, SYSTEM, pid, "filed", care.today(ctx))
    placed = clock.now()
    hold = Hold(
        type=HoldType.WIC_5150,
        placed_by="stf-ttp-9-psych",
        placed_at=placed + timedelta(minutes=1),
        first_detained_at=placed + timedelta(minutes=1),
        criteria=frozenset({HoldCriterion.GRAVE_DISABILITY}),
        could_be_served_without_detention=False,
    )
    iid = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, iid, van)
    clock.advance(timedelta(minutes=2))
    incidents.change_status(ctx, SYSTEM, iid, "on_scene")
    from crisis_dispatch.domain.outcomes import Destination, DestinationType

    outcome = Outcome(
        Disposition.INVOLUNTARY_HOLD,
        clock.now(),
        "crew",
        destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE, "PUCC"),
        hold=hold,
        care_referral=True,
    )
    view = incidents.record_outcome(ctx, SYSTEM, iid, outcome)
    assert view["outcome"]["disposition"] == "involuntary_hold" and view["outcome"]["care_referral"] is True
    assert {i["id"] for i in incidents.list_incidents(ctx, COURT)} == {iid, legacy}  # the court sees the referral
    report = reports.kpi_report(ctx, Actor("ana", role=UserRole.ANALYST), start, start + timedelta(days=1))
    KpiReport.model_validate(report)  # the API's answer declares every key the report has
    assert report["after_the_call"]["care"] == {
        "referrals": 2,
        "referrals_with_a_hold": 1,
        "petitions_prepared": 1,
        "petitions_filed": 1,
        "ended": {},
    }
    assert clock.now() >= T0
