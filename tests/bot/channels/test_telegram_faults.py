"""The Telegram channel when the Bot API misbehaves, or a webhook body is forged."""

from __future__ import annotations

import copy
import logging

import httpx

from bot.channels.telegram import SEND_ATTEMPTS
from bot.server import create_app
from bot.settings import Settings
from tests.bot.channels.fake_telegram import FakeBotApi
from tests.bot.channels.test_telegram import TOKEN, payload, process


def _second_update() -> dict:
    update = copy.deepcopy(payload("telegram_message_ar.json"))
    update["update_id"] += 1
    update["message"]["message_id"] += 1
    return update


def test_429_waits_the_retry_after_telegram_asks_for(dialogue, live_server):
    fake = FakeBotApi(TOKEN, throttle=1, retry_after=1)
    with live_server(fake.app) as server:
        process(dialogue, server.url, payload("telegram_message_ar.json"))
    attempts = fake.sent()
    assert len(attempts) == 2, "refused once, then delivered once"
    first, second = [t for (name, _), t in zip(fake.calls, fake.times, strict=True) if name == "sendMessage"]
    assert second - first >= 1.0, "no retry before retry_after"


def test_an_outage_gives_up_without_crashing_and_the_next_message_is_answered_once(dialogue, live_server, caplog):
    fake = FakeBotApi(TOKEN, server_errors=SEND_ATTEMPTS)
    with live_server(fake.app) as server, caplog.at_level(logging.WARNING, logger="bot.channels.telegram"):
        process(dialogue, server.url, payload("telegram_message_ar.json"), _second_update())
    attempts = fake.sent()
    assert len(attempts) == SEND_ATTEMPTS + 1, "4 attempts during the outage, then one delivery"
    assert f"failed after {SEND_ATTEMPTS} attempts" in caplog.text
    times = [t for (name, _), t in zip(fake.calls, fake.times, strict=True) if name == "sendMessage"]
    gaps = [b - a for a, b in zip(times, times[1:SEND_ATTEMPTS], strict=False)]
    assert all(later > earlier for earlier, later in zip(gaps, gaps[1:], strict=False)), "the back-off grows"


def test_a_bad_request_is_not_retried(dialogue, live_server, caplog):
    fake = FakeBotApi(TOKEN, bad_requests=1)
    with live_server(fake.app) as server, caplog.at_level(logging.WARNING, logger="bot.channels.telegram"):
        process(dialogue, server.url, payload("telegram_message_ar.json"), _second_update())
    assert len(fake.sent()) == 2, "one refused attempt, not retried; the next update answered"
    assert "message is too long" in caplog.text.lower()


def test_a_webhook_update_with_impossible_types_is_refused(dialogue, live_server):
    """Found by fuzzing: a list as chat id failed in the handlers, a huge date was a 500."""
    fake = FakeBotApi(TOKEN)
    with live_server(fake.app) as bot_api:
        settings = Settings(telegram_token=TOKEN, telegram_webhook_secret="s3cret-token",
                            telegram_api_url=bot_api.url, id_salt="test-salt")
        with live_server(create_app(settings, dialogue)) as server:
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            for field, value in [("chat", {"id": [1], "type": "private"}), ("text", {"not": "text"}), ("date", 10**20),
                                 ("from", {"id": "x", "is_bot": False, "first_name": "A"})]:
                update = copy.deepcopy(payload("telegram_message_ar.json"))
                update["message"][field] = value
                response = httpx.post(f"{server.url}/telegram/webhook", json=update, headers=headers, timeout=30)
                assert response.status_code == 400, field
            for body in ([1, 2], 5, "update"):
                response = httpx.post(f"{server.url}/telegram/webhook", json=body, headers=headers, timeout=30)
                assert response.status_code == 400, body
    assert fake.sent() == []
