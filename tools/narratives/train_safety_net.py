"""Train the triage safety net: a learned, add-only second opinion on four danger facts.

    .venv/bin/python tools/narratives/train_safety_net.py [--date YYYY-MM-DD] [--out FILE] [--json]

Reads the real dispatch pages from the shared data folder
(``$CRISIS_DISPATCH_SHARED_DATA/calls/dispatch_narratives/dispatch_pages_mh_related.jsonl``,
else ``<repo>/../shared/data/...``) and the blind fact labels
``tools/narratives/facts/train_0.jsonl`` ... ``train_4.jsonl`` (2,600 pages). The sealed audit
``facts/audit6.jsonl`` is never read.

A page's text is ``f"{call_type} | {code} | {narrative}"``. Features are two scikit-learn
``TfidfVectorizer`` blocks, each L2-normalised on its own and joined side by side (word
1-2-grams and ``char_wb`` 3-5-grams, ``min_df=5`` so that nothing seen on fewer than five
training pages -- a name, an address -- is learned, ``sublinear_tf=True``). The vocabularies
are fitted on the labelled pages only (no label is used for that). One logistic regression
per fact (``weapon``, ``violence``, ``medical``, ``self_harm_in_progress``;
``class_weight="balanced"``, liblinear, fixed ``random_state``); its ``C`` is chosen from a
small grid by 5-fold stratified cross-validation (fixed seed): the highest out-of-fold recall
at the calm threshold, ties broken by average precision, then the smaller ``C``.

The threshold of a fact is the lowest (8-significant-digit) value at which at most 2 % of the
pages labelled ``calm_eligible=1`` score at or above it, out of fold, so the crisis team keeps
its calm calls. The report gives, per fact, the out-of-fold recall and precision at that
threshold, the positives, the calm pages flagged and the number of features kept.

Written to ``src/crisis_dispatch/domain/triage/lexicon/safety_net.json`` (read by the pure
standard-library ``crisis_dispatch.domain.triage.safety_net``): vocabularies with idf,
per-fact coefficients and intercepts, thresholds, the settings, the label files' sha256 and
the training date. Only page ids' counts and learned weights are written, never page text.
Features whose weights are all below ``1e-4`` in absolute value keep only their idf (it is
needed for the L2 norm). Floats are rounded to 8 significant digits and keys sorted, so a
re-run with the same ``--date`` writes the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAGES = Path("calls") / "dispatch_narratives" / "dispatch_pages_mh_related.jsonl"
LABEL_FILES = tuple(HERE / "facts" / f"train_{i}.jsonl" for i in range(5))
DEFAULT_OUT = REPO / "src" / "crisis_dispatch" / "domain" / "triage" / "lexicon" / "safety_net.json"

SCHEMA = "crisis-dispatch/safety-net/1"
FACTS = ("weapon", "violence", "medical", "self_harm_in_progress")
TEXT_FORMAT = "{call_type} | {code} | {narrative}"
WORD_TOKEN_PATTERN = r"(?u)\b\w+\b"
MIN_DF = 5
VECTORIZERS: tuple[dict[str, Any], ...] = (
    {"name": "word", "analyzer": "word", "ngram_range": [1, 2], "token_pattern": WORD_TOKEN_PATTERN},
    {"name": "char", "analyzer": "char_wb", "ngram_range": [3, 5], "token_pattern": None},
)
COMMON_VECTORIZER = {
    "lowercase": True,
    "strip_accents": None,
    "min_df": MIN_DF,
    "sublinear_tf": True,
    "smooth_idf": True,
    "use_idf": True,
    "norm": "l2",
}
C_GRID = (0.25, 1.0, 4.0, 16.0)
CV_FOLDS = 5
CV_SEED = 20261203
RANDOM_STATE = 0
MAX_ITER = 10_000
CALM_MAX_SHARE = 0.01
WEIGHT_FLOOR = 1e-4
DIGITS = 8


def shared_data_dir() -> Path:
    """The shared data folder: ``$CRISIS_DISPATCH_SHARED_DATA``, else ``<repo>/../shared/data``."""
    override = os.environ.get("CRISIS_DISPATCH_SHARED_DATA")
    return Path(override) if override else REPO / ".." / "shared" / "data"


def default_pages_path() -> Path:
    return shared_data_dir() / PAGES


def page_text(call_type: str, code: str, narrative: str) -> str:
    """The text the safety net reads (the same formula as the domain module)."""
    return TEXT_FORMAT.format(call_type=call_type, code=code, narrative=narrative)


def read_labels(label_files: Sequence[Path] = LABEL_FILES) -> list[dict[str, Any]]:
    """The labelled rows of the training files, in file order."""
    rows: list[dict[str, Any]] = []
    for path in label_files:
        if path.name.startswith("audit"):
            raise ValueError(f"{path.name} is a sealed audit, never training data")
        with path.open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise ValueError("a page id is labelled twice in the training files")
    return rows


def read_pages(pages_path: Path, ids: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """Pages by id (only ``ids`` when given)."""
    pages: dict[str, dict[str, Any]] = {}
    with pages_path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            page = json.loads(line)
            if ids is None or page["id"] in ids:
                pages[page["id"]] = page
    return pages


def training_texts(labels: Sequence[Mapping[str, Any]], pages: Mapping[str, Mapping[str, Any]]) -> list[str]:
    missing = [r["id"] for r in labels if r["id"] not in pages]
    if missing:
        raise ValueError(f"{len(missing)} labelled page ids are not in the pages file")
    return [page_text(pages[r["id"]]["call_type"], pages[r["id"]]["code"], pages[r["id"]]["narrative"]) for r in labels]


def make_vectorizer(spec: Mapping[str, Any]) -> TfidfVectorizer:
    """A ``TfidfVectorizer`` with the settings of one block (see ``VECTORIZERS``)."""
    return TfidfVectorizer(
        analyzer=spec["analyzer"],
        ngram_range=tuple(spec["ngram_range"]),
        token_pattern=spec["token_pattern"],
        lowercase=COMMON_VECTORIZER["lowercase"],
        strip_accents=COMMON_VECTORIZER["strip_accents"],
        min_df=COMMON_VECTORIZER["min_df"],
        sublinear_tf=COMMON_VECTORIZER["sublinear_tf"],
        smooth_idf=COMMON_VECTORIZER["smooth_idf"],
        use_idf=COMMON_VECTORIZER["use_idf"],
        norm=COMMON_VECTORIZER["norm"],
        dtype=np.float64,
    )


def make_classifier(c: float) -> LogisticRegression:
    return LogisticRegression(
        C=c,
        class_weight="balanced",
        solver="liblinear",
        dual=True,
        random_state=RANDOM_STATE,
        max_iter=MAX_ITER,
    )


def round_sig(x: float, digits: int = DIGITS) -> float:
    """``x`` rounded to ``digits`` significant digits (deterministic, shortest repr in JSON)."""
    return float(f"{float(x):.{digits}g}")


def threshold_above(x: float, digits: int = DIGITS) -> float:
    """The lowest ``digits``-significant-digit number strictly greater than ``x`` (``x`` > 0)."""
    d = Decimal(float(x))
    step = Decimal(1).scaleb(d.adjusted() - (digits - 1))
    t = d.quantize(step, rounding=ROUND_CEILING)
    while float(t) <= x:
        t += step
    return float(t)


def calm_threshold(calm_scores: np.ndarray, max_share: float = CALM_MAX_SHARE) -> float:
    """Lowest threshold with at most ``max_share`` of the calm pages at or above it."""
    allowed = int(np.floor(max_share * len(calm_scores) + 1e-9))
    ordered = np.sort(calm_scores)[::-1]
    if allowed >= len(ordered):
        return 0.0
    return threshold_above(float(ordered[allowed]))


def _folds(y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    skf = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=CV_SEED)
    return list(skf.split(np.zeros(len(y)), y))


def _oof(X: sp.csr_matrix, y: np.ndarray, c: float, folds: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    out = np.zeros(len(y), dtype=np.float64)
    for train, test in folds:
        model = make_classifier(c).fit(X[train], y[train])
        out[test] = model.predict_proba(X[test])[:, 1]
    return out


def _at_threshold(scores: np.ndarray, y: np.ndarray, calm: np.ndarray, threshold: float) -> dict[str, Any]:
    flagged = scores >= threshold
    tp = int(np.sum(flagged & (y == 1)))
    positives = int(np.sum(y == 1))
    return {
        "recall": round_sig(tp / positives) if positives else 0.0,
        "precision": round_sig(tp / int(np.sum(flagged))) if np.any(flagged) else 0.0,
        "calm_flagged": int(np.sum(flagged & calm)),
        "flagged": int(np.sum(flagged)),
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_model(
    pages_path: Path | None = None,
    label_files: Sequence[Path] = LABEL_FILES,
    date: str | None = None,
) -> dict[str, Any]:
    """Fit the safety net and return the JSON-ready model (floats already rounded)."""
    labels = read_labels(label_files)
    pages = read_pages(pages_path or default_pages_path(), {r["id"] for r in labels})
    texts = training_texts(labels, pages)
    calm = np.array([r["calm_eligible"] == 1 for r in labels])

    vectorizers = [make_vectorizer(spec) for spec in VECTORIZERS]
    blocks = [v.fit_transform(texts) for v in vectorizers]
    X = sp.hstack(blocks, format="csr")

    fitted: dict[str, dict[str, Any]] = {}
    for fact in FACTS:
        y = np.array([int(r[fact]) for r in labels])
        folds = _folds(y)
        best: tuple[float, float, float] | None = None
        chosen: dict[str, Any] = {}
        for c in C_GRID:
            oof = _oof(X, y, c, folds)
            threshold = calm_threshold(oof[calm])
            stats = _at_threshold(oof, y, calm, threshold)
            key = (stats["recall"], float(average_precision_score(y, oof)), -c)
            if best is None or key > best:
                best = key
                chosen = {"C": c, "threshold": threshold, "stats": stats, "ap": key[1]}
        model = make_classifier(chosen["C"]).fit(X, y)
        fitted[fact] = {"y": y, "model": model, **chosen}

    coef = np.vstack([fitted[f]["model"].coef_[0] for f in FACTS])  # (facts, features)
    keep = np.any(np.abs(coef) >= WEIGHT_FLOOR, axis=0)
    rounded = np.vectorize(round_sig, otypes=[np.float64])

    blocks_json: list[dict[str, Any]] = []
    start = 0
    for spec, vec in zip(VECTORIZERS, vectorizers, strict=True):
        names = vec.get_feature_names_out()
        idf = vec.idf_
        features: dict[str, list[float]] = {}
        for j, term in enumerate(names):
            col = start + j
            row = [round_sig(idf[j])]
            if keep[col]:
                row.extend(rounded(coef[:, col]).tolist())
            features[str(term)] = row
        start += len(names)
        blocks_json.append({**spec, **COMMON_VECTORIZER, "ngram_range": list(spec["ngram_range"]), "features": features})

    report: dict[str, Any] = {}
    facts_json: dict[str, Any] = {}
    for i, fact in enumerate(FACTS):
        f = fitted[fact]
        report[fact] = {
            "positives": int(np.sum(f["y"] == 1)),
            "C": f["C"],
            "threshold": f["threshold"],
            "oof_recall": f["stats"]["recall"],
            "oof_precision": f["stats"]["precision"],
            "oof_average_precision": round_sig(f["ap"]),
            "calm_flagged": f["stats"]["calm_flagged"],
            "oof_flagged": f["stats"]["flagged"],
            "features": int(np.sum(np.abs(coef[i]) >= WEIGHT_FLOOR)),
        }
        facts_json[fact] = {
            "C": f["C"],
            "intercept": round_sig(float(f["model"].intercept_[0])),
            "threshold": f["threshold"],
        }

    return {
        "schema": SCHEMA,
        "description": (
            "Learned, add-only safety net for triage: logistic regressions on tf-idf features of "
            "call type, code and narrative. A finding can only add responders, never remove any."
        ),
        "facts": list(FACTS),
        "text": TEXT_FORMAT,
        "vectorizers": blocks_json,
        "feature_columns": ["idf", *FACTS],
        "models": facts_json,
        "settings": {
            "classifier": "sklearn.linear_model.LogisticRegression",
            "class_weight": "balanced",
            "solver": "liblinear",
            "dual": True,
            "random_state": RANDOM_STATE,
            "max_iter": MAX_ITER,
            "C_grid": list(C_GRID),
            "C_choice": "max out-of-fold recall at the calm threshold, then average precision, then smaller C",
            "cv_folds": CV_FOLDS,
            "cv_seed": CV_SEED,
            "calm_max_share": CALM_MAX_SHARE,
            "threshold_rule": (
                "lowest value with at most calm_max_share of calm_eligible=1 pages scoring at or above it (out of fold)"
            ),
            "weight_floor": WEIGHT_FLOOR,
            "significant_digits": DIGITS,
            "sklearn_version": _sklearn_version(),
        },
        "training": {
            "date": date or dt.date.today().isoformat(),
            "label_files": {p.name: sha256(p) for p in label_files},
            "pages": len(labels),
            "calm_pages": int(np.sum(calm)),
            "vocabulary": {spec["name"]: len(v.vocabulary_) for spec, v in zip(VECTORIZERS, vectorizers, strict=True)},
            "features_kept": int(np.sum(keep)),
            "report": report,
        },
    }


def _sklearn_version() -> str:
    import sklearn

    return str(sklearn.__version__)


def render(model: Mapping[str, Any]) -> str:
    """The model as the bytes written to disk (sorted keys, compact, one trailing newline)."""
    return json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False) + "\n"


# --- scikit-learn view of a written model (used by the equivalence test) -------------------


def sklearn_from_model(model: Mapping[str, Any]) -> tuple[list[TfidfVectorizer], dict[str, LogisticRegression]]:
    """Rebuild scikit-learn estimators carrying exactly the written (rounded) parameters."""
    vectorizers: list[TfidfVectorizer] = []
    n_facts = len(model["facts"])
    coefs: list[np.ndarray] = []
    for block in model["vectorizers"]:
        terms = sorted(block["features"])
        vec = make_vectorizer(block)
        vec.vocabulary_ = {t: i for i, t in enumerate(terms)}
        vec.fixed_vocabulary_ = True
        vec.idf_ = np.array([block["features"][t][0] for t in terms], dtype=np.float64)
        vectorizers.append(vec)
        w = np.zeros((n_facts, len(terms)), dtype=np.float64)
        for j, t in enumerate(terms):
            row = block["features"][t]
            if len(row) > 1:
                w[:, j] = row[1:]
        coefs.append(w)
    weights = np.hstack(coefs)
    classifiers: dict[str, LogisticRegression] = {}
    for i, fact in enumerate(model["facts"]):
        lr = make_classifier(model["models"][fact]["C"])
        lr.classes_ = np.array([0, 1])
        lr.coef_ = weights[i : i + 1].copy()
        lr.intercept_ = np.array([model["models"][fact]["intercept"]], dtype=np.float64)
        lr.n_features_in_ = weights.shape[1]
        classifiers[fact] = lr
    return vectorizers, classifiers


def sklearn_scores(model: Mapping[str, Any], texts: Sequence[str]) -> dict[str, np.ndarray]:
    """``predict_proba`` of each fact for ``texts`` with the written parameters."""
    vectorizers, classifiers = sklearn_from_model(model)
    X = sp.hstack([v.transform(texts) for v in vectorizers], format="csr")
    return {fact: lr.predict_proba(X)[:, 1] for fact, lr in classifiers.items()}


def _table(model: Mapping[str, Any]) -> str:
    training = model["training"]
    lines = [
        f"safety net trained {training['date']} on {training['pages']} labelled pages "
        f"({training['calm_pages']} calm); vocabulary word={training['vocabulary']['word']} "
        f"char={training['vocabulary']['char']}, features kept {training['features_kept']}",
        f"{'fact':<24}{'pos':>5}{'C':>7}{'threshold':>13}{'recall':>8}{'prec':>7}{'AP':>7}{'calm':>6}{'feat':>7}",
    ]
    for fact, r in training["report"].items():
        lines.append(
            f"{fact:<24}{r['positives']:>5}{r['C']:>7g}{r['threshold']:>13.8g}{r['oof_recall']:>8.3f}"
            f"{r['oof_precision']:>7.3f}{r['oof_average_precision']:>7.3f}{r['calm_flagged']:>6}{r['features']:>7}"
        )
    lines.append(
        "(recall, precision, AP and calm pages flagged are out of fold; calm = calm_eligible pages at or above the threshold)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=Path, default=None, help="the dispatch pages (default: shared data)")
    parser.add_argument("--date", default=None, help="training date written to the model (default: today)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.date is not None:
        dt.date.fromisoformat(args.date)
    pages_path = args.pages or default_pages_path()
    if not pages_path.is_file():
        print(f"pages not found: {pages_path}", file=sys.stderr)
        return 2
    model = build_model(pages_path, LABEL_FILES, args.date)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(model), encoding="utf-8")
    if args.json:
        print(
            json.dumps(
                {k: model["training"][k] for k in ("date", "pages", "calm_pages", "vocabulary", "features_kept", "report")},
                indent=2,
                sort_keys=True,
            )
        )
    else:
        print(_table(model))
        print(f"written {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
