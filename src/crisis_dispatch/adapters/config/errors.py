"""Pydantic's validation errors in our words: ``location: what is wrong``, one a line.

The location is written as the file spells it: a mapping key after a dot
(``apco.codes.EDP.flags``), a list index in brackets (``rules[3].when``); the raw data is
walked along pydantic's path to tell the two apart (pydantic's path does not). Checks of our
own raise :func:`problem`, whose message is kept as written; pydantic's own errors get short
wordings (``missing``, ``unknown key``) or pydantic's message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

#: The error type of our own checks: the message is ours, kept as is.
OURS = "config"

_WORDS = {
    "missing": "missing",
    "extra_forbidden": "unknown key",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
}


def problem(message: str) -> PydanticCustomError:
    """An error of our own wording, to raise from a validator."""
    return PydanticCustomError(OURS, message.replace("{", "{{").replace("}", "}}"))


def location(path: Sequence[int | str], data: Any, top: str = "(top)") -> str:
    """``path`` (pydantic's ``loc``) as the file spells it, walking ``data`` alongside."""
    out = ""
    node = data
    for step in path:
        if step == "[key]":  # pydantic's marker for a bad mapping key: the key is already named
            continue
        if isinstance(node, list) and isinstance(step, int):
            out += f"[{step}]"
            node = node[step] if 0 <= step < len(node) else None
        else:
            out += f".{step}" if out else str(step)
            node = node.get(step) if isinstance(node, Mapping) else None
    return out or top


def what(error: ErrorDetails) -> str:
    """What is wrong, in our words."""
    if error["type"] == OURS:
        return error["msg"]
    if error["type"] in _WORDS:
        return _WORDS[error["type"]]
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return error["msg"][:1].lower() + error["msg"][1:]


def problems(exc: ValidationError, data: Any, top: str = "(top)") -> list[str]:
    """Every error of ``exc`` as ``location: what is wrong`` (``data``: what was validated)."""
    return [f"{location(e['loc'], data, top)}: {what(e)}" for e in exc.errors(include_url=False)]
