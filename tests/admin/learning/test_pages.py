"""The learning, handoff and needs pages, through HTTP as staff use them."""

from __future__ import annotations

import csv
import re
import io

from bot.messages import IncomingMessage
from tests.admin.conftest import csrf_token

SCOOTER = "je cherche une trottinette"
INJECTION = "<script>alert(1)</script> '; DROP TABLE conversation_turn; --"


def test_pages_need_a_signed_in_editor(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as anonymous:
        for path in ("/admin/learning", "/admin/handoffs", "/admin/needs", "/admin/needs.csv"):
            response = anonymous.get(path, follow_redirects=False)
            assert response.status_code == 303 and "/admin/login" in response.headers["location"]


def test_staff_assign_an_intent_from_the_list(client_as, admin_dialogue):
    admin_dialogue.handle(IncomingMessage("web", "web-family-0001", SCOOTER))
    admin_dialogue.handle(IncomingMessage("web", "web-family-0002", INJECTION))
    editor = client_as("editor")
    page = editor.get("/admin/learning")
    assert page.status_code == 200 and SCOOTER in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    group = re.search(r'name="group" value="([0-9a-f]{16})">\s*<label for="text-\1">[^<]*</label>\s*'
                      r'<input id="text-\1" name="text" value="' + SCOOTER, page.text).group(1)

    refused = editor.post("/admin/learning/assign", data={"group": group, "intent": "recreation", "language": "fr",
                                                            "text": SCOOTER})
    assert refused.status_code == 403  # no CSRF token

    done = editor.post("/admin/learning/assign", data={
        "group": group, "intent": "recreation", "language": "fr", "text": SCOOTER,
        "csrf_token": csrf_token(page.text)})
    assert done.status_code == 200 and "Example added" in done.text
    waiting = done.text.split("Examples waiting for retraining")[1]
    assert SCOOTER in waiting and "recreation" in waiting
    assert f'value="{SCOOTER}"' not in done.text  # left the list

    bad = editor.post("/admin/learning/assign", data={
        "group": group, "intent": "recreation", "language": "fr", "text": SCOOTER,
        "csrf_token": csrf_token(page.text)})
    assert bad.status_code == 400 and "no longer in the list" in bad.text


def test_the_pages_speak_french(client_as):
    editor = client_as("editor")
    editor.post("/admin/language", data={"language": "fr", "next": "/admin/learning",
                                         "csrf_token": csrf_token(editor.get("/admin/learning").text)})
    assert "Apprentissage par les conversations" in editor.get("/admin/learning").text
    assert "Ce que demandent les familles" in editor.get("/admin/needs").text
    assert "Aucune famille n&#39;a demandé" in editor.get("/admin/handoffs").text


def test_a_web_family_gets_the_staff_reply_on_its_next_poll(client_as, admin_dialogue):
    admin_dialogue.start("web", "web-family-0003", "fr")
    admin_dialogue.choose("web", "web-family-0003", "handoff")
    editor = client_as("editor")
    inbox = editor.get("/admin/handoffs")
    assert "#1" in inbox.text
    page = editor.get("/admin/handoffs/1")
    assert "811 (Info-Social)" in page.text  # the bot's handoff answer, in the transcript

    sent = editor.post("/admin/handoffs/1/reply", data={"text": "We will call you <b>tomorrow</b>.", "language": "en",
                                                        "csrf_token": csrf_token(page.text)})
    assert sent.status_code == 200
    assert "sent as written" in sent.text  # no translation provider configured
    assert "&lt;b&gt;tomorrow&lt;/b&gt;" in sent.text
    collected = editor.post("/api/inbox", json={"text": "", "user_id": "web-family-0003"}).json()
    assert collected == {"messages": [{"text": "We will call you <b>tomorrow</b>.", "language": "fr"}]}
    assert editor.post("/api/inbox", json={"text": "", "user_id": "web-family-0003"}).json() == {"messages": []}


def test_needs_dashboard_counts_and_csv(client_as, admin_dialogue):
    admin_dialogue.start("web", "web-family-0004", "fr")
    admin_dialogue.choose("web", "web-family-0004", "need:food_aid")
    admin_dialogue.start("telegram", "4242", "en")
    admin_dialogue.choose("telegram", "4242", "need:food_aid")
    admin_dialogue.choose("telegram", "4242", "need:housing")
    admin_dialogue.handle(IncomingMessage("web", "web-family-0005", "qwrtzpxqwrtzpxqwrtzpxqwrtzpxqwrtzpxqwrtzpxqwrtzpx"))
    editor = client_as("editor")

    page = editor.get("/admin/needs?weeks=4")
    assert page.status_code == 200 and "<svg" in page.text
    assert "4 requests from 3 families" in page.text
    food = page.text.split('data-name="food_aid"')[1].split("</tr>")[0]
    assert '<td class="families">2</td>' in food and '<td class="unmet">0</td>' in food
    assert "qwrtz" not in page.text and "4242" not in page.text

    download = editor.get("/admin/needs.csv?weeks=4")
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert sum(int(r["messages"]) for r in rows) == 4
    assert {r["need"] for r in rows} == {"food_aid", "housing", "not_understood"}
    assert editor.get("/admin/needs?weeks=0").status_code == 400


def test_a_reply_from_the_page_reaches_a_telegram_family(admin_dialogue, staff, live_server):
    from fastapi.testclient import TestClient

    from bot.server import create_app
    from bot.settings import Settings
    from tests.admin.conftest import ENGLISH, sign_in
    from tests.bot.channels.fake_telegram import FakeBotApi

    fake = FakeBotApi("42:TOKEN")
    with live_server(fake.app) as telegram:
        settings = Settings(id_salt="test-salt", telegram_token="42:TOKEN", telegram_api_url=telegram.url)
        admin_dialogue.start("telegram", "555000111", "en")
        admin_dialogue.choose("telegram", "555000111", "handoff")
        with TestClient(create_app(settings, admin_dialogue), headers=ENGLISH) as editor:
            sign_in(editor, staff["editor"])
            page = editor.get("/admin/handoffs/1")
            assert "555000111" not in page.text
            sent = editor.post("/admin/handoffs/1/reply", data={"text": "Hello, I will call you today.",
                                                                "language": "en", "csrf_token": csrf_token(page.text)})
            assert sent.status_code == 200 and "Reply sent." in sent.text and "answered" in sent.text
    [message] = fake.sent()
    assert (str(message["chat_id"]), message["text"]) == ("555000111", "Hello, I will call you today.")
