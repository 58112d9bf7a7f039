"""Score one message with a trained TF-IDF + logistic-regression model, fast.

scikit-learn is built for batches: asking a fitted pipeline about *one* short message
spends most of its time validating inputs and building sparse matrices (measured:
several milliseconds per call, most of a parse). A bot answers one message at a time,
so after training, each pipeline is compiled into the few arrays it really uses: the
n-gram vocabulary, the IDF weights and the class weights (float32, one row per
n-gram). Scoring then looks up the message's n-grams and sums their rows. The result
equals `pipeline.predict_proba([text])[0]` (a test checks it on every held-out set).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


@dataclass(frozen=True)
class _View:
    """One TF-IDF vectorizer's part of the feature space."""

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear: bool
    weight: float
    offset: int

    def features(self, text: str) -> tuple[list[int], list[float]]:
        """Column indexes and L2-normalized TF-IDF values of `text`'s known n-grams."""
        counts = Counter(self.analyzer(text))
        columns, values = [], []
        for gram, count in counts.items():
            column = self.vocabulary.get(gram)
            if column is not None:
                tf = 1.0 + math.log(count) if self.sublinear else float(count)
                columns.append(column)
                values.append(tf * float(self.idf[column]))
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        scale = self.weight / norm
        return [self.offset + c for c in columns], [v * scale for v in values]


class LinearTextModel:
    """A compiled `TfidfVectorizer` (or a `FeatureUnion` of them) + multinomial `LogisticRegression`."""

    def __init__(self, pipeline: Pipeline):
        features, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
        if len(pipeline.steps) != 2 or not isinstance(classifier, LogisticRegression) or len(classifier.classes_) < 3:
            raise TypeError("expected a two-step TF-IDF + multiclass LogisticRegression pipeline")
        if isinstance(features, FeatureUnion):
            weights = features.transformer_weights or {}
            parts = [(vectorizer, weights.get(name, 1.0)) for name, vectorizer in features.transformer_list]
        else:
            parts = [(features, 1.0)]
        self._views: list[_View] = []
        offset = 0
        for vectorizer, weight in parts:
            if not isinstance(vectorizer, TfidfVectorizer) or vectorizer.norm != "l2" or not vectorizer.use_idf:
                raise TypeError("expected TfidfVectorizer(norm='l2', use_idf=True)")
            self._views.append(_View(vectorizer.build_analyzer(), dict(vectorizer.vocabulary_),
                                     vectorizer.idf_.astype(np.float64), vectorizer.sublinear_tf, weight, offset))
            offset += len(vectorizer.vocabulary_)
        # One row of class weights per n-gram: a message's rows are gathered and summed.
        self._weights = np.ascontiguousarray(classifier.coef_.T, dtype=np.float32)
        self._intercept = classifier.intercept_.astype(np.float64)
        self.classes: list[str] = [str(label) for label in classifier.classes_]

    def predict_proba(self, text: str) -> np.ndarray:
        """Probability of each class (in `classes` order) for one text."""
        columns: list[int] = []
        values: list[float] = []
        for view in self._views:
            view_columns, view_values = view.features(text)
            columns += view_columns
            values += view_values
        scores = self._intercept.copy()
        if columns:
            scores += np.asarray(values, dtype=np.float32) @ self._weights[columns]
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()
