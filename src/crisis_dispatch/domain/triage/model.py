"""What goes into triage (a call) and what comes out (a recorded, explainable decision)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .flags import Flag
from .tier import Tier

#: ``screened_out`` when the call could not be judged (no answers, nothing usable).
NOT_TRIAGED = "not_triaged"
#: ``screened_out`` when the call was judged but nothing made it a crisis-team call.
NO_MENTAL_HEALTH_COMPONENT = "no_mental_health_component"
#: The call-taker's three safety questions (issue 10): a decision that sends the team alone
#: (or the phone) is *confirmed* only once each was answered; the answers outrank the text.
SAFETY_QUESTIONS: tuple[str, ...] = ("weapon", "violence", "conscious_breathing")


@dataclass(frozen=True)
class CallInput:
    """One call as triage sees it. ``answers`` maps protocol question ids to values."""

    id: str
    call_type: str = ""
    narrative: str = ""
    code: str | None = None
    priority: str | None = None
    answers: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def __post_init__(self) -> None:
        # Frozen means frozen: nobody may change the answers after triage saw them.
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))


@dataclass(frozen=True)
class TriageResult:
    """A triage decision, with everything needed to explain and audit it.

    ``screened_out`` is None when the crisis team (or the 988 phone) is part of the
    response; otherwise it is the reason code the team was kept away:
    ``"not_triaged"`` (too little information, the default responder went) is kept apart
    from ineligibility reasons such as ``"weapon"``, ``"violence"``, ``"medical"``.
    ``hold_possible`` says the triage thinks a 5150/5585 hold may be needed, so the
    recommender can ask for a hold-designated crew member. ``confirmed`` is False when the
    team (or the phone) would go alone on the strength of text and codes only: the
    call-taker must still ask the ``SAFETY_QUESTIONS``.
    """

    call_id: str
    tier: Tier
    priority: int
    determinant: str
    flags: tuple[Flag, ...]
    reasons: tuple[str, ...]
    rules_fired: tuple[str, ...]
    protocol_version: str
    screened_out: str | None = None
    hold_possible: bool = False
    confirmed: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The CLI/API JSON shape (issue 3) plus ``screened_out``, ``rules_fired``, ``hold_possible``."""
        return {
            "id": self.call_id,
            "tier": str(self.tier),
            "priority": self.priority,
            "determinant": self.determinant,
            "flags": [f.to_dict() for f in self.flags],
            "reasons": list(self.reasons),
            "protocol_version": self.protocol_version,
            "screened_out": self.screened_out,
            "rules_fired": list(self.rules_fired),
            "hold_possible": self.hold_possible,
            "confirmed": self.confirmed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TriageResult:
        """Rebuild a result stored with :meth:`to_dict`."""
        return cls(
            call_id=str(data["id"]),
            tier=Tier(data["tier"]),
            priority=int(data["priority"]),
            determinant=str(data["determinant"]),
            flags=tuple(Flag.from_dict(f) for f in data.get("flags", ())),
            reasons=tuple(str(r) for r in data.get("reasons", ())),
            rules_fired=tuple(str(r) for r in data.get("rules_fired", ())),
            protocol_version=str(data["protocol_version"]),
            screened_out=data.get("screened_out"),
            hold_possible=bool(data.get("hold_possible", False)),
            # decisions recorded before issue 10 carry no confirmation: they are not flagged
            confirmed=bool(data.get("confirmed", True)),
        )

    @property
    def flag_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.flags)
