"""School calendars for the admin pages: what each school has, and imports by staff.

Imports go through `bot.calendar.ics_import` exactly as `familybot calendar import`
does (same parsing, validation, URL timeout and size limit, all or nothing); this
module only adds what the pages need: uploaded bytes, summaries, and the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from bot.calendar.event_types import KINDS
from bot.calendar.ics_import import MAX_BYTES, CalendarError, ImportReport, import_calendar, read_source, slug
from bot.calendar.records import CalendarEvent, School
from bot.calendar.store import CalendarBook, Event
from resources_db.database import transaction
from resources_db.store import audit

#: How many upcoming dates of each type a school's page lists.
UPCOMING_PER_KIND = 20


@dataclass(frozen=True)
class SchoolSummary:
    """One school's calendar at a glance."""

    id: str
    name: str
    aliases: tuple[str, ...]
    events: int
    first: dt.date | None
    last: dt.date | None
    source: str
    imported_at: dt.datetime | None


def school_summaries(engine: Engine) -> list[SchoolSummary]:
    """Every school with its number of dates and the span they cover, by name."""
    counts = (select(CalendarEvent.school_id, func.count().label("events"),
                     func.min(CalendarEvent.start_date).label("first"), func.max(CalendarEvent.end_date).label("last"))
              .group_by(CalendarEvent.school_id).subquery())
    query = (select(School, counts.c.events, counts.c.first, counts.c.last)
             .outerjoin(counts, counts.c.school_id == School.id).order_by(School.name))
    with transaction(engine) as session:
        return [SchoolSummary(s.id, s.name, tuple(s.aliases or ()), events or 0, first, last, s.source, s.imported_at)
                for s, events, first, last in session.execute(query)]


def upcoming_by_kind(engine: Engine, school_id: str, since: dt.date) -> list[tuple[str, list[Event]]]:
    """The school's dates still to come, grouped by event type (in the order of `KINDS`)."""
    book = CalendarBook(engine)
    grouped = []
    for kind in KINDS:
        events = book.upcoming(school_id, since, frozenset({kind}), limit=UPCOMING_PER_KIND)
        if events:
            grouped.append((kind, events))
    return grouped


def import_for_staff(engine: Engine, school: str, aliases: list[str], timezone: str, actor: str, *,
                     url: str | None = None, filename: str | None = None, data: bytes | None = None) -> ImportReport:
    """Replace a school's calendar by an uploaded file (`filename`, `data`) or a `url`, and audit it.

    Raises CalendarError, with nothing changed, when the source cannot be read or is malformed.
    """
    if url:
        source = url.strip()
        if not re.match(r"^https?://", source, re.IGNORECASE):
            # read_source also opens local paths (for the CLI); from a web form, only URLs.
            raise CalendarError(f"{source[:200]}: the address must start with https:// or http://")
        data = read_source(source)  # fetched before the transaction: a slow server holds no database lock
    elif data is not None:
        source = f"upload:{filename or 'calendar.ics'}"
        if len(data) > MAX_BYTES:
            raise CalendarError(f"{filename}: larger than {MAX_BYTES // 1024 // 1024} MB, not a school calendar")
    else:
        raise CalendarError("choose an .ics file or give its URL")
    with transaction(engine) as session:
        before = session.scalar(select(func.count()).select_from(CalendarEvent)
                                .where(CalendarEvent.school_id == slug(school)))
        report = import_calendar(session, school, source, aliases, timezone, data=data)
        audit(session, actor, "import", "school_calendar", report.school_id, "events", f"{before} dates",
              f"{report.events} dates from {source}")
    return report
