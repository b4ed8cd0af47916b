"""The program report of a month, from status-history rows (reporting/program.py)."""

from __future__ import annotations

import json

import pytest

from crisis_dispatch.domain.impact import Impact
from crisis_dispatch.reporting.program import OUTCOME_KEYS, TOP_LEVEL_KEYS, Share, program_report, suppress_small_cells

from .month import CARE_WITH_HOLD, FELL_BACK, SCREENED, STILL_WAITING, TEAM_CALLS, build_month


@pytest.fixture(scope="module")
def report() -> dict:
    history, facts, horizon = build_month()
    impact = Impact(police_hours_per_call=2.0, fire_hours_per_call=1.0, baseline_ed_share=0.5)
    window = {"start": "2026-11-01T00:00:00-07:00", "end": "2026-12-01T00:00:00-08:00", "time_zone": "America/Los_Angeles"}
    return program_report(history, facts, window=window, horizon_s=horizon, local_hour0=0.0, impact=impact)


def test_the_seed_programs_headline_23_of_113_treated_and_released_on_site(report: dict) -> None:
    assert TEAM_CALLS == 113
    assert report["team_calls"] == 113
    treated = report["outcomes"]["treated_and_released_on_site"]
    assert treated == {"count": 23, "share": 0.2035, "denominator": 113}
    assert Share(treated["count"], treated["denominator"]).text() == "23 of 113 (20.4 %)"


def test_the_json_has_exactly_the_scripted_top_level_keys_and_every_outcome_a_denominator(report: dict) -> None:
    assert tuple(report) == TOP_LEVEL_KEYS
    json.dumps(report, allow_nan=False)  # plain JSON: no NaN or infinity
    assert list(report["outcomes"]) == list(OUTCOME_KEYS)
    assert all(set(v) == {"count", "share", "denominator"} for v in report["outcomes"].values())
    assert sum(v["count"] for v in report["outcomes"].values()) == 113  # every team call has one outcome
    assert report["outcomes"]["not_reached"]["count"] == FELL_BACK + STILL_WAITING


def test_every_screened_out_call_is_counted_by_reason_including_not_triaged(report: dict) -> None:
    s = report["screened_out"]
    screened = sum(c for _, _, c in SCREENED)
    assert s["calls"] == 113 + screened
    assert s["eligible"] == {"count": 113, "share": round(113 / (113 + screened), 4), "denominator": 113 + screened}
    assert s["by_reason"]["not_triaged"]["count"] == 12
    assert s["by_reason"]["weapon"]["count"] == 6
    assert s["by_reason"]["medical"]["count"] == 5
    assert s["by_responder"]["POLICE_AND_EMS"]["count"] == 12
    assert s["reached"]["count"] == 108
    assert s["eligible_not_reached"]["fell_back_to_police_or_ems"]["count"] == FELL_BACK
    assert s["eligible_not_reached"]["open_at_end"]["count"] == STILL_WAITING


def test_holds_are_split_5150_and_5585_and_holds_avoided_count_people_served_without_detention(report: dict) -> None:
    h = report["holds"]
    assert (h["placed"]["count"], h["5150"], h["5585"]) == (12, 10, 2)
    assert h["hold_transports"] == 12
    # Assessed: treated 23, transported voluntarily 30, referred 20, declined 10, CARE 3, held 12.
    assert h["avoided"] == {"count": 86, "share": round(86 / 98, 4), "denominator": 98}


def test_transports_by_destination_type_and_the_impact_estimates_state_their_assumptions(report: dict) -> None:
    t = report["transports"]
    assert t["total"]["count"] == 42
    assert t["by_destination"]["emergency_department"]["count"] == 10
    assert t["by_destination"]["sobering_center"]["count"] == 10
    assert t["by_destination"]["psychiatric_urgent_care"]["count"] == 22
    i = report["impact"]
    assert i["ed_transports"] == 10
    assert i["ed_visits_avoided"]["value"] == pytest.approx(0.5 * 108 - 10)
    assert i["ed_visits_avoided"]["estimate"] is True and "50%" in i["ed_visits_avoided"]["assumption"]
    assert i["backup_requests"] == {"count": 5, "share": round(5 / 108, 4), "denominator": 108}
    # Three with the CARE disposition, and two holds with a CARE referral recorded alongside.
    assert i["care_court_referrals"] == {"count": 3 + CARE_WITH_HOLD, "share": round(5 / 108, 4), "denominator": 108}
    assert i["police_hours_freed"]["value"] == pytest.approx(2.0 * (108 - 3))


def test_response_times_by_hour_station_shift_and_urban_rural(report: dict) -> None:
    r = report["response_times"]
    assert r["n"] == 113
    # 5 of 113 calls never reached (4.4 %) lie beyond the 95th percentile: it is the slowest reached call.
    assert (r["p50"], r["p90"], r["p95"]) == (50.0, 90.0, 90.0)
    # 10..90 minutes in steps of 10 over 108 reached calls: 10, 20 ... 60 are within the hour.
    within = sum(1 for k in range(108) if 10 + (k % 9) * 10 <= 60)
    assert r["within_60_min"] == {"count": within, "share": round(within / 113, 4), "denominator": 113}
    assert r["within_clock"] == r["within_60_min"]  # every call is urban here
    assert r["urban_rural"]["rural"]["n"] == 0
    assert len(r["by_hour"]) == 24 and sum(h["n"] for h in r["by_hour"]) == 113
    assert {v["shift"] for v in r["by_station_shift"].values()} == {"day", "evening", "night"}
    assert sum(v["n"] for k, v in r["by_station_shift"].items() if k.startswith("Station 1")) == 108
    assert len(r["utilisation_by_hour"]) == 24


def test_small_cells_are_suppressed_and_large_ones_kept(report: dict) -> None:
    s = suppress_small_cells(report)
    assert s["outcomes"]["treated_and_released_on_site"]["count"] == 23
    assert s["outcomes"]["no_person_found"] == {"count": None, "share": None, "denominator": 113, "suppressed": True}
    assert s["holds"]["5585"] is None and s["holds"]["5150"] is None
    assert s["outcomes"]["escalated_to_police"]["count"] is None
    assert s["screened_out"]["by_reason"]["not_triaged"]["count"] == 12
    # Zero is not a small cell: nobody can be singled out of none.
    assert s["outcomes"]["outcome_not_recorded"]["count"] == 0
    assert report["holds"]["5585"] == 2  # the original is left alone


def test_the_response_time_histogram_holds_every_team_call_the_unreached_in_the_last_bin(report: dict) -> None:
    bins = report["response_times"]["histogram"]
    assert sum(b["calls"]["count"] for b in bins) == 113
    assert bins[-1]["to_min"] is None and bins[-1]["calls"]["count"] == FELL_BACK + STILL_WAITING
    assert bins[0] == {"from_min": 0, "to_min": 15, "calls": {"count": 12, "share": round(12 / 113, 4), "denominator": 113}}
