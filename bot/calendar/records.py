"""Tables of school calendars, families' reminder subscriptions and sent reminders.

Per-family tables carry `user_key` (bot.identity) so privacy export/delete finds them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from resources_db.models import Base


class School(Base):
    """A school whose calendar the bot knows, with the names families may type for it."""

    __tablename__ = "school"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    #: Other names: "École Saint-Louis", "St-Louis", "Saint Louis primary"…
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    #: Where the calendar came from (file name or URL) and when it was imported.
    source: Mapped[str] = mapped_column(String(500), default="")
    imported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CalendarEvent(Base):
    """One occurrence of a calendar event (recurrences are expanded at import)."""

    __tablename__ = "calendar_event"
    __table_args__ = (UniqueConstraint("school_id", "uid", "start_date", name="uq_calendar_event_occurrence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(300))
    #: One of bot.calendar.event_types.KINDS.
    kind: Mapped[str] = mapped_column(String(30), index=True)
    summary: Mapped[str] = mapped_column(Text)
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    #: Last day the event covers (inclusive), in the calendar's time zone.
    end_date: Mapped[dt.date] = mapped_column(Date)
    #: Local start time "HH:MM" of a timed event (a parents' evening); None for all-day events.
    start_time: Mapped[str | None] = mapped_column(String(5))


class CalendarSubscription(Base):
    """A family that asked for reminders (and school messages) of one school."""

    __tablename__ = "calendar_subscription"

    user_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReminderDelivery(Base):
    """One reminder for one family and one event occurrence: written before sending, so never twice."""

    __tablename__ = "reminder_delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: user_key:school_id:uid:start_date — unique, the at-most-once guarantee.
    key: Mapped[str] = mapped_column(String(500), unique=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    school_id: Mapped[str] = mapped_column(String(100))
    event_uid: Mapped[str] = mapped_column(String(300))
    event_date: Mapped[dt.date] = mapped_column(Date)
    #: sending (claimed; if the process died here the outcome is unknown and it is not retried),
    #: sent, failed, skipped.
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    message_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
