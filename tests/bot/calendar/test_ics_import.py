"""Importing school calendars: recurrences, time zones, event types, bad files."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from typer.testing import CliRunner

from bot.calendar.event_types import KINDS, classify
from bot.calendar.ics_import import CalendarError, import_calendar, parse
from bot.calendar.records import CalendarEvent, School
from bot.calendar.store import CalendarBook
from resources_db.database import transaction
from tests.bot.calendar.conftest import EXAMPLE, SCHOOL_ID, load_example

D = dt.date


def ics(*events: str, extra: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{extra}{body}END:VCALENDAR\r\n".encode()


def lines(*items: str) -> str:
    return "\r\n".join(items)


def test_weekly_rule_is_expanded_with_exceptions_and_extra_dates():
    data = ics(lines("UID:homework-club", "SUMMARY:Aide aux devoirs",
                     "DTSTART;TZID=America/Montreal:20261005T153000",
                     "DTEND;TZID=America/Montreal:20261005T163000",
                     "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4",
                     "EXDATE;TZID=America/Montreal:20261012T153000",
                     "RDATE;TZID=America/Montreal:20261103T153000"))
    days = [(o.start_date, o.start_time) for o in parse(data)]
    assert days == [(D(2026, 10, 5), "15:30"), (D(2026, 10, 19), "15:30"), (D(2026, 10, 26), "15:30"),
                    (D(2026, 11, 3), "15:30")], "Thanksgiving Monday removed, an extra Tuesday added"


def test_an_open_ended_rule_stops_a_year_after_the_calendar():
    data = ics(lines("UID:monthly", "SUMMARY:Journée pédagogique", "DTSTART;VALUE=DATE:20260904",
                     "RRULE:FREQ=MONTHLY;BYDAY=1FR"))
    occurrences = parse(data)
    assert occurrences[0].start_date == D(2026, 9, 4)
    assert all(o.kind == "pedagogical_day" for o in occurrences)
    assert 12 <= len(occurrences) <= 13
    assert occurrences[-1].start_date < D(2027, 9, 6)


def test_local_time_is_kept_across_the_daylight_saving_change():
    # A monthly 19:00 meeting: 23:00 UTC in October (EDT), 00:00 UTC next day in November (EST).
    occurrences = [o for o in parse(EXAMPLE.read_bytes()) if o.uid.startswith("governing-board")]
    october, november = occurrences[1], occurrences[2]
    assert (october.start_date, october.start_time) == (D(2026, 10, 21), "19:00")
    assert (november.start_date, november.start_time) == (D(2026, 11, 18), "19:00")


def test_utc_times_become_montreal_dates():
    # 02:30 UTC on 20 November is 21:30 on the 19th in Montréal (EST, UTC-5).
    data = ics(lines("UID:late", "SUMMARY:Rencontre de parents", "DTSTART:20261120T023000Z",
                     "DTEND:20261120T033000Z"))
    [occurrence] = parse(data)
    assert (occurrence.start_date, occurrence.start_time, occurrence.kind) == (D(2026, 11, 19), "21:30",
                                                                               "parent_meeting")


def test_an_event_on_the_dst_weekend_keeps_its_day():
    data = ics(lines("UID:dst", "SUMMARY:Journée pédagogique", "DTSTART;VALUE=DATE:20270315",
                     "DTEND;VALUE=DATE:20270316"),
               lines("UID:dst-meeting", "SUMMARY:Rencontre de parents",
                     "DTSTART;TZID=America/Montreal:20270314T190000",
                     "DTEND;TZID=America/Montreal:20270314T200000"))
    by_uid = {o.uid: o for o in parse(data)}
    assert (by_uid["dst"].start_date, by_uid["dst"].end_date) == (D(2027, 3, 15), D(2027, 3, 15))
    assert (by_uid["dst-meeting"].start_date, by_uid["dst-meeting"].start_time) == (D(2027, 3, 14), "19:00")


def test_all_day_end_is_exclusive():
    [spring_break] = [o for o in parse(EXAMPLE.read_bytes()) if o.uid.startswith("spring-break")]
    assert (spring_break.start_date, spring_break.end_date) == (D(2027, 3, 1), D(2027, 3, 5))


@pytest.mark.parametrize(("summary", "categories", "kind"), [
    ("Rentrée scolaire", [], "first_day"),
    ("First day of school", [], "first_day"),
    ("Fin des classes", [], "last_day"),
    ("Last day of school", [], "last_day"),
    ("Journée pédagogique", [], "pedagogical_day"),
    ("PD day - no school", [], "pedagogical_day"),
    ("Congé - Action de grâce", [], "holiday"),
    ("Labour Day", [], "holiday"),
    ("Semaine de relâche", [], "break"),
    ("Winter break", [], "break"),
    ("Premier bulletin", [], "report_card"),
    ("Report cards sent home", [], "report_card"),
    ("Rencontre de parents", [], "parent_meeting"),
    ("Parent-teacher interviews", [], "parent_meeting"),
    ("Date limite d'inscription", [], "registration_deadline"),
    ("Kindergarten registration ends", [], "registration_deadline"),
    ("Spectacle de Noël", [], "other"),
    ("Journée spéciale", ["PEDAGOGICAL_DAY"], "pedagogical_day"),
    ("Special day", ["Congé"], "holiday"),
])
def test_every_event_type_is_recognized(summary, categories, kind):
    assert classify(summary, categories) == kind


def test_the_example_calendar_has_every_event_type(engine):
    load_example(engine)
    with transaction(engine) as session:
        kinds = set(session.scalars(select(CalendarEvent.kind).where(CalendarEvent.school_id == SCHOOL_ID)))
        school = session.get(School, SCHOOL_ID)
        assert "EXEMPLE" in school.name
    assert kinds == set(KINDS)
    assert "NOT an official calendar" in EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"hello world", "not a valid iCalendar"),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no events"),
    (ics("UID:x\r\nSUMMARY:No start"), "no DTSTART"),
    (ics("UID:x\r\nSUMMARY:Bad\r\nDTSTART;VALUE=DATE:2026-13-45"), "DTSTART"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:cut here", "not a valid iCalendar"),
])
def test_malformed_calendars_are_refused_and_nothing_is_half_imported(engine, data, message):
    load_example(engine)
    with pytest.raises(CalendarError, match=message):
        with transaction(engine) as session:
            import_calendar(session, "École primaire exemple (Montréal) — EXEMPLE", "upload.ics", data=data)
    with transaction(engine) as session:
        count = session.scalar(select(func.count()).select_from(CalendarEvent))
    assert count == len(parse(EXAMPLE.read_bytes())), "the previous calendar is intact"


def test_reimport_replaces_the_calendar_and_keeps_aliases(engine):
    load_example(engine, aliases=["St-Exemple"])
    with transaction(engine) as session:
        import_calendar(session, "École primaire exemple (Montréal) — EXEMPLE", "new.ics",
                        aliases=["Exemple primary"],
                        data=ics(lines("UID:only", "SUMMARY:Journée pédagogique", "DTSTART;VALUE=DATE:20270115")))
    book = CalendarBook(engine)
    assert [e.start for e in book.upcoming(SCHOOL_ID, D(2026, 1, 1))] == [D(2027, 1, 15)]
    assert set(book.school(SCHOOL_ID).aliases) == {"St-Exemple", "Exemple primary"}


def test_import_from_a_url_on_loopback(engine, live_server):
    async def serve(_request):
        return Response(EXAMPLE.read_bytes(), media_type="text/calendar")

    with live_server(Starlette(routes=[Route("/calendar.ics", serve)])) as server:
        with transaction(engine) as session:
            report = import_calendar(session, "École URL", f"{server.url}/calendar.ics")
    assert report.events == len(parse(EXAMPLE.read_bytes()))
    assert report.first == D(2026, 8, 27)


def test_a_url_that_never_answers_times_out_with_a_clear_error(engine):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    from bot.calendar import ics_import

    try:
        with pytest.raises(CalendarError, match="no answer within"):
            ics_import.read_source(f"http://127.0.0.1:{listener.getsockname()[1]}/cal.ics", timeout=0.5)
    finally:
        for connection, _ in accepted:
            connection.close()
        listener.close()


def test_cli_imports_and_reports_bad_files(tmp_path, monkeypatch):
    from bot.cli import app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    result = runner.invoke(app, ["calendar", "import", "École Saint-Exemple", str(EXAMPLE), "--alias", "St-Ex"])
    assert result.exit_code == 0, result.output
    assert "pedagogical_day 9" in result.output
    bad = tmp_path / "bad.ics"
    bad.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:oops\n", encoding="utf-8")
    result = runner.invoke(app, ["calendar", "import", "École Saint-Exemple", str(bad)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output
    listed = runner.invoke(app, ["calendar", "list"])
    assert "École Saint-Exemple (also: St-Ex)" in listed.output
