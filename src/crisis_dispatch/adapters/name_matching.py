"""How alike two names are, for the person index's suggestions: RapidFuzz's weighted ratio
(it forgives word order, a missing middle name and typing slips), 0-100."""

from __future__ import annotations

from rapidfuzz import fuzz


def name_similarity(a: str, b: str) -> float:
    """``a`` and ``b`` already normalised (``domain.persons.normalise_name``)."""
    if not a or not b:
        return 0.0
    return float(fuzz.WRatio(a, b))
