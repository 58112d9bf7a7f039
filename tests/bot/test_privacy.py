"""`familybot privacy`: a family sees, takes away and erases its data; old logs are purged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, func, insert, select, text
from typer.testing import CliRunner

from bot.cli import app
from bot.identity import user_key
from bot.messages import IncomingMessage
from bot.privacy import PrivacyError, identifier, parse_duration
from bot.records import ConversationTurn, FamilyStateRow, HandoffRequest, ProcessedMessage
from resources_db.database import transaction
from resources_db.models import AuditLog

SALT = "test-salt"
PHONE = "+15145550123"
CHAT_ID = "555000111"
runner = CliRunner()


@pytest.fixture
def env(monkeypatch, seeded_engine):
    monkeypatch.setenv("DATABASE_URL", seeded_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ID_HASH_SALT", SALT)
    monkeypatch.delenv("ID_HASH_SALT_FILE", raising=False)
    return seeded_engine


@pytest.fixture
def two_families(env, dialogue):
    """An SMS family that asked for food then for a person, and a Telegram family."""
    dialogue.handle(IncomingMessage("sms", PHONE, "bonjour, j'ai besoin d'aide pour nourrir mes enfants"))
    dialogue.handle(IncomingMessage("sms", PHONE, "je veux parler à une personne"))
    dialogue.handle(IncomingMessage("telegram", CHAT_ID, "hello, my son needs help with homework"))
    with transaction(env) as session:
        assert session.scalar(select(func.count()).select_from(HandoffRequest)) == 1, "the handoff was recorded"
    return env


def count(engine, table: str, key: str | None = None) -> int:
    where = " WHERE user_key = :key" if key else ""
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}{where}"), {"key": key}).scalar()


def invoke(*args: str):
    return runner.invoke(app, ["privacy", *args])


def test_export_gives_the_family_every_row_about_it_and_nothing_else(two_families):
    result = invoke("export", "--user", "514 555-0123", "--channel", "sms")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    tables = document["tables"]
    assert set(tables) >= {"family_state", "conversation_turn", "handoff_request"}
    said = [row["text"] for row in tables["conversation_turn"] if row["direction"] == "in"]
    assert said == ["bonjour, j'ai besoin d'aide pour nourrir mes enfants", "je veux parler à une personne"]
    assert tables["handoff_request"][0]["transcript"], "the transcript staff see is part of the export"
    assert "homework" not in result.stdout, "nothing of the other family"
    # The number is stored only while a person must answer (handoff), and then it is the family's data too.
    assert [row["address"] for row in tables["contact_address"]] == [PHONE]
    assert all(PHONE not in json.dumps(rows) for table, rows in tables.items() if table != "contact_address")
    assert document["user_key"] == user_key("sms", PHONE, SALT)


def test_export_to_a_file(two_families, tmp_path):
    out = tmp_path / "family.json"
    result = invoke("export", "--user", CHAT_ID, "--channel", "telegram", "--output", str(out))
    assert result.exit_code == 0, result.output
    turns = json.loads(out.read_text(encoding="utf-8"))["tables"]["conversation_turn"]
    assert turns[0]["text"] == "hello, my son needs help with homework"


def test_an_unknown_family_gets_an_empty_export_and_a_hint(two_families):
    result = invoke("export", "--user", "+15145559999")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["tables"] == {}
    assert "Nothing is stored under this id" in result.stderr


def test_delete_erases_the_family_leaves_others_and_audits_without_the_id(two_families):
    engine, sms_key = two_families, user_key("sms", PHONE, SALT)
    telegram_turns = count(engine, "conversation_turn", user_key("telegram", CHAT_ID, SALT))
    result = invoke("delete", "--user", PHONE, "--yes")
    assert result.exit_code == 0, result.output
    assert "conversation_turn: 4 row(s) deleted" in result.stdout
    for table in ("family_state", "conversation_turn", "handoff_request", "pending_parts"):
        assert count(engine, table, sms_key) == 0
    assert count(engine, "conversation_turn", user_key("telegram", CHAT_ID, SALT)) == telegram_turns > 0
    with transaction(engine) as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "privacy-delete")).one()
    assert entry.entity_id in result.stdout, "the receipt printed is the audit entry's id"
    assert json.loads(entry.new_value)["conversation_turn"] == 4
    assert PHONE not in str(vars(entry)) and sms_key not in str(vars(entry))
    assert json.loads(invoke("export", "--user", PHONE).stdout)["tables"] == {}


def test_delete_asks_for_confirmation(two_families):
    result = runner.invoke(app, ["privacy", "delete", "--user", PHONE], input="n\n")
    assert result.exit_code != 0
    assert count(two_families, "conversation_turn", user_key("sms", PHONE, SALT)) == 4


def _add_tables_from_other_features(engine) -> None:
    """Tables another feature could add: one keyed by family, one pointing at a handoff request."""
    metadata = MetaData()
    requests = Table("handoff_request", metadata, autoload_with=engine)
    subscriptions = Table("reminder_subscription", metadata, Column("id", Integer, primary_key=True),
                          Column("user_key", String(64)), Column("topic", Text))
    notes = Table("handoff_note", metadata, Column("id", Integer, primary_key=True),
                  Column("handoff_id", ForeignKey("handoff_request.id"), nullable=False), Column("note", Text))
    metadata.create_all(engine, tables=[subscriptions, notes])
    with engine.begin() as connection:
        connection.execute(insert(subscriptions).values(user_key=user_key("sms", PHONE, SALT), topic="school calendar"))
        for (request_id,) in connection.execute(select(requests.c.id)):
            connection.execute(insert(notes).values(handoff_id=request_id, note="called back on Tuesday"))


def test_tables_added_by_other_features_are_exported_and_deleted_too(two_families):
    _add_tables_from_other_features(two_families)
    exported = json.loads(invoke("export", "--user", PHONE).stdout)["tables"]
    assert exported["reminder_subscription"][0]["topic"] == "school calendar"
    assert exported["handoff_note"][0]["note"] == "called back on Tuesday"
    result = invoke("delete", "--user", PHONE, "--yes")
    assert result.exit_code == 0, result.output
    assert count(two_families, "reminder_subscription") == 0
    assert count(two_families, "handoff_note") == 0, "a note on the family's request goes with it"


def test_delete_is_all_or_nothing(two_families, monkeypatch):
    _add_tables_from_other_features(two_families)

    def crash(*args, **kwargs):
        raise RuntimeError("the database went away before the end")

    monkeypatch.setattr("bot.privacy._audit", crash)  # fails after every row was deleted
    result = invoke("delete", "--user", PHONE, "--yes")
    assert result.exit_code != 0
    sms_key = user_key("sms", PHONE, SALT)
    assert count(two_families, "conversation_turn", sms_key) == 4
    assert count(two_families, "family_state", sms_key) == 1
    assert count(two_families, "reminder_subscription", sms_key) == 1
    assert count(two_families, "handoff_note") == 1


def _age(engine, days: int) -> None:
    """Make everything written so far `days` old."""
    then = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with transaction(engine) as session:
        for model, column in [(ConversationTurn, "at"), (HandoffRequest, "created_at"),
                              (ProcessedMessage, "at"), (FamilyStateRow, "updated_at")]:
            session.query(model).update({column: then})


def test_purge_deletes_old_logs_only_and_keeps_language_and_stop(env, dialogue):
    dialogue.handle(IncomingMessage("sms", PHONE, "je veux parler à une personne"))
    dialogue.handle(IncomingMessage("sms", PHONE, "mon fils a 8 ans, on habite à Montréal-Nord"))
    dialogue.handle(IncomingMessage("sms", PHONE, "STOP"))
    with transaction(env) as session:
        session.add(ProcessedMessage(channel="sms", message_id="SM1", response="<Response/>"))
    _age(env, 100)
    dialogue.handle(IncomingMessage("telegram", CHAT_ID, "hello, I need food for my kids"))
    old_turns = count(env, "conversation_turn") - 2

    dry = invoke("purge", "--older-than", "90d", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"conversation_turn: {old_turns} rows" in dry.stdout
    assert "handoff_request: 1 rows" in dry.stdout and "processed_message: 1 rows" in dry.stdout
    assert "nothing changed" in dry.stdout
    assert count(env, "conversation_turn") == old_turns + 2

    done = invoke("purge", "--older-than", "12w")
    assert done.exit_code == 0, done.output
    assert f"conversation_turn: {old_turns} rows" in done.stdout
    assert count(env, "conversation_turn") == 2, "the recent Telegram exchange stays"
    assert count(env, "handoff_request") == count(env, "processed_message") == 0
    with transaction(env) as session:
        family = session.get(FamilyStateRow, user_key("sms", PHONE, SALT))
        assert family.opted_out and family.language == "fr", "STOP and the language survive"
        assert not any(family.context.values()), "the child's age and the neighbourhood are forgotten"
        assert session.scalars(select(AuditLog).where(AuditLog.action == "privacy-purge")).one()

    again = invoke("purge", "--older-than", "90d")
    assert "Total: 0." in again.stdout


def test_purge_refuses_a_duration_it_cannot_read(env):
    result = invoke("purge", "--older-than", "90")
    assert result.exit_code == 2 and "90d, 12w, 6m" in result.output


NOW = dt.datetime(2026, 8, 31, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("given,expected", [
    ("90d", NOW - dt.timedelta(days=90)),
    ("12w", NOW - dt.timedelta(weeks=12)),
    ("6m", dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC)),
    ("18M", dt.datetime(2025, 2, 28, 12, 0, tzinfo=dt.UTC)),
    ("1y", dt.datetime(2025, 8, 31, 12, 0, tzinfo=dt.UTC)),
    (" 30 d ", NOW - dt.timedelta(days=30)),
])
def test_durations(given, expected):
    assert parse_duration(given, now=NOW) == expected


@pytest.mark.parametrize("given", ["90", "0d", "-5d", "d", "90x", "", "ninety days", "99999999y"])
def test_bad_durations_are_refused(given):
    with pytest.raises(PrivacyError):
        parse_duration(given, now=NOW)


@pytest.mark.parametrize("raw,channel,expected", [
    ("+15145550123", None, ("sms", PHONE)),
    ("514 555-0123", "sms", ("sms", PHONE)),
    ("(514) 555-0123", "sms", ("sms", PHONE)),
    ("1-514-555-0123", "sms", ("sms", PHONE)),
    ("+33 6 12 34 56 78", None, ("sms", "+33612345678")),
    ("555000111", "telegram", ("telegram", CHAT_ID)),
    ("-1001234567890", "telegram", ("telegram", "-1001234567890")),
])
def test_ids_are_read_as_families_write_them(raw, channel, expected):
    assert identifier(raw, channel) == expected


@pytest.mark.parametrize("raw,channel,message", [
    ("555000111", None, "--channel"),
    ("hello", "sms", "not a phone number"),
    ("@someone", "telegram", "not a Telegram chat id"),
    ("x", "fax", "Unknown channel"),
])
def test_unreadable_ids_are_refused_clearly(raw, channel, message):
    with pytest.raises(PrivacyError, match=message):
        identifier(raw, channel)
