"""The intent classifier: trained reproducibly, its two models mixed as cross-validation says."""

from __future__ import annotations

import pytest
import spacy

from nlu.components import INTENT_COMPONENT, IntentClassifier
from nlu.rasa_yaml import Example
from nlu.training import train_pipeline, training_examples


@pytest.fixture(scope="module")
def portuguese():
    return training_examples("pt")[::3]  # a third of them: enough to cross-validate, quick to train


def test_the_mix_is_chosen_by_cross_validation_and_reproducible(portuguese, tmp_path):
    first, second = train_pipeline("pt", portuguese), train_pipeline("pt", portuguese)
    classifier = first.get_pipe(INTENT_COMPONENT)
    assert classifier.weight in IntentClassifier.WEIGHT_GRID
    assert second.get_pipe(INTENT_COMPONENT).weight == classifier.weight
    text = "meu filho nao quer mais ir pra escola"
    assert first(text).cats == pytest.approx(second(text).cats, rel=1e-9)

    first.to_disk(tmp_path / "pt")
    loaded = spacy.load(tmp_path / "pt")
    assert loaded.get_pipe(INTENT_COMPONENT).weight == classifier.weight
    assert loaded(text).cats == pytest.approx(first(text).cats)


def test_too_few_examples_to_cross_validate_mix_equally():
    # A staff member's first example of a new intent: one, fewer than the folds.
    assert IntentClassifier.WEIGHT_FOLDS > 1
    examples = [Example(text, "food_aid") for text in ["comida", "banco de comida", "tengo hambre", "comida gratis"]]
    examples += [Example(text, "housing") for text in ["apartamento"]]
    nlp = train_pipeline("es", examples)
    assert nlp.get_pipe(INTENT_COMPONENT).weight == 0.5
    assert max(nlp("necesito comida").cats.items(), key=lambda item: item[1])[0] == "food_aid"
