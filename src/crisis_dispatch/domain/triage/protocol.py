"""A triage protocol as data: questions, rules, priorities, determinants, default response.

:func:`parse_protocol` turns an already-parsed mapping (from YAML, JSON, a test) into a
:class:`Protocol`, checking everything and reporting *every* problem with its location
in one :class:`ProtocolError`. Reading files is not the domain's business: see
``crisis_dispatch.adapters.protocol_loader``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import InvalidInput
from .flags import KNOWN_FLAGS
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


_TOP_KEYS = {
    "protocol",
    "version",
    "description",
    "questions",
    "rules",
    "priorities",
    "determinants",
    "default_response",
    "determinant_prefix",
}
_QUESTION_KEYS = {"id", "text", "type", "sets", "choices"}
_RULE_KEYS = {
    "id",
    "text",
    "when",
    "when_any",
    "add",
    "remove",
    "screen_out",
    "priority",
    "determinant",
    "hold_possible",
}
_DEFAULT_KEYS = {"id", "text", "responders", "priority", "determinant"}
_INT_OPS = {"lt", "le", "gt", "ge", "eq"}


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def parse_protocol(data: Any, origin: str = "protocol", mappings: CodeMappings | None = None) -> Protocol:
    """Validate ``data`` and build a :class:`Protocol`; raise :class:`ProtocolError` listing every problem."""
    err = _Errors()
    if not isinstance(data, Mapping):
        raise ProtocolError([f"(top): expected a mapping, got {type(data).__name__}"], origin)
    for key in sorted(set(data) - _TOP_KEYS, key=str):
        err.add(str(key), "unknown key")
    name = _text(data, "protocol", "(top)", err, required=True)
    version = _text(data, "version", "(top)", err, required=True)
    priorities = _priorities(data.get("priorities"), err)
    determinants = _determinants(data.get("determinants"), err)
    questions = _questions(data.get("questions"), err)
    rules = _rules(data.get("rules"), err, priorities, determinants)
    default = _default(data.get("default_response"), err, priorities, determinants)
    if err.items:
        raise ProtocolError(err.items, origin)
    return Protocol(
        name=name,
        version=version,
        description=str(data.get("description", "")).strip(),
        questions=tuple(questions),
        rules=tuple(rules),
        priorities=priorities,
        determinants=determinants,
        default_response=default,  # type: ignore[arg-type]  # not None when no errors
        determinant_prefix=str(data.get("determinant_prefix", "")),
        mappings=mappings if mappings is not None else CodeMappings.empty(),
    )


def _text(d: Mapping[str, Any], key: str, where: str, err: _Errors, required: bool = False) -> str:
    value = d.get(key)
    if value is None:
        if required:
            err.add(f"{where}.{key}" if where != "(top)" else key, "missing")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        err.add(f"{where}.{key}" if where != "(top)" else key, f"expected text, got {type(value).__name__}")
        return ""
    return str(value)


def _priorities(raw: Any, err: _Errors) -> dict[int, str]:
    if not isinstance(raw, Mapping) or not raw:
        err.add("priorities", "missing or empty: map each priority number (1 = most urgent) to its meaning")
        return {}
    out: dict[int, str] = {}
    for key, label in raw.items():
        if isinstance(key, bool) or not isinstance(key, int) or key < 1:
            err.add(f"priorities.{key}", "a priority is a whole number >= 1 (1 = most urgent)")
            continue
        out[key] = str(label)
    return out


def _determinants(raw: Any, err: _Errors) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not raw:
        err.add("determinants", "missing or empty: map each determinant code to its meaning")
        return {}
    out: dict[str, str] = {}
    for key, label in raw.items():
        if not isinstance(key, str) or not key.strip() or any(c.isspace() for c in key):
            err.add(f"determinants.{key}", "a determinant code is a word without spaces")
            continue
        out[key] = str(label)
    return out


def _entries(raw: Any, section: str, keys: set[str], err: _Errors) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """``(location, entry, id)`` for each mapping of a list section, reporting shape problems."""
    if not isinstance(raw, list):
        err.add(section, "expected a list")
        return
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        where = f"{section}[{i}]"
        if not isinstance(entry, Mapping):
            err.add(where, "expected a mapping")
            continue
        for key in sorted(set(entry) - keys, key=str):
            err.add(f"{where}.{key}", "unknown key")
        ident = _text(entry, "id", where, err, required=True)
        if ident in seen:
            err.add(f"{where}.id", f"duplicate {section[:-1]} id '{ident}'")
        seen.add(ident)
        yield where, entry, ident


def _questions(raw: Any, err: _Errors) -> list[Question]:
    if raw is None:
        return []
    out: list[Question] = []
    for where, q, qid in _entries(raw, "questions", _QUESTION_KEYS, err):
        text = _text(q, "text", where, err, required=True)
        try:
            qtype = QuestionType(q.get("type", "yes_no"))
        except ValueError:
            err.add(f"{where}.type", f"unknown type {q.get('type')!r} (use one of: {', '.join(QuestionType)})")
            continue
        choices = tuple(str(c) for c in q.get("choices", ()) or ())
        if qtype is QuestionType.CHOICE and not choices:
            err.add(f"{where}.choices", "a choice question needs its choices")
        sets = []
        raw_sets = q.get("sets", []) or []
        if not isinstance(raw_sets, list):
            err.add(f"{where}.sets", "expected a list")
            raw_sets = []
        for j, s in enumerate(raw_sets):
            swhere = f"{where}.sets[{j}]"
            if not isinstance(s, Mapping) or set(s) != {"flag", "when"}:
                err.add(swhere, "expected {flag: <flag>, when: <answer>}")
                continue
            if s["flag"] not in KNOWN_FLAGS:
                err.add(f"{swhere}.flag", f"unknown flag '{s['flag']}'")
            _check_setting(s["when"], qtype, choices, f"{swhere}.when", err)
            sets.append(FlagSetting(flag=str(s["flag"]), when=s["when"]))
        out.append(Question(id=qid, text=text, type=qtype, sets=tuple(sets), choices=choices))
    return out


def _check_setting(when: Any, qtype: QuestionType, choices: tuple[str, ...], where: str, err: _Errors) -> None:
    if qtype is QuestionType.YES_NO:
        if normalise_yes_no(when) is None:
            err.add(where, f"a yes_no question sets a flag on 'yes' or 'no', not {when!r}")
    elif qtype is QuestionType.INTEGER:
        if not (
            isinstance(when, Mapping)
            and len(when) == 1
            and set(when) <= _INT_OPS
            and all(isinstance(v, int) and not isinstance(v, bool) for v in when.values())
        ):
            err.add(where, f"an integer question compares with one of {sorted(_INT_OPS)}, e.g. {{lt: 18}}")
    else:
        values = when if isinstance(when, list) else [when]
        for v in values:
            if str(v) not in choices:
                err.add(where, f"'{v}' is not one of the choices {list(choices)}")


def _condition(raw: Any, where: str, err: _Errors) -> Condition:
    if raw is None:
        return Condition()
    if not isinstance(raw, Mapping):
        err.add(where, "expected a mapping of flag: present|absent|denied|unknown")
        return Condition()
    flags: dict[str, State] = {}
    facts: dict[str, bool] = {}
    for key, value in raw.items():
        if key in (ANSWERS_GIVEN, INFORMATION):
            if not isinstance(value, bool):
                err.add(f"{where}.{key}", "expected true or false")
            else:
                facts[key] = value
            continue
        if key not in KNOWN_FLAGS:
            hint = f"; did you mean '{_closest(str(key))}'?" if _closest(str(key)) else ""
            err.add(f"{where}.{key}", f"unknown flag '{key}'{hint}")
            continue
        try:
            flags[key] = State(value)
        except ValueError:
            err.add(f"{where}.{key}", f"unknown state {value!r} (use one of: {', '.join(State)})")
    return Condition(flags=flags, facts=facts)


def _closest(word: str) -> str | None:
    match = difflib.get_close_matches(word, sorted(KNOWN_FLAGS | {ANSWERS_GIVEN, INFORMATION}), n=1)
    return match[0] if match else None


def _responders(raw: Any, where: str, err: _Errors) -> frozenset[Responder]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        err.add(where, "expected a list of responders")
        return frozenset()
    out = set()
    for value in raw:
        try:
            out.add(Responder(value))
        except ValueError:
            err.add(where, f"unknown responder {value!r} (use: {', '.join(Responder)})")
    return frozenset(out)


def _ref(value: Any, table: Mapping[Any, str], where: str, what: str, err: _Errors) -> Any:
    if value is not None and value not in table:
        section = "priorities" if what == "priority" else "determinants"
        err.add(where, f"unknown {what} {value!r} (declare it under {section})")
    return value


def _rules(raw: Any, err: _Errors, priorities: Mapping[int, str], determinants: Mapping[str, str]) -> list[Rule]:
    if not raw:
        err.add("rules", "missing or empty: a protocol needs rules")
        return []
    out: list[Rule] = []
    for where, r, rid in _entries(raw, "rules", _RULE_KEYS, err):
        when_any_raw = r.get("when_any") or []
        if not isinstance(when_any_raw, list):
            err.add(f"{where}.when_any", "expected a list of conditions")
            when_any_raw = []
        remove = _responders(r.get("remove"), f"{where}.remove", err)
        if remove & {Responder.POLICE, Responder.EMS}:
            err.add(f"{where}.remove", "a rule may never remove police or EMS (safety invariant)")
        hold = r.get("hold_possible", False)
        if not isinstance(hold, bool):
            err.add(f"{where}.hold_possible", "expected true or false")
        screen_out = r.get("screen_out")
        if screen_out is not None and (not isinstance(screen_out, str) or not screen_out.strip()):
            err.add(f"{where}.screen_out", "expected a reason code")
        rule = Rule(
            id=rid,
            text=_text(r, "text", where, err, required=True),
            when=_condition(r.get("when"), f"{where}.when", err),
            when_any=tuple(_condition(c, f"{where}.when_any[{j}]", err) for j, c in enumerate(when_any_raw)),
            add=_responders(r.get("add"), f"{where}.add", err),
            remove=remove,
            screen_out=screen_out,
            priority=_ref(r.get("priority"), priorities, f"{where}.priority", "priority", err),
            determinant=_ref(r.get("determinant"), determinants, f"{where}.determinant", "determinant code", err),
            hold_possible=bool(hold),
        )
        if "when" not in r and not when_any_raw:
            err.add(where, "a rule needs 'when' or 'when_any' (a rule that always fires is a mistake)")
        if not (rule.add or rule.remove or rule.screen_out or rule.priority or rule.determinant or rule.hold_possible):
            err.add(where, "the rule does nothing (no add, remove, screen_out, priority, determinant, hold_possible)")
        out.append(rule)
    return out


def _default(raw: Any, err: _Errors, priorities: Mapping[int, str], determinants: Mapping[str, str]) -> DefaultResponse | None:
    where = "default_response"
    if not isinstance(raw, Mapping):
        err.add(where, "missing: say who goes when there is too little information (the default responder)")
        return None
    for key in sorted(set(raw) - _DEFAULT_KEYS, key=str):
        err.add(f"{where}.{key}", "unknown key")
    responders = _responders(raw.get("responders"), f"{where}.responders", err)
    if not responders:
        err.add(f"{where}.responders", "the default response must send somebody")
    if Responder.TEAM in responders or Responder.PHONE in responders:
        err.add(f"{where}.responders", "the default responder for an unjudged call cannot be the team or the phone alone")
    priority = raw.get("priority")
    if priority is None:
        err.add(f"{where}.priority", "missing")
    _ref(priority, priorities, f"{where}.priority", "priority", err)
    determinant = raw.get("determinant")
    if determinant is None:
        err.add(f"{where}.determinant", "missing")
    _ref(determinant, determinants, f"{where}.determinant", "determinant code", err)
    return DefaultResponse(
        id=_text(raw, "id", where, err, required=True),
        text=_text(raw, "text", where, err, required=True),
        responders=responders,
        priority=priority if isinstance(priority, int) else 0,
        determinant=str(determinant),
    )


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
