"""SMS keeps answering when the machine-translation provider hangs."""

from __future__ import annotations

import time

import pytest

from bot import dialogue as flows
from bot.server import create_app
from bot.settings import Settings
from tests.bot.channels.test_sms import PUBLIC, TOKEN, message_text, post
from tests.translations.test_machine import FakeProvider
from translations.catalog import translator

TIMEOUT = 0.5
TAGALOG = ["Kailangan ko ng tulong sa pagkain para sa mga anak ko", "Salamat po, kailangan ko rin ng kompyuter",
           "Kailangan ko ng tulong sa pabahay", "Kailangan ko ng tulong sa pagkain para sa mga anak ko"]


@pytest.fixture
def hanging():
    provider = FakeProvider(hang=60)
    yield provider
    provider.release.set()


def test_a_hanging_translator_still_lets_the_answer_arrive_within_the_timeout(make_dialogue, live_server, hanging):
    settings = Settings(twilio_auth_token=TOKEN, public_base_url=PUBLIC, id_salt="test-salt",
                        translation_timeout=TIMEOUT)
    dialogue = make_dialogue(hanging, timeout=settings.translation_timeout)
    greeting = translator("fr").gettext(flows.GREETING)
    with live_server(create_app(settings, dialogue)) as server:
        elapsed = []
        for number, text in enumerate(TAGALOG):
            started = time.perf_counter()
            answer = message_text(post(server, text, sender=f"+1514555017{number}"))
            elapsed.append(time.perf_counter() - started)
            assert answer and greeting in answer, "answered in French and English instead"
    assert all(seconds < TIMEOUT + 1.5 for seconds in elapsed), elapsed
    assert len(hanging.calls) == 3, "after three hangs the circuit opens"
    assert elapsed[-1] < TIMEOUT, "with the circuit open, nobody waits for the translator"
