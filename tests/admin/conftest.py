"""Fixtures for the admin pages: the bot's app over a seeded database, staff accounts, signed-in clients."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from admin.auth import create_user
from bot.server import create_app
from bot.settings import Settings
from resources_db.database import transaction

#: Browsers of staff who read English (the pages default to French before sign-in).
ENGLISH = {"Accept-Language": "en-CA,en;q=0.8"}
PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def admin_dialogue(seeded_engine):
    """A Dialogue over the seeded database; the admin pages never parse messages, so no NLU is loaded."""
    from bot.answers import ResourceAnswers
    from bot.dialogue import Dialogue
    from bot.safety import DangerDetector
    from bot.state import StateStore
    from translations.machine import MachineTranslator

    return Dialogue(parser=None, store=StateStore(seeded_engine), answers=ResourceAnswers(seeded_engine),
                    danger=DangerDetector.from_file(), machine=MachineTranslator(seeded_engine, None),
                    salt="test-salt")


@pytest.fixture
def staff(seeded_engine):
    """One account per role: {"editor": email, "reviewer": email, "admin": email}, all with PASSWORD."""
    accounts = {role: f"{role}@school.example.org" for role in ("editor", "reviewer", "admin")}
    with transaction(seeded_engine) as session:
        for role, email in accounts.items():
            create_user(session, email, PASSWORD, role, "test", language="en")
    return accounts


@pytest.fixture
def app(admin_dialogue):
    """The whole familybot HTTP app, admin pages mounted under /admin."""
    return create_app(Settings(id_salt="test-salt"), admin_dialogue)


def csrf_token(page_html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF.search(page_html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD):
    """Sign in through the login form, as a browser does; returns the last response."""
    token = csrf_token(client.get("/admin/login").text)
    return client.post("/admin/login", data={"email": email, "password": password, "csrf_token": token,
                                             "next": "/admin/"})


@pytest.fixture
def client_as(app, staff):
    """`client_as("editor")`: a browser-like client signed in with that role."""
    clients = []

    def build(role: str) -> TestClient:
        client = TestClient(app, headers=ENGLISH)
        clients.append(client)
        response = sign_in(client, staff[role])
        assert response.status_code == 200 and response.url.path == "/admin/"
        return client

    yield build
    for client in clients:
        client.close()


def bot_answer(dialogue, need: str, language: str, user: str = "family-1") -> str:
    """What a family that picked `language` reads after choosing `need` from the menu."""
    dialogue.start("web", user, language)
    return dialogue.choose("web", user, f"need:{need}").text
