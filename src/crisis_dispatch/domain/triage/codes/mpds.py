"""The grammar of codes: MPDS determinants, the determinant levels and card-less
determinants written inside a call type, and APCO code normalisation.

Pure functions over strings; what a code *means* is in the tables of ``mappings``.
Normalisation makes ``25-A-1``, ``25A1``, ``25A01`` and ``025A1`` the same determinant
(``parse_mpds`` and ``mpds_key``); a call type can carry a level (``Psych (D)``,
``PSYCHIATRIC-DELTA-PD``) or a determinant without its card number (``PSY-B6 - Psych``),
and a centre's own code can carry a level (``127D01``) or omit the card (``B6``).
"""

from __future__ import annotations

import re

_MPDS = re.compile(r"^0*(?P<card>\d{1,2})(?:-?(?P<level>[A-EO]|Ω|OMEGA))?(?:-?0*(?P<num>\d{1,2}))?(?:-?(?P<suffix>[A-Z]))?$")

# A determinant level written in a call type: "(D)", "-D" or " D" at the end, or spelt
# out anywhere ("PSYCHIATRIC-DELTA-PD", "SUICIDE ATTEMPT (ECHO)").
_LEVEL_WORDS = {"ALPHA": "A", "BRAVO": "B", "CHARLIE": "C", "DELTA": "D", "ECHO": "E", "OMEGA": "O"}
_CALL_TYPE_LEVEL = re.compile(
    r"\(\s*(?P<paren>[A-EO])\s*\)"
    r"|(?<![A-Z0-9])(?P<word>" + "|".join(_LEVEL_WORDS) + r")(?![A-Z])"
    r"|[\s\-/](?P<last>[A-EO])\s*$",
    re.IGNORECASE,
)
# A centre's own numeric code followed by an MPDS level and number: "127D01".
_LOCAL_CODE_LEVEL = re.compile(r"^(?P<local>\d{3,4})(?P<level>[A-EO])\d{1,2}[A-Z]?$")
# A determinant without its card number: "B6", "D-1", "B3V".
_BARE_DETERMINANT = re.compile(r"^[A-EO]-?0*\d{1,2}-?[A-Z]?$")


# A determinant (level and number, no card) written inside a call type: "PSY-B6 - ...",
# "Psychiatric (C3)", "OVERDOSE-C2".
_CALL_TYPE_DETERMINANT = re.compile(r"(?<![A-Z0-9])(?P<level>[A-EO])-?0*(?P<num>\d{1,2})(?![0-9])", re.IGNORECASE)


def call_type_determinants(call_type: str) -> list[str]:
    """The card-less determinants a call type names, in order (``"PSY-B6 - Psych"`` → ``["B6"]``)."""
    return [f"{m['level'].upper()}{int(m['num'])}" for m in _CALL_TYPE_DETERMINANT.finditer(call_type)]


def call_type_levels(call_type: str) -> list[str]:
    """The MPDS determinant levels a call type names, in order (``"Psych (D)"`` → ``["D"]``)."""
    levels = []
    for m in _CALL_TYPE_LEVEL.finditer(call_type):
        level = (m["paren"] or m["last"] or _LEVEL_WORDS[(m["word"] or "").upper()]).upper()
        levels.append(level)
    return levels


def bare_determinant(code: str) -> str | None:
    """``code`` compacted when it is a determinant without its card number (``"B 6"`` →
    ``"B6"``, ``"D-1"``, ``"B3V"``), else None."""
    compact = re.sub(r"[\s_]", "", code.upper())
    return compact if _BARE_DETERMINANT.match(compact) else None


def local_code_level(code: str) -> tuple[int, str] | None:
    """``(local code, level)`` for a centre's own numeric code carrying an MPDS level and
    number (``"127D01"`` → ``(127, "D")``), else None."""
    m = _LOCAL_CODE_LEVEL.match(re.sub(r"[\s_-]", "", code.upper()))
    return (int(m["local"]), m["level"]) if m is not None else None


def normalise_apco(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def parse_mpds(code: str) -> tuple[int, str, int | None, str] | None:
    """``(card, level, number, suffix)`` for an MPDS-looking code, else None.

    ``"25-B-3"`` → ``(25, "B", 3, "")``; ``"23C01I"`` → ``(23, "C", 1, "I")``; ``"25"`` →
    ``(25, "", None, "")``. Omega is ``"O"``.
    """
    compact = re.sub(r"[\s_]", "", code.upper())
    match = _MPDS.match(compact)
    if not match:
        return None
    level = match["level"] or ""
    if level in ("Ω", "OMEGA"):
        level = "O"
    num = int(match["num"]) if match["num"] else None
    suffix = match["suffix"] or ""
    if level and num is None and suffix:
        return None  # "25BX" is not a determinant
    if not level and (num is not None or suffix):
        return None  # a bare number with more digits is a local code, not a card
    return int(match["card"]), level, num, suffix


def mpds_key(card: int, level: str, num: int | None) -> str:
    return f"{card}{level}{num if num is not None else ''}"
