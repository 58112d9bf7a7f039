"""Engines, sessions and schema migrations, for any SQLAlchemy URL."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import resources_db.content_version  # noqa: F401 - its listeners count every change to curated content

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: Connections a process keeps open to a database server. The HTTP server runs at most this
#: many requests in threads at once (`bot.server`), so each finds a kept connection: opening
#: one per request (SQLAlchemy's default pool keeps 5) costs PostgreSQL a new backend process.
POOL_SIZE = 16
#: Extra connections for other work of the same process (CLI jobs, admin pages), closed after use.
POOL_OVERFLOW = 8
#: The unit of work open in this context (`resources_db.serial.serialized`): transactions join it.
current_unit: ContextVar[tuple[Engine, Session] | None] = ContextVar("current_unit", default=None)


def make_engine(url: str) -> Engine:
    """Create an engine; for a SQLite file, create its folder and enforce foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        else:
            engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    event.listen(engine, "checkout", _drop_if_closed_by_server)
    return engine


def _drop_if_closed_by_server(dbapi_connection, _record, _proxy) -> None:
    """Replace a pooled connection the server has closed (a restart, an idle timeout).

    A server that closes a connection says so on its socket (a FATAL message, then end
    of file); an idle connection receives nothing otherwise. Polling the socket costs no
    round trip, unlike `pool_pre_ping`'s `SELECT 1` on every checkout. The pool opens a
    new connection when this raises.
    """
    if dbapi_connection.closed:
        raise exc.DisconnectionError("connection closed")
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    if poller.poll(0):
        raise exc.DisconnectionError("the database server closed this connection")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to `engine` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the latest by default)."""
    command.upgrade(alembic_config(engine), revision)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed together, or not at all.

    Inside a unit of work on the same engine, the work joins that unit's transaction.
    """
    unit = current_unit.get()
    if unit is not None and unit[0] is engine:
        yield unit[1]
        return
    # A plain Session: `sessionmaker()` builds a new Session subclass per call, which is slow.
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
