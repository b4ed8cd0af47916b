"""The CAD exchange's pure rules: retry schedule, screened-out words, status names."""

from __future__ import annotations

import random
from datetime import timedelta

from crisis_dispatch.domain.incident import IncidentStatus
from crisis_dispatch.domain.interop import INCIDENT_STATUS, RetryPolicy, screened_out_summary


def test_backoff_doubles_with_jitter_within_half_to_full_ceiling_and_is_capped() -> None:
    policy = RetryPolicy(base=timedelta(seconds=5), cap=timedelta(minutes=2), max_attempts=8)
    rng = random.Random(1)
    for attempts, ceiling in ((1, 5), (2, 10), (3, 20), (4, 40), (5, 80), (6, 120), (9, 120)):
        delays = [policy.delay(attempts, rng).total_seconds() for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
        assert max(delays) - min(delays) > ceiling / 4, "jitter spreads the retries"
    assert not policy.is_dead(7) and policy.is_dead(8)


def test_a_screened_out_summary_says_who_was_sent_and_why() -> None:
    assert screened_out_summary("POLICE_AND_EMS", "weapon") == "police and EMS sent (weapon)"
    assert screened_out_summary("EMS", "overdose") == "EMS sent (overdose)"
    assert screened_out_summary("PHONE_988", "calm") == "988 phone line (calm)"
    assert screened_out_summary(None, "not_triaged").startswith("not triaged")
    assert screened_out_summary("", None) == "not eligible for the crisis team (ineligible)"


def test_every_status_has_an_eido_name() -> None:
    assert set(INCIDENT_STATUS) == set(IncidentStatus)
