"""Fixtures shared by the whole suite: databases and the trained NLU."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from resources_db.database import make_engine, upgrade
from tests.postgres_server import (  # noqa: F401 - fixtures
    BACKENDS, postgres, postgres_database, postgres_seeded_database, postgres_seeded_template,
)

REPO = Path(__file__).resolve().parent.parent
#: `fakes`: fake Telegram and Twilio APIs on loopback, for tests of messages the bot sends first.
pytest_plugins = ["tests.bot.channels.fake_platforms"]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Every test that uses a database runs once on SQLite and once on PostgreSQL."""
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request) -> str:
    """The URL of a new, empty database (no tables) on the test's backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_database")


@pytest.fixture
def engine(database_url: str) -> Engine:
    """An empty database at the latest schema, migrated by Alembic."""
    engine = make_engine(database_url)
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


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """A database file holding the curated seed, built once per test session."""
    from resources_db.database import transaction
    from resources_db.formats import seed
    from resources_db.store import apply_bundle

    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with transaction(engine) as session:
        apply_bundle(session, seed.read(), "seed")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def seeded_engine(backend, tmp_path, request):
    """A fresh copy of the seeded database for one test."""
    import shutil

    if backend == "postgresql":
        engine = make_engine(request.getfixturevalue("postgres_seeded_database"))
        yield engine
        engine.dispose()
        return
    seeded_template = request.getfixturevalue("seeded_template")
    target = tmp_path / "seeded.db"
    shutil.copyfile(seeded_template, target)
    engine = make_engine(f"sqlite:///{target}")
    yield engine
    engine.dispose()


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


class LiveServer:
    """An ASGI app served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, app):
        import socket
        import threading

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server():
    """Start an app on loopback for the test and stop it afterwards: `with live_server(app) as s:`."""
    return LiveServer
