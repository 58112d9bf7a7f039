"""Evening-before reminders: at 18:00 Montréal time, once, in the family's language, never after STOP."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.calendar.records import CalendarSubscription, ReminderDelivery
from bot.calendar.reminders import REMINDER, ReminderService, due_at
from bot.calendar.wording import event_label, format_day
from bot.channels.outbound import OutboundSender
from bot.channels.sms_segments import smart_encode
from bot.contacts import ContactBook
from bot.settings import Settings
from bot.state import FamilyState, StateStore
from resources_db.database import make_engine, transaction
from tests.bot.calendar.conftest import SCHOOL, SCHOOL_ID, load_example
from tests.bot.channels.fake_platforms import AUTH, FROM, SID, TOKEN
from translations.catalog import translator

UTC = dt.UTC



@pytest.fixture
def db_url(tmp_path, engine):
    load_example(engine)
    return str(engine.url)


def service(db_url: str, fakes) -> ReminderService:
    """A new service over the database, as a fresh process (cron run) would build it."""
    telegram, twilio = fakes
    settings = Settings(database_url=db_url, telegram_token=TOKEN, telegram_api_url=telegram.url,
                        twilio_account_sid=SID, twilio_auth_token=AUTH, twilio_from_number=FROM,
                        twilio_api_url=twilio.url, telegram_rate=0, sms_rate=0)
    engine = make_engine(db_url)
    return ReminderService(engine, OutboundSender(settings, engine, sleep=lambda s: None))


def subscribe(engine, key: str, channel: str, address: str, language: str | None = "fr") -> None:
    StateStore(engine).save(FamilyState(user_key=key, channel=channel, language=language), [])
    ContactBook(engine).remember(key, channel, address, "reminders")
    with transaction(engine) as session:
        session.add(CalendarSubscription(user_key=key, school_id=SCHOOL_ID, channel=channel))


def test_reminders_are_due_at_six_pm_local_across_daylight_saving_changes():
    # Monday 2 November 2026 follows the fall-back Sunday: 18:00 EST = 23:00 UTC.
    assert due_at(dt.date(2026, 11, 2), "America/Montreal", 18) == dt.datetime(2026, 11, 1, 23, 0, tzinfo=UTC)
    # The Friday before, still daylight time: 18:00 EDT = 22:00 UTC.
    assert due_at(dt.date(2026, 10, 23), "America/Montreal", 18) == dt.datetime(2026, 10, 22, 22, 0, tzinfo=UTC)
    # Monday 15 March 2027 follows the spring-forward Sunday: 18:00 EDT = 22:00 UTC.
    assert due_at(dt.date(2027, 3, 15), "America/Montreal", 18) == dt.datetime(2027, 3, 14, 22, 0, tzinfo=UTC)


def test_the_ped_day_after_the_fall_back_weekend_is_reminded_at_six_local(engine, db_url, fakes):
    subscribe(engine, "famA", "telegram", "555000111")
    reminders = service(db_url, fakes)
    # 17:30 EST on Sunday 1 November: not yet (it would be 18:30 on the old daylight clock).
    assert reminders.send_due(dt.datetime(2026, 11, 1, 22, 30, tzinfo=UTC)).sent == 0
    run = reminders.send_due(dt.datetime(2026, 11, 1, 23, 0, tzinfo=UTC))
    assert run.sent == 1
    [message] = fakes[0].sent()
    assert "lundi 2 novembre 2026" in message["text"]
    assert "Journée pédagogique (pas d'école)" in message["text"]


def test_the_ped_day_after_the_spring_forward_weekend(engine, db_url, fakes):
    subscribe(engine, "famA", "telegram", "555000111", language="en")
    reminders = service(db_url, fakes)
    assert reminders.send_due(dt.datetime(2027, 3, 14, 21, 59, tzinfo=UTC)).sent == 0
    assert reminders.send_due(dt.datetime(2027, 3, 14, 22, 0, tzinfo=UTC)).sent == 1
    assert "Monday, March 15, 2027" in fakes[0].sent()[0]["text"]


def test_a_reminder_is_sent_exactly_once_across_a_restart(engine, db_url, fakes):
    subscribe(engine, "famA", "telegram", "555000111")
    subscribe(engine, "famB", "sms", "+15145550142", language="es")
    evening = dt.datetime(2026, 11, 19, 23, 30, tzinfo=UTC)  # Thursday 18:30, ped day Friday
    first = service(db_url, fakes).send_due(evening)
    assert (first.sent, first.already) == (2, 0)
    # A new process, new objects, the same database, later the same evening.
    second = service(db_url, fakes).send_due(evening + dt.timedelta(minutes=15))
    assert (second.sent, second.already) == (0, 2)
    telegram, twilio = fakes
    assert len(telegram.sent()) == 1 and len(twilio.messages) == 1
    spanish = twilio.messages[0]["Body"]
    expected = translator("es").gettext(REMINDER).format(
        date=format_day(dt.date(2026, 11, 20), "es"), event=event_label("pedagogical_day", "es"), school=SCHOOL)
    assert spanish.startswith(smart_encode(expected, "es")), "in Spanish, in the cheap GSM-7 encoding"
    assert "STOP" in spanish, "every SMS the bot writes first says how to stop"


def test_a_crash_between_claim_and_send_never_sends_twice(engine, db_url, fakes):
    subscribe(engine, "famA", "telegram", "555000111")
    evening = dt.datetime(2026, 11, 19, 23, 30, tzinfo=UTC)
    crashing = service(db_url, fakes)

    def crash(*args, **kwargs):
        raise SystemExit("killed")

    crashing.sender.send = crash
    with pytest.raises(SystemExit):
        crashing.send_due(evening)
    after = service(db_url, fakes).send_due(evening)
    assert after.sent == 0 and after.already == 1
    assert fakes[0].sent() == []
    with transaction(engine) as session:
        assert session.scalar(select(ReminderDelivery.status)) == "sending", "kept as unknown, for staff to see"


def test_opted_out_families_get_nothing(engine, db_url, fakes):
    subscribe(engine, "famA", "telegram", "555000111")
    StateStore(engine).save(FamilyState(user_key="famA", channel="telegram", opted_out=True), [])
    run = service(db_url, fakes).send_due(dt.datetime(2026, 11, 19, 23, 30, tzinfo=UTC))
    assert (run.sent, run.skipped) == (0, 1)
    assert fakes[0].sent() == []


def test_no_reminder_before_the_hour_or_once_the_day_has_begun(engine, db_url, fakes):
    subscribe(engine, "famA", "telegram", "555000111")
    reminders = service(db_url, fakes)
    assert reminders.send_due(dt.datetime(2026, 11, 19, 22, 59, tzinfo=UTC)).sent == 0  # 17:59
    assert reminders.send_due(dt.datetime(2026, 11, 20, 14, 0, tzinfo=UTC)).sent == 0  # the ped day itself
    assert fakes[0].sent() == []


def test_cli_send_due(engine, db_url, fakes, monkeypatch):
    from typer.testing import CliRunner

    from bot.cli import app

    subscribe(engine, "famA", "telegram", "555000111")
    telegram, twilio = fakes
    for name, value in {"DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": telegram.url}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["reminders", "send-due", "--now", "2026-11-19T23:30:00+00:00"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    again = CliRunner().invoke(app, ["reminders", "send-due", "--now", "2026-11-19T23:45:00+00:00"])
    assert "0 sent" in again.output and "1 already sent" in again.output
    assert len(telegram.sent()) == 1
