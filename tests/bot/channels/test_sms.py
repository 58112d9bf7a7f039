"""SMS through the real HTTP server: signed Twilio form posts on loopback."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from twilio.request_validator import RequestValidator

from bot.channels.sms import READ_MORE
from bot.channels.sms_segments import count_segments, smart_encode
from bot.keywords import MORE_WORD
from bot.server import create_app
from bot.settings import Settings
from translations.catalog import translator

TOKEN = "test-twilio-auth-token"
PUBLIC = "https://familybot.example.org"
PAYLOAD = json.loads((Path(__file__).parent / "payloads" / "twilio_incoming.json").read_text())
_sids = itertools.count(1)


@pytest.fixture
def server(dialogue, live_server):
    settings = Settings(twilio_auth_token=TOKEN, public_base_url=PUBLIC, id_salt="test-salt")
    with live_server(create_app(settings, dialogue)) as running:
        yield running


def post(server, body: str, sender: str = "+15145550199", sid: str | None = None, sign: bool = True,
         signature: str | None = None) -> httpx.Response:
    form = {**PAYLOAD, "Body": body, "From": sender, "MessageSid": sid or f"SM{next(_sids):032d}"}
    headers = {}
    if sign:
        headers["X-Twilio-Signature"] = signature or RequestValidator(TOKEN).compute_signature(
            f"{PUBLIC}/sms/twilio", form)
    return httpx.post(f"{server.url}/sms/twilio", data=form, headers=headers, timeout=30)


def message_text(response: httpx.Response) -> str | None:
    assert response.status_code == 200, response.text
    root = ElementTree.fromstring(response.text)
    assert root.tag == "Response"
    message = root.find("Message")
    return None if message is None else message.text


@pytest.mark.parametrize(("language", "question", "expected"), [
    ("es", "hola, necesito ayuda para conseguir comida para mis hijos", "comida"),
    ("ht", "bonjou, mwen bezwen manje pou pitit mwen yo", None),
    ("ar", "مرحبا، أحتاج مساعدة في الطعام لأطفالي", None),
    ("fr", "Bonjour, mon fils a besoin d'aide aux devoirs en maths", None),
])
def test_signed_question_gets_an_sms_answer_in_the_familys_language(server, language, question, expected):
    text = message_text(post(server, question, sender=f"+1514555{hash(language) % 10000:04d}"))
    assert text and "•" not in text and "**" not in text
    _ = translator(language).gettext
    more_line = smart_encode(_(READ_MORE).format(more=_(MORE_WORD)), language)
    assert re.search(r"^1\. ", text, re.MULTILINE) or text.endswith(more_line), "numbered options, or MORE"
    assert count_segments(text).segments <= 3
    if language in {"es", "fr", "ht"}:
        assert count_segments(text).encoding == "GSM-7", "accents dropped rather than paying UCS-2"
    if language == "ar":
        assert re.search(r"[\u0600-\u06ff]", text)
    if expected:
        assert expected in text.lower()
    assert "\u2066" not in text, "no invisible direction marks to pay for"


def test_unsigned_or_forged_requests_get_403_and_change_nothing(server, seeded_engine):
    from sqlalchemy import func, select

    from bot.records import ConversationTurn
    from resources_db.database import transaction

    assert post(server, "STOP", sign=False).status_code == 403
    assert post(server, "STOP", signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    with transaction(seeded_engine) as session:
        assert session.scalar(select(func.count()).select_from(ConversationTurn)) == 0


def test_stop_confirms_once_then_silence_until_start(server):
    family = "+15145550123"
    message_text(post(server, "bonjour", sender=family))
    confirmation = message_text(post(server, "ARRÊT", sender=family))
    assert confirmation and "START" in confirmation
    assert message_text(post(server, "j'ai besoin de nourriture", sender=family)) is None
    back = message_text(post(server, "START", sender=family))
    assert back


def test_opt_out_survives_a_restart(dialogue, live_server, seeded_engine):
    settings = Settings(twilio_auth_token=TOKEN, public_base_url=PUBLIC, id_salt="test-salt")
    with live_server(create_app(settings, dialogue)) as first:
        message_text(post(first, "STOP", sender="+15145550777"))
    with live_server(create_app(settings, dialogue)) as second:
        assert message_text(post(second, "hello, I need food", sender="+15145550777")) is None


def test_help_says_who_we_are_and_how_to_stop(server):
    text = message_text(post(server, "HELP", sender="+15145550124"))
    assert "STOP" in text


def test_a_retried_message_sid_is_one_turn_not_two(server, seeded_engine):
    from sqlalchemy import func, select

    from bot.records import ConversationTurn
    from resources_db.database import transaction

    first = post(server, "I need food for my kids", sender="+15145550125", sid="SMretry0001")
    again = post(server, "I need food for my kids", sender="+15145550125", sid="SMretry0001")
    assert first.text == again.text
    with transaction(seeded_engine) as session:
        incoming = session.scalar(select(func.count()).select_from(ConversationTurn)
                                  .where(ConversationTurn.direction == "in"))
    assert incoming == 1



def test_a_message_sid_seen_from_another_number_keeps_its_first_answer(server, seeded_engine):
    """A forged or mixed-up retry under another sender: the first answer stands, no turn is added."""
    from sqlalchemy import func, select

    from bot.records import ConversationTurn
    from resources_db.database import transaction

    first = post(server, "necesito comida para mis hijos", sender="+15145550127", sid="SMshared0001")
    other = post(server, "I need a computer for school", sender="+15145550128", sid="SMshared0001")
    assert other.status_code == 200
    assert message_text(other) == message_text(first)
    with transaction(seeded_engine) as session:
        incoming = session.scalar(select(func.count()).select_from(ConversationTurn)
                                  .where(ConversationTurn.direction == "in"))
    assert incoming == 1

def test_long_answers_are_cut_and_more_sends_the_rest(server):
    _ = translator("ar").gettext
    more_word = _(MORE_WORD)
    family = "+15145550126"
    first = message_text(post(server, "مرحبا، أحتاج مساعدة في الطعام لأطفالي", sender=family))
    assert first.endswith(smart_encode(_(READ_MORE).format(more=more_word), "ar"))
    assert count_segments(first).segments <= 3
    second = message_text(post(server, more_word, sender=family))
    assert second and second not in first
    assert count_segments(second).segments <= 3


@pytest.mark.parametrize(("form", "status"), [
    ({"Body": "hello"}, 400),  # no From, no MessageSid
])
def test_missing_fields_get_a_clear_400(server, form, status):
    signature = RequestValidator(TOKEN).compute_signature(f"{PUBLIC}/sms/twilio", form)
    response = httpx.post(f"{server.url}/sms/twilio", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == status


def test_a_2_mb_body_is_refused_without_reading_it(server):
    response = httpx.post(f"{server.url}/sms/twilio", content=b"Body=" + b"a" * 2_000_000,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_invalid_utf8_is_a_4xx_not_a_crash(server):
    response = httpx.post(f"{server.url}/sms/twilio", content=b"Body=\xff\xfe&From=%2B1",
                          headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"})
    assert 400 <= response.status_code < 500
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
