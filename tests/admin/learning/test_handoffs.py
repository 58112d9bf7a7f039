"""The handoff inbox: a staff reply reaches the family, in its language, through its channel."""

from __future__ import annotations

import pytest

from admin.learning.handoffs import HandoffError, close, handoff, inbox, reply
from bot.channels.outbound import OutboundSender
from bot.contacts import ContactBook
from bot.identity import user_key
from bot.settings import Settings
from bot.staff_replies import collect_waiting
from resources_db.database import transaction
from resources_db.models import AuditLog
from tests.bot.channels.fake_telegram import FakeBotApi
from translations.machine import MachineTranslator

TOKEN = "123456:TEST"
CHAT_ID = "987654321"


class Prefixing:
    """A translation provider that marks its output with the target language."""

    def translate(self, text: str, source: str, target: str) -> str:
        return f"[{target}] {text}"


@pytest.fixture
def telegram(live_server):
    fake = FakeBotApi(TOKEN)
    with live_server(fake.app) as running:
        yield fake, running.url


def test_a_reply_goes_back_to_a_telegram_family_translated(small_dialogue, seeded_engine, telegram):
    fake, url = telegram
    small_dialogue.start("telegram", CHAT_ID, "es")
    small_dialogue.choose("telegram", CHAT_ID, "handoff")
    [request] = inbox(seeded_engine)
    assert (request.channel, request.language, request.status) == ("telegram", "es", "open")
    assert CHAT_ID not in request.family and len(request.family) == 8

    sender = OutboundSender(Settings(telegram_token=TOKEN, telegram_api_url=url), seeded_engine, sleep=lambda _s: None)
    outcome = reply(seeded_engine, request.id, "Bonjour, je vous appelle demain.", "fr", "staff@example.org",
                    MachineTranslator(seeded_engine, Prefixing()), sender)

    assert (outcome.status, outcome.translated, outcome.warning) == ("sent", True, "")
    [message] = fake.sent()
    assert str(message["chat_id"]) == CHAT_ID
    assert message["text"] == "[es] Bonjour, je vous appelle demain."
    shown = handoff(seeded_engine, request.id)
    assert shown.status == "answered" and shown.replies[0].staff_text == "Bonjour, je vous appelle demain."
    assert any(turn["direction"] == "in" for turn in shown.transcript) or shown.transcript
    with transaction(seeded_engine) as session:
        entry = session.query(AuditLog).filter_by(entity_type="handoff_request").one()
        assert (entry.actor, entry.new_value) == ("staff@example.org", "answered")


def test_a_web_family_collects_the_reply_once_as_written_when_no_translation(small_dialogue, seeded_engine):
    small_dialogue.start("web", "web-family-0001", "fr")
    small_dialogue.choose("web", "web-family-0001", "handoff")
    [request] = inbox(seeded_engine)

    outcome = reply(seeded_engine, request.id, "We will call you tomorrow.", "en", "staff",
                    MachineTranslator(seeded_engine, None), None)

    assert outcome.status == "waiting" and not outcome.translated
    assert "sent as written" in outcome.warning
    key = user_key("web", "web-family-0001", "test-salt")
    assert collect_waiting(seeded_engine, key) == [{"text": "We will call you tomorrow.", "language": "fr"}]
    assert collect_waiting(seeded_engine, key) == []


def test_failures_are_reported_and_the_request_stays_open(small_dialogue, seeded_engine, telegram):
    _fake, url = telegram
    small_dialogue.start("telegram", CHAT_ID, "fr")
    small_dialogue.choose("telegram", CHAT_ID, "handoff")
    [request] = inbox(seeded_engine)
    with pytest.raises(HandoffError, match="empty"):
        reply(seeded_engine, request.id, "   ", "fr", "staff", None, None)
    wrong_token = OutboundSender(Settings(telegram_token="0:WRONG", telegram_api_url=url), seeded_engine,
                                 sleep=lambda _s: None)
    outcome = reply(seeded_engine, request.id, "Bonjour", "fr", "staff", None, wrong_token)
    assert outcome.status == "failed" and "could not be delivered" in outcome.warning
    assert handoff(seeded_engine, request.id).status == "open"


def test_closing_forgets_the_address(small_dialogue, seeded_engine):
    small_dialogue.choose("telegram", CHAT_ID, "handoff")
    key = user_key("telegram", CHAT_ID, "test-salt")
    assert ContactBook(seeded_engine).address(key).address == CHAT_ID
    [request] = inbox(seeded_engine)
    close(seeded_engine, request.id, "staff")
    assert ContactBook(seeded_engine).address(key) is None
    assert handoff(seeded_engine, request.id).status == "closed"
