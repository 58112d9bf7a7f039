"""Statements run for every message: the same results and errors on every database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import bindparam, exc, insert, select, update

from bot.records import ConversationTurn, FamilyStateRow, ProcessedMessage
from resources_db.database import transaction
from resources_db.hot_statements import HotStatement

STATE = FamilyStateRow.__table__
LOAD = HotStatement(select(STATE).where(STATE.c.user_key == bindparam("key")))
SAVE = HotStatement(update(STATE).where(STATE.c.user_key == bindparam("key")))
CREATE = HotStatement(insert(STATE))
LOG = HotStatement(insert(ConversationTurn.__table__))
ANSWER = HotStatement(insert(ProcessedMessage.__table__))
NOW = dt.datetime(2026, 8, 27, 8, 30, tzinfo=dt.UTC)


def new_family(key: str, **context) -> dict:
    return {"user_key": key, "channel": "sms", "language": "ht", "language_chosen": True, "last_need": None,
            "opted_out": False, "context": context, "created_at": NOW, "updated_at": NOW}


def test_a_row_written_is_read_back_with_its_json(engine):
    with transaction(engine) as session:
        CREATE.run(session.connection(), new_family("k1", details={"child_age": "9"}, offered=[["food_aid", "Manje"]]))
    with transaction(engine) as session:
        row = LOAD.run(session.connection(), {"key": "k1"}).first()
        missing = LOAD.run(session.connection(), {"key": "nobody"}).first()
    assert (row.language, row.language_chosen, row.opted_out) == ("ht", True, False)
    assert row.context == {"details": {"child_age": "9"}, "offered": [["food_aid", "Manje"]]}
    assert missing is None


def test_an_update_says_how_many_rows_it_changed(engine):
    with transaction(engine) as session:
        CREATE.run(session.connection(), new_family("k1"))
        changes = {"channel": "sms", "language": "fr", "language_chosen": False, "last_need": "housing",
                   "opted_out": True, "context": {"shown": 3}, "updated_at": NOW}
        assert SAVE.run(session.connection(), {"key": "k1", **changes}).rowcount == 1
        assert SAVE.run(session.connection(), {"key": "k2", **changes}).rowcount == 0, "the insert-if-new signal"
    with transaction(engine) as session:
        row = LOAD.run(session.connection(), {"key": "k1"}).first()
    assert (row.last_need, row.opted_out, row.context) == ("housing", True, {"shown": 3})


def test_many_rows_in_one_call(engine):
    turns = [{"user_key": "k1", "channel": "sms", "direction": direction, "text": text, "language": "ht",
              "intent": None, "confidence": None, "at": NOW}
             for direction, text in [("in", "mwen bezwen manje"), ("out", "Men kèk èd pou manje")]]
    with transaction(engine) as session:
        LOG.run(session.connection(), turns)
    with transaction(engine) as session:
        texts = session.scalars(select(ConversationTurn.text).order_by(ConversationTurn.id)).all()
    assert texts == ["mwen bezwen manje", "Men kèk èd pou manje"]


def test_a_duplicate_is_sqlalchemys_integrity_error_and_nothing_of_its_transaction_stays(engine):
    answer = {"channel": "sms", "message_id": "SM1", "response": "<Response/>"}
    with transaction(engine) as session:
        ANSWER.run(session.connection(), answer)
    with pytest.raises(exc.IntegrityError), transaction(engine) as session:
        CREATE.run(session.connection(), new_family("k9"))
        ANSWER.run(session.connection(), answer)
    with transaction(engine) as session:
        assert LOAD.run(session.connection(), {"key": "k9"}).first() is None, "rolled back whole"
        assert session.scalar(select(ProcessedMessage.response)) == "<Response/>"


def test_a_missing_value_is_named_not_sent_as_null(engine):
    with pytest.raises((ValueError, exc.StatementError), match="key"), transaction(engine) as session:
        LOAD.run(session.connection(), {})
