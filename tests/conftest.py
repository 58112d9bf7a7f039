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
