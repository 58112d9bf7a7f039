"""The preview shows exactly what a family receives, per channel, without leaving traces."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from sqlalchemy import func, select

from bot.channels.sms import TwilioSms
from bot.outbox import Outbox
from bot.records import ConversationTurn, FamilyStateRow
from resources_db.database import transaction


def _messages(page_html: str) -> list[str]:
    import html

    return [html.unescape(m) for m in re.findall(r'<div class="bubble"[^>]*>(.*?)</div>', page_html, re.S)]


def test_the_sms_preview_is_what_the_sms_channel_sends(client_as, dialogue, seeded_engine):
    page = client_as("editor").get("/admin/preview", params={"need": "food_aid", "language": "fr", "channel": "sms"})
    assert page.status_code == 200
    previewed = _messages(page.text)
    assert re.search(r"Message 1: [1-3] segment\(s\), \d+ characters, GSM-7", page.text)
    # A family on SMS: picks food (option 1) from the French menu, then reads MORE.
    sms = TwilioSms(dialogue, Outbox(seeded_engine), "twilio-token", "test-salt")
    dialogue.start("sms", "+15145550111", "fr")
    twiml = sms.answer({"From": "+15145550111", "MessageSid": "SM-1", "Body": "1"})
    sent = ElementTree.fromstring(twiml).find("Message").text
    assert previewed[0] == sent
    assert len(previewed) >= 1 and "segment(s) in all" in page.text


def test_arabic_sms_costs_more_segments_and_reads_right_to_left(client_as):
    page = client_as("editor").get("/admin/preview", params={"need": "food_aid", "language": "ar", "channel": "sms"})
    assert "UCS-2" in page.text and 'lang="ar" dir="rtl"' in page.text
    assert re.search(r"[\u0600-\u06ff]", _messages(page.text)[0])


def test_telegram_and_web_previews_show_buttons(client_as):
    client = client_as("editor")
    telegram = client.get("/admin/preview", params={"need": "homework_help", "language": "es", "channel": "telegram"})
    assert "Alloprof" in _messages(telegram.text)[0] and "Buttons:" in telegram.text
    web = client.get("/admin/preview", params={"need": "homework_help", "language": "en", "channel": "web"})
    assert "Alloprof" in _messages(web.text)[0] and "segment" not in web.text


def test_a_preview_leaves_no_conversation_behind(client_as, seeded_engine):
    client_as("editor").get("/admin/preview", params={"need": "housing", "language": "fr", "channel": "web"})
    with transaction(seeded_engine) as session:
        assert session.scalar(select(func.count()).select_from(ConversationTurn)) == 0
        assert session.scalar(select(func.count()).select_from(FamilyStateRow)) == 0
