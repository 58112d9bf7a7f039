"""Both fake platform APIs (Telegram Bot API, Twilio Messages) served on loopback, for outbound tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.bot.channels.fake_telegram import FakeBotApi
from tests.bot.channels.fake_twilio import FakeTwilioApi

TOKEN = "123456:TEST-token"
SID, AUTH, FROM = "AC" + "2" * 32, "twilio-test-auth", "+15145550000"


@pytest.fixture
def fakes(live_server) -> Iterator[tuple[FakeBotApi, FakeTwilioApi]]:
    """A fake Telegram and a fake Twilio, each on its own loopback port (`.url`)."""
    telegram, twilio = FakeBotApi(TOKEN), FakeTwilioApi(SID, AUTH)
    with live_server(telegram.app) as t, live_server(twilio.app) as s:
        telegram.url, twilio.url = t.url, s.url
        yield telegram, twilio
