"""Code mappings as data: the public names of ``codes/``, where they are defined.

Kept so that ``from crisis_dispatch.domain.triage.mappings import ...`` goes on working:
``codes.mpds`` (the grammar of codes), ``codes.call_types`` (the reading of call-type
text), ``codes.mappings`` (``CodeMappings``, ``MappingHit`` and the lookups).
"""

from __future__ import annotations

from .codes.call_types import TYPO_MIN_LENGTH, PhraseRule, normalise_text, starred_parts
from .codes.mappings import REWRITE_MEMO_SIZE, CodeMappings, MappingHit
from .codes.mpds import call_type_determinants, call_type_levels, mpds_key, normalise_apco, parse_mpds

__all__ = [
    "REWRITE_MEMO_SIZE",
    "TYPO_MIN_LENGTH",
    "CodeMappings",
    "MappingHit",
    "PhraseRule",
    "call_type_determinants",
    "call_type_levels",
    "mpds_key",
    "normalise_apco",
    "normalise_text",
    "parse_mpds",
    "starred_parts",
]
