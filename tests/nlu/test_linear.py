"""The compiled scorer gives the same probabilities as the scikit-learn pipeline it comes from."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from nlu.linear import LinearTextModel, char_wb_ngrams, word_ngrams
from nlu.normalize import normalize
from nlu.rasa_yaml import read_examples
from nlu.training import training_examples

HELDOUT = Path(__file__).parent / "heldout"


@pytest.fixture(scope="module")
def french_pipeline():
    """Words and character n-grams, weighted, as the intent classifier builds them."""
    examples = training_examples("fr")
    features = FeatureUnion(
        [("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)),
         ("tokens", TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True))],
        transformer_weights={"chars": 1.0, "tokens": 0.5},
    )
    model = make_pipeline(features, LogisticRegression(C=20, max_iter=3000, random_state=0))
    return model.fit([normalize(e.text) for e in examples], [e.intent for e in examples])


def test_french_held_out_probabilities_match_scikit_learn(french_pipeline):
    compiled = pickle.loads(pickle.dumps(LinearTextModel(french_pipeline)))  # as saved with the model
    texts = [normalize(e.text) for e in read_examples(HELDOUT / "fr.yml")]
    for text in texts + ["", "🙂🙂", "école école école", "x" * 5000]:
        assert compiled.predict_proba(text) == pytest.approx(french_pipeline.predict_proba([text])[0], abs=1e-5)
    assert compiled.classes == list(french_pipeline.classes_)


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


@pytest.mark.parametrize("text", ["école", "a", "  deux   mots\t\nici ", "ÉCOLE 9 ans", "我的孩子", ""])
def test_character_ngrams_are_cut_as_scikit_learn_cuts_them(text):
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5))
    assert char_wb_ngrams(text, 1, 5) == vectorizer.build_analyzer()(text)


def test_other_vectorizer_settings_are_refused():
    for settings in ({"analyzer": "word"}, {"analyzer": "char_wb", "strip_accents": "unicode"}, {"analyzer": "char_wb", "norm": "l1"}):
        model = make_pipeline(TfidfVectorizer(**settings), LogisticRegression())
        model.fit(["aa", "bb", "cc"], ["a", "b", "c"])
        with pytest.raises(TypeError):
            LinearTextModel(model)


def test_serving_does_not_import_scikit_learn(nlu_parser, tmp_path):
    """scikit-learn costs a server ~75 MB: loading and using trained models must not need it."""
    import subprocess
    import sys

    code = (
        "import sys; from bot.settings import Settings; from nlu.parser import NluParser; "
        "p = NluParser(Settings.from_env().model_dir); p.load_all(); p.parse('mon fils a besoin d un ordi'); "
        "print('sklearn' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
