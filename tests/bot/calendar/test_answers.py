"""Families ask about school dates, in their language, and opt in to reminders."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from sqlalchemy import select

from bot.calendar import answers as calendar
from bot.calendar.answers import question_meanings
from bot.calendar.records import CalendarSubscription
from bot.calendar.wording import event_label, format_clock, format_day, kind_name
from bot.contacts import ContactBook
from bot.identity import user_key
from bot.messages import IncomingMessage
from nlu.taxonomy import load_taxonomy
from resources_db.database import transaction
from tests.bot.calendar.conftest import SCHOOL, SCHOOL_ID
from translations.catalog import translator

LANGUAGES = load_taxonomy().languages
PED_DAY, REPORT_CARD = dt.date(2026, 11, 20), dt.date(2026, 11, 19)
_numbers = itertools.count(100)

QUESTIONS = {
    "fr": ["Est-ce qu'il y a de l'école vendredi ?", "C'est quand la prochaine journée pédagogique ?",
           "Quand est-ce que les bulletins sortent ?"],
    "en": ["Is there school on Friday?", "When is the next ped day?", "When do report cards come out?"],
    "es": ["¿Hay clases el viernes?", "¿Cuándo es el próximo día pedagógico?",
           "¿Cuándo entregan el boletín de calificaciones?"],
    "pt": ["Tem aula na sexta-feira?", "Quando é o próximo dia pedagógico?", "Quando sai o boletim?"],
    "ht": ["Èske gen lekòl vandredi?", "Ki lè pwochen jou pedagojik la?", "Ki lè kanè yo ap soti?"],
    "ar": ["هل توجد مدرسة يوم الجمعة؟", "متى اليوم التربوي القادم؟", "متى يصدر كشف الدرجات؟"],
    "fa": ["آیا جمعه مدرسه باز است؟", "روز آموزشی بعدی کی است؟", "کارنامه کی می‌دهند؟"],
    "zh": ["星期五上学吗？", "下一个教师培训日是什么时候？", "成绩单什么时候发？"],
    "vi": ["Thứ sáu có đi học không?", "Ngày sư phạm tiếp theo là khi nào?", "Khi nào có phiếu điểm?"],
    "uk": ["Чи є школа в п'ятницю?", "Коли наступний педагогічний день?", "Коли будуть табелі?"],
}


class Family:
    """One family writing to the bot on one channel."""

    def __init__(self, dialogue, channel: str = "sms", user: str | None = None):
        self.dialogue, self.channel = dialogue, channel
        self.user = user or f"+1514555{next(_numbers):04d}"

    def send(self, text: str):
        return self.dialogue.handle(IncomingMessage(self.channel, self.user, text))

    def pick(self, key: str):
        return self.dialogue.choose(self.channel, self.user, key)

    @property
    def key(self) -> str:
        return user_key(self.channel, self.user, "test-salt")


def say(language: str, message: str, **values) -> str:
    return translator(language).gettext(message).format(**values)


def test_the_bot_asks_for_the_school_then_answers_the_question(calendar_dialogue):
    family = Family(calendar_dialogue)
    asked = family.send("Is there school on Friday?")
    assert asked.intent == "school_calendar"
    assert say("en", calendar.ASK_SCHOOL) in asked.text
    assert [o.label for o in asked.options] == [SCHOOL]
    answer = family.send("1")
    assert say("en", calendar.SCHOOL_SET, school=SCHOOL) in answer.text
    assert "No school on Friday, November 20, 2026: Pedagogical day." in answer.text


def test_the_school_can_be_named_in_words_and_is_remembered(calendar_dialogue, make_dialogue):
    family = Family(calendar_dialogue)
    family.send("c'est quand la prochaine journée pédagogique?")
    answer = family.send("Saint-Exemple")
    assert "Votre école : École primaire exemple" in answer.text
    assert "vendredi 20 novembre 2026" in answer.text
    # A later question, even through another Dialogue object, does not ask again.
    again = Family(calendar_dialogue, user=family.user).send("Y a-t-il de l'école demain ?")
    assert say("fr", calendar.ASK_SCHOOL) not in again.text
    assert "Oui, il y a de l'école le mercredi 18 novembre 2026." in again.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_calendar_questions_in_every_language(calendar_dialogue, language):
    family = Family(calendar_dialogue)
    asked = family.send(QUESTIONS[language][0])
    assert (asked.language, asked.options[0].key) == (language, f"school:{SCHOOL_ID}")
    friday = family.send("1")
    next_ped_day, report_cards = (family.send(q) for q in QUESTIONS[language][1:])
    for reply in (friday, next_ped_day, report_cards):
        assert (reply.intent, reply.language) == ("school_calendar", language), reply.text
    assert say(language, calendar.NO_SCHOOL_DAY, date=format_day(PED_DAY, language),
               event=kind_name("pedagogical_day", language)) in friday.text
    assert format_day(PED_DAY, language) in next_ped_day.text
    assert event_label("pedagogical_day", language) in next_ped_day.text
    assert format_day(REPORT_CARD, language) in report_cards.text
    assert kind_name("report_card", language) in report_cards.text


@pytest.mark.parametrize(("language", "written"), [
    ("fr", "vendredi 20 novembre 2026"), ("en", "Friday, November 20, 2026"), ("es", "20 de noviembre de 2026"),
    ("zh", "2026年11月20日星期五"), ("ar", "20 نوفمبر 2026"), ("uk", "20 листопада 2026"),
    ("ht", "vandredi 20 novanm 2026"), ("vi", "20 tháng 11, 2026"), ("pt", "20 de novembro de 2026"),
    ("fa", "20 نوامبر 2026"),
])
def test_dates_are_written_as_each_language_writes_them(language, written):
    assert written in format_day(PED_DAY, language)


def test_weekend_school_day_and_outside_the_school_year(calendar_dialogue, clock):
    family = Family(calendar_dialogue)
    family.send("Is there school on Saturday?")
    assert "it is the weekend" in family.send("1").text
    assert "Yes, Monday, November 23, 2026 is a school day." in family.send("Is there school on Monday?").text
    clock[0] = dt.datetime(2027, 7, 12, 15, 0, tzinfo=dt.UTC)
    summer = family.send("is there school tomorrow?").text
    assert "The school year runs from" in summer


def test_a_general_question_lists_the_next_dates(calendar_dialogue):
    family = Family(calendar_dialogue)
    family.send("What are the next dates on the school calendar?")
    text = family.send("1").text
    assert say("en", calendar.UPCOMING, school=SCHOOL) in text
    assert "Parent–teacher meeting — Thursday, November 19, 2026 at 6:30" in text


def test_unknown_school_points_to_the_school_office(calendar_dialogue):
    family = Family(calendar_dialogue)
    family.send("when is the next ped day?")
    reply = family.send("Zzyzx Academy")
    assert say("en", calendar.NO_CALENDAR) in reply.text


def subscribed(engine, key: str) -> bool:
    with transaction(engine) as session:
        return session.get(CalendarSubscription, key) is not None


@pytest.mark.parametrize("channel", ["sms", "telegram"])
def test_subscribe_and_unsubscribe_to_reminders(calendar_dialogue, calendar_engine, channel):
    family = Family(calendar_dialogue, channel, user="+15145550123" if channel == "sms" else "555000777")
    family.pick(f"school:{SCHOOL_ID}")
    reply = family.send("remind me the evening before ped days")
    assert say("en", calendar.SUBSCRIBED, time=format_clock("18:00", "en"), school=SCHOOL) in reply.text
    assert "6:00" in reply.text and "PM" in reply.text
    assert subscribed(calendar_engine, family.key)
    assert ContactBook(calendar_engine).address(family.key).address == family.user
    reply = family.send("stop reminders")
    assert say("en", calendar.UNSUBSCRIBED) in reply.text
    assert not subscribed(calendar_engine, family.key)
    assert ContactBook(calendar_engine).address(family.key) is None, "the number is deleted"


def test_reminders_asked_before_the_school_is_known(calendar_dialogue, calendar_engine):
    family = Family(calendar_dialogue)
    assert say("fr", calendar.ASK_SCHOOL) in family.send("rappelle-moi la veille des journées pédagogiques").text
    done = family.send("1")
    assert "Je vous enverrai un rappel à 18:00" in done.text
    assert subscribed(calendar_engine, family.key)


def test_the_web_chat_cannot_get_reminders(calendar_dialogue, calendar_engine):
    family = Family(calendar_dialogue, "web", user="web-user-123456")
    family.pick(f"school:{SCHOOL_ID}")
    reply = family.send("remind me")
    assert say(reply.language, calendar.REMINDERS_ELSEWHERE) in reply.text
    assert ContactBook(calendar_engine).address(family.key) is None


def test_stop_deletes_the_subscription_and_the_number(calendar_dialogue, calendar_engine):
    family = Family(calendar_dialogue)
    family.pick(f"school:{SCHOOL_ID}")
    family.send("remind me")
    family.send("STOP")
    assert not subscribed(calendar_engine, family.key)
    assert ContactBook(calendar_engine).purposes(family.key) == set()


def _suggested_reply(message: str) -> str:
    """The words after the last colon: what the bot tells the family to write."""
    return re.split(r"[:：]", message)[-1].strip(" .。")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_words_the_bot_suggests_do_what_they_say(language):
    offer = _suggested_reply(translator(language).gettext(calendar.OFFER_REMINDERS))
    stop = _suggested_reply(translator(language).gettext(calendar.SUBSCRIBED))
    assert "remind" in question_meanings(offer, language) and "stop" not in question_meanings(offer, language)
    assert {"remind", "stop"} <= set(question_meanings(stop, language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_exact_words_the_bot_suggests_subscribe_then_unsubscribe(calendar_dialogue, calendar_engine, language):
    family = Family(calendar_dialogue)
    family.pick(f"school:{SCHOOL_ID}")
    family.dialogue.choose("sms", family.user, f"lang:{language}")
    gettext = translator(language).gettext
    reply = family.send(_suggested_reply(gettext(calendar.OFFER_REMINDERS)))
    assert not reply.emergency, "the bot's own words never read as danger"
    assert subscribed(calendar_engine, family.key), reply.text
    family.send(_suggested_reply(gettext(calendar.SUBSCRIBED)))
    assert not subscribed(calendar_engine, family.key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_reminder_requests_are_understood_in_every_language(calendar_dialogue, calendar_engine, language):
    requests = {
        "fr": "rappelle-moi la veille des journées pédagogiques", "en": "remind me the evening before ped days",
        "es": "recuérdame la noche antes de los días pedagógicos", "pt": "me lembre na noite antes dos dias pedagógicos",
        "ht": "raple m aswè anvan jou pedagojik yo", "ar": "ذكرني في المساء قبل الأيام التربوية",
        "fa": "شب قبل از روزهای آموزشی یادآوری کن", "zh": "教师培训日前一天晚上提醒我",
        "vi": "nhắc tôi tối hôm trước ngày sư phạm", "uk": "нагадай мені напередодні педагогічних днів",
    }
    family = Family(calendar_dialogue)
    family.pick(f"school:{SCHOOL_ID}")
    family.dialogue.choose("sms", family.user, f"lang:{language}")
    reply = family.send(requests[language])
    assert reply.language == language
    assert subscribed(calendar_engine, family.key), reply.text
    with transaction(calendar_engine) as session:
        assert session.scalar(select(CalendarSubscription.school_id)) == SCHOOL_ID


@pytest.mark.parametrize("message", ["my husband hits me and the kids", "je veux mourir"])
def test_danger_comes_first_even_while_the_bot_waits_for_a_school(calendar_dialogue, message):
    family = Family(calendar_dialogue)
    family.send("When is the next ped day?")
    reply = family.send(message)
    assert reply.emergency and "911" in reply.text
