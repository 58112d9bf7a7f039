"""Phone numbers and chat ids never reach a log, at any level, from any library."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from bot.log_privacy import install_log_redaction, redact
from bot.server import create_app
from bot.settings import Settings
from tests.bot.channels.fake_telegram import FakeBotApi

PAYLOADS = Path(__file__).parent / "channels" / "payloads"
TWILIO_TOKEN = "test-twilio-auth-token"
BOT_TOKEN = "7312345670:AAE-realistic_test_token_value_1234567"
WEBHOOK_SECRET = "webhook-secret-for-tests"
PUBLIC = "https://familybot.example.org"
PHONE = "+15145550147"
CHAT_ID = 7312345678
WEB_ID = "web-8c1f3a9d2e"


class Capture(logging.Handler):
    """Every record, formatted with its traceback, as an operator's log file would hold it."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def debug_logs():
    """Everything at DEBUG, including loggers that do not propagate (uvicorn's)."""
    capture = Capture()
    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in
                                       ("uvicorn", "uvicorn.error", "uvicorn.access", "httpx", "httpcore",
                                        "telegram", "telegram.ext", "sqlalchemy.engine", "multipart")]
    saved = [(logger, logger.level, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        if not logger.propagate or logger is logging.getLogger():
            logger.addHandler(capture)
    yield capture
    for logger, level, _propagate in saved:
        logger.setLevel(level)
        logger.removeHandler(capture)


def _telegram_update(update_id: int, text: str) -> dict:
    update = json.loads((PAYLOADS / "telegram_message_ar.json").read_text(encoding="utf-8"))
    update = copy.deepcopy(update)
    update["update_id"] = update_id
    update["message"]["from"]["id"] = update["message"]["chat"]["id"] = CHAT_ID
    update["message"]["message_id"] = update_id
    update["message"]["text"] = text
    return update


def test_a_full_conversation_on_every_channel_logs_no_phone_number_or_chat_id(dialogue, live_server, debug_logs):
    fake = FakeBotApi(BOT_TOKEN)
    with live_server(fake.app) as bot_api:
        settings = Settings(twilio_auth_token=TWILIO_TOKEN, public_base_url=PUBLIC, id_salt="a-long-test-salt-1234",
                            telegram_token=BOT_TOKEN, telegram_webhook_secret=WEBHOOK_SECRET,
                            telegram_api_url=bot_api.url)
        server = live_server(create_app(settings, dialogue))
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # the server set them to WARNING
            logging.getLogger(name).setLevel(logging.DEBUG)
        with server, httpx.Client(base_url=server.url, timeout=30) as client:
            base = json.loads((PAYLOADS / "twilio_incoming.json").read_text(encoding="utf-8"))
            for number, body in enumerate(["bonjour, j'ai besoin d'aide pour nourrir mes enfants", "1",
                                           "rappelez-moi au 514 555-0147 svp", "STOP"]):
                form = {**base, "From": PHONE, "Body": body, "MessageSid": f"SM{number:032d}"}
                signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC}/sms/twilio", form)
                answer = client.post("/sms/twilio", data=form, headers={"X-Twilio-Signature": signature})
                assert answer.status_code == 200
            headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
            for update_id, text in enumerate(["مرحبا، أحتاج مساعدة في الطعام لأطفالي", "hello, homework help please"]):
                assert client.post("/telegram/webhook", json=_telegram_update(900 + update_id, text),
                                   headers=headers).status_code == 200
            for text in ["hola, necesito ayuda con comida", "gracias"]:
                assert client.post("/api/chat", json={"user_id": WEB_ID, "text": text}).status_code == 200
    assert len(fake.sent()) == 2 and all(int(m["chat_id"]) == CHAT_ID for m in fake.sent())

    logs = debug_logs.text
    assert "sendMessage" in logs and "/sms/twilio" in logs and "/api/chat" in logs, "the libraries did log"
    for secret in [PHONE, PHONE[1:], "514 555-0147", "5145550147", str(CHAT_ID), BOT_TOKEN, WEB_ID]:
        assert secret not in logs, f"{secret} leaked into the logs"
    assert "[id]" in logs or "[phone]" in logs, "something tried to log an id, and was redacted"


@pytest.mark.parametrize("line,expected", [
    ("From=%2B15145550147&Body=hi", "From=[phone]&Body=hi"),
    ("sender +1 (514) 555-0147 wrote", "sender [phone] wrote"),
    ("call 514.555.0147 now", "call [phone] now"),
    ("{'chat_id': 7312345678, 'text': 'hi'}", "{'chat_id': [id], 'text': 'hi'}"),
    ("group -1001234567890", "group [id]"),
    ("POST https://api.telegram.org/bot7312345670:AAE-x_y/sendMessage", "POST https://api.telegram.org/bot[token]/sendMessage"),
])
def test_identifiers_are_replaced(line, expected):
    assert redact(line) == expected


@pytest.mark.parametrize("line", [
    "user 3f9a2b17c0d4e5f60718293a4b5c6d7e answered in 0.123456789 s",
    "GET /healthz 200 at 2026-11-23 10:28:15",
    "SM00000000000000000000000000000001 processed",
    "127.0.0.1:54321 - \"POST /api/chat HTTP/1.1\" 200",
])
def test_hashed_keys_times_and_addresses_stay_readable(line):
    assert redact(line) == line


def test_library_records_are_redacted_whatever_the_handler(caplog):
    install_log_redaction()
    with caplog.at_level(logging.DEBUG, logger="telegram.ext.ExtBot"):
        logging.getLogger("telegram.ext.ExtBot").debug("Calling Bot API endpoint `%s` with parameters `%s`",
                                                       "sendMessage", {"chat_id": CHAT_ID, "text": "hi"})
        try:
            raise ValueError(f"Chat {CHAT_ID} not found for {PHONE}")
        except ValueError:
            logging.getLogger("somewhere").exception("send failed")
    assert str(CHAT_ID) not in caplog.text and PHONE not in caplog.text
    assert "Calling Bot API endpoint `sendMessage`" in caplog.text and "send failed" in caplog.text
