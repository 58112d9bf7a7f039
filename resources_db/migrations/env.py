"""Alembic environment: runs migrations on the engine handed over by `database.upgrade`."""

from alembic import context

import admin.learning.records  # noqa: F401 - learning tables share the schema
import admin.records  # noqa: F401 - staff access tables share the schema
import bot.broadcast.records  # noqa: F401 - staff broadcasts
import bot.calendar.records  # noqa: F401 - school calendars and reminders
import bot.contacts  # noqa: F401 - contact addresses (opt-in outbound messages)
import bot.records  # noqa: F401 - conversation tables share the schema
import bot.staff_replies  # noqa: F401 - replies staff write to families
import resources_db.content_version  # noqa: F401 - the content change counter
from resources_db.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
