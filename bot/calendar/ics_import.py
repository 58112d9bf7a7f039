"""Import a school's iCalendar (.ics) file or URL, all of it or nothing.

Recurring events (RRULE, RDATE, EXDATE) are expanded with `recurring-ical-events`
into one row per occurrence, within the calendar's own span (plus a year for open
rules). Timed events are converted to the calendar time zone (FAMILYBOT_TIMEZONE);
floating times are read in it. All-day events keep their dates (DTEND is exclusive
in iCalendar: an event with DTEND 2027-03-06 ends on 2027-03-05).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.calendar.event_types import classify
from bot.calendar.records import CalendarEvent, School

#: A school calendar is a few kilobytes; refuse anything absurd before parsing it.
MAX_BYTES = 5 * 1024 * 1024
FETCH_TIMEOUT = 15.0
#: How far past the last explicit date an endless RRULE is expanded.
OPEN_RULE_HORIZON = dt.timedelta(days=366)


class CalendarError(ValueError):
    """The calendar cannot be imported; the message says why, for staff."""


@dataclass(frozen=True)
class Occurrence:
    uid: str
    kind: str
    summary: str
    start_date: dt.date
    end_date: dt.date
    start_time: str | None


@dataclass(frozen=True)
class ImportReport:
    school_id: str
    school_name: str
    events: int
    by_kind: dict[str, int]
    first: dt.date | None
    last: dt.date | None


def read_source(source: str, timeout: float = FETCH_TIMEOUT) -> bytes:
    """The bytes of a local .ics file or an http(s) URL (with a timeout and a size limit)."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        try:
            with httpx.stream("GET", source, timeout=timeout, follow_redirects=True) as response:
                if response.status_code != 200:
                    raise CalendarError(f"{source}: the server answered HTTP {response.status_code}")
                data = b""
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > MAX_BYTES:
                        raise CalendarError(f"{source}: larger than {MAX_BYTES // 1024 // 1024} MB, not a school calendar")
                return data
        except httpx.TimeoutException as exc:
            raise CalendarError(f"{source}: no answer within {timeout:g} seconds") from exc
        except httpx.HTTPError as exc:
            raise CalendarError(f"{source}: cannot be downloaded ({type(exc).__name__})") from exc
    path = Path(source)
    if not path.is_file():
        raise CalendarError(f"{source}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise CalendarError(f"{source}: larger than {MAX_BYTES // 1024 // 1024} MB, not a school calendar")
    return path.read_bytes()


def parse(data: bytes, timezone: str = "America/Montreal") -> list[Occurrence]:
    """Every event occurrence of an iCalendar document, classified; CalendarError if malformed."""
    if not data.strip():
        raise CalendarError("the file is empty")
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
        raise CalendarError(f"not a valid iCalendar file: {exc}") from exc
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise CalendarError("not a valid iCalendar file: it must start with BEGIN:VCALENDAR")
    events = calendar.walk("VEVENT")
    if not events:
        raise CalendarError("the calendar has no events (VEVENT)")
    zone = ZoneInfo(timezone)
    starts = []
    for index, event in enumerate(events, start=1):
        if event.get("DTSTART") is None:
            raise CalendarError(f"event {index} ({event.get('SUMMARY', 'no summary')}) has no DTSTART")
        try:
            start = event.decoded("DTSTART")
        except (ValueError, TypeError) as exc:
            raise CalendarError(f"event {index} has an unreadable DTSTART: {exc}") from exc
        if not isinstance(start, dt.date):
            raise CalendarError(f"event {index} has an unreadable DTSTART: {event.get('DTSTART')!r}")
        starts.append(_local_date(start, zone))
    window_start, window_end = min(starts), max(starts) + OPEN_RULE_HORIZON
    try:
        expanded = recurring_ical_events.of(calendar).between(window_start, window_end)
    except Exception as exc:  # noqa: BLE001 - the library raises many kinds on bad rules
        raise CalendarError(f"the recurrence rules cannot be expanded: {exc}") from exc
    occurrences = {}
    for event in expanded:
        occurrence = _occurrence(event, zone)
        occurrences[(occurrence.uid, occurrence.start_date)] = occurrence
    return sorted(occurrences.values(), key=lambda o: (o.start_date, o.uid))


def _local_date(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.date:
    if isinstance(value, dt.datetime):
        return _local(value, zone).date()
    return value


def _local(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


def _occurrence(event, zone: ZoneInfo) -> Occurrence:
    summary = str(event.get("SUMMARY", "")).strip()
    uid = str(event.get("UID", "")).strip() or f"no-uid:{summary}"
    categories = []
    for entry in event.get("CATEGORIES", []) if isinstance(event.get("CATEGORIES"), list) else [event.get("CATEGORIES")]:
        if entry is not None:
            categories.extend(str(c) for c in entry.cats)
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND") if event.get("DTEND") is not None else None
    if isinstance(start, dt.datetime):
        local_start = _local(start, zone)
        local_end = _local(end, zone) if isinstance(end, dt.datetime) else local_start
        last = max(local_start.date(), (local_end - dt.timedelta(microseconds=1)).date())
        return Occurrence(uid, classify(summary, categories), summary, local_start.date(), last,
                          local_start.strftime("%H:%M"))
    last = (end - dt.timedelta(days=1)) if isinstance(end, dt.date) and end > start else start
    return Occurrence(uid, classify(summary, categories), summary, start, last, None)


def slug(name: str) -> str:
    """A stable id for a school name: "École Saint-Louis" -> "ecole-saint-louis"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100] or "school"


def import_calendar(session: Session, school_name: str, source: str, aliases: list[str] | tuple[str, ...] = (),
                    timezone: str = "America/Montreal", data: bytes | None = None) -> ImportReport:
    """Replace the school's calendar by the one in `source`, in the caller's transaction.

    Everything is parsed before the database is touched: a malformed file changes nothing.
    """
    if not school_name.strip():
        raise CalendarError("the school needs a name")
    occurrences = parse(read_source(source) if data is None else data, timezone)
    school_id = slug(school_name)
    school = session.get(School, school_id) or School(id=school_id, name=school_name.strip(), aliases=[])
    school.name = school_name.strip()
    school.aliases = sorted({*school.aliases, *(a.strip() for a in aliases if a.strip())})
    school.source, school.imported_at = source[:500], dt.datetime.now(dt.UTC)
    session.add(school)
    session.flush()
    session.execute(delete(CalendarEvent).where(CalendarEvent.school_id == school_id))
    session.add_all(CalendarEvent(school_id=school_id, uid=o.uid[:300], kind=o.kind, summary=o.summary,
                                  start_date=o.start_date, end_date=o.end_date, start_time=o.start_time)
                    for o in occurrences)
    by_kind: dict[str, int] = {}
    for o in occurrences:
        by_kind[o.kind] = by_kind.get(o.kind, 0) + 1
    return ImportReport(school_id, school.name, len(occurrences), by_kind,
                        occurrences[0].start_date if occurrences else None,
                        occurrences[-1].end_date if occurrences else None)


def schools(session: Session) -> list[School]:
    """Every school with a calendar, by name."""
    return list(session.scalars(select(School).order_by(School.name)))
