"""Assemble a working bot from settings: database, NLU, safety, translation."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from bot.answers import ResourceAnswers
from bot.calendar.answers import CalendarAnswers
from bot.dialogue import Dialogue
from bot.safety import DangerDetector
from bot.settings import Settings
from bot.state import StateStore
from nlu.parser import NluParser
from resources_db.database import make_engine, transaction, upgrade
from resources_db.formats import seed
from resources_db.models import Service
from resources_db.store import apply_bundle
from translations.machine import DeepTranslatorProvider, MachineTranslator

log = logging.getLogger(__name__)


def prepare_database(engine: Engine, seed_if_empty: bool = True) -> None:
    """Migrate the schema, and load the curated seed into an empty database."""
    upgrade(engine)
    if seed_if_empty:
        with transaction(engine) as session:
            if session.query(Service.id).first() is None:
                log.info("Empty resource database: loading the curated seed.")
                apply_bundle(session, seed.read(), "seed")


def create_dialogue(settings: Settings, seed_if_empty: bool = True, prepare: bool = True) -> Dialogue:
    """A ready Dialogue; with `prepare`, the database is migrated (and seeded if empty) first.

    Server worker processes pass `prepare=False`: the parent prepared the database once.
    """
    engine = make_engine(settings.database_url)
    if prepare:
        prepare_database(engine, seed_if_empty)
    provider = None
    if settings.translation_provider != "none":
        provider = DeepTranslatorProvider(settings.translation_provider)
    return Dialogue(
        parser=NluParser(settings.model_dir, settings.nlu_threshold, staff_dir=settings.staff_nlu_dir),
        store=StateStore(engine),
        answers=ResourceAnswers(engine),
        danger=DangerDetector.from_file(),
        machine=MachineTranslator(engine, provider, settings.translation_timeout),
        salt=settings.id_salt,
        calendar=CalendarAnswers(engine, settings.timezone, settings.reminder_hour),
    )
