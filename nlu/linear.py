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

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indexes and L2-normalized TF-IDF values of `text`'s known n-grams."""
        vocabulary = self.vocabulary
        known = [(vocabulary[gram], count) for gram, count in Counter(self.analyzer(text)).items() if gram in vocabulary]
        if not known:
            return np.empty(0, dtype=np.intp), np.empty(0)
        columns = np.fromiter((column for column, _ in known), dtype=np.intp, count=len(known))
        tf = np.fromiter((count for _, count in known), dtype=np.float64, count=len(known))
        values = (1.0 + np.log(tf) if self.sublinear else tf) * self.idf[columns]
        values *= self.weight / np.sqrt(values @ values)
        return columns + self.offset, values


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
        parts = [view.features(text) for view in self._views]
        columns = np.concatenate([columns for columns, _ in parts])
        scores = self._intercept.copy()
        if len(columns):
            values = np.concatenate([values for _, values in parts]).astype(np.float32)
            scores += values @ self._weights[columns]
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()
