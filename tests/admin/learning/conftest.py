"""Fixtures for the learning pages: a small NLU that trains in seconds, and its copies."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from nlu.parser import NluParser
from nlu.rasa_yaml import read_examples, read_folder, write_examples
from nlu.training import DATA_DIR, train_language, train_language_id

REPO = Path(__file__).resolve().parents[3]
#: Enough intents for real conversations, few enough that retraining takes seconds.
INTENTS = ("greet", "thanks", "goodbye", "help", "human_handoff", "out_of_scope", "affirm", "deny",
           "food_aid", "housing", "homework_help", "computer_access", "recreation", "crisis")
LANGUAGES = ("fr", "en")
PER_INTENT = 12


@dataclass(frozen=True)
class SmallNlu:
    """A French and English NLU trained on a slice of the real examples."""

    data_dir: Path
    eval_dir: Path
    model_dir: Path

    def copy(self, target: Path) -> tuple[Path, Path]:
        """A private model folder and an empty staff folder for one test."""
        shutil.copytree(self.model_dir, target / "models")
        (target / "staff").mkdir()
        return target / "models", target / "staff"


@pytest.fixture(scope="session")
def small_nlu(tmp_path_factory) -> SmallNlu:
    root = tmp_path_factory.mktemp("small-nlu")
    for language in LANGUAGES:
        counts: dict[str, int] = {}
        kept = []
        for example in read_folder(DATA_DIR / language):
            if example.intent in INTENTS and counts.get(example.intent, 0) < PER_INTENT:
                counts[example.intent] = counts.get(example.intent, 0) + 1
                kept.append(example)
        write_examples(kept, root / "data" / language / "nlu.yml")
        heldout = [e for e in read_examples(REPO / "tests/nlu/heldout" / f"{language}.yml") if e.intent in INTENTS]
        write_examples(heldout, root / "heldout" / f"{language}.yml")
    train_language_id(root / "models", root / "data")
    for language in LANGUAGES:
        train_language(language, root / "models", root / "data")
    return SmallNlu(root / "data", root / "heldout", root / "models")


@pytest.fixture
def small_parser(small_nlu, tmp_path) -> NluParser:
    """A parser over a private copy of the small models, reading staff examples from tmp/staff."""
    models, staff = small_nlu.copy(tmp_path)
    return NluParser(models, 0.15, small_nlu.data_dir, staff)


@pytest.fixture
def small_dialogue(small_parser, seeded_engine):
    """A Dialogue over the seeded database that reads messages with the small NLU."""
    from bot.answers import ResourceAnswers
    from bot.dialogue import Dialogue
    from bot.safety import DangerDetector
    from bot.state import StateStore
    from translations.machine import MachineTranslator

    return Dialogue(parser=small_parser, store=StateStore(seeded_engine), answers=ResourceAnswers(seeded_engine),
                    danger=DangerDetector.from_file(), machine=MachineTranslator(seeded_engine, None),
                    salt="test-salt")


@pytest.fixture
def admin_dialogue(small_dialogue):
    """The admin app's Dialogue: the small NLU, so that pages can list, teach and retrain."""
    return small_dialogue
