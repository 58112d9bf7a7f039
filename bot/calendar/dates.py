"""Which day a family's question is about: "tomorrow", "next Friday", "lundi", "下周一", "3 décembre".

Relative words come from `date_words.yml` for all 10 languages (dateparser cannot
find them inside a sentence, and lacks Haitian Creole); explicit dates ("le 3
décembre", "December 3", "8 de diciembre") are found by dateparser, offline, in the
family's language. "Today" is today in the calendar's time zone.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.calendar.phrases import PhraseTable, tokens
from nlu.normalize import normalize

WORDS_FILE = Path(__file__).with_name("date_words.yml")
#: Names of kinds of dates are read too, so that their words are not taken for days:
#: Arabic "اليوم التربوي" is "the pedagogical day", not "today".
KIND_WORDS_FILE = Path(__file__).with_name("question_words.yml")
#: dateparser's code for each of our languages that it knows; others use `months` mapped to French.
DATEPARSER_LANGUAGES = frozenset({"fr", "en", "es", "pt", "ar", "fa", "zh", "vi", "uk"})
_ZH_NEXT_WEEK = re.compile(r"下(?:个|個)?(?:周|週|星期|礼拜|禮拜)([一二三四五六日天])")
_ZH_WEEKDAYS = "一二三四五六日"
_ZH_DATE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]")


@dataclass(frozen=True)
class _Language:
    phrases: PhraseTable
    months: dict[str, str]


@cache
def _languages(path: Path = WORDS_FILE) -> dict[str, _Language]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = yaml.safe_load(KIND_WORDS_FILE.read_text(encoding="utf-8"))
    languages = {}
    for code, entry in data.items():
        if len(entry["weekdays"]) != 7:
            raise ValueError(f"{path}: {code} needs 7 weekdays, Monday first")
        meanings = {key: entry[key] for key in ("today", "tomorrow", "after_tomorrow", "next", "next_week")}
        meanings.update({f"weekday:{number}": names for number, names in enumerate(entry["weekdays"])})
        meanings["kind"] = [word for key, words in kinds.get(code, {}).items() if key not in {"remind", "stop"}
                            for word in words]
        months = {normalize(k): v for k, v in (entry.get("months") or {}).items()}
        languages[code] = _Language(PhraseTable(meanings), months)
    return languages


def _meanings(text: str, language: str) -> list[str]:
    table = _languages().get(language)
    return table.phrases.find(text) if table else []


def weekday_and_month_names(language: str) -> tuple[list[str], list[str]] | None:
    """Weekday (Monday first) and month names from the data file, for languages Babel lacks."""
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8")).get(language) or {}
    if "months" not in data:
        return None
    return [names[0] for names in data["weekdays"]], list(data["months"])


def today_in(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in `timezone` (now, or at the given aware `now`)."""
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(ZoneInfo(timezone)).date()


def find_date(text: str, language: str, today: dt.date) -> dt.date | None:
    """The day `text` asks about, or None when it names no day."""
    if language == "zh":
        match = _ZH_NEXT_WEEK.search(text)
        if match:
            weekday = _ZH_WEEKDAYS.index(match.group(1).replace("天", "日"))
            next_monday = today + dt.timedelta(days=7 - today.weekday())
            return next_monday + dt.timedelta(days=weekday)
        match = _ZH_DATE.search(text)
        if match:
            return _upcoming(today, int(match.group(1)), int(match.group(2)))
    meanings = _meanings(text, language)
    weekdays = [int(m.split(":")[1]) for m in meanings if m.startswith("weekday:")]
    if weekdays and "next_week" in meanings:
        return today + dt.timedelta(days=7 - today.weekday() + weekdays[0])
    if weekdays:
        ahead = (weekdays[0] - today.weekday()) % 7
        if ahead == 0 and "next" in meanings:
            ahead = 7
        return today + dt.timedelta(days=ahead)
    for meaning, days in (("after_tomorrow", 2), ("tomorrow", 1), ("today", 0)):
        if meaning in meanings:
            return today + dt.timedelta(days=days)
    return _explicit_date(text, language, today)


def _upcoming(today: dt.date, month: int, day: int) -> dt.date | None:
    """The next `month`/`day` from today (this year's, or next year's if it has passed)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate >= today - dt.timedelta(days=1):
            return candidate
    return None


def _explicit_date(text: str, language: str, today: dt.date) -> dt.date | None:
    if not re.search(r"\d", normalize(text)):
        return None  # a date needs a day number; this avoids reading "may" or "mar" as months
    source, reading = text, language
    table = _languages().get(language)
    if language not in DATEPARSER_LANGUAGES:
        if table is None or not table.months:
            return None
        source = " ".join(table.months.get(token, token) for token in tokens(text))
        reading = "fr"
    import dateparser

    words = re.findall(r"[^\s,.;:!?¿¡()\[\]\"]+", normalize(source) if reading != "zh" else source)
    settings = {"RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)), "PREFER_DATES_FROM": "future",
                "REQUIRE_PARTS": ["day", "month"]}
    for index, word in enumerate(words):
        if not re.search(r"\d", word):
            continue
        # The day number with the words around it: "3 decembre", "4 de dezembro", "December 3".
        for candidate in (words[index:index + 3], words[index:index + 2], words[max(index - 1, 0):index + 1],
                          words[max(index - 2, 0):index + 1]):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # dateparser warns about pytz internals
                value = dateparser.parse(" ".join(candidate), languages=[reading], settings=settings)
            if value is not None:
                return _upcoming(today, value.month, value.day)
    return None
