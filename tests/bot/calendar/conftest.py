"""A bot whose database holds the example Montréal calendar, at a fixed moment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.calendar.answers import CalendarAnswers
from bot.calendar.ics_import import import_calendar
from resources_db.database import transaction

EXAMPLE = Path(__file__).resolve().parents[3] / "resources_db" / "seed" / "calendars" / "example-montreal-2026-2027.ics"
SCHOOL = "École primaire exemple (Montréal) — EXEMPLE"
SCHOOL_ID = "ecole-primaire-exemple-montreal-exemple"
#: Tuesday 17 November 2026, 10:00 in Montréal; Friday the 20th is a pedagogical day.
NOW = dt.datetime(2026, 11, 17, 15, 0, tzinfo=dt.UTC)


def load_example(engine, name: str = SCHOOL, aliases=("exemple", "Saint-Exemple")) -> None:
    with transaction(engine) as session:
        import_calendar(session, name, str(EXAMPLE), list(aliases))


@pytest.fixture
def calendar_engine(seeded_engine):
    load_example(seeded_engine)
    return seeded_engine


@pytest.fixture
def clock():
    """The bot's notion of now; tests move it."""
    moment = [NOW]
    return moment


@pytest.fixture
def calendar_dialogue(calendar_engine, nlu_parser, clock):
    from bot.answers import ResourceAnswers
    from bot.dialogue import Dialogue
    from bot.safety import DangerDetector
    from bot.state import StateStore
    from translations.machine import MachineTranslator

    return Dialogue(
        parser=nlu_parser, store=StateStore(calendar_engine), answers=ResourceAnswers(calendar_engine),
        danger=DangerDetector.from_file(), machine=MachineTranslator(calendar_engine, None),
        salt="test-salt", calendar=CalendarAnswers(calendar_engine, clock=lambda: clock[0]),
    )
