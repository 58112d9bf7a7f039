"""The `school_calendar` conversation: which school, which day, what comes next, reminders.

Families name their school once; it is remembered in the family state
(`details["school"]`). Until then the bot asks, offering the schools it knows.
Questions name a day ("tomorrow", "lundi", "下周一", "3 décembre": bot.calendar.dates)
or a kind of date ("next ped day", "report cards": question_words.yml); anything
else gets the next few dates. "Remind me" subscribes the family to the evening-
before reminders and school messages of its school; "stop reminders" ends that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from sqlalchemy import Engine, delete

from bot.calendar.dates import find_date, today_in
from bot.calendar.event_types import KINDS
from bot.calendar.phrases import PhraseTable, tokens
from bot.calendar.records import CalendarSubscription
from bot.calendar.store import CalendarBook, SchoolInfo
from bot.calendar.wording import event_line, format_clock, format_day, kind_name
from bot.contacts import ContactBook
from bot.messages import Option
from resources_db.database import transaction
from translations.catalog import N_

if TYPE_CHECKING:
    from bot.dialogue import Turn

QUESTION_WORDS = Path(__file__).with_name("question_words.yml")
INTENT = "school_calendar"
#: Channels the bot can write to first (the web chat cannot).
REMINDER_CHANNELS = frozenset({"telegram", "sms"})
#: Schools offered as options when the bot asks which one (more would not fit an SMS).
MAX_SCHOOL_OPTIONS = 8

NO_CALENDAR = N_("I do not have your school's calendar yet. Your school publishes the dates of pedagogical days and holidays on its website. So does your school service centre (centre de services scolaire). The school office can also tell you.")
ASK_SCHOOL = N_("Which school does your child go to? Write its name, or choose it below.")
SCHOOL_SET = N_("Your school: {school}.")
NO_SCHOOL_DAY = N_("No school on {date}: {event}.")
SCHOOL_DAY = N_("Yes, {date} is a school day.")
WEEKEND = N_("No school on {date}: it is the weekend.")
OUT_OF_YEAR = N_("No school on {date}. The school year runs from {start} to {end}.")
NONE_COMING = N_("I see no more such date in the calendar of {school}. The school office can tell you more.")
UPCOMING = N_("Next dates at {school}:")
OFFER_REMINDERS = N_("Do you want a reminder the evening before? Reply: remind me.")
SUBSCRIBED = N_("Done! I will send you a reminder at {time} the evening before ped days, holidays and other dates of {school}. To stop, write: stop reminders.")
UNSUBSCRIBED = N_("OK, no more reminders. You can ask for them again any time.")
REMINDERS_ELSEWHERE = N_("Reminders are sent by Telegram or SMS. Write to us there to get them.")


@dataclass(frozen=True)
class CalendarReply:
    """What to answer; the dialogue turns it into a Reply."""

    intent: str
    lines: list[str]
    options: tuple[Option, ...] = ()


@cache
def _question_tables(path: Path = QUESTION_WORDS) -> dict[str, PhraseTable]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for language, entries in data.items():
        unknown = set(entries) - set(KINDS) - {"remind", "stop"}
        if unknown:
            raise ValueError(f"{path}: {language} has unknown keys {sorted(unknown)}")
    return {language: PhraseTable(entries) for language, entries in data.items()}


def question_meanings(text: str, language: str) -> list[str]:
    """Event kinds and remind/stop words found in a family's message."""
    table = _question_tables().get(language) or _question_tables()["en"]
    return table.find(text)


def _turn_meanings(turn: Turn, text: str) -> list[str]:
    """Meanings in the reply language, and in the language the message seems written in
    (a short "remind me" from a family the bot has been answering in French)."""
    found = question_meanings(text, turn.wording.text_language)
    detected = turn.parse["language"]["code"]
    if detected != turn.wording.text_language and detected in _question_tables():
        found += question_meanings(text, detected)
    return found


class CalendarAnswers:
    """Answers calendar questions and manages reminder subscriptions."""

    def __init__(self, engine: Engine, timezone: str = "America/Montreal", reminder_hour: int = 18,
                 clock: Callable[[], dt.datetime] | None = None):
        self.engine, self.timezone, self.reminder_hour = engine, timezone, reminder_hour
        self.book, self.contacts = CalendarBook(engine), ContactBook(engine)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    # -- entry points used by the dialogue ----------------------------------------

    def answer(self, turn: Turn) -> CalendarReply:
        """Answer a school_calendar question (asking for the school first if needed)."""
        text = turn.message.text
        school = self._school(turn, text)
        if school is None:
            return self._ask_school(turn, {"kind": "school", "question": text[:300]})
        meanings = _turn_meanings(turn, text)
        if "remind" in meanings:
            return self._unsubscribe(turn) if "stop" in meanings else self._subscribe(turn, school)
        return self._answer_question(turn, school, text, meanings)

    def contextual(self, turn: Turn, text: str) -> CalendarReply | None:
        """A reply to the bot's "which school?", or a reminders request, before intent routing."""
        if any(r["name"] == "crisis" for r in turn.parse["intent_ranking"][:2]):
            return None  # a possible danger goes to the emergency answer, whatever the bot asked
        pending = turn.state.pending
        if pending.get("kind") == "school":
            return self._school_reply(turn, text, pending)
        meanings = _turn_meanings(turn, text)
        about_calendar = turn.parse["intent"]["name"] == INTENT or any(m in KINDS for m in meanings)
        if "remind" in meanings and (about_calendar or len(tokens(text)) <= 4):
            if "stop" in meanings:
                return self._unsubscribe(turn)
            school = self._school(turn, text)
            if school is None:
                return self._ask_school(turn, {"kind": "school", "then": "subscribe", "question": text[:300]})
            return self._subscribe(turn, school)
        return None

    def choose_school(self, turn: Turn, school_id: str) -> CalendarReply:
        """The family picked a school from the options."""
        school = self.book.school(school_id)
        pending, turn.state.pending = dict(turn.state.pending), {}
        if school is None:
            return CalendarReply(INTENT, [turn.wording.say(NO_CALENDAR)])
        return self._after_school(turn, school, pending)

    def forget(self, user_key: str) -> None:
        """STOP: drop the family's subscription and every address kept for it."""
        with transaction(self.engine) as session:
            session.execute(delete(CalendarSubscription).where(CalendarSubscription.user_key == user_key))
        self.contacts.forget(user_key)

    def subscribed(self, user_key: str) -> bool:
        with transaction(self.engine) as session:
            return session.get(CalendarSubscription, user_key) is not None

    # -- school --------------------------------------------------------------------

    def _school(self, turn: Turn, text: str) -> SchoolInfo | None:
        named = self.book.match_school(text)
        if named is not None:
            turn.state.details["school"] = named.id
            return named
        return self.book.school(turn.state.details.get("school"))

    def _ask_school(self, turn: Turn, pending: dict[str, str]) -> CalendarReply:
        schools = self.book.schools()
        if not schools:
            return CalendarReply(INTENT, [turn.wording.say(NO_CALENDAR)])
        turn.state.pending = pending
        options = tuple(Option(f"school:{s.id}", s.name) for s in schools[:MAX_SCHOOL_OPTIONS])
        return CalendarReply(INTENT, [turn.wording.say(ASK_SCHOOL)], options)

    def _school_reply(self, turn: Turn, text: str, pending: dict[str, str]) -> CalendarReply | None:
        school = self.book.match_school(text)
        if school is not None:
            turn.state.pending = {}
            turn.state.details["school"] = school.id
            return self._after_school(turn, school, pending)
        intent = turn.parse["intent"]
        turn.state.pending = {}
        if intent["name"] not in {INTENT, "nlu_fallback", "out_of_scope"} and intent["confidence"] >= 0.6:
            return None  # the family moved on to another question
        return CalendarReply(INTENT, [turn.wording.say(NO_CALENDAR)])

    def _after_school(self, turn: Turn, school: SchoolInfo, pending: dict[str, str]) -> CalendarReply:
        turn.state.details["school"] = school.id
        intro = turn.wording.say(SCHOOL_SET, school=school.name)
        if pending.get("then") == "subscribe":
            reply = self._subscribe(turn, school)
        else:
            question = pending.get("question", "")
            reply = self._answer_question(turn, school, question,
                                          question_meanings(question, turn.wording.text_language))
        return CalendarReply(reply.intent, [intro, *reply.lines], reply.options)

    # -- questions -----------------------------------------------------------------

    def _answer_question(self, turn: Turn, school: SchoolInfo, text: str, meanings: list[str]) -> CalendarReply:
        language = turn.wording.text_language
        today = today_in(self.timezone, self.clock())
        day = find_date(text, language, today)
        if day is not None:
            lines = self._day(turn, school, day)
        else:
            kinds = {m for m in meanings if m in KINDS}
            if "holiday" in kinds:
                kinds.add("break")  # "next holiday?" means the next day off, whatever its kind
            events = self.book.upcoming(school.id, today, frozenset(kinds) if kinds else None,
                                        limit=1 if kinds else 3)
            if not events:
                lines = [turn.wording.say(NONE_COMING, school=school.name)]
            elif kinds:
                lines = [turn.wording.translated(event_line(events[0], language))]
            else:
                lines = [turn.wording.say(UPCOMING, school=school.name),
                         turn.wording.translated("\n".join(event_line(e, language) for e in events))]
        if turn.state.channel in REMINDER_CHANNELS and not self.subscribed(turn.state.user_key):
            lines.append(turn.wording.say(OFFER_REMINDERS))
        return CalendarReply(INTENT, lines)

    def _day(self, turn: Turn, school: SchoolInfo, day: dt.date) -> list[str]:
        language, say = turn.wording.text_language, turn.wording.say
        date = format_day(day, language)
        events = self.book.on(school.id, day)
        closed = [e for e in events if e.no_school]
        others = [turn.wording.translated(event_line(e, language)) for e in events if not e.no_school]
        if closed:
            return [say(NO_SCHOOL_DAY, date=date, event=kind_name(closed[0].kind, language))]
        if day.weekday() >= 5:
            return [say(WEEKEND, date=date), *others]
        span = self.book.year_span(school.id, day)
        if span and not (span[0] <= day <= span[1]):
            start, end = (format_day(d, language) if d not in (dt.date.min, dt.date.max) else "?" for d in span)
            return [say(OUT_OF_YEAR, date=date, start=start, end=end)]
        return [say(SCHOOL_DAY, date=date), *others]

    # -- reminders -----------------------------------------------------------------

    def _subscribe(self, turn: Turn, school: SchoolInfo) -> CalendarReply:
        state = turn.state
        if state.channel not in REMINDER_CHANNELS:
            return CalendarReply(INTENT, [turn.wording.say(REMINDERS_ELSEWHERE)])
        self.contacts.remember(state.user_key, state.channel, turn.message.user_id, "reminders")
        with transaction(self.engine) as session:
            row = session.get(CalendarSubscription, state.user_key) or CalendarSubscription(
                user_key=state.user_key, created_at=dt.datetime.now(dt.UTC))
            row.school_id, row.channel = school.id, state.channel
            session.add(row)
        time = format_clock(f"{self.reminder_hour:02d}:00", turn.wording.text_language)
        return CalendarReply(INTENT, [turn.wording.say(SUBSCRIBED, time=time, school=school.name)])

    def _unsubscribe(self, turn: Turn) -> CalendarReply:
        with transaction(self.engine) as session:
            session.execute(delete(CalendarSubscription).where(CalendarSubscription.user_key == turn.state.user_key))
        self.contacts.forget(turn.state.user_key, "reminders")
        return CalendarReply(INTENT, [turn.wording.say(UNSUBSCRIBED)])
