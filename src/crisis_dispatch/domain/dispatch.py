"""Which van to send: rank the eligible units by travel time, and say why the others are out.

Pure: the caller gives the units with their crews on shift now and the ETAs (from a
travel-time provider). Ties break by call sign then id, so the answer is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .outcomes import HoldType
from .triage.model import TriageResult
from .unit import Role, Staff, Unit, can_place_holds, readiness


@dataclass(frozen=True)
class Needs:
    """What the call needs from a van."""

    capabilities: frozenset[str] = frozenset()
    #: A hold may be needed: a crew member designated to write it must be on board.
    hold: HoldType | None = None

    @classmethod
    def from_triage(cls, triage: TriageResult | None) -> Needs:
        if triage is None or not triage.hold_possible:
            return cls()
        return cls(hold=HoldType.WIC_5585 if "minor" in triage.flag_names else HoldType.WIC_5150)


@dataclass(frozen=True)
class Candidate:
    unit: Unit
    crew: Mapping[Role, Staff]


@dataclass(frozen=True)
class Ranked:
    unit_id: str
    call_sign: str
    eta_s: float
    rank: int


@dataclass(frozen=True)
class Excluded:
    unit_id: str
    call_sign: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    ranked: tuple[Ranked, ...]
    excluded: tuple[Excluded, ...] = field(default_factory=tuple)

    @property
    def best(self) -> Ranked | None:
        return self.ranked[0] if self.ranked else None


def eligibility(candidate: Candidate, needs: Needs) -> tuple[str, ...]:
    """Every reason the unit cannot take this call (empty: it can), ETA aside."""
    unit, crew = candidate.unit, dict(candidate.crew)
    reasons = list(readiness(unit, crew).reasons)
    missing = sorted(needs.capabilities - unit.capabilities)
    if missing:
        reasons.append("lacks " + ", ".join(missing))
    if needs.hold is not None and not can_place_holds(crew, needs.hold):
        reasons.append(f"no crew member designated to write WIC {needs.hold.value} holds on shift")
    return tuple(reasons)


def recommend(candidates: Sequence[Candidate], needs: Needs, etas: Mapping[str, float | None], *, k: int = 3) -> Recommendation:
    """Rank eligible units by ETA (seconds). ``etas`` only needs entries for eligible units."""
    if k < 1:
        raise ValueError("k must be at least 1")
    eligible: list[tuple[float, str, str]] = []
    excluded: list[Excluded] = []
    for c in candidates:
        reasons = eligibility(c, needs)
        eta = etas.get(c.unit.id)
        if not reasons and eta is None:
            reasons = ("cannot reach the incident by road",)
        if reasons:
            excluded.append(Excluded(c.unit.id, c.unit.call_sign, reasons))
        else:
            assert eta is not None
            eligible.append((float(eta), c.unit.call_sign, c.unit.id))
    eligible.sort()
    ranked = tuple(Ranked(uid, sign, eta, i + 1) for i, (eta, sign, uid) in enumerate(eligible[:k]))
    excluded.sort(key=lambda e: (e.call_sign, e.unit_id))
    return Recommendation(ranked, tuple(excluded))
