"""Helpers for triage tests: the shipped protocols and a one-line way to triage a call."""

from __future__ import annotations

from typing import Any

from crisis_dispatch.adapters.config.protocol import parse_protocol
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


def careless() -> Protocol:
    """A protocol that only sends the team: the safety floor must add what it forgets."""
    return parse_protocol(
        {
            "protocol": "careless",
            "version": "careless-1",
            "priorities": {1: "now", 3: "later"},
            "determinants": {"MH": "mental health", "DR": "default"},
            "rules": [
                {
                    "id": "team",
                    "text": "mental health",
                    "when": {"mental_health": "present"},
                    "add": ["team"],
                    "priority": 3,
                    "determinant": "MH",
                }
            ],
            "default_response": {"id": "dr", "text": "default", "responders": ["police"], "priority": 3, "determinant": "DR"},
        },
        mappings=default().mappings,
    )


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


def call_type_flags(call_type: str) -> set[str]:
    """The flags the shipped mappings give a call type on its own."""
    from crisis_dispatch.adapters.protocol_loader import load_code_mappings

    hit = load_code_mappings().lookup_call_type(call_type)
    return set(hit.flags) if hit else set()


def code_flags(code: str, call_type: str | None) -> set[str]:
    """The flags the shipped mappings give a code (under a call type)."""
    from crisis_dispatch.adapters.protocol_loader import load_code_mappings

    hit = load_code_mappings().lookup_code(code, call_type=call_type)
    return set(hit.flags) if hit else set()
