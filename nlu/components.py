"""Custom spaCy pipeline components: the intent classifier and the entity extractor.

Why not spaCy's built-in `textcat`: measured on our held-out sets, with a few hundred
short, misspelled examples per language, spaCy's CNN/BOW text classifiers scored well
below a character n-gram model and took minutes per language to train. This
component keeps spaCy's per-language tokenization (Chinese segmented by character,
Vietnamese by syllable) and adds character n-grams, which survive typos and missing
accents, in a linear model that trains in seconds.

Entities (`child_age`, `grade`, `neighbourhood`) come from patterns learned from the
annotated training examples: every annotated value becomes a pattern, with its digits
generalised ("15 ans" also finds "9 ans"); neighbourhood names also come from a
gazetteer. Patterns are predictable, and staff extend them by annotating examples.
"""

from __future__ import annotations

import json
import pickle
import random
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlu.linear import LinearTextModel, word_ngrams
from nlu.normalize import normalize
from nlu.rasa_yaml import Example

#: Bump when the features or the model change: trained models are then stale.
MODEL_VERSION = "5"
INTENT_COMPONENT = "familybot_intents"
ENTITY_COMPONENT = "familybot_entities"


def add_typos(text: str, rng: random.Random) -> str:
    """A copy of `text` with phone-style typos: dropped, swapped or doubled letters."""
    chars = list(text)
    for _ in range(max(1, len(chars) // 15)):
        if len(chars) < 4:
            break
        i = rng.randrange(len(chars) - 1)
        if not chars[i].isalpha():
            continue
        roll = rng.random()
        if roll < 1 / 3:
            del chars[i]
        elif roll < 2 / 3:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars.insert(i, chars[i])
    return "".join(chars)


class IntentClassifier:
    """Sets `doc.cats` to the probability of each intent."""

    #: Shares of the word+character model in the average, tried by cross-validation.
    WEIGHT_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
    #: Folds of that cross-validation (0: no search, equal shares).
    WEIGHT_FOLDS = 2
    #: The solver's tolerance in those folds: looser than scikit-learn's 1e-4, which halves
    #: their cost, since only the ranking of the shares is needed from them.
    WEIGHT_FOLD_TOLERANCE = 1e-3

    def __init__(self, nlp: Language, name: str = INTENT_COMPONENT):
        self.nlp, self.name = nlp, name
        #: The word+character model and the character model, compiled for one-message scoring.
        self.models: tuple[LinearTextModel, LinearTextModel] | None = None
        #: Share of the word+character model in the average; the character model has the rest.
        self.weight = 0.5

    def _features(self, doc: Doc) -> str:
        return " ".join(token.text for token in doc)

    def fit(self, docs: list[Doc], intents: list[str], seed: int = 0, typo_copies: int = 1) -> None:
        """Train on normalized docs; `typo_copies` noisy copies teach robustness to misspelling.

        The share of each model in the average is chosen by cross-validation on these
        same training examples: no evaluation set is ever consulted.
        """
        words, chars = self._fit_pair(docs, intents, seed, typo_copies)
        self.weight = self._cross_validated_weight(docs, intents, seed, typo_copies)
        self.models = (LinearTextModel(words), LinearTextModel(chars))

    def _fit_pair(self, docs: list[Doc], intents: list[str], seed: int, typo_copies: int, tol: float = 1e-4):
        """The two fitted scikit-learn pipelines (training time only)."""
        from sklearn.feature_extraction.text import TfidfVectorizer  # training only: serving never loads it
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        rng = random.Random(seed)
        texts = [self._features(doc) for doc in docs]
        labels = list(intents)
        for _ in range(typo_copies):
            texts += [add_typos(t, rng) for t in texts[: len(docs)]]
            labels += intents
        # Two views of the text, averaged:
        # words and character 1–5-grams trained with typo copies, which tolerates misspelling;
        # plain character 1–4-grams on the clean examples, which keeps rare exact cues sharp.
        features = FeatureUnion(
            [("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)),
             ("tokens", TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True))],
            transformer_weights={"chars": 1.0, "tokens": 0.5},
        )
        words = make_pipeline(features, LogisticRegression(C=20, max_iter=3000, tol=tol, random_state=seed))
        chars = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
                              LogisticRegression(C=10, max_iter=3000, tol=tol, random_state=seed))
        words.fit(texts, labels)
        chars.fit([doc.text for doc in docs], intents)
        return words, chars

    def _cross_validated_weight(self, docs: list[Doc], intents: list[str], seed: int, typo_copies: int) -> float:
        """The share of the word+character model that classifies held-back folds best.

        Ties go to the share closest to an equal average. With too few examples per
        intent to cross-validate (a new language, staff data), the shares stay equal.
        """
        import numpy as np
        from sklearn.model_selection import StratifiedKFold

        labels = sorted(set(intents))
        counts = Counter(intents)
        if self.WEIGHT_FOLDS < 2 or min(counts[label] for label in labels) < self.WEIGHT_FOLDS:
            return 0.5
        column = {label: i for i, label in enumerate(labels)}
        expected = np.array([column[intent] for intent in intents])
        held_back = {view: np.zeros((len(docs), len(labels))) for view in ("words", "chars")}
        splitter = StratifiedKFold(n_splits=self.WEIGHT_FOLDS, shuffle=True, random_state=seed)
        for train, test in splitter.split(np.zeros(len(docs)), expected):
            pair = self._fit_pair([docs[i] for i in train], [intents[i] for i in train], seed, typo_copies,
                                  tol=self.WEIGHT_FOLD_TOLERANCE)
            inputs = ([self._features(docs[i]) for i in test], [docs[i].text for i in test])
            for view, pipeline, texts in zip(("words", "chars"), pair, inputs, strict=True):
                columns = [column[str(label)] for label in pipeline.classes_]
                held_back[view][np.ix_(test, columns)] = pipeline.predict_proba(texts)

        def correct(weight: float) -> int:
            mixed = weight * held_back["words"] + (1 - weight) * held_back["chars"]
            return int((mixed.argmax(axis=1) == expected).sum())

        return max(self.WEIGHT_GRID, key=lambda weight: (correct(weight), -abs(weight - 0.5)))

    def __call__(self, doc: Doc) -> Doc:
        words, chars = self.models
        # A model with no share is not asked at all: every message is scored here.
        probabilities = 0.0
        if self.weight > 0:
            probabilities = probabilities + self.weight * words.predict_proba(self._features(doc))
        if self.weight < 1:
            probabilities = probabilities + (1 - self.weight) * chars.predict_proba(doc.text)
        doc.cats = {label: float(p) for label, p in zip(words.classes, probabilities, strict=True)}
        return doc

    def to_disk(self, path: Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "model.pkl").write_bytes(pickle.dumps((self.models, self.weight)))

    def from_disk(self, path: Path, exclude: Iterable[str] = ()) -> IntentClassifier:
        self.models, self.weight = pickle.loads((Path(path) / "model.pkl").read_bytes())
        return self


class EntityExtractor:
    """Finds entities with patterns learned from annotated examples."""

    def __init__(self, nlp: Language, name: str = ENTITY_COMPONENT):
        self.nlp, self.name = nlp, name
        self.patterns: dict[str, list[str]] = {}
        self._compiled: list[tuple[str, re.Pattern[str]]] = []

    def fit(self, examples: Iterable[Example], gazetteer: dict[str, Iterable[str]] | None = None) -> None:
        """Learn one pattern per distinct annotated value (digits generalised)."""
        patterns: dict[str, set[str]] = {}
        for example in examples:
            for entity in example.entities:
                value = normalize(entity.value).strip()
                if value:
                    patterns.setdefault(entity.entity, set()).add(re.sub(r"\d+", r"\\d{1,2}", re.escape(value)))
        for label, values in (gazetteer or {}).items():
            patterns.setdefault(label, set()).update(re.escape(normalize(v).strip()) for v in values if v.strip())
        self.patterns = {label: sorted(values, key=len, reverse=True) for label, values in sorted(patterns.items())}
        self._compile()

    def _compile(self) -> None:
        # Whole words only, except in Chinese, written without spaces between words.
        before, after = ("", "") if self.nlp.lang == "zh" else (r"(?<![^\W\d_])", r"(?![^\W\d_])")
        self._compiled = [
            (label, re.compile(rf"{before}(?:{'|'.join(values)}){after}"))
            for label, values in self.patterns.items()
            if values
        ]

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for label, pattern in self._compiled:
            for match in pattern.finditer(doc.text):
                span = doc.char_span(match.start(), match.end(), label=label, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.ents = filter_spans(spans)
        return doc

    def to_disk(self, path: Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "patterns.json").write_text(json.dumps(self.patterns, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path: Path, exclude: Iterable[str] = ()) -> EntityExtractor:
        self.patterns = json.loads((Path(path) / "patterns.json").read_text(encoding="utf-8"))
        self._compile()
        return self


@Language.factory(INTENT_COMPONENT)
def make_intent_classifier(nlp: Language, name: str) -> IntentClassifier:
    return IntentClassifier(nlp, name)


@Language.factory(ENTITY_COMPONENT)
def make_entity_extractor(nlp: Language, name: str) -> EntityExtractor:
    return EntityExtractor(nlp, name)
