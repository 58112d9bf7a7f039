"""Families writing in a language we do not curate (Tagalog, Somali…)."""

from __future__ import annotations

from bot import dialogue as flows
from bot.messages import IncomingMessage
from tests.translations.test_machine import FakeProvider
from translations.catalog import translator

TAGALOG_FOOD = "Kailangan ko ng tulong sa pagkain para sa mga anak ko"


def test_reply_is_machine_translated_when_a_provider_is_configured(make_dialogue):
    provider = FakeProvider()
    reply = make_dialogue(provider).handle(IncomingMessage("sms", "+15145550111", TAGALOG_FOOD))
    assert reply.language == "tl"
    assert reply.text.startswith("[tl] ")
    assert ("Kailangan ko ng tulong sa pagkain para sa mga anak ko", "tl", "en") in provider.calls
    assert all(option.label.startswith("[tl] ") for option in reply.options)


def test_french_and_english_when_no_provider_is_configured(dialogue):
    reply = dialogue.handle(IncomingMessage("sms", "+15145550112", TAGALOG_FOOD))
    assert reply.language == "tl"
    greeting_fr = translator("fr").gettext(flows.GREETING)
    assert greeting_fr in reply.text and flows.GREETING in reply.text


def test_a_hanging_provider_does_not_hang_the_bot(make_dialogue):
    import time

    provider = FakeProvider(hang=10)
    started = time.perf_counter()
    reply = make_dialogue(provider, timeout=0.2).handle(IncomingMessage("sms", "+15145550113", TAGALOG_FOOD))
    provider.release.set()
    assert time.perf_counter() - started < 2
    assert translator("fr").gettext(flows.GREETING) in reply.text and flows.GREETING in reply.text


def test_danger_in_an_uncurated_language_still_gets_the_numbers(dialogue):
    reply = dialogue.handle(IncomingMessage("sms", "+15145550114", "gusto ko nang mamatay, kill myself"))
    assert reply.emergency and "911" in reply.text.splitlines()[0]


def test_an_untranslated_question_is_not_mistaken_for_danger(dialogue):
    """Without translation no model reads Tagalog: a homework question must not get the crisis answer."""
    reply = dialogue.handle(IncomingMessage("sms", "+15145550115", "Saan ako makakahanap ng tulong sa takdang-aralin?"))
    assert not reply.emergency
    assert translator("fr").gettext(flows.GREETING) in reply.text
