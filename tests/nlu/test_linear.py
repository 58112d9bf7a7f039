"""The compiled scorer gives the same answer as the scikit-learn pipeline it comes from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from nlu.components import INTENT_COMPONENT
from nlu.linear import LinearTextModel
from nlu.normalize import normalize
from nlu.rasa_yaml import read_examples
from nlu.taxonomy import load_taxonomy

HELDOUT = Path(__file__).parent / "heldout"


@pytest.mark.parametrize("language", load_taxonomy().languages)
def test_intent_probabilities_match_scikit_learn(nlu_parser, language):
    words, chars = nlu_parser.pipeline(language).get_pipe(INTENT_COMPONENT).model
    compiled_words, compiled_chars = LinearTextModel(words), LinearTextModel(chars)
    texts = [normalize(e.text) for e in read_examples(HELDOUT / f"{language}.yml")]
    for text in texts[:40] + ["", "🙂🙂", "école école école"]:
        assert compiled_words.predict_proba(text) == pytest.approx(words.predict_proba([text])[0], abs=1e-5)
        assert compiled_chars.predict_proba(text) == pytest.approx(chars.predict_proba([text])[0], abs=1e-5)
    assert compiled_words.classes == [str(c) for c in words.classes_]


def test_unknown_ngrams_give_the_prior():
    model = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)), LogisticRegression())
    model.fit(["aa", "bb", "cc", "aab", "bbc", "cca"], ["a", "b", "c", "a", "b", "c"])
    compiled = LinearTextModel(model)
    assert np.allclose(compiled.predict_proba("zzz"), model.predict_proba(["zzz"])[0], atol=1e-6)
    assert compiled.predict_proba("zzz").sum() == pytest.approx(1.0)


def test_only_tfidf_plus_multiclass_logistic_regression_compiles():
    binary = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(["yes", "no"], ["y", "n"])
    with pytest.raises(TypeError):
        LinearTextModel(binary)
