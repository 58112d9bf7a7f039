"""The real python-telegram-bot Application against a fake Bot API server on loopback."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import httpx
import pytest
from telegram import Update

from bot.channels.telegram import MAX_MESSAGE, TelegramBot, split_message
from bot.server import create_app
from bot.settings import Settings
from tests.bot.channels.fake_telegram import FakeBotApi

TOKEN = "123456:TEST-token"
PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def process(dialogue, fake_url: str, *updates: dict) -> None:
    async def run() -> None:
        application = TelegramBot(dialogue).build(TOKEN, fake_url)
        await application.initialize()
        try:
            for data in updates:
                await application.process_update(Update.de_json(data, application.bot))
        finally:
            await application.shutdown()

    asyncio.run(run())


@pytest.fixture
def fake_api(live_server):
    fake = FakeBotApi(TOKEN)
    with live_server(fake.app) as server:
        fake.url = server.url
        yield fake


def test_arabic_question_gets_an_arabic_answer_with_inline_keyboard(dialogue, fake_api):
    process(dialogue, fake_api.url, payload("telegram_message_ar.json"))
    sent = fake_api.sent()
    assert len(sent) == 1
    message = sent[0]
    assert int(message["chat_id"]) == 555000111
    assert re.search(r"[\u0600-\u06ff]{4}", message["text"]), "the answer is in Arabic, not the French hint"
    keyboard = message["reply_markup"]["inline_keyboard"]
    buttons = [button for row in keyboard for button in row]
    assert buttons and all(set(b) >= {"text", "callback_data"} for b in buttons)
    assert any(re.search(r"[\u0600-\u06ff]", b["text"]) for b in buttons)


def test_start_uses_the_telegram_language_as_a_hint(dialogue, fake_api):
    process(dialogue, fake_api.url, payload("telegram_start.json"))
    text = fake_api.sent()[0]["text"]
    assert re.search(r"[іїєґ]", text), "greeting in Ukrainian"


def test_callback_queries_are_answered_and_acted_on(dialogue, fake_api):
    process(dialogue, fake_api.url, payload("telegram_message_ar.json"), payload("telegram_callback_query.json"))
    assert fake_api.sent("answerCallbackQuery")[0]["callback_query_id"] == "4382bfdwdsb323b2d9"
    switched = fake_api.sent()[-1]["text"]
    assert "Español" in switched


def test_unknown_update_types_are_ignored_safely(dialogue, fake_api):
    process(dialogue, fake_api.url, payload("telegram_unknown_update.json"))
    assert fake_api.sent() == []


def test_429_and_5xx_are_retried_without_duplicates(dialogue, live_server):
    fake = FakeBotApi(TOKEN, throttle=1, server_errors=1)
    with live_server(fake.app) as server:
        process(dialogue, server.url, payload("telegram_message_ar.json"))
    attempts = fake.sent()
    assert len(attempts) == 3, "one 429, one 502, then delivered once"
    assert attempts[0]["text"] == attempts[-1]["text"]


def test_long_messages_split_cleanly():
    text = "\n\n".join(f"Paragraph {i}: " + "word " * 150 for i in range(12))
    parts = split_message(text)
    assert all(len(p) <= MAX_MESSAGE for p in parts)
    assert len(parts) > 1 and all(p.startswith("Paragraph") for p in parts)
    assert " ".join(parts).split() == text.split()


def test_webhook_requires_the_secret_token(dialogue, fake_api, live_server):
    settings = Settings(telegram_token=TOKEN, telegram_webhook_secret="s3cret-token",
                        telegram_api_url=fake_api.url, id_salt="test-salt")
    with live_server(create_app(settings, dialogue)) as server:
        update = payload("telegram_message_ar.json")
        refused = httpx.post(f"{server.url}/telegram/webhook", json=update)
        wrong = httpx.post(f"{server.url}/telegram/webhook", json=update,
                           headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
        assert (refused.status_code, wrong.status_code) == (403, 403)
        assert fake_api.sent() == []
        accepted = httpx.post(f"{server.url}/telegram/webhook", json=update, timeout=30,
                              headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})
        assert accepted.status_code == 200
        assert len(fake_api.sent()) == 1
        garbage = httpx.post(f"{server.url}/telegram/webhook", content=b"\xff{not json",
                             headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})
        assert garbage.status_code == 400
