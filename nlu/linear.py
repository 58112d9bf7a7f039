"""Score one message with a trained TF-IDF + logistic-regression model, fast and light.

scikit-learn is built for batches: asking a fitted pipeline about *one* short message
spends most of its time validating inputs and building sparse matrices (measured:
several milliseconds per call, most of a parse), and importing it costs a server
about 75 MB. A bot answers one message at a time, so after training each pipeline
is compiled into the few things it really uses: how it cuts text into n-grams, the
n-gram vocabulary, the IDF weights and the class weights (float32, one row per
n-gram). Scoring looks up the message's n-grams and sums their rows; serving never
imports scikit-learn. The result equals `pipeline.predict_proba([text])[0]` (tests
check it on held-out messages).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")


def word_ngrams(text: str) -> list[str]:
    """Unigrams and bigrams of an (already tokenized, space-joined) text."""
    words = text.split()
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Character n-grams inside word boundaries, padded with spaces (scikit-learn's `char_wb`)."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        word = f" {word} "
        for n in range(min_n, max_n + 1):
            grams += [word[i : i + n] for i in range(max(1, len(word) - n + 1))]
            if len(word) <= n:  # a short word counts once, whatever n
                break
    return grams


@dataclass(frozen=True)
class _View:
    """One TF-IDF vectorizer's part of the feature space."""

    ngram_range: tuple[int, int] | None  # None: word n-grams (`word_ngrams`)
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear: bool
    weight: float
    offset: int

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indexes and L2-normalized TF-IDF values of `text`'s known n-grams."""
        grams = word_ngrams(text) if self.ngram_range is None else char_wb_ngrams(text, *self.ngram_range)
        vocabulary, columns, counts = self.vocabulary, [], []
        for gram, count in Counter(grams).items():
            column = vocabulary.get(gram)
            if column is not None:
                columns.append(column)
                counts.append(count)
        if not columns:
            return np.empty(0, dtype=np.intp), np.empty(0)
        columns, tf = np.array(columns, dtype=np.intp), np.array(counts, dtype=np.float64)
        values = (1.0 + np.log(tf) if self.sublinear else tf) * self.idf[columns]
        values *= self.weight / np.sqrt(values @ values)
        return columns + self.offset, values


def _view(vectorizer, weight: float, offset: int) -> _View:
    """Compile one fitted TfidfVectorizer, refusing settings this module does not reproduce."""
    if vectorizer.analyzer == "char_wb" and vectorizer.lowercase and not vectorizer.strip_accents:
        ngram_range = tuple(vectorizer.ngram_range)
    elif vectorizer.analyzer is word_ngrams:
        ngram_range = None
    else:
        raise TypeError("expected analyzer='char_wb' (lowercase, accents kept) or analyzer=word_ngrams")
    if vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.preprocessor is not None:
        raise TypeError("expected TfidfVectorizer(norm='l2', use_idf=True) without a preprocessor")
    return _View(ngram_range, dict(vectorizer.vocabulary_), vectorizer.idf_.astype(np.float64),
                 vectorizer.sublinear_tf, weight, offset)


class LinearTextModel:
    """A compiled `TfidfVectorizer` (or a `FeatureUnion` of them) + `LogisticRegression`."""

    def __init__(self, pipeline):
        from sklearn.linear_model import LogisticRegression  # training time only
        from sklearn.pipeline import FeatureUnion

        features, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
        if len(pipeline.steps) != 2 or not isinstance(classifier, LogisticRegression):
            raise TypeError("expected a two-step TF-IDF + LogisticRegression pipeline")
        if isinstance(features, FeatureUnion):
            weights = features.transformer_weights or {}
            parts = [(vectorizer, weights.get(name, 1.0)) for name, vectorizer in features.transformer_list]
        else:
            parts = [(features, 1.0)]
        self._views: list[_View] = []
        offset = 0
        for vectorizer, weight in parts:
            self._views.append(_view(vectorizer, weight, offset))
            offset += len(vectorizer.vocabulary_)
        # One row of class weights per n-gram: a message's rows are gathered and summed.
        coef, intercept = classifier.coef_, classifier.intercept_
        if len(classifier.classes_) == 2:  # one score z for the second class: softmax([0, z]) is its sigmoid
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        self._weights = np.ascontiguousarray(coef.T, dtype=np.float32)
        self._intercept = intercept.astype(np.float64)
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
