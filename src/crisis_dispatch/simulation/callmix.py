"""The call mix: a sample of call records run once through the real triage engine.

Triage reads narratives (about a millisecond a call), so a scenario triages each record of
its sample once, under its protocol, and the simulator draws from those decisions with the
records' weights. Every simulated incident then carries a real ``TriageResult.to_dict()``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from crisis_dispatch.adapters import protocol_loader
from crisis_dispatch.domain.dispatch import Needs
from crisis_dispatch.domain.triage import CallInput, Protocol, ProtocolError, triage
from crisis_dispatch.domain.triage.model import TriageResult

from .scenario import ScenarioError


@dataclass(frozen=True)
class MixEntry:
    record_id: str
    weight: float
    triage: TriageResult
    tier: str
    priority: int
    includes_team: bool
    needs: Needs


@dataclass(frozen=True)
class CallMix:
    protocol_version: str
    entries: tuple[MixEntry, ...]

    @property
    def probabilities(self) -> np.ndarray:
        w = np.array([e.weight for e in self.entries], dtype=float)
        return w / w.sum()

    @cached_property
    def team_mask(self) -> np.ndarray:
        """Per entry: does its triage send a team (index it with a demand's ``mix``)."""
        return np.array([e.includes_team for e in self.entries], dtype=bool)

    @property
    def team_share(self) -> float:
        return float(sum(p for p, e in zip(self.probabilities, self.entries, strict=True) if e.includes_team))


def resolve_protocol(name_or_path: str) -> Protocol:
    """A packaged protocol by name (``default``, ``narrow-2019`` with or without ``.yaml``) or a file."""
    try:
        return protocol_loader.resolve_protocol(name_or_path)
    except ProtocolError as exc:
        raise ScenarioError(f"protocol '{name_or_path}': {exc}") from None


def read_records(path: str | Path) -> list[dict[str, Any]]:
    records = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            float(rec.get("weight", 1.0))
            str(rec["id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ScenarioError(f"{path}:{n}: bad call record ({exc})") from None
        records.append(rec)
    if not records:
        raise ScenarioError(f"{path}: no call records")
    return records


@lru_cache(maxsize=16)
def build_call_mix(path: str, protocol: str) -> CallMix:
    """Triage every record of ``path`` once under ``protocol`` (cached per process)."""
    proto = resolve_protocol(protocol)
    entries = []
    for rec in read_records(path):
        call = CallInput(
            id=str(rec["id"]),
            call_type=str(rec.get("call_type", "")),
            narrative=str(rec.get("narrative", "")),
            code=rec.get("code"),
            answers=dict(rec.get("answers") or {}),
        )
        result = triage(call, proto)
        tier = result.tier
        entries.append(
            MixEntry(
                record_id=call.id,
                weight=float(rec.get("weight", 1.0)),
                triage=result,
                tier=tier.value,
                priority=result.priority,
                includes_team=tier.includes_team,
                needs=Needs.from_triage(result),
            )
        )
    version = entries[0].triage.protocol_version
    return CallMix(version, tuple(entries))
