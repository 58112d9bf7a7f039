"""Measure how well the parser understands a set of labelled examples."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from nlu.normalize import normalize
from nlu.rasa_yaml import Example
from nlu.taxonomy import FALLBACK_INTENT
from nlu.training import SEED, train_pipeline

Report = dict[str, Any]


def score(expected: Sequence[str], predicted: Sequence[str]) -> Report:
    """Accuracy, macro F1, per-intent figures and the most frequent confusions."""
    labels = sorted(set(expected))
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0
    )
    confusions = Counter((e, p) for e, p in zip(expected, predicted, strict=True) if e != p)
    n = len(expected)
    return {
        "n": n,
        "accuracy": round(sum(e == p for e, p in zip(expected, predicted, strict=True)) / n, 4) if n else 0.0,
        "macro_f1": round(float(f1.mean()), 4) if n else 0.0,
        "per_intent": {
            label: {
                "precision": round(float(precision[i]), 4),
                "recall": round(float(recall[i]), 4),
                "f1": round(float(f1[i]), 4),
                "support": int(support[i]),
            }
            for i, label in enumerate(labels)
        },
        "confusions": [
            {"expected": e, "predicted": p, "count": c} for (e, p), c in confusions.most_common(10)
        ],
    }


def evaluate(parse: Callable[[str], dict], examples: Sequence[Example]) -> Report:
    """Parse every example (language detected, never given) and score the intents."""
    results = [parse(example.text) for example in examples]
    report = score([e.intent for e in examples], [r["intent"]["name"] for r in results])
    report["languages"] = dict(Counter(r["language"]["code"] for r in results).most_common())
    return report


def cross_validate(language: str, examples: Sequence[Example], folds: int,
                   threshold: float) -> Report:
    """K-fold cross-validation of one language's intent classifier (language given)."""
    intents = [e.intent for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    expected: list[str] = []
    predicted: list[str] = []
    for train_index, test_index in splitter.split(examples, intents):
        nlp = train_pipeline(language, [examples[i] for i in train_index])
        for i, doc in zip(test_index, nlp.pipe(normalize(examples[i].text) for i in test_index), strict=True):
            cats = doc.cats
            best = max(cats, key=cats.get)
            expected.append(examples[i].intent)
            predicted.append(best if cats[best] >= threshold else FALLBACK_INTENT)
    report = score(expected, predicted)
    report["language"] = language
    report["folds"] = folds
    return report


def table(report: Report) -> str:
    """A readable text table of a report."""
    lines = [f"n={report['n']}  accuracy={report['accuracy']:.3f}  macro_f1={report['macro_f1']:.3f}", ""]
    lines.append(f"{'intent':<22}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}")
    for intent, m in report["per_intent"].items():
        lines.append(f"{intent:<22}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>9}")
    if report["confusions"]:
        lines += ["", "Most frequent confusions (expected -> predicted):"]
        lines += [f"  {c['expected']} -> {c['predicted']}: {c['count']}" for c in report["confusions"]]
    return "\n".join(lines)

