"""The needs dashboard: what families ask for, by need, language, channel and week.

Only counts leave this module: messages, distinct families (by hashed key) and
families whose need went unmet — no text, no identifier. A need is unmet when the
answer gave no resource (crisis and school-calendar answers aside: they give emergency
numbers and dates), and a message the bot did not understand is an unmet need of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from admin.learning.fallbacks import NOT_UNDERSTOOD
from bot.records import ConversationTurn
from nlu.taxonomy import load_taxonomy
from resources_db.database import transaction

#: The row label of messages the bot did not understand.
NOT_UNDERSTOOD_NEED = "not_understood"
CSV_COLUMNS = ("week", "need", "language", "channel", "messages", "families", "unmet_families")


@dataclass(frozen=True)
class Ask:
    """One family message asking for something, reduced to what the dashboard counts."""

    week: dt.date
    need: str
    language: str
    channel: str
    family: str
    unmet: bool


@dataclass
class Tally:
    """Counts for one bar or table row."""

    name: str
    messages: int = 0
    families: int = 0
    unmet_families: int = 0
    _families: set[str] = field(default_factory=set, repr=False)
    _unmet: set[str] = field(default_factory=set, repr=False)
    _met: set[str] = field(default_factory=set, repr=False)

    def add(self, ask: Ask) -> None:
        self.messages += 1
        self._families.add(ask.family)
        (self._unmet if ask.unmet else self._met).add(ask.family)
        self.families = len(self._families)
        # A family helped by another message about the same thing was not left without help.
        self.unmet_families = len(self._unmet - self._met)

    @property
    def met_families(self) -> int:
        return self.families - self.unmet_families


def week_of(moment: dt.datetime) -> dt.date:
    """The Monday starting the week of `moment`."""
    day = moment.date()
    return day - dt.timedelta(days=day.weekday())


def asks(engine: Engine, since: dt.date, until: dt.date) -> list[Ask]:
    """Family messages about a need (or not understood) between two dates, inclusive."""
    needs = set(load_taxonomy().needs)
    # Crisis answers are the emergency numbers and calendar answers are dates: no resource expected.
    resource_needs = set(load_taxonomy().resource_needs) - {"crisis"}
    start = dt.datetime.combine(since, dt.time.min, dt.UTC)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, dt.UTC)
    with transaction(engine) as session:
        rows = session.execute(
            select(ConversationTurn.at, ConversationTurn.intent, ConversationTurn.answer_language,
                   ConversationTurn.language, ConversationTurn.channel, ConversationTurn.user_key,
                   ConversationTurn.resources_shown)
            .where(ConversationTurn.direction == "in", ConversationTurn.at >= start, ConversationTurn.at < end,
                   ConversationTurn.intent.in_(needs | set(NOT_UNDERSTOOD)))
        ).all()
    result = []
    for at, intent, answer_language, language, channel, family, shown in rows:
        if intent in NOT_UNDERSTOOD:
            need, unmet = NOT_UNDERSTOOD_NEED, True
        else:
            need, unmet = intent, intent in resource_needs and shown == 0
        result.append(Ask(week_of(at), need, answer_language or language or "und", channel, family, unmet))
    return result


def tally(rows: list[Ask], key: Callable[[Ask], str]) -> list[Tally]:
    """Counts grouped by `key`, unmet needs first, then by families."""
    groups: dict[str, Tally] = {}
    for ask in rows:
        name = key(ask)
        groups.setdefault(name, Tally(name)).add(ask)
    return sorted(groups.values(), key=lambda t: (-t.unmet_families, -t.families, -t.messages, t.name))


def by_week(rows: list[Ask]) -> list[Tally]:
    """Counts per week, oldest first."""
    return sorted(tally(rows, lambda a: a.week.isoformat()), key=lambda t: t.name)


def to_csv(rows: list[Ask]) -> str:
    """One line per week, need, language and channel, with the counts (a spreadsheet's pivot source)."""
    groups: dict[tuple[str, str, str, str], Tally] = {}
    for ask in rows:
        key = (ask.week.isoformat(), ask.need, ask.language, ask.channel)
        groups.setdefault(key, Tally("/".join(key))).add(ask)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for key in sorted(groups):
        t = groups[key]
        writer.writerow([*key, t.messages, t.families, t.unmet_families])
    return out.getvalue()
