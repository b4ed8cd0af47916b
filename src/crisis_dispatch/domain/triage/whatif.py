"""What-if: the same calls under two protocols, and what changed.

The tool a program manager needs to widen criteria with open eyes: tier counts under
each protocol, how many calls change tier, the transition matrix, and which rules drove
the changes (rules that fired under one protocol and not the other, on changed calls).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .engine import triage
from .model import CallInput, TriageResult
from .protocol import Protocol
from .tier import Tier


@dataclass(frozen=True)
class WhatIfReport:
    protocol_a: str
    protocol_b: str
    calls: int
    tiers_a: dict[str, int]
    tiers_b: dict[str, int]
    changed: int
    transitions: dict[str, dict[str, int]]  # tier under A → tier under B → calls (changed or not)
    rules_driving: dict[str, int]  # "A:rule-id" / "B:rule-id" → changed calls where only that side fired it
    team_a: int
    team_b: int
    changed_ids: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol_a": self.protocol_a,
            "protocol_b": self.protocol_b,
            "calls": self.calls,
            "tiers": {"a": self.tiers_a, "b": self.tiers_b},
            "team": {"a": self.team_a, "b": self.team_b},
            "changed": self.changed,
            "transitions": self.transitions,
            "rules_driving_changes": self.rules_driving,
            "changed_ids": list(self.changed_ids),
        }


def whatif(calls: Iterable[CallInput], protocol_a: Protocol, protocol_b: Protocol) -> WhatIfReport:
    """Triage every call under both protocols and compare (deterministic, order kept)."""
    tiers_a: Counter[str] = Counter()
    tiers_b: Counter[str] = Counter()
    transitions: dict[str, Counter[str]] = {}
    drivers: Counter[str] = Counter()
    changed_ids: list[str] = []
    team_a = team_b = n = 0
    for call in calls:
        n += 1
        a, b = triage(call, protocol_a), triage(call, protocol_b)
        tiers_a[a.tier] += 1
        tiers_b[b.tier] += 1
        team_a += a.tier.includes_team
        team_b += b.tier.includes_team
        transitions.setdefault(str(a.tier), Counter())[str(b.tier)] += 1
        if a.tier is not b.tier:
            changed_ids.append(call.id)
            for rule in _only_in(a, b):
                drivers[f"A:{rule}"] += 1
            for rule in _only_in(b, a):
                drivers[f"B:{rule}"] += 1
    order = [str(t) for t in Tier]
    return WhatIfReport(
        protocol_a=protocol_a.version,
        protocol_b=protocol_b.version,
        calls=n,
        tiers_a={t: tiers_a[t] for t in order},
        tiers_b={t: tiers_b[t] for t in order},
        changed=len(changed_ids),
        transitions={a: dict(sorted(row.items())) for a, row in sorted(transitions.items())},
        rules_driving=dict(sorted(drivers.items(), key=lambda kv: (-kv[1], kv[0]))),
        team_a=team_a,
        team_b=team_b,
        changed_ids=tuple(changed_ids),
    )


def _only_in(x: TriageResult, y: TriageResult) -> list[str]:
    theirs = set(y.rules_fired)
    return [r for r in x.rules_fired if r not in theirs]
