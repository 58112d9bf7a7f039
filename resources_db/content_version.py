"""A counter of changes to the curated content, so that server processes can cache it safely.

Every flush or bulk statement that adds, changes or deletes a row of the curated
tables (organizations, services, needs, phones, translations, …) bumps
`content_version.version` in the same transaction. A reader compares the counter (one
primary-key read) with the version its cache was built at, so a change staff make in
any server process is seen by every process at the next message, and a rolled-back
change never invalidates anything.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, bindparam, event, insert, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, UOWTransaction, mapped_column

from resources_db.hot_statements import HotStatement
from resources_db.models import Base

#: What families see comes from these tables (the audit log is not content).
CONTENT_TABLES = frozenset({
    "organization", "service", "service_need", "location", "address", "service_at_location",
    "phone", "schedule", "service_area", "language", "translation",
})
ROW_ID = 1


class ContentVersion(Base):
    """One row: how many times the curated content has changed."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Read for every question a family asks.
_CURRENT_VERSION = HotStatement(select(ContentVersion.version).where(ContentVersion.id == bindparam("id")))


def current_version(session: Session) -> int:
    """The content version this session's transaction sees (0 before any change)."""
    return _CURRENT_VERSION.run(session.connection(), {"id": ROW_ID}).scalar() or 0


def _bump(session: Session) -> None:
    connection = session.connection()
    table = ContentVersion.__table__
    bumped = connection.execute(update(table).where(table.c.id == ROW_ID).values(version=table.c.version + 1))
    if bumped.rowcount == 0:
        connection.execute(insert(table).values(id=ROW_ID, version=1))


def _touches_content(objects) -> bool:
    return any(getattr(type(o), "__tablename__", None) in CONTENT_TABLES for o in objects)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    if _touches_content(session.new) or _touches_content(session.dirty) or _touches_content(session.deleted):
        _bump(session)


@event.listens_for(Session, "do_orm_execute")
def _before_bulk_statement(state: ORMExecuteState) -> None:
    # Counted before the statement runs, in its transaction: if it fails, both roll back.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in CONTENT_TABLES:
        _bump(state.session)
