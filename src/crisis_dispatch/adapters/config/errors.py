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
    return PydanticCustomError(OURS, "{message}", {"message": message})


def location(path: Sequence[int | str], data: Any, top: str = "(top)", root: str = "", indexed: bool = True) -> str:
    """``path`` (pydantic's ``loc``) as the file spells it, walking ``data`` alongside:
    below ``root`` (``grid``), ``top`` when at the root; list indices left out unless ``indexed``."""
    out = root
    node = data
    for step in path:
        if step == "[key]":  # pydantic's marker for a bad mapping key: the key is already named
            continue
        if isinstance(node, list) and isinstance(step, int):
            out += f"[{step}]" if indexed else ""
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


def problems(
    exc: ValidationError,
    data: Any,
    top: str | None = "(top)",
    root: str = "",
    indexed: bool = True,
    unknown_keys_first: bool = False,
) -> list[str]:
    """Every error of ``exc`` as ``location: what is wrong`` (``data``: what was validated).

    An error about the whole of ``data`` is located at ``top``; with ``top=None`` its message
    stands alone (it names what it is about itself). ``root`` and ``indexed``: see
    :func:`location`. Errors come in the order of the model's fields; ``unknown_keys_first``
    puts unknown top-level keys before them.
    """
    errors = exc.errors(include_url=False)
    if unknown_keys_first:
        errors = sorted(errors, key=lambda e: not (e["type"] == "extra_forbidden" and len(e["loc"]) == 1))
    return [
        what(e) if top is None and not e["loc"] else f"{location(e['loc'], data, top or '', root, indexed)}: {what(e)}"
        for e in errors
    ]


class ConfigError(ValueError):
    """A configuration that does not validate; ``problems`` lists each, ``location: what is wrong``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))
