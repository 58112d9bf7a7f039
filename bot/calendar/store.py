"""Read school calendars: which school a family means, what happens on a day, what comes next."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from sqlalchemy import Engine, select

from bot.calendar.event_types import NO_SCHOOL, OTHER
from bot.calendar.phrases import tokens
from bot.calendar.records import CalendarEvent, School
from resources_db.database import transaction

#: Words that say "school" rather than which one; they alone never pick a school.
GENERIC_WORDS = frozenset({"ecole", "school", "primaire", "primary", "secondaire", "secondary", "elementary",
                           "de", "du", "des", "la", "le", "l", "the", "of", "my", "mon", "ma", "is", "est",
                           "escuela", "escola", "lekol", "college", "polyvalente"})


@dataclass(frozen=True)
class SchoolInfo:
    id: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    uid: str
    kind: str
    summary: str
    start: dt.date
    end: dt.date
    time: str | None

    @property
    def no_school(self) -> bool:
        return self.kind in NO_SCHOOL


def _event(row: CalendarEvent) -> Event:
    return Event(row.uid, row.kind, row.summary, row.start_date, row.end_date, row.start_time)


class CalendarBook:
    """Queries over imported school calendars."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def schools(self) -> list[SchoolInfo]:
        with transaction(self.engine) as session:
            return [SchoolInfo(s.id, s.name, tuple(s.aliases or ())) for s in
                    session.scalars(select(School).order_by(School.name))]

    def school(self, school_id: str | None) -> SchoolInfo | None:
        if not school_id:
            return None
        with transaction(self.engine) as session:
            row = session.get(School, school_id)
            return None if row is None else SchoolInfo(row.id, row.name, tuple(row.aliases or ()))

    def match_school(self, text: str) -> SchoolInfo | None:
        """The school whose name or alias the text contains (typos tolerated); None if unclear."""
        words = _key_words(text)
        if not words:
            return None
        scored = []
        for school in self.schools():
            best = 0.0
            for name in (school.name, *school.aliases):
                key = _key_words(name)
                if key:
                    best = max(best, sum(_found(k, words) for k in key) / len(key))
            scored.append((best, school))
        scored.sort(key=lambda pair: -pair[0])
        if not scored or scored[0][0] < 0.6:
            return None
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            return None  # two schools fit equally: ask rather than guess
        return scored[0][1]

    def on(self, school_id: str, day: dt.date) -> list[Event]:
        """Events covering `day`, no-school days first."""
        with transaction(self.engine) as session:
            rows = session.scalars(select(CalendarEvent).where(
                CalendarEvent.school_id == school_id, CalendarEvent.start_date <= day, CalendarEvent.end_date >= day,
            ).order_by(CalendarEvent.start_date, CalendarEvent.id))
            return sorted((_event(r) for r in rows), key=lambda e: not e.no_school)

    def upcoming(self, school_id: str, since: dt.date, kinds: frozenset[str] | None = None,
                 limit: int = 3) -> list[Event]:
        """The next events (still going on or starting from `since`), of `kinds` or of any known kind."""
        query = select(CalendarEvent).where(CalendarEvent.school_id == school_id, CalendarEvent.end_date >= since)
        query = query.where(CalendarEvent.kind.in_(kinds)) if kinds else query.where(CalendarEvent.kind != OTHER)
        with transaction(self.engine) as session:
            rows = session.scalars(query.order_by(CalendarEvent.start_date, CalendarEvent.id).limit(limit))
            return [_event(r) for r in rows]

    def year_span(self, school_id: str, around: dt.date) -> tuple[dt.date, dt.date] | None:
        """First and last day of the school year ending next after `around` (or the last one known)."""
        def day(kind: str, *conditions, latest: bool):
            order = CalendarEvent.start_date.desc() if latest else CalendarEvent.start_date
            return session.scalar(select(CalendarEvent.start_date).where(
                CalendarEvent.school_id == school_id, CalendarEvent.kind == kind, *conditions).order_by(order).limit(1))

        with transaction(self.engine) as session:
            last = day("last_day", CalendarEvent.start_date >= around, latest=False) or day(
                "last_day", CalendarEvent.start_date < around, latest=True)
            first = day("first_day", CalendarEvent.start_date <= (last or dt.date.max), latest=True)
        if first is None and last is None:
            return None
        return first or dt.date.min, last or dt.date.max


def _key_words(text: str) -> list[str]:
    """The words that tell one school from another ("Saint-Exemple" -> saint, exemple)."""
    words = [part for token in tokens(text) for part in re.split(r"[-']", token)]
    return [w for w in words if w.isalnum() and w not in GENERIC_WORDS]


def _found(word: str, words: list[str]) -> float:
    if word in words:
        return 1.0
    close = difflib.get_close_matches(word, words, n=1, cutoff=0.8)
    return 1.0 if close and len(word) > 3 else 0.0
