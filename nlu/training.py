"""Train the per-language spaCy pipelines and the language identifier, reproducibly.

One pipeline per curated language: spaCy's tokenizer for that language (Chinese is
segmented by character; the text classifier's bigrams then see two-character words),
a text classifier (spaCy's ensemble: bag-of-words plus a small CNN over hashed
prefixes, suffixes and shapes, which copes with typos) and an entity recognizer for
`child_age`, `grade` and `neighbourhood`. Texts are normalized (lowercase, no accents,
folded Arabic-script variants) before training and parsing.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example as SpacyExample
from spacy.util import compounding, minibatch

from nlu.language_id import DomainLanguageModel
from nlu.normalize import normalize
from nlu.rasa_yaml import Example, read_folder
from nlu.taxonomy import load_taxonomy

DATA_DIR = Path(__file__).with_name("data")
LANGID_FILE = "language_id.pkl"
SEED = 0
EPOCHS = 12

# Languages whose spaCy tokenizer needs an option to work without extra downloads.
_BLANK_CONFIG = {"vi": {"nlp": {"tokenizer": {"use_pyvi": False}}}}

TEXTCAT_MODEL = {
    "@architectures": "spacy.TextCatEnsemble.v2",
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 64,
            "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
            "rows": [5000, 2500, 2500, 1000],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 64,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 2,
        },
    },
    "linear_model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
    },
}


@dataclass(frozen=True)
class TrainingReport:
    """What one language's training produced."""

    language: str
    examples: int
    intents: int
    seconds: float


def blank_pipeline(language: str) -> Language:
    """An empty spaCy pipeline with the right tokenizer for `language`."""
    return spacy.blank(language, config=_BLANK_CONFIG.get(language, {}))


def build_pipeline(language: str, intents: Iterable[str]) -> Language:
    """A pipeline with text classifier and entity recognizer, labels added."""
    nlp = blank_pipeline(language)
    textcat = nlp.add_pipe("textcat", config={"model": TEXTCAT_MODEL})
    for intent in intents:
        textcat.add_label(intent)
    nlp.add_pipe("ner")
    return nlp


def to_spacy(nlp: Language, example: Example, intents: Iterable[str]) -> SpacyExample:
    """A spaCy training example from a Rasa example, on normalized text."""
    doc = nlp.make_doc(normalize(example.text))
    cats = {intent: float(intent == example.intent) for intent in intents}
    spans = [(e.start, e.end, e.entity) for e in example.entities]
    # Entities that do not fall on token boundaries are dropped rather than misaligned.
    aligned = [s for s in spans if doc.char_span(*s) is not None]
    return SpacyExample.from_dict(doc, {"cats": cats, "entities": aligned})


def train_pipeline(
    language: str,
    examples: list[Example],
    epochs: int = EPOCHS,
    seed: int = SEED,
    progress: Callable[[int, int], None] | None = None,
) -> Language:
    """Train a pipeline for one language from its examples, with fixed seeds."""
    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    intents = sorted({e.intent for e in examples})
    nlp = build_pipeline(language, intents)
    data = [to_spacy(nlp, e, intents) for e in examples]
    optimizer = nlp.initialize(lambda: data)
    for epoch in range(epochs):
        rng.shuffle(data)
        losses: dict[str, float] = {}
        for batch in minibatch(data, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        if progress:
            progress(epoch + 1, epochs)
    return nlp


def training_examples(language: str, data_dir: Path = DATA_DIR) -> list[Example]:
    """Every training example written for `language`."""
    return read_folder(data_dir / language)


def train_language(language: str, model_dir: Path, data_dir: Path = DATA_DIR,
                   progress: Callable[[int, int], None] | None = None) -> TrainingReport:
    """Train and save the pipeline of one language into `model_dir/<language>`."""
    started = time.perf_counter()
    examples = training_examples(language, data_dir)
    nlp = train_pipeline(language, examples, progress=progress)
    target = model_dir / language
    nlp.to_disk(target)
    report = TrainingReport(language, len(examples), len({e.intent for e in examples}),
                            round(time.perf_counter() - started, 2))
    (target / "familybot.json").write_text(json.dumps(report.__dict__), encoding="utf-8")
    return report


def train_language_id(model_dir: Path, data_dir: Path = DATA_DIR) -> DomainLanguageModel:
    """Train and save the in-domain language identifier from every language's examples."""
    samples = [
        (example.text, language)
        for language in load_taxonomy().languages
        for example in training_examples(language, data_dir)
    ]
    model = DomainLanguageModel.train(samples)
    model.save(model_dir / LANGID_FILE)
    return model
