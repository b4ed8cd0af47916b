"""A triage protocol (YAML, already parsed) validated by pydantic and built into the
domain's frozen :class:`~crisis_dispatch.domain.triage.protocol.Protocol`.

Every problem is reported at once, each with its location, in one :class:`ProtocolError`
(``rules[3].when.weapn: unknown flag 'weapn'; did you mean 'weapon'?``). What an entry is
checked against -- the declared priorities and determinant codes, the ids seen so far, the
type and choices of the question whose settings are being read -- travels in a
:class:`_Context` handed to pydantic; pydantic reads a file's entries in order, so the ids
seen and the current question are those of the entries before.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from crisis_dispatch.domain.triage.flags import KNOWN_FLAGS
from crisis_dispatch.domain.triage.mappings import CodeMappings
from crisis_dispatch.domain.triage.protocol import (
    ANSWERS_GIVEN,
    INFORMATION,
    Condition,
    DefaultResponse,
    FlagSetting,
    Protocol,
    ProtocolError,
    Question,
    QuestionType,
    Rule,
    State,
    normalise_yes_no,
)
from crisis_dispatch.domain.triage.tier import Responder

from .errors import problem, problems

_INT_OPS = {"lt", "le", "gt", "ge", "eq"}
_FACTS = (ANSWERS_GIVEN, INFORMATION)


@dataclass
class _Context:
    priorities: set[Any]
    determinants: set[Any]
    seen: dict[str, set[str]] = field(default_factory=lambda: {"questions": set(), "rules": set()})
    question: tuple[QuestionType, tuple[str, ...]] | None = None


def _ctx(info: ValidationInfo) -> _Context:
    assert isinstance(info.context, _Context)
    return info.context


# -- values ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise problem(f"expected text, got {type(value).__name__}")
    return str(value)


def _priority_key(key: Any) -> int:
    if isinstance(key, bool) or not isinstance(key, int) or key < 1:
        raise problem("a priority is a whole number >= 1 (1 = most urgent)")
    return key


def _determinant_key(key: Any) -> str:
    if not isinstance(key, str) or not key.strip() or any(c.isspace() for c in key):
        raise problem("a determinant code is a word without spaces")
    return key


def _table(what: str) -> Any:
    def check(raw: Any) -> Any:
        if not isinstance(raw, Mapping) or not raw:
            raise problem(f"missing or empty: map each {what} to its meaning")
        return raw

    return BeforeValidator(check)


def _responders(raw: Any) -> frozenset[Responder]:
    if raw is None or isinstance(raw, frozenset):  # absent, or the default
        return frozenset(raw or ())
    if not isinstance(raw, list):
        raise problem("expected a list of responders")
    bad = [v for v in raw if v not in set(Responder)]
    if bad:
        raise problem("; ".join(f"unknown responder {v!r} (use: {', '.join(Responder)})" for v in bad))
    return frozenset(Responder(v) for v in raw)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise problem("expected true or false")
    return value


def _priority_ref(value: Any, info: ValidationInfo) -> Any:
    if value is not None and value not in _ctx(info).priorities:
        raise problem(f"unknown priority {value!r} (declare it under priorities)")
    return value


def _determinant_ref(value: Any, info: ValidationInfo) -> Any:
    if value is not None and value not in _ctx(info).determinants:
        raise problem(f"unknown determinant code {value!r} (declare it under determinants)")
    return value


Text = Annotated[str, BeforeValidator(_text)]
Responders = Annotated[frozenset[Responder], BeforeValidator(_responders)]
PriorityRef = Annotated[Any, AfterValidator(_priority_ref)]
DeterminantRef = Annotated[Any, AfterValidator(_determinant_ref)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _unique(section: str) -> Any:
    def check(ident: str, info: ValidationInfo) -> str:
        seen = _ctx(info).seen[section]
        if ident in seen:
            raise problem(f"duplicate {section[:-1]} id '{ident}'")
        seen.add(ident)
        return ident

    return AfterValidator(check)


# -- questions ---------------------------------------------------------------------------


def _setting_when(when: Any, info: ValidationInfo) -> Any:
    """``when`` fits the type (and choices) of the question being read."""
    question = _ctx(info).question
    if question is None:
        return when
    qtype, choices = question
    if qtype is QuestionType.YES_NO and normalise_yes_no(when) is None:
        raise problem(f"a yes_no question sets a flag on 'yes' or 'no', not {when!r}")
    if qtype is QuestionType.INTEGER and not (
        isinstance(when, Mapping)
        and len(when) == 1
        and set(when) <= _INT_OPS
        and all(isinstance(v, int) and not isinstance(v, bool) for v in when.values())
    ):
        raise problem(f"an integer question compares with one of {sorted(_INT_OPS)}, e.g. {{lt: 18}}")
    if qtype is QuestionType.CHOICE:
        bad = [v for v in (when if isinstance(when, list) else [when]) if str(v) not in choices]
        if bad:
            raise problem("; ".join(f"'{v}' is not one of the choices {list(choices)}" for v in bad))
    return when


def _known_flag(flag: Any) -> str:
    if flag not in KNOWN_FLAGS:
        raise problem(f"unknown flag '{flag}'")
    return str(flag)


class SettingModel(_Entry):
    flag: Annotated[Any, AfterValidator(_known_flag)]
    when: Annotated[Any, AfterValidator(_setting_when)]

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, raw: Any) -> Any:
        if not isinstance(raw, Mapping) or set(raw) != {"flag", "when"}:
            raise problem("expected {flag: <flag>, when: <answer>}")
        return raw


def _question_type(value: Any) -> QuestionType:
    try:
        return QuestionType(value)
    except ValueError:
        raise problem(f"unknown type {value!r} (use one of: {', '.join(QuestionType)})") from None


def _choices(raw: Any) -> tuple[str, ...]:
    return tuple(str(c) for c in raw or ())


def _choices_of_a_choice(choices: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
    if info.data.get("type") is QuestionType.CHOICE and not choices:
        raise problem("a choice question needs its choices")
    return choices


class QuestionModel(_Entry):
    id: Annotated[Text, _unique("questions")]
    text: Text
    type: Annotated[QuestionType, BeforeValidator(_question_type)] = QuestionType.YES_NO
    choices: Annotated[tuple[str, ...], BeforeValidator(_choices), AfterValidator(_choices_of_a_choice)] = Field(
        default=(), validate_default=True
    )
    sets: Annotated[list[SettingModel], BeforeValidator(lambda raw: raw or [])] = []

    @model_validator(mode="before")
    @classmethod
    def _read_type(cls, raw: Any, info: ValidationInfo) -> Any:
        """Remember this question's type and choices for its settings (``None``: unknown type)."""
        ctx = _ctx(info)
        ctx.question = None
        if isinstance(raw, Mapping):
            with contextlib.suppress(ValueError):
                ctx.question = (QuestionType(raw.get("type", "yes_no")), _choices(raw.get("choices")))
        return raw

    def build(self) -> Question:
        sets = tuple(FlagSetting(flag=s.flag, when=s.when) for s in self.sets)
        return Question(id=self.id, text=self.text, type=self.type, sets=sets, choices=self.choices)


# -- rules -------------------------------------------------------------------------------


def _closest(word: str) -> str | None:
    match = difflib.get_close_matches(word, sorted(KNOWN_FLAGS | set(_FACTS)), n=1)
    return match[0] if match else None


def _condition_key(key: Any) -> str:
    if key not in _FACTS and key not in KNOWN_FLAGS:
        hint = f"; did you mean '{_closest(str(key))}'?" if _closest(str(key)) else ""
        raise problem(f"unknown flag '{key}'{hint}")
    return str(key)


def _condition(raw: Any) -> Any:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise problem("expected a mapping of flag: present|absent|denied|unknown")
    return {key: (key, value) for key, value in raw.items()}  # each value checked knowing its key


def _state(pair: tuple[Any, Any]) -> Any:
    """A fact's value is true or false, a flag's a state."""
    key, value = pair
    if key in _FACTS and not isinstance(value, bool):
        raise problem("expected true or false")
    if key not in _FACTS and (isinstance(value, bool) or value not in set(State)):
        raise problem(f"unknown state {value!r} (use one of: {', '.join(State)})")
    return value


def _to_condition(raw: dict[str, Any]) -> Condition:
    flags = {k: State(v) for k, v in raw.items() if k not in _FACTS}
    return Condition(flags=flags, facts={k: v for k, v in raw.items() if k in _FACTS})


Conditions = Annotated[
    dict[Annotated[str, BeforeValidator(_condition_key)], Annotated[Any, AfterValidator(_state)]],
    BeforeValidator(_condition),
    AfterValidator(_to_condition),
]


def _safe_removal(remove: frozenset[Responder]) -> frozenset[Responder]:
    if remove & {Responder.POLICE, Responder.EMS}:
        raise problem("a rule may never remove police or EMS (safety invariant)")
    return remove


def _reason(value: Any) -> Any:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise problem("expected a reason code")
    return value


def _condition_list(raw: Any) -> Any:
    if raw is None or raw == []:
        return []
    if not isinstance(raw, list):
        raise problem("expected a list of conditions")
    return raw


class RuleModel(_Entry):
    id: Annotated[Text, _unique("rules")]
    text: Text
    when: Conditions = Field(default_factory=dict)  # validated into a Condition
    when_any: Annotated[list[Conditions], BeforeValidator(_condition_list)] = []
    add: Responders = frozenset()
    remove: Annotated[Responders, AfterValidator(_safe_removal)] = frozenset()
    screen_out: Annotated[Any, AfterValidator(_reason)] = None
    priority: PriorityRef = None
    determinant: DeterminantRef = None
    hold_possible: Annotated[bool, BeforeValidator(_boolean)] = False

    @model_validator(mode="after")
    def _does_something_sometimes(self) -> RuleModel:
        found = []
        if "when" not in self.model_fields_set and not self.when_any:
            found.append("a rule needs 'when' or 'when_any' (a rule that always fires is a mistake)")
        if not (self.add or self.remove or self.screen_out or self.priority or self.determinant or self.hold_possible):
            found.append("the rule does nothing (no add, remove, screen_out, priority, determinant, hold_possible)")
        if found:
            raise problem("; ".join(found))
        return self

    def build(self) -> Rule:
        when = self.when if isinstance(self.when, Condition) else Condition()
        return Rule(
            id=self.id,
            text=self.text,
            when=when,
            when_any=tuple(c for c in self.when_any if isinstance(c, Condition)),
            add=self.add,
            remove=self.remove,
            screen_out=self.screen_out,
            priority=self.priority,
            determinant=self.determinant,
            hold_possible=self.hold_possible,
        )


# -- the default response and the whole protocol ------------------------------------------


def _sends_somebody_in_person(responders: frozenset[Responder]) -> frozenset[Responder]:
    if not responders:
        raise problem("the default response must send somebody")
    if Responder.TEAM in responders or Responder.PHONE in responders:
        raise problem("the default responder for an unjudged call cannot be the team or the phone alone")
    return responders


class DefaultModel(_Entry):
    id: Text
    text: Text
    responders: Annotated[Responders, AfterValidator(_sends_somebody_in_person)] = Field(
        default=frozenset(), validate_default=True
    )
    priority: PriorityRef
    determinant: DeterminantRef

    @model_validator(mode="before")
    @classmethod
    def _present(cls, raw: Any) -> Any:
        if not isinstance(raw, Mapping):
            raise problem("missing: say who goes when there is too little information (the default responder)")
        return raw

    def build(self) -> DefaultResponse:
        priority = self.priority if isinstance(self.priority, int) else 0
        return DefaultResponse(self.id, self.text, self.responders, priority, str(self.determinant))


def _rules(raw: Any) -> Any:
    if not raw:
        raise problem("missing or empty: a protocol needs rules")
    return raw


class ProtocolModel(_Entry):
    protocol: Text
    version: Text
    description: Annotated[str, BeforeValidator(lambda v: str(v).strip())] = ""
    determinant_prefix: Annotated[str, BeforeValidator(str)] = ""
    priorities: Annotated[
        dict[Annotated[int, BeforeValidator(_priority_key)], Annotated[str, BeforeValidator(str)]],
        _table("priority number (1 = most urgent)"),
    ] = Field(default=None, validate_default=True)
    determinants: Annotated[
        dict[Annotated[str, BeforeValidator(_determinant_key)], Annotated[str, BeforeValidator(str)]],
        _table("determinant code"),
    ] = Field(default=None, validate_default=True)
    questions: Annotated[list[QuestionModel], BeforeValidator(lambda raw: [] if raw is None else raw)] = []
    rules: Annotated[list[RuleModel], BeforeValidator(_rules)] = Field(default=None, validate_default=True)
    default_response: DefaultModel = Field(default=None, validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, raw: Any) -> Any:
        if not isinstance(raw, Mapping):
            raise problem(f"expected a mapping, got {type(raw).__name__}")
        return raw


def _declared(raw: Any, key: Any) -> set[Any]:
    """The keys of a table that are well formed (what rules may refer to)."""
    out = set()
    for k in raw if isinstance(raw, Mapping) else ():
        try:
            out.add(key(k))
        except ValueError:
            continue
    return out


def parse_protocol(data: Any, origin: str = "protocol", mappings: CodeMappings | None = None) -> Protocol:
    """Validate ``data`` and build a :class:`Protocol`; raise :class:`ProtocolError` listing every problem."""
    context = _Context(
        priorities=_declared(data.get("priorities") if isinstance(data, Mapping) else None, _priority_key),
        determinants=_declared(data.get("determinants") if isinstance(data, Mapping) else None, _determinant_key),
    )
    try:
        p = ProtocolModel.model_validate(data, context=context)
    except ValidationError as exc:
        raise ProtocolError(problems(exc, data, unknown_keys_first=True), origin) from None
    return Protocol(
        name=p.protocol,
        version=p.version,
        description=p.description,
        questions=tuple(q.build() for q in p.questions),
        rules=tuple(r.build() for r in p.rules),
        priorities=p.priorities,
        determinants=p.determinants,
        default_response=p.default_response.build(),
        determinant_prefix=p.determinant_prefix,
        mappings=mappings if mappings is not None else CodeMappings.empty(),
    )
