"""Triage: a versioned, explainable protocol engine (issue 3).

Pure domain code (standard library only). Loading protocol files is done by
``crisis_dispatch.adapters.protocol_loader`` (``load_default_protocol``,
``load_protocol``); this package works on already-parsed data.

Typical use::

    from crisis_dispatch.adapters.protocol_loader import load_default_protocol
    from crisis_dispatch.domain.triage import CallInput, triage

    result = triage(CallInput(id="c1", call_type="EDP", narrative="NO WEAPONS"), load_default_protocol())
    result.tier, result.to_dict()
"""

from .engine import SAFETY_FLOOR_RULE, gather_evidence, triage
from .flags import (
    KNOWN_FLAGS,
    NARRATIVE_FLAGS,
    NEEDS_EMS,
    NEEDS_POLICE,
    SAFETY_FLAGS,
    UNCERTAINTY_FLAGS,
    Flag,
    FlagSource,
)
from .mappings import CodeMappings, MappingHit, normalise_text, parse_mpds
from .model import NO_MENTAL_HEALTH_COMPONENT, NOT_TRIAGED, SAFETY_QUESTIONS, CallInput, TriageResult
from .protocol import Protocol, ProtocolError
from .reader import NarrativeReading, read_narrative
from .tier import TEAM_TIERS, Responder, Tier
from .whatif import WhatIfReport, whatif

__all__ = [
    "KNOWN_FLAGS",
    "NARRATIVE_FLAGS",
    "NEEDS_EMS",
    "NEEDS_POLICE",
    "NOT_TRIAGED",
    "NO_MENTAL_HEALTH_COMPONENT",
    "SAFETY_FLAGS",
    "SAFETY_FLOOR_RULE",
    "SAFETY_QUESTIONS",
    "TEAM_TIERS",
    "UNCERTAINTY_FLAGS",
    "CallInput",
    "CodeMappings",
    "Flag",
    "FlagSource",
    "MappingHit",
    "NarrativeReading",
    "Protocol",
    "ProtocolError",
    "Responder",
    "Tier",
    "TriageResult",
    "WhatIfReport",
    "gather_evidence",
    "normalise_text",
    "parse_mpds",
    "read_narrative",
    "triage",
    "whatif",
]
