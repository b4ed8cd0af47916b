"""The code mapping files (``apco.yaml``, ``mpds.yaml``, ``call_types.yaml`` and the exact
call-type table) validated by pydantic and built into the domain's ``CodeMappings``.

A missing or empty table (``null`` in YAML) means an empty one, as before; keys beyond the
documented ones are ignored. Problems are reported together in one ``ValueError``, each as
``location: what is wrong`` (``apco.codes.EDP.flags: unknown flag 'crazy'``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from crisis_dispatch.domain.triage.codes.call_types import TYPO_MIN_LENGTH
from crisis_dispatch.domain.triage.flags import KNOWN_FLAGS
from crisis_dispatch.domain.triage.mappings import CodeMappings, normalise_text, parse_mpds

from .errors import problem, problems


def _none_empty(value: Any) -> Any:
    return () if value is None else value


def _known_flags(flags: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [f for f in flags if f not in KNOWN_FLAGS]
    if unknown:
        raise problem(", ".join(f"unknown flag '{f}'" for f in unknown))
    return flags


def _determinant(code: str) -> str:
    if parse_mpds(code) is None:
        raise problem("not an MPDS determinant")
    return code


def _one_or_more(matches: Any) -> Any:
    return [matches] if isinstance(matches, str) else _none_empty(matches)


def _not_empty(matches: tuple[str, ...]) -> tuple[str, ...]:
    if not matches:
        raise problem("missing")
    return matches


def _typo_word(word: str) -> str:
    norm = normalise_text(word)
    if len(norm) < TYPO_MIN_LENGTH or " " in norm:
        raise problem(f"a typo-tolerant word must be one word of at least {TYPO_MIN_LENGTH} letters")
    return word


Text = Annotated[str, BeforeValidator(str)]
Flags = Annotated[tuple[str, ...], BeforeValidator(_none_empty), AfterValidator(_known_flags)]
Matches = Annotated[tuple[Text, ...], BeforeValidator(_one_or_more), AfterValidator(_not_empty), Field(validate_default=True)]


class _Table(BaseModel):
    """A table whose ``null`` entries (and a ``null`` table) take their defaults."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _defaults_for_nulls(cls, data: Any) -> Any:
        if data is None:
            return {}
        return {k: v for k, v in data.items() if v is not None} if isinstance(data, Mapping) else data


class ApcoCode(_Table):
    category: Text = "other"
    flags: Flags = ()


class ApcoFile(_Table):
    codes: dict[Text, ApcoCode] = {}


class Card(_Table):
    category: Text = "medical"
    flags: Flags = ()
    suffixes: dict[Text, Flags] = {}


class MpdsFile(_Table):
    cards: dict[int, Card] = {}
    determinants: dict[Annotated[Text, AfterValidator(_determinant)], Flags] = {}
    known: tuple[Text, ...] = ()


class Phrase(_Table):
    match: Matches = ()
    flags: Flags = ()
    category: Text = "other"


class Rewrite(_Table):
    match: Matches = ()
    to: Text = ""


class Typos(_Table):
    words: tuple[Annotated[Text, AfterValidator(_typo_word)], ...] = ()
    real_words: tuple[Text, ...] = ()


class CallTypesFile(_Table):
    phrases: tuple[Phrase, ...] = ()
    rewrites: tuple[Rewrite, ...] = ()
    categories: dict[Text, Flags] = {}
    typos: Typos = Typos()
    level_cards: dict[Text, Any] = {}


class MappingFiles(_Table):
    apco: ApcoFile = ApcoFile()
    mpds: MpdsFile = MpdsFile()
    call_types: CallTypesFile = CallTypesFile()


def code_mappings_from_data(
    apco: Mapping[str, Any] | None = None,
    mpds: Mapping[str, Any] | None = None,
    call_types: Mapping[str, Any] | None = None,
    exact_call_types: Iterable[tuple[str, str]] = (),
) -> CodeMappings:
    """Validate the parsed files and build ``CodeMappings``; raise ``ValueError`` listing every problem.

    ``apco``: ``{codes: {CODE: {category, flags}}}``. ``mpds``: ``{cards: {N: {category,
    flags, suffixes: {letter: [flags]}}}, determinants: {25B3: [flags]}, known: [codes]}``.
    ``call_types``: ``{phrases: [{match: [...], flags, category}], rewrites: [{match, to}],
    categories: {name: [flags]}, typos: {words: [...], real_words: [...]}, level_cards:
    {category: card}}``. ``exact_call_types``: (call-type string, category) pairs, e.g. a
    CAD taxonomy; each category must be one of ``call_types.categories``.
    """
    data = {"apco": apco, "mpds": mpds, "call_types": call_types}
    try:
        files = MappingFiles.model_validate(data)
    except ValidationError as exc:
        raise ValueError("; ".join(problems(exc, data))) from None
    exact = [(text, category.strip()) for text, category in exact_call_types if normalise_text(text)]
    errors = [
        f"call_types.level_cards.{name}: {card!r} is not a card of mpds.cards"
        for name, card in files.call_types.level_cards.items()
        if not isinstance(card, int) or card not in files.mpds.cards
    ] + [
        f"exact call type {text!r}: category {category!r} has no entry under call_types.categories"
        for text, category in exact
        if category not in files.call_types.categories
    ]
    if errors:
        raise ValueError("; ".join(errors))
    return CodeMappings.build(
        apco={code: (spec.category, spec.flags) for code, spec in files.apco.codes.items()},
        cards={card: (spec.category, spec.flags, spec.suffixes) for card, spec in files.mpds.cards.items()},
        determinants=files.mpds.determinants,
        known=files.mpds.known,
        categories=files.call_types.categories,
        phrases=[(p.match, p.flags, p.category) for p in files.call_types.phrases],
        rewrites=[(r.match, r.to) for r in files.call_types.rewrites],
        exact=exact,
        typo_words=files.call_types.typos.words,
        real_words=files.call_types.typos.real_words,
        level_cards=files.call_types.level_cards,
    )
