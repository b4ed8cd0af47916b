"""Tiers name the set of responders; the phone is only ever a response on its own."""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import Responder, Tier

T, P, E, F = Responder.TEAM, Responder.POLICE, Responder.EMS, Responder.PHONE


@pytest.mark.parametrize(
    ("responders", "tier"),
    [
        ({T}, Tier.MH_TEAM),
        ({T, E}, Tier.MH_TEAM_WITH_EMS),
        ({T, P}, Tier.MH_TEAM_WITH_POLICE),
        ({T, P, E}, Tier.MH_TEAM_WITH_POLICE_AND_EMS),
        ({E}, Tier.EMS),
        ({P}, Tier.POLICE),
        ({P, E}, Tier.POLICE_AND_EMS),
        ({F}, Tier.PHONE_988),
    ],
)
def test_every_responder_set_has_its_tier(responders: set[Responder], tier: Tier) -> None:
    assert Tier.from_responders(responders) is tier
    assert tier.responders == frozenset(responders)


def test_the_phone_is_dropped_as_soon_as_anybody_goes_in_person() -> None:
    assert Tier.from_responders({F, P}) is Tier.POLICE
    assert Tier.from_responders({"phone", "team"}) is Tier.MH_TEAM


def test_an_empty_response_has_no_tier() -> None:
    with pytest.raises(ValueError, match="no tier"):
        Tier.from_responders(set())


def test_includes_properties_read_the_responder_set() -> None:
    tier = Tier.MH_TEAM_WITH_POLICE_AND_EMS
    assert (tier.includes_team, tier.includes_police, tier.includes_ems, tier.includes_phone) == (True, True, True, False)
    assert Tier.PHONE_988.includes_phone and not Tier.PHONE_988.includes_team
    assert Tier("EMS") is Tier.EMS and str(Tier.EMS) == "EMS"
