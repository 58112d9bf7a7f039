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
