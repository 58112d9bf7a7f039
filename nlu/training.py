"""Train the per-language spaCy pipelines and the language identifier, reproducibly.

One pipeline per curated language: spaCy's tokenizer for that language, then the
intent classifier and entity extractor of `nlu.components`. Texts are normalized
(lowercase, no accents, folded Arabic-script variants) before training and parsing.
Training uses fixed seeds: the same data gives the same model.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from threadpoolctl import threadpool_limits

from nlu.components import ENTITY_COMPONENT, INTENT_COMPONENT, MODEL_VERSION
from nlu.language_id import DomainLanguageModel
from nlu.normalize import normalize
from nlu.rasa_yaml import Example, read_folder
from nlu.taxonomy import load_taxonomy
from resources_db.validation import ContentError

DATA_DIR = Path(__file__).with_name("data")
GAZETTEER = DATA_DIR / "neighbourhoods.yml"
LANGID_FILE = "language_id.pkl"
LANGID_META_FILE = "language_id.json"
META_FILE = "familybot.json"
SEED = 0
#: Solver threads while training. These models are small: with more threads than idle cores
#: (a shared 2-core machine, tests in parallel) the thread pools fight and a fit took 2–5x longer.
TRAINING_THREADS = 1

# Languages whose spaCy tokenizer needs an option to work without extra downloads.
_BLANK_CONFIG = {"vi": {"nlp": {"tokenizer": {"use_pyvi": False}}}}


@dataclass(frozen=True)
class TrainingReport:
    """What one language's training produced."""

    language: str
    examples: int
    intents: int
    seconds: float
    data_fingerprint: str


def blank_pipeline(language: str) -> Language:
    """An empty spaCy pipeline with the right tokenizer for `language`."""
    return spacy.blank(language, config=_BLANK_CONFIG.get(language, {}))


def gazetteer() -> dict[str, list[str]]:
    """Known neighbourhood and town names, for the entity extractor."""
    if not GAZETTEER.exists():
        return {}
    data = yaml.safe_load(GAZETTEER.read_text(encoding="utf-8")) or {}
    return {"neighbourhood": [str(name) for name in data.get("neighbourhoods", [])]}


def train_pipeline(language: str, examples: list[Example], seed: int = SEED) -> Language:
    """Train a pipeline for one language from its examples, with fixed seeds."""
    nlp = blank_pipeline(language)
    intents = nlp.add_pipe(INTENT_COMPONENT)
    entities = nlp.add_pipe(ENTITY_COMPONENT)
    docs = [nlp.make_doc(normalize(e.text)) for e in examples]
    with threadpool_limits(limits=TRAINING_THREADS):
        intents.fit(docs, [e.intent for e in examples], seed=seed)
    entities.fit(examples, gazetteer())
    return nlp


def training_examples(language: str, data_dir: Path = DATA_DIR, staff_dir: Path | None = None) -> list[Example]:
    """Every training example written for `language`, then those staff added from conversations."""
    examples = read_folder(data_dir / language)
    if staff_dir is not None:
        examples += read_folder(staff_dir / language)
    return examples


def data_fingerprint(language: str | None, data_dir: Path = DATA_DIR, staff_dir: Path | None = None) -> str:
    """A hash of a language's training files (every language's for None): a model is stale when it changes."""
    digest = hashlib.sha256(MODEL_VERSION.encode())
    pattern = f"{language}/*.yml" if language else "*/*.yml"
    staff = sorted(staff_dir.glob(pattern)) if staff_dir is not None else []
    for path in sorted(data_dir.glob(pattern)) + ([GAZETTEER] if GAZETTEER.exists() else []) + staff:
        # Staff files hash under their folder's name too: `fr/staff.yml` is not `en/staff.yml`.
        name = f"staff:{path.parent.name}/{path.name}" if path in staff else path.name
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_is_current(language: str | None, model_dir: Path, data_dir: Path = DATA_DIR,
                     staff_dir: Path | None = None) -> bool:
    """True when `model_dir/<language>` (the language identifier for None) was trained from the current data."""
    meta = model_dir / language / META_FILE if language else model_dir / LANGID_META_FILE
    if not meta.exists():
        return False
    current = data_fingerprint(language, data_dir, staff_dir)
    return json.loads(meta.read_text(encoding="utf-8")).get("data_fingerprint") == current


def train_language(language: str, model_dir: Path, data_dir: Path = DATA_DIR,
                   staff_dir: Path | None = None) -> TrainingReport:
    """Train and save the pipeline of one language into `model_dir/<language>`."""
    started = time.perf_counter()
    # Fingerprint first: a file changed during training makes the model stale, not falsely current.
    fingerprint = data_fingerprint(language, data_dir, staff_dir)
    examples = training_examples(language, data_dir, staff_dir)
    if len({e.intent for e in examples}) < 2:
        raise ContentError.single(data_dir / language, "folder", "needs examples of at least two intents")
    nlp = train_pipeline(language, examples)
    target = model_dir / language
    nlp.to_disk(target)
    report = TrainingReport(language, len(examples), len({e.intent for e in examples}),
                            round(time.perf_counter() - started, 2), fingerprint)
    (target / META_FILE).write_text(json.dumps(report.__dict__), encoding="utf-8")
    return report


def train_language_id(model_dir: Path, data_dir: Path = DATA_DIR, staff_dir: Path | None = None) -> DomainLanguageModel:
    """Train and save the in-domain language identifier from every language's examples."""
    fingerprint = data_fingerprint(None, data_dir, staff_dir)
    samples = [
        (example.text, language)
        for language in load_taxonomy().languages
        for example in training_examples(language, data_dir, staff_dir)
    ]
    with threadpool_limits(limits=TRAINING_THREADS):
        model = DomainLanguageModel.train(samples)
    model.save(model_dir / LANGID_FILE)
    (model_dir / LANGID_META_FILE).write_text(json.dumps({"data_fingerprint": fingerprint}), encoding="utf-8")
    return model
