"""The rules added after the review of every call type sent to the team alone without text
(docs/triage-measurements.md): a death, a person down, a headache, an unsafe scene, "unknown status"
abbreviated, and a centre's own code carrying an MPDS level. All call types are invented."""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import Tier

from .builders import run


@pytest.mark.parametrize(
    ("call_type", "code", "tier"),
    [
        ("DEATH - POSSIBLE SUICIDE", None, Tier.MH_TEAM_WITH_EMS),
        ("SUICIDE (PERSON DECEASED)", None, Tier.MH_TEAM_WITH_EMS),
        ("Welfare check - FEMALE DOWN IN DRIVEWAY", None, Tier.MH_TEAM_WITH_EMS),
        ("HEADACHE - 70 YO M, ABNORMAL BEHAVIOUR", None, Tier.MH_TEAM_WITH_EMS),
        ("Mental Health Problem - Unsafe", None, Tier.MH_TEAM_WITH_POLICE),
        ("PSYCH/SUIC-UNK (CALLER OUTSIDE)", None, Tier.MH_TEAM_WITH_EMS),  # unknown status: a doubt
        ("BEHAVIORAL/ABNORMAL", "131D02", Tier.MH_TEAM_WITH_EMS),  # a local code at level Delta
        ("BEHAVIORAL/ABNORMAL", "131E01", Tier.MH_TEAM_WITH_EMS),
    ],
)
def test_a_call_type_or_code_reporting_a_danger_does_not_go_to_the_team_alone(
    call_type: str, code: str | None, tier: Tier
) -> None:
    assert run(call_type=call_type, code=code).tier is tier


@pytest.mark.parametrize(
    ("call_type", "code"),
    [
        ("MENTAL PT - NOT DEAD, JUST ASLEEP", None),
        ("BEHAVIOURAL - CALMED DOWN", None),  # "down" without a person fallen
        ("PSYCH PROBLEM - SAFE", None),
        ("BEHAVIORAL/ABNORMAL", "131B02"),  # a Bravo level adds nothing
        ("WELFARE CHECK", "131D02"),  # no card named: the local code is not guessed at
        ("BEHAVIORAL/ABNORMAL", "25A1"),
    ],
)
def test_calm_call_types_and_codes_still_go_to_the_team_alone(call_type: str, code: str | None) -> None:
    assert run(call_type=call_type, code=code).tier is Tier.MH_TEAM
