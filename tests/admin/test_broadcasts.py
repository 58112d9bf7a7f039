"""Staff write a message to families from the admin pages, review its translations and send it."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from bot.calendar.records import CalendarSubscription
from bot.contacts import ContactBook
from bot.server import create_app
from bot.settings import Settings
from bot.state import FamilyState, StateStore
from resources_db.database import transaction
from tests.admin.conftest import ENGLISH, csrf_token, sign_in
from tests.admin.forms import read_form
from tests.bot.calendar.conftest import SCHOOL_ID, load_example
from tests.bot.channels.fake_platforms import AUTH, FROM, SID, TOKEN

MESSAGE = "Photos scolaires lundi. Habillez votre enfant comme vous voulez."



@pytest.fixture
def families(seeded_engine):
    load_example(seeded_engine)
    for key, channel, address, language in (("famFR", "telegram", "555000001", "fr"),
                                            ("famAR", "sms", "+15145550002", "ar")):
        StateStore(seeded_engine).save(FamilyState(user_key=key, channel=channel, language=language), [])
        ContactBook(seeded_engine).remember(key, channel, address, "reminders")
        with transaction(seeded_engine) as session:
            session.add(CalendarSubscription(user_key=key, school_id=SCHOOL_ID, channel=channel))


@pytest.fixture
def browser(admin_dialogue, staff, fakes, families):
    telegram, twilio = fakes
    settings = Settings(id_salt="test-salt", telegram_token=TOKEN, telegram_api_url=telegram.url,
                        twilio_account_sid=SID, twilio_auth_token=AUTH, twilio_from_number=FROM,
                        twilio_api_url=twilio.url, telegram_rate=0, sms_rate=0)
    app = create_app(settings, admin_dialogue)
    clients = []

    def build(role: str) -> TestClient:
        client = TestClient(app, headers=ENGLISH)
        clients.append(client)
        assert sign_in(client, staff[role]).status_code == 200
        return client

    yield build
    for client in clients:
        client.close()


def post_form(client: TestClient, page: str, action: str, **values) -> object:
    fields = read_form(page, f"/admin{action}")
    fields.update(values)
    return client.post(f"/admin{action}", data=fields)


def test_write_review_and_send_from_the_admin_pages(browser, fakes):
    editor = browser("editor")
    page = editor.get("/admin/broadcasts")
    assert page.status_code == 200 and "Messages to families" in page.text
    created = post_form(editor, page.text, "/broadcasts", school=SCHOOL_ID, language="fr", text=MESSAGE)
    assert created.status_code == 200 and created.url.path == "/admin/broadcasts/1"
    assert "Message saved" in created.text and MESSAGE in created.text
    assert "/admin/broadcasts/1/send" not in created.text, "editors prepare; reviewers send"
    # An editor cannot approve a translation, even by posting the form by hand.
    refused = editor.post("/admin/broadcasts/1/review",
                          data={"language": "ar", "text": "x", "csrf_token": csrf_token(created.text)})
    assert refused.status_code == 403

    reviewer = browser("reviewer")
    page = reviewer.get("/admin/broadcasts/1").text
    blocked = post_form(reviewer, page, "/broadcasts/1/send")
    assert blocked.status_code == 400 and "review the text in ar" in blocked.text
    post_form(reviewer, page, "/broadcasts/1/review", language="ar", text="صور مدرسية يوم الاثنين.")
    sent = post_form(reviewer, reviewer.get("/admin/broadcasts/1").text, "/broadcasts/1/send")
    assert sent.status_code == 200 and "Sending has started" in sent.text

    telegram, twilio = fakes
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (len(telegram.sent()) + len(twilio.messages) < 2
                                           or "Sending…" in reviewer.get("/admin/broadcasts/1").text):
        time.sleep(0.1)
    assert MESSAGE in telegram.sent()[0]["text"]
    assert "صور مدرسية" in twilio.messages[0]["Body"]
    report = reviewer.get("/admin/broadcasts/1").text
    assert "<strong>2</strong> sent" in report
    # Sending again reaches nobody twice.
    post_form(reviewer, report, "/broadcasts/1/send")
    time.sleep(0.5)
    assert len(telegram.sent()) == 1 and len(twilio.messages) == 1


def test_bad_messages_are_shown_with_the_reason(browser):
    editor = browser("editor")
    page = editor.get("/admin/broadcasts").text
    response = post_form(editor, page, "/broadcasts", school=SCHOOL_ID, language="fr", text="   ")
    assert response.status_code == 400 and "the message is empty" in response.text


def test_forms_without_csrf_token_are_refused(browser):
    editor = browser("editor")
    response = editor.post("/admin/broadcasts", data={"school": SCHOOL_ID, "language": "fr", "text": MESSAGE})
    assert response.status_code == 403
    assert "No message yet." in editor.get("/admin/broadcasts").text
