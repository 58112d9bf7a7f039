"""Editors import school calendars from the admin pages, as `familybot calendar import` does."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.calendar import answers as calendar
from bot.calendar.records import CalendarEvent, School
from bot.messages import IncomingMessage
from bot.server import create_app
from bot.settings import Settings
from resources_db.database import transaction
from resources_db.models import AuditLog
from tests.admin.conftest import ENGLISH, csrf_token, sign_in
from tests.bot.calendar.conftest import EXAMPLE, NOW, SCHOOL, SCHOOL_ID
from translations.catalog import translator

NO_DTSTART = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Journee pedagogique\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def bot(seeded_engine, nlu_parser):
    """The bot families talk to, answering calendar questions on Tuesday 17 November 2026."""
    from bot.answers import ResourceAnswers
    from bot.calendar.answers import CalendarAnswers
    from bot.dialogue import Dialogue
    from bot.safety import DangerDetector
    from bot.state import StateStore
    from translations.machine import MachineTranslator

    return Dialogue(parser=nlu_parser, store=StateStore(seeded_engine), answers=ResourceAnswers(seeded_engine),
                    danger=DangerDetector.from_file(), machine=MachineTranslator(seeded_engine, None),
                    salt="test-salt", calendar=CalendarAnswers(seeded_engine, clock=lambda: NOW))


@pytest.fixture
def browser(bot, staff):
    """`browser()`: a client signed in as an editor of the app over the bot's own database."""
    app = create_app(Settings(id_salt="test-salt"), bot)
    clients = []

    def build(role: str | None = "editor") -> TestClient:
        client = TestClient(app, headers=ENGLISH)
        clients.append(client)
        if role:
            assert sign_in(client, staff[role]).status_code == 200
        return client

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def ics_server():
    """A tiny HTTP server on loopback: /example.ics is the example calendar, anything else is 404."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server convention
            if self.path != "/example.ics":
                self.send_error(404)
                return
            body = EXAMPLE.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def upload(client: TestClient, school: str, filename: str, data: bytes, aliases: str = ""):
    token = csrf_token(client.get("/admin/calendars").text)
    return client.post("/admin/calendars/import", data={"csrf_token": token, "school": school, "aliases": aliases},
                       files={"file": (filename, data, "text/calendar")})


def ask(bot, user: str, text: str) -> str:
    return bot.handle(IncomingMessage("sms", user, text)).text


def counts(engine) -> tuple[int, int, int]:
    """(schools, calendar dates, audit entries)."""
    with transaction(engine) as session:
        return (session.scalar(select(func.count()).select_from(School)),
                session.scalar(select(func.count()).select_from(CalendarEvent)),
                session.scalar(select(func.count()).select_from(AuditLog)))


def test_an_uploaded_calendar_is_what_the_bot_answers_next(browser, bot, seeded_engine, staff):
    before = ask(bot, "+15145550101", "Is there school on Friday?")
    assert translator("en").gettext(calendar.NO_CALENDAR) in before

    editor = browser()
    page = upload(editor, SCHOOL, "example.ics", EXAMPLE.read_bytes(), aliases="exemple, Saint-Exemple")
    assert page.status_code == 200
    report = page.text.split('id="import-report"')[1].split("</div>")[0]
    assert "dates imported, from Thursday, August 27, 2026 to" in report
    assert "Pedagogical day: " in report and "Report card: " in report
    assert f'data-school="{SCHOOL_ID}"' in page.text and "Saint-Exemple" in page.text

    family = "+15145550102"
    asked = bot.handle(IncomingMessage("sms", family, "Is there school on Friday?"))
    assert [o.label for o in asked.options] == [SCHOOL]
    assert "No school on Friday, November 20, 2026: Pedagogical day." in ask(bot, family, "1")

    school_page = editor.get(f"/admin/calendars/{SCHOOL_ID}", params={"since": "2026-11-17"}).text
    ped_days = school_page.split('data-kind="pedagogical_day"')[1].split("</section>")[0]
    assert "Friday, November 20, 2026" in ped_days
    assert "Thursday, November 19, 2026" in school_page.split('data-kind="report_card"')[1].split("</section>")[0]
    assert "Friday, November 20, 2026" not in school_page.split('data-kind="report_card"')[1].split("</section>")[0]

    with transaction(seeded_engine) as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.entity_type == "school_calendar")).one()
    assert entry.actor == f"staff:{staff['editor']}" and entry.entity_id == SCHOOL_ID
    assert "upload:example.ics" in entry.new_value


def test_a_malformed_calendar_shows_why_and_changes_nothing(browser, seeded_engine):
    editor = browser()
    assert upload(editor, SCHOOL, "example.ics", EXAMPLE.read_bytes()).status_code == 200
    before = counts(seeded_engine)
    page = upload(editor, SCHOOL, "broken.ics", NO_DTSTART)
    assert page.status_code == 400
    error = page.text.split('id="import-error"')[1].split("</div>")[0]
    assert "Nothing was imported" in error and "has no DTSTART" in error
    assert upload(editor, "École toute neuve", "empty.ics", b"").status_code == 400
    assert counts(seeded_engine) == before


def test_a_calendar_is_imported_from_its_address(browser, ics_server, seeded_engine):
    editor = browser()
    token = csrf_token(editor.get("/admin/calendars").text)
    # A browser sends the file field empty when no file is chosen.
    page = editor.post("/admin/calendars/import", data={"csrf_token": token, "school": "École du Lien",
                                                        "url": f"{ics_server}/example.ics"},
                       files={"file": ("", b"", "application/octet-stream")})
    assert page.status_code == 200 and "École du Lien: " in page.text
    with transaction(seeded_engine) as session:
        school = session.get(School, "ecole-du-lien")
        assert school.source == f"{ics_server}/example.ics"
        assert session.scalar(select(func.count()).select_from(CalendarEvent)
                              .where(CalendarEvent.school_id == school.id)) > 10

    before = counts(seeded_engine)
    missing = editor.post("/admin/calendars/import", data={"csrf_token": token, "school": "École du Lien",
                                                           "url": f"{ics_server}/gone.ics"})
    assert missing.status_code == 400 and "the server answered HTTP 404" in missing.text
    local = editor.post("/admin/calendars/import", data={"csrf_token": token, "school": "École du Lien",
                                                         "url": str(EXAMPLE)})
    assert local.status_code == 400 and "must start with https://" in local.text
    assert counts(seeded_engine) == before


def test_an_import_without_the_form_token_is_refused(browser, seeded_engine):
    editor = browser()
    before = counts(seeded_engine)
    response = editor.post("/admin/calendars/import", data={"school": SCHOOL},
                           files={"file": ("example.ics", EXAMPLE.read_bytes(), "text/calendar")})
    assert response.status_code == 403
    assert counts(seeded_engine) == before


def test_people_not_signed_in_cannot_see_or_import(browser, seeded_engine):
    stranger = browser(None)
    page = stranger.get("/admin/calendars", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/admin/login")
    # Even with a valid anonymous form token (from the login page), the import goes to sign-in.
    token = csrf_token(stranger.get("/admin/login").text)
    before = counts(seeded_engine)
    response = stranger.post("/admin/calendars/import", data={"csrf_token": token, "school": SCHOOL},
                             files={"file": ("example.ics", EXAMPLE.read_bytes(), "text/calendar")},
                             follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/admin/login")
    assert counts(seeded_engine) == before
