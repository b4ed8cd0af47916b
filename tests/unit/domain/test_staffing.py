"""Crews, shifts and readiness: a van goes only with a clinical driver, a psychiatric
technician and a peer support specialist, all on shift now and qualified for their role."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.outcomes import HoldType
from crisis_dispatch.domain.unit import (
    CoverageGap,
    Qualification,
    Readiness,
    Role,
    Shift,
    Staff,
    UnitStatus,
    can_place_holds,
    coverage_gaps,
    crew_on_shift,
    overlapping_shift_for_staff,
    readiness,
)
from tests.unit.domain.builders import (
    DRIVER,
    HOUR,
    MINUTE,
    PEER,
    T0,
    TECH,
    day_shifts,
    full_roster,
    person,
    shift,
    unit_in,
)

DURING = T0 + 2 * HOUR


def _ready_now(
    shifts: list[Shift],
    staff: dict[str, Staff] | None = None,
    *,
    now: datetime = DURING,
    status: UnitStatus = UnitStatus.AVAILABLE,
) -> Readiness:
    crew = crew_on_shift("U-1", shifts, staff if staff is not None else full_roster(), now)
    return readiness(unit_in(status), crew)


def test_an_available_van_with_all_three_roles_on_shift_is_dispatchable() -> None:
    ready = _ready_now(day_shifts())
    assert ready.dispatchable
    assert ready.reasons == ()


def test_the_crew_on_shift_names_who_fills_each_role() -> None:
    crew = crew_on_shift("U-1", day_shifts(), full_roster(), DURING)
    assert {role: s.id for role, s in crew.items()} == {DRIVER: "drv", TECH: "tech", PEER: "peer"}


@pytest.mark.parametrize("missing", list(Role))
def test_a_van_missing_any_one_role_is_not_dispatchable(missing: Role) -> None:
    shifts = [s for s in day_shifts() if s.role is not missing]
    ready = _ready_now(shifts)
    assert not ready.dispatchable
    assert any(missing.value in r for r in ready.reasons)


@pytest.mark.parametrize("status", [s for s in UnitStatus if s is not UnitStatus.AVAILABLE], ids=lambda s: s.value)
def test_a_fully_staffed_van_that_is_not_available_is_not_dispatchable(status: UnitStatus) -> None:
    ready = _ready_now(day_shifts(), status=status)
    assert not ready.dispatchable
    assert ready.reasons == (f"it is {status.value.replace('_', ' ')}",)


def test_every_reason_is_given_at_once() -> None:
    ready = _ready_now([], status=UnitStatus.OUT_OF_SERVICE)
    assert not ready.dispatchable
    assert ready.reasons[0] == "it is out of service"
    assert all(role.value in ready.reasons[1] for role in Role)


def test_a_shift_covers_its_first_instant() -> None:
    assert _ready_now(day_shifts(), now=T0).dispatchable


def test_a_shift_does_not_cover_its_end_instant() -> None:
    ready = _ready_now(day_shifts(hours=8), now=T0 + 8 * HOUR)
    assert not ready.dispatchable


def test_a_shift_that_has_not_started_does_not_staff_the_van() -> None:
    assert not _ready_now(day_shifts(), now=T0 - MINUTE).dispatchable


def test_one_role_whose_shift_ended_a_minute_ago_makes_the_van_not_dispatchable() -> None:
    shifts = day_shifts(hours=8)
    early = [s for s in shifts if s.role is not PEER] + [shift("peer", PEER, T0, T0 + 2 * HOUR - MINUTE)]
    ready = _ready_now(early, now=T0 + 2 * HOUR)
    assert not ready.dispatchable
    assert "peer_support_specialist" in ready.reasons[0]


def test_an_inactive_staff_member_does_not_fill_a_role() -> None:
    staff = full_roster()
    staff["tech"].active = False
    ready = _ready_now(day_shifts(), staff)
    assert not ready.dispatchable
    assert "psychiatric_technician" in ready.reasons[0]


def test_a_staff_member_not_qualified_for_the_role_does_not_fill_it() -> None:
    staff = full_roster()
    staff["peer"] = person("peer", DRIVER)  # rostered as peer, qualified only as a driver
    ready = _ready_now(day_shifts(), staff)
    assert not ready.dispatchable
    assert "peer_support_specialist" in ready.reasons[0]


def test_a_shift_of_someone_unknown_fills_nothing() -> None:
    shifts = [s for s in day_shifts() if s.role is not TECH] + [shift("ghost", TECH, T0, T0 + 8 * HOUR)]
    assert not _ready_now(shifts).dispatchable


def test_a_shift_on_another_van_does_not_staff_this_one() -> None:
    shifts = [s for s in day_shifts() if s.role is not DRIVER] + [shift("drv", DRIVER, T0, T0 + 8 * HOUR, unit_id="U-2")]
    assert not _ready_now(shifts).dispatchable


def test_the_same_person_cannot_fill_two_roles() -> None:
    staff = full_roster()
    staff["tech"] = person("tech", TECH, PEER)
    shifts = [
        shift("drv", DRIVER, T0, T0 + 8 * HOUR),
        shift("tech", TECH, T0, T0 + 8 * HOUR),
        shift("tech", PEER, T0, T0 + 8 * HOUR),
    ]
    ready = _ready_now(shifts, staff)
    assert not ready.dispatchable
    assert ready.reasons == ("one person cannot fill two roles",)


def test_a_qualified_later_shift_fills_a_role_the_earlier_unqualified_one_cannot() -> None:
    staff = full_roster() | {"stranger": person("stranger")}
    shifts = [s for s in day_shifts() if s.role is not TECH] + [
        shift("stranger", TECH, T0 - HOUR, T0 + 8 * HOUR),
        shift("tech", TECH, T0, T0 + 8 * HOUR),
    ]
    crew = crew_on_shift("U-1", shifts, staff, DURING)
    assert crew[TECH].id == "tech"


def test_a_crew_member_can_be_on_shift_for_a_handover_overlap() -> None:
    """Two technicians overlap for a handover: the earlier-starting shift keeps the role."""
    staff = full_roster() | {"tech2": person("tech2", TECH)}
    shifts = [*day_shifts(), shift("tech2", TECH, T0 + 7 * HOUR, T0 + 15 * HOUR)]
    assert crew_on_shift("U-1", shifts, staff, T0 + 7 * HOUR + 30 * MINUTE)[TECH].id == "tech"
    assert crew_on_shift("U-1", shifts, staff, T0 + 8 * HOUR)[TECH].id == "tech2"


# --------------------------------------------------------------------------- shifts


def test_a_shift_must_end_after_it_starts() -> None:
    with pytest.raises(InvalidInput, match="end after it starts"):
        shift("drv", DRIVER, T0, T0)
    with pytest.raises(InvalidInput):
        shift("drv", DRIVER, T0, T0 - HOUR)


def test_a_shift_with_naive_times_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        shift("drv", DRIVER, datetime(2026, 11, 27, 8), datetime(2026, 11, 27, 16))


def test_asking_for_the_crew_at_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        crew_on_shift("U-1", day_shifts(), full_roster(), datetime(2026, 11, 27, 19))


def test_one_person_cannot_be_on_two_overlapping_shifts() -> None:
    existing = [shift("tech", TECH, T0, T0 + 8 * HOUR, unit_id="U-1")]
    clash = shift("tech", TECH, T0 + 7 * HOUR, T0 + 15 * HOUR, unit_id="U-2")
    assert overlapping_shift_for_staff(clash, existing) is existing[0]


def test_a_shift_inside_another_of_the_same_person_overlaps() -> None:
    existing = [shift("tech", TECH, T0, T0 + 12 * HOUR)]
    assert overlapping_shift_for_staff(shift("tech", PEER, T0 + 2 * HOUR, T0 + 3 * HOUR), existing) is existing[0]


def test_back_to_back_shifts_of_one_person_do_not_overlap() -> None:
    existing = [shift("tech", TECH, T0, T0 + 8 * HOUR)]
    assert overlapping_shift_for_staff(shift("tech", TECH, T0 + 8 * HOUR, T0 + 16 * HOUR), existing) is None
    assert overlapping_shift_for_staff(shift("tech", TECH, T0 - 8 * HOUR, T0), existing) is None


def test_overlapping_shifts_of_two_different_people_are_fine() -> None:
    existing = [shift("tech", TECH, T0, T0 + 8 * HOUR)]
    assert overlapping_shift_for_staff(shift("tech2", TECH, T0, T0 + 8 * HOUR), existing) is None


def test_a_shift_being_edited_does_not_overlap_itself() -> None:
    original = shift("tech", TECH, T0, T0 + 8 * HOUR, ident="SHF-1")
    moved = shift("tech", TECH, T0 + HOUR, T0 + 9 * HOUR, ident="SHF-1")
    assert overlapping_shift_for_staff(moved, [original]) is None


# --------------------------------------------------------------------------- holds


def test_a_crew_with_a_designated_member_can_place_5150_holds_but_not_5585_ones() -> None:
    crew = crew_on_shift("U-1", day_shifts(), full_roster(), DURING)
    assert can_place_holds(crew, HoldType.WIC_5150)
    assert can_place_holds(crew)  # 5150 by default
    assert not can_place_holds(crew, HoldType.WIC_5585)


def test_a_crew_without_a_designated_member_cannot_place_holds() -> None:
    staff = full_roster()
    staff["tech"].qualifications.clear()
    crew = crew_on_shift("U-1", day_shifts(), staff, DURING)
    assert not can_place_holds(crew, HoldType.WIC_5150)


def test_a_designated_member_who_is_inactive_cannot_place_a_hold() -> None:
    staff = full_roster()
    staff["tech"].qualifications.add(Qualification.HOLD_5585)
    staff["tech"].active = False
    assert not staff["tech"].can_place_hold(HoldType.WIC_5150)
    assert not can_place_holds({TECH: staff["tech"]}, HoldType.WIC_5585)


# --------------------------------------------------------------------------- 24/7 coverage

DAY = timedelta(days=1)


def _three_shifts_a_day(days: int, *, skip: tuple[Role, int] | None = None) -> list[Shift]:
    """Day (07-15), evening (15-23) and night (23-07) for every role, ``days`` days long.

    ``skip=(role, n)`` leaves out the n-th shift (counting from 0) of that role.
    """
    start = T0.replace(hour=7)
    shifts = []
    for role, who in ((DRIVER, "drv"), (TECH, "tech"), (PEER, "peer")):
        for n in range(3 * days):
            if skip == (role, n):
                continue
            a = start + n * 8 * HOUR
            shifts.append(shift(f"{who}{n % 3}", role, a, a + 8 * HOUR))
    return shifts


def test_three_eight_hour_shifts_a_day_cover_the_van_around_the_clock() -> None:
    start = T0.replace(hour=7)
    assert coverage_gaps("U-1", _three_shifts_a_day(7), start, start + 7 * DAY) == []


def test_a_missing_night_shift_is_reported_as_exactly_that_gap() -> None:
    start = T0.replace(hour=7)
    shifts = _three_shifts_a_day(7, skip=(PEER, 5))  # the second night
    gaps = coverage_gaps("U-1", shifts, start, start + 7 * DAY)
    assert gaps == [CoverageGap("U-1", PEER, start + 40 * HOUR, start + 48 * HOUR)]


def test_coverage_is_only_counted_inside_the_period_asked_about() -> None:
    start = T0.replace(hour=7)
    shifts = _three_shifts_a_day(2)
    # The period starts in the middle of a shift and ends in the middle of another.
    assert coverage_gaps("U-1", shifts, start + 3 * HOUR, start + 30 * HOUR) == []


def test_the_period_after_the_last_shift_is_a_gap_for_every_role() -> None:
    start = T0.replace(hour=7)
    gaps = coverage_gaps("U-1", _three_shifts_a_day(1), start, start + DAY + 4 * HOUR)
    assert gaps == [CoverageGap("U-1", role, start + DAY, start + DAY + 4 * HOUR) for role in Role]


def test_a_van_with_no_shifts_has_one_gap_per_role_over_the_whole_period() -> None:
    gaps = coverage_gaps("U-1", [], T0, T0 + DAY)
    assert gaps == [CoverageGap("U-1", role, T0, T0 + DAY) for role in Role]


def test_shifts_of_another_van_do_not_cover_this_one() -> None:
    shifts = day_shifts(T0, hours=24, unit_id="U-2")
    assert len(coverage_gaps("U-1", shifts, T0, T0 + DAY)) == 3
    assert coverage_gaps("U-2", shifts, T0, T0 + DAY) == []


def test_overlapping_twelve_hour_shifts_leave_no_gap_and_count_no_double_gap() -> None:
    shifts = []
    for role, who in ((DRIVER, "drv"), (TECH, "tech"), (PEER, "peer")):
        shifts += [shift(f"{who}a", role, T0, T0 + 13 * HOUR), shift(f"{who}b", role, T0 + 12 * HOUR, T0 + DAY)]
    assert coverage_gaps("U-1", shifts, T0, T0 + DAY) == []


hour_windows = st.lists(
    st.tuples(st.sampled_from(list(Role)), st.integers(0, 47), st.integers(1, 12)),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(hour_windows)
def test_coverage_gaps_are_exactly_the_hours_with_nobody_in_a_role(windows: list[tuple[Role, int, int]]) -> None:
    shifts = [shift(f"p{i}", role, T0 + a * HOUR, T0 + (a + n) * HOUR) for i, (role, a, n) in enumerate(windows)]
    period = (T0 + 6 * HOUR, T0 + 42 * HOUR)

    gaps = coverage_gaps("U-1", shifts, *period)

    for role in Role:
        role_gaps = [(g.starts_at, g.ends_at) for g in gaps if g.role is role]
        # Gaps are in order, inside the period, non-empty and never touch each other.
        assert all(period[0] <= a < b <= period[1] for a, b in role_gaps)
        assert all(b1 < a2 for (_, b1), (a2, _) in zip(role_gaps, role_gaps[1:], strict=False))
        for h in range(6, 42):
            moment = T0 + h * HOUR
            covered = any(s.role is role and s.covers(moment) for s in shifts)
            in_gap = any(a <= moment < b for a, b in role_gaps)
            assert covered != in_gap, f"{role.value} at hour {h}: covered={covered}, in a gap={in_gap}"
