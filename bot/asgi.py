"""The ASGI application factory each server process calls.

`familybot serve --workers N` starts N processes that each import this module and
build their own app; they share nothing but the database, which holds every piece
of conversation state. Also usable directly:
`uvicorn --factory bot.asgi:create_app_from_env --workers 4` (after `familybot db upgrade`).
"""

from __future__ import annotations

from fastapi import FastAPI

from bot.runtime import create_dialogue
from bot.server import create_app
from bot.settings import Settings


def create_app_from_env() -> FastAPI:
    """The app configured from the environment, models loaded; the database must be migrated."""
    settings = Settings.from_env()
    dialogue = create_dialogue(settings, prepare=False)
    dialogue.parser.load_all()
    return create_app(settings, dialogue)
