"""Messages the bot writes first, through fake Telegram and Twilio APIs on loopback."""

from __future__ import annotations

import pytest

from bot.channels.outbound import OutboundSender
from bot.channels.sms_segments import count_segments
from bot.contacts import ContactBook
from bot.settings import Settings
from bot.state import FamilyState, StateStore
from tests.bot.channels.fake_telegram import FakeBotApi
from tests.bot.channels.fake_twilio import FakeTwilioApi

TOKEN = "123456:TEST-token"
SID, AUTH, FROM = "AC" + "1" * 32, "twilio-test-auth", "+15145550000"
PHONE = "+15145550199"


class Sleeps(list):
    """Records the back-off waits instead of sleeping them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def telegram(live_server):
    fake = FakeBotApi(TOKEN)
    with live_server(fake.app) as server:
        fake.url = server.url
        yield fake


@pytest.fixture
def twilio(live_server):
    fake = FakeTwilioApi(SID, AUTH, unsubscribed=frozenset({"+15145550666"}))
    with live_server(fake.app) as server:
        fake.url = server.url
        yield fake


def make_sender(engine, telegram=None, twilio=None, **kwargs) -> OutboundSender:
    settings = Settings(telegram_token=TOKEN, telegram_api_url=telegram.url if telegram else "http://127.0.0.1:9",
                        twilio_account_sid=SID, twilio_auth_token=AUTH, twilio_from_number=FROM,
                        twilio_api_url=twilio.url if twilio else "http://127.0.0.1:9",
                        outbound_timeout=2.0, telegram_rate=0, sms_rate=0)
    return OutboundSender(settings, engine, sleep=kwargs.pop("sleep", Sleeps()), **kwargs)


def test_telegram_message_reaches_the_family_chat(engine, telegram):
    ContactBook(engine).remember("fam1", "telegram", "555000111", "reminders")
    result = make_sender(engine, telegram=telegram).send("fam1", "Demain : journée pédagogique.", "fr")
    assert result.sent and result.message_ids
    [message] = telegram.sent()
    assert str(message["chat_id"]) == "555000111"
    assert message["text"] == "Demain : journée pédagogique."


def test_sms_goes_through_twilio_from_our_number(engine, twilio):
    ContactBook(engine).remember("fam2", "sms", PHONE, "reminders")
    result = make_sender(engine, twilio=twilio).send("fam2", "Mañana no hay clases: jornada pedagógica.", "es")
    assert result.sent and result.message_ids[0].startswith("SM")
    [message] = twilio.messages
    assert (message["To"], message["From"]) == (PHONE, FROM)
    # Smart encoding keeps a Spanish SMS in GSM-7 (one cheap segment).
    assert count_segments(message["Body"]).encoding == "GSM-7"


def test_a_long_sms_is_split_into_parts_of_at_most_three_segments(engine, twilio):
    ContactBook(engine).remember("fam2", "sms", PHONE, "reminders")
    text = " ".join(["学校明天放假。"] * 60)
    result = make_sender(engine, twilio=twilio).send("fam2", text, "zh")
    assert result.sent and len(twilio.messages) == len(result.message_ids) > 1
    assert all(count_segments(m["Body"]).segments <= 3 for m in twilio.messages)
    assert "".join(m["Body"].replace(" ", "") for m in twilio.messages) == text.replace(" ", "")


def test_opted_out_family_is_never_written_to(engine, telegram):
    ContactBook(engine).remember("fam3", "telegram", "555000333", "reminders")
    StateStore(engine).save(FamilyState(user_key="fam3", channel="telegram", opted_out=True), [])
    result = make_sender(engine, telegram=telegram).send("fam3", "Rappel", "fr")
    assert (result.status, result.reason) == ("skipped", "opted out")
    assert telegram.sent() == []


def test_family_without_address_is_a_clear_failure(engine, telegram):
    result = make_sender(engine, telegram=telegram).send("nobody", "Rappel", "fr")
    assert (result.status, result.reason) == ("failed", "no address on file")


def test_telegram_429_and_502_are_retried_with_back_off_and_sent_once(engine, live_server):
    fake = FakeBotApi(TOKEN, throttle=1, server_errors=1)
    with live_server(fake.app) as server:
        fake.url = server.url
        ContactBook(engine).remember("fam1", "telegram", "555000111", "reminders")
        sleeps = Sleeps()
        result = make_sender(engine, telegram=fake, sleep=sleeps).send("fam1", "Rappel", "fr")
    assert result.sent
    assert len(fake.sent()) == 3, "one 429, one 502, one success"
    assert sleeps[0] == 1.0, "Telegram's retry_after is honoured"
    assert len(sleeps) == 2


def test_twilio_429_then_500_then_success(engine, live_server):
    fake = FakeTwilioApi(SID, AUTH, throttle=1, server_errors=1)
    with live_server(fake.app) as server:
        fake.url = server.url
        ContactBook(engine).remember("fam2", "sms", PHONE, "reminders")
        result = make_sender(engine, twilio=fake).send("fam2", "Reminder", "en")
    assert result.sent and fake.attempts == 3 and len(fake.messages) == 1


def test_persistent_server_errors_give_up_with_a_reason(engine, live_server):
    fake = FakeTwilioApi(SID, AUTH, server_errors=10)
    with live_server(fake.app) as server:
        fake.url = server.url
        ContactBook(engine).remember("fam2", "sms", PHONE, "reminders")
        result = make_sender(engine, twilio=fake, attempts=3).send("fam2", "Reminder", "en")
    assert result.status == "failed" and "3 attempts" in result.reason
    assert fake.attempts == 3 and fake.messages == []


def test_carrier_unsubscribed_number_fails_without_retry(engine, twilio):
    ContactBook(engine).remember("fam4", "sms", "+15145550666", "reminders")
    result = make_sender(engine, twilio=twilio).send("fam4", "Reminder", "en")
    assert result.status == "failed" and "unsubscribed" in result.reason
    assert twilio.attempts == 1


def test_unreachable_api_times_out_and_fails_cleanly(engine):
    ContactBook(engine).remember("fam1", "telegram", "555000111", "reminders")
    result = make_sender(engine, attempts=2).send("fam1", "Rappel", "fr")
    assert result.status == "failed" and "network error" in result.reason


def test_missing_credentials_are_reported_not_raised(engine, telegram):
    ContactBook(engine).remember("fam1", "telegram", "555000111", "reminders")
    sender = OutboundSender(Settings(telegram_api_url=telegram.url), engine)
    result = sender.send("fam1", "Rappel", "fr")
    assert result.status == "failed" and "TELEGRAM_BOT_TOKEN" in result.reason
    assert telegram.sent() == []


def test_rate_limiter_spreads_sends_evenly():
    from bot.channels.outbound import RateLimiter

    now = [0.0]
    waits = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(per_second=2.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        limiter.wait()
    assert waits == [0.5, 0.5, 0.5], "four sends at 2/s take 1.5 s, the first one immediately"
