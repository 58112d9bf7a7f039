"""Staff write once; opted-in families of a school read it in their language, once."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.broadcast.records import BroadcastDelivery
from bot.broadcast.service import BROADCAST_FROM, BroadcastError, BroadcastService
from bot.calendar.records import CalendarSubscription
from bot.channels.outbound import OutboundSender
from bot.contacts import ContactBook
from bot.settings import Settings
from bot.state import FamilyState, StateStore
from resources_db.database import transaction
from tests.bot.calendar.conftest import SCHOOL, SCHOOL_ID, load_example
from tests.bot.channels.fake_platforms import AUTH, FROM, SID, TOKEN
from translations.catalog import translator
from translations.machine import MachineTranslator

MESSAGE = "L'école sera fermée demain à cause de la tempête de neige."


class FakeProvider:
    """A translation provider that labels its output, and counts calls."""

    def __init__(self):
        self.calls = 0

    def translate(self, text: str, source: str, target: str) -> str:
        self.calls += 1
        return f"[{target}] {text}"



@pytest.fixture
def school(engine):
    load_example(engine)
    families = [("famFR", "telegram", "555000001", "fr"), ("famAR", "sms", "+15145550002", "ar"),
                ("famZH", "telegram", "555000003", "zh"), ("famOUT", "sms", "+15145550004", "es")]
    for key, channel, address, language in families:
        StateStore(engine).save(FamilyState(user_key=key, channel=channel, language=language,
                                            opted_out=key == "famOUT"), [])
        ContactBook(engine).remember(key, channel, address, "reminders")
        with transaction(engine) as session:
            session.add(CalendarSubscription(user_key=key, school_id=SCHOOL_ID, channel=channel))
    # A family of another school's list, and one that only asked for a person, get nothing.
    ContactBook(engine).remember("famHANDOFF", "sms", "+15145550009", "handoff")
    return engine


def make_service(engine, fakes, provider=None) -> BroadcastService:
    telegram, twilio = fakes
    settings = Settings(telegram_token=TOKEN, telegram_api_url=telegram.url, twilio_account_sid=SID,
                        twilio_auth_token=AUTH, twilio_from_number=FROM, twilio_api_url=twilio.url,
                        telegram_rate=0, sms_rate=0)
    return BroadcastService(engine, OutboundSender(settings, engine, sleep=lambda s: None),
                            MachineTranslator(engine, provider or FakeProvider(), timeout=2.0))


def test_drafts_in_every_language_wait_for_review(school, fakes):
    service = make_service(school, fakes)
    broadcast_id = service.create(SCHOOL_ID, MESSAGE, "fr", "staff@example.org")
    texts = service.texts(broadcast_id)
    assert len(texts) == 10
    assert texts["fr"] == (MESSAGE, "source")
    assert texts["ar"] == (f"[ar] {MESSAGE}", "machine")
    with pytest.raises(BroadcastError, match="review the text in ar, zh"):
        service.send(broadcast_id)
    assert fakes[0].sent() == [] and fakes[1].messages == []


def test_drafts_are_cached_not_requested_twice(school, fakes):
    provider = FakeProvider()
    service = make_service(school, fakes, provider)
    service.create(SCHOOL_ID, MESSAGE, "fr", "staff")
    service.create(SCHOOL_ID, MESSAGE, "fr", "staff")
    assert provider.calls == 9


def test_reviewed_message_reaches_opted_in_families_in_their_language(school, fakes):
    service = make_service(school, fakes)
    broadcast_id = service.create(SCHOOL_ID, MESSAGE, "fr", "staff")
    service.review(broadcast_id, "ar", "ستكون المدرسة مغلقة غدًا بسبب العاصفة الثلجية.")
    service.review(broadcast_id, "zh")  # the draft is fine as it is
    report = service.send(broadcast_id)
    assert dict(report.by_status) == {"sent": 3, "skipped": 1}
    assert dict(report.by_channel["sms"]) == {"sent": 1, "skipped": 1}
    telegram, twilio = fakes
    by_chat = {str(m["chat_id"]): m["text"] for m in telegram.sent()}
    assert by_chat["555000001"].startswith(translator("fr").gettext(BROADCAST_FROM).format(school=SCHOOL))
    assert MESSAGE in by_chat["555000001"]
    assert f"[zh] {MESSAGE}" in by_chat["555000003"]
    [sms] = twilio.messages
    assert sms["To"] == "+15145550002" and "العاصفة الثلجية" in sms["Body"] and "STOP" in sms["Body"]
    assert "+15145550004" not in {m["To"] for m in twilio.messages}, "opted out"


def test_sending_again_sends_nothing_twice(school, fakes):
    service = make_service(school, fakes)
    broadcast_id = service.create(SCHOOL_ID, "School photos on Monday.", "en", "staff")
    for language in ("fr", "ar", "zh"):
        service.review(broadcast_id, language)
    service.send(broadcast_id)
    again = make_service(school, fakes).send(broadcast_id)
    assert again.by_status["sent"] == 3
    assert len(fakes[0].sent()) == 2 and len(fakes[1].messages) == 1


def test_a_crash_mid_broadcast_resumes_without_duplicates(school, fakes):
    service = make_service(school, fakes)
    broadcast_id = service.create(SCHOOL_ID, "School photos on Monday.", "en", "staff")
    for language in ("fr", "ar", "zh"):
        service.review(broadcast_id, language)
    real_send, calls = service.sender.send, []

    def send_then_die(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise SystemExit("the process was killed while sending")
        return real_send(*args, **kwargs)

    service.sender.send = send_then_die
    with pytest.raises(SystemExit):
        service.send(broadcast_id)
    sent_before = len(fakes[0].sent()) + len(fakes[1].messages)
    assert sent_before == 1
    # A new process resumes: the rest is sent, the one interrupted mid-send is not retried.
    report = make_service(school, fakes).send(broadcast_id)
    assert dict(report.by_status) == {"sent": 2, "unknown": 1, "skipped": 1}
    total = len(fakes[0].sent()) + len(fakes[1].messages)
    assert total == 2, "one before the crash, one after; the unknown one is not sent twice"
    with transaction(school) as session:
        keys = list(session.scalars(select(BroadcastDelivery.user_key)))
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 4


def test_bad_messages_are_refused_with_a_reason(school, fakes):
    service = make_service(school, fakes)
    with pytest.raises(BroadcastError, match="French or English"):
        service.create(SCHOOL_ID, "Hola", "es", "staff")
    with pytest.raises(BroadcastError, match="empty"):
        service.create(SCHOOL_ID, "   ", "fr", "staff")
    with pytest.raises(BroadcastError, match="under 700"):
        service.create(SCHOOL_ID, "x" * 701, "fr", "staff")
    with pytest.raises(BroadcastError, match="no school"):
        service.create("nowhere", "Bonjour", "fr", "staff")


def test_without_a_translation_provider_staff_write_the_texts(school, fakes):
    service = BroadcastService(school, None, MachineTranslator(school, None))
    broadcast_id = service.create(SCHOOL_ID, MESSAGE, "fr", "staff")
    assert service.texts(broadcast_id)["ar"] == ("", "missing")
    with pytest.raises(BroadcastError, match="no ar draft"):
        service.review(broadcast_id, "ar")


def test_cli_create_review_send(school, fakes, monkeypatch):
    from bot.cli import app

    telegram, twilio = fakes
    env = {"DATABASE_URL": str(school.url), "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": telegram.url,
           "TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": AUTH, "TWILIO_FROM_NUMBER": FROM,
           "TWILIO_API_URL": twilio.url, "SMS_RATE": "0", "TELEGRAM_RATE": "0"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    created = runner.invoke(app, ["broadcast", "create", SCHOOL_ID, MESSAGE, "--language", "fr"])
    assert created.exit_code == 0, created.output
    assert "[ar] missing" in created.output  # no provider configured
    refused = runner.invoke(app, ["broadcast", "send", "1"])
    assert refused.exit_code == 1 and "review the text in ar, zh" in refused.output
    for language, text in (("ar", "المدرسة مغلقة غدًا."), ("zh", "明天学校关闭。")):
        assert runner.invoke(app, ["broadcast", "review", "1", language, text]).exit_code == 0
    sent = runner.invoke(app, ["broadcast", "send", "1"])
    assert sent.exit_code == 0, sent.output
    assert "Delivery: 3 sent, 1 skipped." in sent.output
    assert "sms: 1 sent, 1 skipped" in sent.output
