"""A triage protocol as data: questions, rules, priorities, determinants, default response.

Frozen objects only: ``crisis_dispatch.adapters.config.protocol.parse_protocol`` validates
an already-parsed mapping (from YAML, JSON, a test) and builds them, reporting *every*
problem with its location in one :class:`ProtocolError`; reading files is
``crisis_dispatch.adapters.protocol_loader``'s business.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import InvalidInput
from .mappings import CodeMappings
from .tier import Responder


class ProtocolError(InvalidInput):
    """A protocol that does not validate; ``errors`` lists every problem with its location."""

    def __init__(self, errors: Sequence[str], origin: str = "protocol") -> None:
        self.errors = list(errors)
        self.origin = origin
        head = f"{origin}: {len(self.errors)} error{'s' if len(self.errors) != 1 else ''}"
        super().__init__(head + "".join(f"\n  {e}" for e in self.errors))


class State(StrEnum):
    """What a condition may ask of a flag."""

    PRESENT = "present"  # raised by an answer, a code or the narrative
    DENIED = "denied"  # explicitly denied (answer "no", "NO WEAPONS") and not raised
    UNKNOWN = "unknown"  # neither raised nor denied
    ABSENT = "absent"  # not present: denied or unknown


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    INTEGER = "integer"
    CHOICE = "choice"


#: Condition keys that are not flags.
ANSWERS_GIVEN = "answers_given"  # any call-taker answer at all
INFORMATION = "information"  # answers, a mapped code/call type, or a narrative flag

YES_VALUES = frozenset({"yes", "y", "true", "1"})
NO_VALUES = frozenset({"no", "n", "false", "0"})


@dataclass(frozen=True)
class FlagSetting:
    """An answer that raises ``flag`` when ``matches`` the answer, and denies it otherwise."""

    flag: str
    when: Any  # "yes"/"no" for yes_no; {"lt"|"le"|"gt"|"ge"|"eq": n} for integer; list for choice


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: QuestionType
    sets: tuple[FlagSetting, ...] = ()
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """All of ``flags`` (flag → state) and ``facts`` (special key → bool) hold."""

    flags: Mapping[str, State] = field(default_factory=dict)
    facts: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """Fires when ``when`` holds and, if ``when_any`` is given, at least one of those."""

    id: str
    text: str
    when: Condition
    when_any: tuple[Condition, ...] = ()
    add: frozenset[Responder] = frozenset()
    remove: frozenset[Responder] = frozenset()
    screen_out: str | None = None
    priority: int | None = None
    determinant: str | None = None
    hold_possible: bool = False


@dataclass(frozen=True)
class DefaultResponse:
    """What happens when no rule sends anybody (NYC rule: the default responder)."""

    id: str
    text: str
    responders: frozenset[Responder]
    priority: int
    determinant: str


@dataclass(frozen=True)
class Protocol:
    name: str
    version: str
    description: str
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    priorities: Mapping[int, str]
    determinants: Mapping[str, str]
    default_response: DefaultResponse
    determinant_prefix: str = ""
    mappings: CodeMappings = field(default_factory=CodeMappings.empty)

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)


def normalise_yes_no(value: Any) -> bool | None:
    """``True``/``False`` for a yes/no answer, ``None`` when unknown or not an answer."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {1: True, 0: False}.get(value)
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in YES_VALUES:
        return True
    if text in NO_VALUES:
        return False
    return None
