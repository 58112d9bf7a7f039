"""The schema is created by Alembic migrations from an empty database."""

from sqlalchemy import inspect

from resources_db.database import make_engine, upgrade
import admin.learning.records  # noqa: F401 - so are the learning tables
import admin.records  # noqa: F401 - and staff accounts
import bot.broadcast.records  # noqa: F401 - staff broadcasts
import bot.calendar.records  # noqa: F401 - school calendars and reminders
import bot.contacts  # noqa: F401 - contact addresses too
import bot.records  # noqa: F401 - the conversation tables are part of the schema
import bot.staff_replies  # noqa: F401 - and the replies staff write to families
from resources_db.models import Base

HSDS_TABLES = {"organization", "service", "location", "address", "phone", "schedule",
               "service_area", "language", "service_at_location"}


def test_upgrade_from_empty_creates_every_table(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert HSDS_TABLES | {"translation", "audit_log", "service_need", "family_state", "conversation_turn", "handoff_request"} <= tables
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_downgrade_to_nothing_and_back(engine):
    """Every migration can be undone and redone, on SQLite and on PostgreSQL."""
    from alembic import command

    from resources_db.database import alembic_config

    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_upgrade_twice_is_harmless(engine):
    upgrade(engine)
    assert "service" in inspect(engine).get_table_names()


def test_migrations_match_the_models(engine):
    """A model change without a migration would break `db upgrade` on real servers."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_sqlite_folder_is_created(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'nested' / 'db.sqlite'}")
    upgrade(engine)
    assert (tmp_path / "var" / "nested" / "db.sqlite").exists()
