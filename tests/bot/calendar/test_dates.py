"""Which day a question is about, in every curated language, in Montréal time."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.calendar.dates import find_date, today_in

TUESDAY = dt.date(2026, 11, 17)
D = dt.date


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", "is there school tomorrow?", D(2026, 11, 18)),
    ("en", "school next Friday?", D(2026, 11, 20)),
    ("en", "is there school on monday", D(2026, 11, 23)),
    ("en", "any school on December 3?", D(2026, 12, 3)),
    ("fr", "y a-t-il de l'école demain ?", D(2026, 11, 18)),
    ("fr", "école lundi?", D(2026, 11, 23)),
    ("fr", "vendredi prochain", D(2026, 11, 20)),
    ("fr", "y a école le 3 décembre", D(2026, 12, 3)),
    ("fr", "et apres demain", D(2026, 11, 19)),
    ("es", "¿hay clases el lunes?", D(2026, 11, 23)),
    ("es", "hay escuela mañana", D(2026, 11, 18)),
    ("es", "pasado mañana hay clases?", D(2026, 11, 19)),
    ("es", "hay clases el 8 de diciembre", D(2026, 12, 8)),
    ("pt", "tem aula na segunda?", D(2026, 11, 23)),
    ("pt", "tem aula amanhã?", D(2026, 11, 18)),
    ("pt", "tem aula dia 4 de dezembro", D(2026, 12, 4)),
    ("ht", "èske gen lekòl lendi?", D(2026, 11, 23)),
    ("ht", "gen lekol demen?", D(2026, 11, 18)),
    ("ht", "lekòl 4 desanm?", D(2026, 12, 4)),
    ("ar", "هل توجد مدرسة يوم الاثنين؟", D(2026, 11, 23)),
    ("ar", "في مدرسة بكرة؟", D(2026, 11, 18)),
    ("ar", "هل توجد مدرسة في 3 ديسمبر", D(2026, 12, 3)),
    ("fa", "فردا مدرسه هست؟", D(2026, 11, 18)),
    ("fa", "دوشنبه مدرسه باز است؟", D(2026, 11, 23)),
    ("fa", "شنبه", D(2026, 11, 21)),
    ("fa", "سه‌شنبه مدرسه هست؟", D(2026, 11, 17)),
    ("zh", "下周一有课吗？", D(2026, 11, 23)),
    ("zh", "明天上学吗", D(2026, 11, 18)),
    ("zh", "周五有课吗", D(2026, 11, 20)),
    ("zh", "12月8日有课吗", D(2026, 12, 8)),
    ("vi", "thứ hai có đi học không?", D(2026, 11, 23)),
    ("vi", "ngày mai có học không", D(2026, 11, 18)),
    ("vi", "thứ sáu tuần sau có học không", D(2026, 11, 27)),
    ("uk", "чи є школа в понеділок?", D(2026, 11, 23)),
    ("uk", "завтра є уроки?", D(2026, 11, 18)),
    ("uk", "чи є уроки 3 грудня", D(2026, 12, 3)),
])
def test_relative_and_explicit_days(language, text, expected):
    assert find_date(text, language, TUESDAY) == expected


def test_next_week_means_the_next_calendar_week():
    # Asked on Tuesday: "下周二" and "next week's Tuesday" are a week away, "Tuesday" is today.
    assert find_date("下周二有课吗", "zh", TUESDAY) == D(2026, 11, 24)
    assert find_date("martes de la próxima semana", "es", TUESDAY) == D(2026, 11, 24)
    assert find_date("tuesday", "en", TUESDAY) == TUESDAY
    assert find_date("next tuesday", "en", TUESDAY) == D(2026, 11, 24)


@pytest.mark.parametrize("text", ["when is the next ped day?", "my son is in grade 2", "may I ask something",
                                  "", "🙂🙂🙂", "x" * 5000])
def test_no_day_named(text):
    assert find_date(text, "en", TUESDAY) is None


def test_a_date_already_past_this_year_means_next_year():
    assert find_date("school on January 5?", "en", TUESDAY) == D(2027, 1, 5)


def test_today_is_montreal_today():
    # 02:00 UTC on Wednesday is still Tuesday evening in Montréal.
    late = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)
    assert today_in("America/Montreal", late) == TUESDAY
    assert today_in("UTC", late) == D(2026, 11, 18)


def test_dates_are_read_without_any_network(monkeypatch):
    """dateparser and our word lists work offline: no connection is even attempted."""
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert find_date("hay clases el 8 de diciembre", "es", TUESDAY) == D(2026, 12, 8)
    assert find_date("школа 3 грудня", "uk", TUESDAY) == D(2026, 12, 3)
    assert find_date("lekòl 4 desanm", "ht", TUESDAY) == D(2026, 12, 4)
