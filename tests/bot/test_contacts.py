"""Addresses are kept per purpose, and forgotten when the family withdraws."""

import pytest
from sqlalchemy import inspect

from bot.contacts import ContactBook


def test_an_address_is_kept_for_a_purpose_and_found_again(engine):
    book = ContactBook(engine)
    book.remember("k1", "sms", "+15145550100", "reminders")
    contact = book.address("k1")
    assert (contact.channel, contact.address) == ("sms", "+15145550100")
    assert book.purposes("k1") == {"reminders"}
    assert "+1514" not in repr(contact), "the raw number stays out of logs"


def test_remembering_twice_keeps_one_row_with_the_newest_address(engine):
    book = ContactBook(engine)
    book.remember("k1", "sms", "+15145550100", "reminders")
    book.remember("k1", "sms", "+15145550111", "reminders")
    assert book.address("k1", "sms").address == "+15145550111"
    assert book.forget("k1") == 1


def test_withdrawing_one_purpose_keeps_the_others_and_stop_forgets_all(engine):
    book = ContactBook(engine)
    book.remember("k1", "telegram", "555000111", "reminders")
    book.remember("k1", "telegram", "555000111", "handoff")
    book.forget("k1", "reminders")
    assert book.purposes("k1") == {"handoff"}
    book.forget("k1")
    assert book.address("k1") is None and book.purposes("k1") == set()


def test_unknown_purposes_and_empty_addresses_are_refused(engine):
    book = ContactBook(engine)
    with pytest.raises(ValueError, match="purpose"):
        book.remember("k1", "sms", "+15145550100", "marketing")
    with pytest.raises(ValueError, match="empty"):
        book.remember("k1", "sms", "  ", "reminders")


def test_the_table_has_a_user_key_for_privacy_requests(engine):
    columns = {c["name"] for c in inspect(engine).get_columns("contact_address")}
    assert {"user_key", "channel", "address", "purpose", "created_at"} <= columns
