"""Responders and the tier that names the set of responders that go to a call."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Responder(StrEnum):
    """One kind of responder a triage decision can send."""

    TEAM = "team"  # the mobile mental-health crisis team (van)
    POLICE = "police"
    EMS = "ems"
    PHONE = "phone"  # a 988 counsellor by phone, nobody in person


class Tier(StrEnum):
    """The response to a call, named by the set of responders that go (DOMAIN.md §3)."""

    MH_TEAM = "MH_TEAM"
    MH_TEAM_WITH_EMS = "MH_TEAM_WITH_EMS"
    MH_TEAM_WITH_POLICE = "MH_TEAM_WITH_POLICE"
    MH_TEAM_WITH_POLICE_AND_EMS = "MH_TEAM_WITH_POLICE_AND_EMS"
    EMS = "EMS"
    POLICE = "POLICE"
    POLICE_AND_EMS = "POLICE_AND_EMS"
    PHONE_988 = "PHONE_988"

    @property
    def responders(self) -> frozenset[Responder]:
        return _RESPONDERS[self]

    @property
    def includes_team(self) -> bool:
        return Responder.TEAM in self.responders

    @property
    def includes_police(self) -> bool:
        return Responder.POLICE in self.responders

    @property
    def includes_ems(self) -> bool:
        return Responder.EMS in self.responders

    @property
    def includes_phone(self) -> bool:
        return Responder.PHONE in self.responders

    @classmethod
    def from_responders(cls, responders: Iterable[Responder | str]) -> Tier:
        """The tier for a set of responders.

        The phone is only a response on its own: as soon as anybody goes in person the
        988 counsellor is dropped (the people on scene will link the person to 988).
        An empty set has no tier: that is the protocol's default-responder case.
        """
        wanted = frozenset(Responder(r) for r in responders)
        if wanted - {Responder.PHONE}:
            wanted = wanted - {Responder.PHONE}
        for tier, members in _RESPONDERS.items():
            if members == wanted:
                return tier
        raise ValueError(f"no tier for responders {sorted(wanted)!r}")


_T, _P, _E, _F = Responder.TEAM, Responder.POLICE, Responder.EMS, Responder.PHONE
_RESPONDERS: dict[Tier, frozenset[Responder]] = {
    Tier.MH_TEAM: frozenset({_T}),
    Tier.MH_TEAM_WITH_EMS: frozenset({_T, _E}),
    Tier.MH_TEAM_WITH_POLICE: frozenset({_T, _P}),
    Tier.MH_TEAM_WITH_POLICE_AND_EMS: frozenset({_T, _P, _E}),
    Tier.EMS: frozenset({_E}),
    Tier.POLICE: frozenset({_P}),
    Tier.POLICE_AND_EMS: frozenset({_P, _E}),
    Tier.PHONE_988: frozenset({_F}),
}

#: The tiers that send the crisis team. A tier read back as a plain string (an incident's
#: ``tier``) is a member too: ``"MH_TEAM" in TEAM_TIERS``.
TEAM_TIERS: frozenset[Tier] = frozenset(t for t in Tier if t.includes_team)
