"""Units of work serialized by key, across threads and server processes.

Everything one incoming message changes (the family's state, the conversation log,
the answer stored against the platform's message id) is written in one transaction
that holds a lock on the family: two messages from one family, even handled by two
server processes, never interleave, and a failure leaves nothing half-applied.

PostgreSQL: a transaction-level advisory lock on a hash of the key (other families
go on in parallel). SQLite: `BEGIN IMMEDIATE`, the database's single write lock,
queued for with a file lock beside the database so that waiting writers sleep in the
kernel instead of SQLite's polling busy loop (which sleeps up to 100 ms between tries
and fails after its busy timeout under load).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.orm import Session

from resources_db.database import current_unit
from resources_db.hot_statements import HotStatement

# Taken for every message.
_ADVISORY_LOCK = HotStatement(select(func.pg_advisory_xact_lock(bindparam("id"))))


def lock_id(key: str) -> int:
    """A signed 64-bit number for `key`, as `pg_advisory_xact_lock` takes."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def serialized(engine: Engine, key: str) -> Iterator[Session]:
    """One transaction holding the lock on `key` until it commits (or rolls back).

    Code inside that calls `resources_db.database.transaction(engine)` joins it; a
    nested `serialized` on the same engine joins it too (taking its key's lock as well).
    """
    unit = current_unit.get()
    if unit is not None and unit[0] is engine:
        _lock(unit[1], key, fresh=False)
        yield unit[1]
        return
    with _writer_queue(engine), Session(engine, expire_on_commit=False) as session, session.begin():
        _lock(session, key, fresh=True)
        token = current_unit.set((engine, session))
        try:
            yield session
        finally:
            current_unit.reset(token)


@contextmanager
def _writer_queue(engine: Engine) -> Iterator[None]:
    """For a SQLite file, hold `<file>.lock` (every thread and process waits its turn there)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    descriptor = os.open(f"{database}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _lock(session: Session, key: str, fresh: bool) -> None:
    held = session.info.setdefault("familybot_locked_keys", set())
    if key in held:  # a nested unit for the same family (an SMS turn inside its message id's unit)
        return
    held.add(key)
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        _ADVISORY_LOCK.run(connection, {"id": lock_id(key)})
    elif dialect == "sqlite":
        if fresh:  # the driver has not begun yet: take the write lock now, not at the first write
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        raise NotImplementedError(f"No per-key lock for {dialect}: use PostgreSQL or SQLite.")
