"""Helpers for triage tests: the shipped protocols and a one-line way to triage a call."""

from __future__ import annotations

from typing import Any

from crisis_dispatch.adapters.protocol_loader import load_default_protocol, load_packaged_protocol
from crisis_dispatch.domain.triage import CallInput, Protocol, TriageResult, triage

#: Every danger ruled out by an explicit answer; a calm adult who called for themselves.
CALM_ANSWERS: dict[str, Any] = {
    "weapon": "no",
    "violence": "no",
    "conscious_breathing": "yes",
    "injury": "no",
    "ingestion": "no",
    "attempt_in_progress": "no",
    "suicidal_thoughts": "no",
    "mental_health_concern": "yes",
    "age": 34,
    "intoxicated": "no",
    "cooperative": "yes",
    "safe_location": "yes",
    "caller_is_subject": "yes",
}


def default() -> Protocol:
    return load_default_protocol()


def narrow() -> Protocol:
    return load_packaged_protocol("narrow-2019.yaml")


def run(
    call_type: str = "",
    narrative: str = "",
    code: str | None = None,
    answers: dict[str, Any] | None = None,
    protocol: Protocol | None = None,
) -> TriageResult:
    call = CallInput(id="c1", call_type=call_type, narrative=narrative, code=code, answers=answers or {})
    return triage(call, protocol or default())
