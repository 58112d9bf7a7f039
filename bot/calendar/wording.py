"""Dates, times and calendar events written the way each language writes them."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time

from bot.calendar.dates import weekday_and_month_names
from bot.calendar.event_types import LABELS, NO_SCHOOL
from bot.calendar.store import Event
from translations.catalog import N_, translator

NO_SCHOOL_NOTE = N_("{event} (no school)")
DATE_RANGE = N_("from {start} to {end}")
DATE_AT = N_("{date} at {time}")


def format_day(day: dt.date, language: str) -> str:
    """"vendredi 4 décembre 2026", "Friday, December 4, 2026", "2026年12月4日星期五"…"""
    names = weekday_and_month_names(language)
    if names is not None:  # Babel has no Haitian Creole: our own names
        weekdays, months = names
        return f"{weekdays[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}"
    return format_date(day, "full", locale=language)


def format_clock(time: str, language: str) -> str:
    """"18:30" as the language writes a time ("6:30 PM" in English)."""
    if weekday_and_month_names(language) is not None:
        return time
    return format_time(dt.time.fromisoformat(time), "short", locale=language)


def kind_name(kind: str, language: str) -> str:
    """The event type's name: "Pedagogical day", "Journée pédagogique"…"""
    return translator(language).gettext(LABELS[kind])


def event_label(kind: str, language: str) -> str:
    """The event type's name, with "(no school)" for days without classes."""
    label = kind_name(kind, language)
    return translator(language).gettext(NO_SCHOOL_NOTE).format(event=label) if kind in NO_SCHOOL else label


def event_when(event: Event, language: str) -> str:
    """The event's date, date range, or date and time."""
    _ = translator(language).gettext
    if event.end > event.start:
        return _(DATE_RANGE).format(start=format_day(event.start, language), end=format_day(event.end, language))
    day = format_day(event.start, language)
    if event.time:
        return _(DATE_AT).format(date=day, time=format_clock(event.time, language))
    return day


def event_line(event: Event, language: str) -> str:
    """"Pedagogical day (no school) — Friday, November 20, 2026" (a dash reads the same in every language)."""
    label = event_label(event.kind, language) if event.kind in LABELS and event.kind != "other" else event.summary
    return f"{label} — {event_when(event, language)}"
