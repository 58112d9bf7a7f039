"""Fixtures shared by the whole suite: databases and the trained NLU."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from resources_db.database import make_engine, upgrade

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """An empty database at the latest schema, in a temporary SQLite file."""
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def nlu_parser():
    """The NLU with every curated language loaded (trained first if the data changed)."""
    from bot.settings import Settings
    from nlu.parser import NluParser

    settings = Settings.from_env()
    parser = NluParser(settings.model_dir, settings.nlu_threshold)
    parser.load_all()
    return parser


@pytest.fixture
def seeded_engine(engine):
    """A database holding the curated seed resources."""
    from resources_db.database import transaction
    from resources_db.formats import seed
    from resources_db.store import apply_bundle

    with transaction(engine) as session:
        apply_bundle(session, seed.read(), "seed")
    return engine


@pytest.fixture
def make_dialogue(seeded_engine, nlu_parser):
    """Build a Dialogue over the seeded database, optionally with a translation provider."""
    from bot.answers import ResourceAnswers
    from bot.dialogue import Dialogue
    from bot.safety import DangerDetector
    from bot.state import StateStore
    from translations.machine import MachineTranslator

    def build(provider=None, timeout: float = 1.0) -> Dialogue:
        return Dialogue(
            parser=nlu_parser,
            store=StateStore(seeded_engine),
            answers=ResourceAnswers(seeded_engine),
            danger=DangerDetector.from_file(),
            machine=MachineTranslator(seeded_engine, provider, timeout=timeout),
            salt="test-salt",
        )

    return build


@pytest.fixture
def dialogue(make_dialogue):
    """A Dialogue with no machine translation configured (the default)."""
    return make_dialogue()
