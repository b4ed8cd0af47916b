"""The learned safety net: a second, add-only opinion on four danger facts of a call.

Four logistic regressions (``weapon``, ``violence``, ``medical``,
``self_harm_in_progress``), trained by ``tools/narratives/train_safety_net.py`` on blind
labels of real dispatch pages, read the text ``f"{call_type} | {code} | {narrative}"``. This
module scores that text in pure standard-library Python from the shipped parameters
(``lexicon/safety_net.json``) and reproduces scikit-learn exactly:

- two ``TfidfVectorizer`` blocks, each with scikit-learn's default preprocessing
  (``str.lower``, no accent stripping): word 1-2-grams of the token pattern written in the
  model, and ``char_wb`` 3-5-grams (runs of two or more white-space characters made one space,
  the text split on white space, each word padded with one space on each side, a word
  shorter than ``n`` counted once);
- sublinear term frequency ``1 + ln(tf)``, multiplied by the idf, each block L2-normalised on
  its own (an empty block stays zero), the blocks side by side;
- per fact, ``1 / (1 + exp(-(w . x + b)))``.

A fact at or above its threshold is a :class:`SafetyNetFinding`. The thresholds were set so
that at most 2 % of calm calls (labelled eligible for the crisis team alone) are flagged.
**The safety net can only add responders**: a finding may add police or EMS to a call, a
score below the threshold is no evidence of safety and never removes, denies or downgrades
anything the protocol, the codes, the answers or the narrative reader decided.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

SCHEMA = "crisis-dispatch/safety-net/1"
_WHITE_SPACES = re.compile(r"\s\s+")


class SafetyNetError(ValueError):
    """The safety-net parameters are malformed or use settings this module cannot reproduce."""


@dataclass(frozen=True)
class SafetyNetFinding:
    """A fact the safety net scores at or above its threshold (it can only add responders)."""

    fact: str
    score: float
    threshold: float


@dataclass(frozen=True)
class _Block:
    """One tf-idf vectorizer: its analyzer and, per feature, ``(idf, weights per fact)``."""

    name: str
    analyzer: str  # "word" or "char_wb"
    min_n: int
    max_n: int
    lowercase: bool
    token_pattern: re.Pattern[str] | None
    features: Mapping[str, tuple[float, tuple[float, ...] | None]] = field(repr=False, compare=False)

    def analyze(self, text: str) -> list[str]:
        """The n-grams of ``text``, as scikit-learn's analyzer yields them (with repeats)."""
        doc = text.lower() if self.lowercase else text
        if self.analyzer == "word":
            return self._word_ngrams(doc)
        return self._char_wb_ngrams(doc)

    def _word_ngrams(self, doc: str) -> list[str]:
        assert self.token_pattern is not None
        tokens: list[str] = self.token_pattern.findall(doc)
        min_n, max_n = self.min_n, self.max_n
        if max_n == 1:
            return tokens
        grams: list[str] = list(tokens) if min_n == 1 else []
        if min_n == 1:
            min_n = 2
        count = len(tokens)
        for n in range(min_n, min(max_n + 1, count + 1)):
            for i in range(count - n + 1):
                grams.append(" ".join(tokens[i : i + n]))
        return grams

    def _char_wb_ngrams(self, doc: str) -> list[str]:
        grams: list[str] = []
        for word in _WHITE_SPACES.sub(" ", doc).split():
            grams.extend(_padded_word_ngrams(word, self.min_n, self.max_n))
        return grams

    def accumulate(self, text: str, totals: list[float]) -> None:
        """Add this block's L2-normalised contribution ``w . x`` to ``totals`` (one per fact)."""
        counts = Counter(self.analyze(text))
        features = self.features
        values: list[tuple[float, tuple[float, ...] | None]] = []
        norm_sq = 0.0
        for gram, tf in counts.items():
            entry = features.get(gram)
            if entry is None:
                continue
            value = (1.0 + math.log(tf)) * entry[0]
            norm_sq += value * value
            values.append((value, entry[1]))
        if norm_sq == 0.0:
            return
        norm = math.sqrt(norm_sq)
        for value, weights in values:
            if weights is None:
                continue
            x = value / norm
            for i, w in enumerate(weights):
                totals[i] += x * w


@lru_cache(maxsize=1 << 16)
def _padded_word_ngrams(word: str, min_n: int, max_n: int) -> tuple[str, ...]:
    """scikit-learn's ``char_wb`` n-grams of one word: padded with a space on each side; a
    padded word no longer than ``n`` is one n-gram and ends the sizes (it is counted once)."""
    w = " " + word + " "
    length = len(w)
    grams: list[str] = []
    for n in range(min_n, max_n + 1):
        if n >= length:
            grams.append(w)
            break
        grams.extend([w[i : i + n] for i in range(length - n + 1)])
    return tuple(grams)


def _logistic(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class SafetyNet:
    """The learned, add-only safety net (see the module docstring).

    Build it with :meth:`from_dict` from the shipped JSON, or use :func:`load_safety_net`.
    Its findings can only add responders to a call, never remove any.
    """

    facts: tuple[str, ...]
    intercepts: tuple[float, ...]
    thresholds: tuple[float, ...]
    blocks: tuple[_Block, ...]
    text_format: str = "{call_type} | {code} | {narrative}"
    trained_on: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SafetyNet:
        """Parse the parameters written by ``tools/narratives/train_safety_net.py``."""
        if data.get("schema") != SCHEMA:
            raise SafetyNetError(f"unknown safety-net schema {data.get('schema')!r}, expected {SCHEMA!r}")
        facts = tuple(str(f) for f in data["facts"])
        models = data["models"]
        columns = list(data.get("feature_columns", ["idf", *facts]))
        if columns != ["idf", *facts]:
            raise SafetyNetError(f"feature columns {columns!r} do not match the facts {facts!r}")
        blocks = tuple(_parse_block(b, len(facts)) for b in data["vectorizers"])
        if not blocks:
            raise SafetyNetError("a safety net needs at least one vectorizer")
        training = data.get("training", {})
        return cls(
            facts=facts,
            intercepts=tuple(float(models[f]["intercept"]) for f in facts),
            thresholds=tuple(float(models[f]["threshold"]) for f in facts),
            blocks=blocks,
            text_format=str(data.get("text", cls.text_format)),
            trained_on=str(training.get("date", "")) if isinstance(training, Mapping) else "",
        )

    def text(self, call_type: str | None, code: str | None, narrative: str | None) -> str:
        """The text the net reads (missing parts are empty)."""
        return self.text_format.format(call_type=call_type or "", code=code or "", narrative=narrative or "")

    def scores(self, call_type: str | None, code: str | None, narrative: str | None) -> dict[str, float]:
        """The probability of each fact, in ``facts`` order (all in [0, 1])."""
        text = self.text(call_type, code, narrative)
        totals = list(self.intercepts)
        for block in self.blocks:
            block.accumulate(text, totals)
        return {fact: _logistic(z) for fact, z in zip(self.facts, totals, strict=True)}

    def findings(self, call_type: str | None, code: str | None, narrative: str | None) -> tuple[SafetyNetFinding, ...]:
        """The facts scored at or above their thresholds; each can only add responders."""
        scores = self.scores(call_type, code, narrative)
        return tuple(
            SafetyNetFinding(fact=fact, score=scores[fact], threshold=threshold)
            for fact, threshold in zip(self.facts, self.thresholds, strict=True)
            if scores[fact] >= threshold
        )


def _parse_block(block: Mapping[str, Any], n_facts: int) -> _Block:
    name = str(block.get("name", block.get("analyzer", "")))
    analyzer = block.get("analyzer")
    if analyzer not in ("word", "char_wb"):
        raise SafetyNetError(f"vectorizer {name!r}: analyzer {analyzer!r} is not supported")
    unsupported = {
        key: block.get(key)
        for key, expected in (
            ("norm", "l2"),
            ("sublinear_tf", True),
            ("use_idf", True),
            ("strip_accents", None),
        )
        if block.get(key, expected) != expected
    }
    if unsupported:
        raise SafetyNetError(f"vectorizer {name!r}: unsupported settings {unsupported!r}")
    ngram: Sequence[int] = block["ngram_range"]
    min_n, max_n = int(ngram[0]), int(ngram[1])
    if not 1 <= min_n <= max_n:
        raise SafetyNetError(f"vectorizer {name!r}: bad ngram_range {list(ngram)!r}")
    pattern: re.Pattern[str] | None = None
    if analyzer == "word":
        pattern = re.compile(str(block["token_pattern"]))
        if pattern.groups > 0:
            raise SafetyNetError(f"vectorizer {name!r}: a token pattern with groups is not supported")
    features: dict[str, tuple[float, tuple[float, ...] | None]] = {}
    for term, row in block["features"].items():
        if len(row) == 1:
            features[term] = (float(row[0]), None)
        elif len(row) == 1 + n_facts:
            features[term] = (float(row[0]), tuple(float(w) for w in row[1:]))
        else:
            raise SafetyNetError(f"vectorizer {name!r}: feature row of length {len(row)} for {n_facts} facts")
    return _Block(
        name=name,
        analyzer=str(analyzer),
        min_n=min_n,
        max_n=max_n,
        lowercase=bool(block.get("lowercase", True)),
        token_pattern=pattern,
        features=MappingProxyType(features),
    )


@cache
def load_safety_net() -> SafetyNet:
    """The packaged safety net (``lexicon/safety_net.json``), parsed once."""
    resource = files("crisis_dispatch.domain.triage").joinpath("lexicon", "safety_net.json")
    return SafetyNet.from_dict(json.loads(resource.read_text(encoding="utf-8")))


__all__ = ["SafetyNet", "SafetyNetError", "SafetyNetFinding", "load_safety_net"]
