"""CARE Court petitions (issue 14 item 4): the form is complete and for an adult, stages in
order with dates, the county's report due 14 court days after it is ordered (WIC 5977)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.data.reference import judicial_holidays
from crisis_dispatch.domain.care import (
    COUNTIES,
    ORDER,
    CarePetition,
    Criterion,
    EvidenceItem,
    Ground,
    Petitioner,
    Respondent,
    Stage,
    county,
    court_days_between,
    evidence_bundle,
)
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.outcomes import Disposition, Outcome

CAL = judicial_holidays()
PREPARED = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # Monday 2 November 2026, 10:00 in LA


def petition(**overrides: object) -> CarePetition:
    base = CarePetition(
        id="CARE-1",
        incident_id="INC-1",
        respondent=Respondent(name="Alex Example", age=34, county_of_residence="Los Angeles"),
        petitioner=Petitioner(staff_id="stf-1", name="Dana Clinician"),
        county="Los Angeles",
        facts="Three crisis calls in six weeks; not in treatment.",
        criteria=frozenset(Criterion),
        grounds=frozenset({Ground.NEEDS_SERVICES_TO_PREVENT_RELAPSE}),
        prepared_at=PREPARED,
        prepared_by="crew-1",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_the_58_counties_and_their_names() -> None:
    assert len(COUNTIES) == len(set(COUNTIES)) == 58
    assert county("los angeles county") == "Los Angeles"
    with pytest.raises(InvalidInput, match="58 counties"):
        county("Clark")


def test_a_complete_petition_for_an_adult_is_valid() -> None:
    petition().validate()


def test_a_respondent_under_18_is_refused_with_the_reason() -> None:
    with pytest.raises(InvalidInput, match=r"adult \(WIC 5972\(a\): 18 or older\); the respondent is 17"):
        petition(respondent=Respondent("Sam Minor", 17, "Los Angeles")).validate()


def test_every_criterion_is_attested_and_a_ground_of_5972d() -> None:
    with pytest.raises(InvalidInput, match="not attested: the respondent is likely to benefit"):
        petition(criteria=frozenset(Criterion) - {Criterion.LIKELY_TO_BENEFIT}).validate()
    with pytest.raises(InvalidInput, match=r"5972\(d\)"):
        petition(grounds=frozenset()).validate()
    with pytest.raises(InvalidInput, match="facts"):
        petition(facts="  ").validate()
    with pytest.raises(InvalidInput, match="58 counties"):
        petition(county="Nowhere").validate()


def test_stages_go_in_order_with_their_dates() -> None:
    p = petition()
    today = date(2026, 12, 31)
    p = p.record_stage(Stage.FILED, date(2026, 11, 3), by="court", now=PREPARED, today=today)
    with pytest.raises(InvalidInput, match="the next stage after 'filed' is 'prima_facie_finding', not 'hearing'"):
        p.record_stage(Stage.HEARING, date(2026, 11, 4), by="court", now=PREPARED, today=today)
    with pytest.raises(InvalidInput, match="cannot be before 'filed' on 2026-11-03"):
        p.record_stage(Stage.PRIMA_FACIE_FINDING, date(2026, 11, 2), by="court", now=PREPARED, today=today)
    with pytest.raises(InvalidInput, match="future"):
        p.record_stage(Stage.PRIMA_FACIE_FINDING, date(2027, 1, 2), by="court", now=PREPARED, today=today)
    assert p.stage is Stage.FILED


def test_no_stage_before_the_petition_was_prepared() -> None:
    with pytest.raises(InvalidInput, match="cannot be before 'prepared' on 2026-11-02"):
        petition().record_stage(Stage.FILED, date(2026, 11, 1), by="c", now=PREPARED, today=date(2026, 12, 1))


def test_the_court_may_dismiss_once_filed_and_nothing_follows_the_end() -> None:
    today = date(2026, 12, 31)
    with pytest.raises(InvalidInput, match="next stage after 'prepared' is 'filed'"):
        petition().record_stage(
            Stage.GRADUATION_OR_DISMISSAL, date(2026, 11, 5), by="c", now=PREPARED, today=today, result="dismissal"
        )
    p = petition().record_stage(Stage.FILED, date(2026, 11, 3), by="c", now=PREPARED, today=today)
    with pytest.raises(InvalidInput, match="graduation"):
        p.record_stage(Stage.GRADUATION_OR_DISMISSAL, date(2026, 11, 5), by="c", now=PREPARED, today=today)
    ended = p.record_stage(
        Stage.GRADUATION_OR_DISMISSAL, date(2026, 11, 5), by="c", now=PREPARED, today=today, result="dismissal"
    )
    assert ended.result == "dismissal" and ended.due(CAL, today) is None
    with pytest.raises(InvalidInput, match="ended"):
        ended.record_stage(Stage.HEARING, date(2026, 11, 6), by="c", now=PREPARED, today=today)


def _ordered_on(day: date) -> CarePetition:
    p = petition(prepared_at=datetime.combine(day, datetime.min.time(), UTC))
    for stage in (Stage.FILED, Stage.PRIMA_FACIE_FINDING, Stage.COUNTY_REPORT_ORDERED):
        p = p.record_stage(stage, day, by="court", now=PREPARED, today=day)
    return p


def test_the_county_report_is_due_14_court_days_after_the_order_skipping_thanksgiving() -> None:
    # Ordered Friday 20 November 2026: Thanksgiving (26) and the day after (27) are skipped.
    p = _ordered_on(date(2026, 11, 20))
    due = p.due(CAL, date(2026, 11, 20))
    assert due is not None and due.due == date(2026, 12, 14) and not due.overdue
    assert due.words == "The county's report (WIC 5977) is due Monday 14 December 2026, in 14 court days"
    late = p.due(CAL, date(2026, 12, 16))
    assert late is not None and late.overdue
    assert late.words == "Overdue: the county's report (WIC 5977) was due Monday 14 December 2026, 2 court days ago"
    assert p.due(CAL, date(2026, 12, 14)).words.startswith("The county's report (WIC 5977) is due today")  # type: ignore[union-attr]
    filed = p.record_stage(Stage.COUNTY_REPORT_FILED, date(2026, 12, 15), by="court", now=PREPARED, today=date(2026, 12, 16))
    assert filed.due(CAL, date(2026, 12, 16)) is None


def test_the_record_round_trips() -> None:
    p = _ordered_on(date(2026, 11, 20))
    item = EvidenceItem("INC-0", PREPARED - timedelta(days=3), "involuntary_hold", "5150", ("danger_to_self",), PREPARED)
    p = replace(p, evidence=(item,))
    assert CarePetition.from_dict(p.to_dict()) == p


def test_the_evidence_bundle_keeps_the_60_days_before_the_petition() -> None:
    inside = EvidenceItem("INC-2", PREPARED - timedelta(days=59))
    first = EvidenceItem("INC-1", PREPARED - timedelta(hours=1))
    assert [i.incident_id for i in evidence_bundle([first, inside, first], prepared_at=PREPARED)] == ["INC-2", "INC-1"]
    with pytest.raises(InvalidInput, match="INC-3 .* not in the 60 days before the petition"):
        evidence_bundle([EvidenceItem("INC-3", PREPARED - timedelta(days=61))], prepared_at=PREPARED)


def test_a_care_referral_is_recorded_with_a_hold_and_the_old_value_still_means_one() -> None:
    now = PREPARED
    hold = Outcome(Disposition.REFERRED, now, "crew", care_referral=True)
    assert hold.care_referred and hold.to_dict()["care_referral"] is True
    assert Outcome.from_dict(hold.to_dict()) == hold
    old = Outcome(Disposition.CARE_COURT_PETITION_RECOMMENDED, now, "crew")
    record = old.to_dict()
    del record["care_referral"]  # stored before the flag existed
    assert Outcome.from_dict(record).care_referred
    assert not Outcome(Disposition.TREATED_AND_RELEASED, now, "crew").care_referred


days = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 10, 31))


@given(days)
def test_the_report_due_date_is_a_court_day_exactly_14_court_days_after(ordered: date) -> None:
    p = _ordered_on(ordered)
    due = p.due(CAL, ordered)
    assert due is not None
    assert CAL.is_court_day(due.due)
    assert court_days_between(CAL, ordered, due.due) == 14
    # and not a day earlier: the day before is at most 13 court days after the order
    assert court_days_between(CAL, ordered, due.due - timedelta(days=1)) == 13
    assert not due.overdue and p.due(CAL, due.due + timedelta(days=1)).overdue  # type: ignore[union-attr]


@given(st.lists(st.tuples(st.sampled_from(ORDER[1:]), st.integers(min_value=-5, max_value=20)), max_size=12))
def test_whatever_is_asked_the_stages_stay_in_order_and_their_dates_never_go_back(steps: list[tuple[Stage, int]]) -> None:
    p = petition()
    today = date(2027, 6, 1)
    for stage, offset in steps:
        on = (p.stages[-1].on if p.stages else PREPARED.date()) + timedelta(days=offset)
        result = "dismissal" if stage is Stage.GRADUATION_OR_DISMISSAL else ""
        with contextlib.suppress(InvalidInput):
            p = p.record_stage(stage, on, by="x", now=PREPARED, today=today, result=result)
    indexes = [ORDER.index(s.stage) for s in p.stages]
    assert indexes == sorted(indexes) and len(set(indexes)) == len(indexes)
    dates = [PREPARED.date(), *(s.on for s in p.stages)]
    assert dates == sorted(dates)
    assert all(s.stage is Stage.GRADUATION_OR_DISMISSAL or ORDER.index(s.stage) == i + 1 for i, s in enumerate(p.stages))
