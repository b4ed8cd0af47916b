"""The learned safety net: pure-Python scores equal scikit-learn's, and the shipped weights
are exactly what ``tools/narratives/train_safety_net.py`` learns from the blind labels.

The real pages are read from the shared data folder (never copied; the tests skip with a
clear reason when it is absent, and fail in CI). The labels are page ids and 0/1 facts only
(``tools/narratives/facts/train_*.jsonl``); the sealed audit ``audit6.jsonl`` is not read.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from crisis_dispatch.domain.triage.safety_net import SafetyNet, SafetyNetFinding, load_safety_net
from tests.shared_data import shared_data_dir

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "tools" / "narratives" / "train_safety_net.py"
SHIPPED = REPO / "src" / "crisis_dispatch" / "domain" / "triage" / "lexicon" / "safety_net.json"


@pytest.fixture(scope="module")
def train() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_safety_net", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    return load_safety_net()


@pytest.fixture(scope="module")
def pages_path(train: ModuleType) -> Path:
    path: Path = shared_data_dir() / train.PAGES
    return path


@pytest.fixture(scope="module")
def training_pages(train: ModuleType, pages_path: Path) -> list[dict[str, Any]]:
    """The labelled training pages (call type, code, narrative), in label-file order."""
    labels = train.read_labels()
    pages = train.read_pages(pages_path, {r["id"] for r in labels})
    return [pages[r["id"]] for r in labels]


def test_pure_python_scores_equal_sklearn_predict_proba_on_every_training_page(
    train: ModuleType, shipped: dict[str, Any], net: SafetyNet, training_pages: list[dict[str, Any]]
) -> None:
    texts = [train.page_text(p["call_type"], p["code"], p["narrative"]) for p in training_pages]
    expected = train.sklearn_scores(shipped, texts)  # predict_proba with the shipped parameters
    worst = {fact: 0.0 for fact in net.facts}
    for i, page in enumerate(training_pages):
        scores = net.scores(page["call_type"], page["code"], page["narrative"])
        for fact in net.facts:
            worst[fact] = max(worst[fact], abs(scores[fact] - float(expected[fact][i])))
    assert len(training_pages) == 2600
    assert all(d <= 1e-9 for d in worst.values()), worst


def test_the_shipped_model_is_what_the_training_script_learns_from_the_labels(
    train: ModuleType, shipped: dict[str, Any], pages_path: Path
) -> None:
    rebuilt = train.render(train.build_model(pages_path, train.LABEL_FILES, shipped["training"]["date"]))
    assert rebuilt == SHIPPED.read_text(encoding="utf-8"), (
        "stale safety net: run tools/narratives/train_safety_net.py "
        f"--date {shipped['training']['date']} (or a new date) and commit the JSON"
    )


def test_every_feature_was_seen_on_at_least_five_training_pages(
    train: ModuleType, shipped: dict[str, Any], training_pages: list[dict[str, Any]]
) -> None:
    texts = [train.page_text(p["call_type"], p["code"], p["narrative"]) for p in training_pages]
    for block in shipped["vectorizers"]:
        analyze = train.make_vectorizer(block).build_analyzer()
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(analyze(text)))
        vocabulary = set(block["features"])
        rare = sorted(t for t in vocabulary if df[t] < 5)
        assert rare == [], f"{block['name']}: {len(rare)} features on fewer than five training pages"
        assert vocabulary == {t for t, n in df.items() if n >= 5}


def test_thresholds_keep_the_calm_calls(shipped: dict[str, Any]) -> None:
    training = shipped["training"]
    allowed = math.floor(0.02 * training["calm_pages"])
    for fact in shipped["facts"]:
        assert training["report"][fact]["calm_flagged"] <= allowed
        assert 0.0 < shipped["models"][fact]["threshold"] < 1.0
    assert set(training["label_files"]) == {f"train_{i}.jsonl" for i in range(5)}


def test_scores_are_probabilities_one_per_fact_and_deterministic(net: SafetyNet) -> None:
    assert net.facts == ("weapon", "violence", "medical", "self_harm_in_progress")
    for call in (
        ("EDP", "25A1", "MALE TALKING TO HIMSELF, NO WEAPONS"),
        ("SUICIDE ATTEMPT", "25D", "pt cut wrists, bleeding, knife in hand"),
        ("", "", ""),
        (None, None, None),
        ("  \t ", "x", "a\n\nb  c\u00a0d \u00c9T\u00c9"),
    ):
        first = net.scores(*call)
        assert list(first) == list(net.facts)
        assert all(0.0 <= s <= 1.0 and math.isfinite(s) for s in first.values())
        assert net.scores(*call) == first
        findings = net.findings(*call)
        assert findings == net.findings(*call)
        for finding in findings:
            assert isinstance(finding, SafetyNetFinding)
            assert finding.score == first[finding.fact] >= finding.threshold
        assert {f.fact for f in findings} == {fact for fact, t in zip(net.facts, net.thresholds, strict=True) if first[fact] >= t}


def test_load_is_cached_and_from_dict_round_trips(shipped: dict[str, Any]) -> None:
    assert load_safety_net() is load_safety_net()
    again = SafetyNet.from_dict(shipped)
    call = ("PSYCH", "25B3W", "subject has a knife and is threatening family")
    assert again.scores(*call) == load_safety_net().scores(*call)
    with pytest.raises(ValueError):
        SafetyNet.from_dict({**shipped, "schema": "something-else"})
