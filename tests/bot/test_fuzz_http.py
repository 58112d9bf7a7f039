"""Every HTTP endpoint, fuzzed from the OpenAPI spec with schemathesis: no 500s, no crash.

The server runs on loopback with every channel switched on; SMS bodies are correctly
signed and Telegram updates carry the secret, so random input reaches the dialogue
rather than stopping at the signature check.
"""

from __future__ import annotations

import shutil
import logging
from urllib.parse import parse_qsl, urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from twilio.request_validator import RequestValidator

from bot.answers import ResourceAnswers
from bot.dialogue import Dialogue
from bot.safety import DangerDetector
from bot.server import create_app
from bot.settings import Settings
from bot.state import StateStore
from resources_db.database import make_engine
from tests.bot.channels.fake_telegram import FakeBotApi
from translations.machine import MachineTranslator

TWILIO_TOKEN = "fuzz-twilio-token"
BOT_TOKEN = "123456:FUZZ-token"
SECRET = "fuzz-webhook-secret"
PUBLIC = "https://familybot.example.org"
EXAMPLES_PER_ENDPOINT = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeded_template, nlu_parser):
    """The whole app, with SMS and Telegram on, over a seeded database of its own."""
    from tests.conftest import LiveServer

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    shutil.copyfile(seeded_template, path)
    engine = make_engine(f"sqlite:///{path}")
    dialogue = Dialogue(parser=nlu_parser, store=StateStore(engine), answers=ResourceAnswers(engine),
                        danger=DangerDetector.from_file(), machine=MachineTranslator(engine, None), salt="fuzz-salt")
    fake = FakeBotApi(BOT_TOKEN)
    with LiveServer(fake.app) as bot_api:
        app_settings = Settings(twilio_auth_token=TWILIO_TOKEN, public_base_url=PUBLIC, id_salt="fuzz-salt",
                                telegram_token=BOT_TOKEN, telegram_webhook_secret=SECRET, telegram_api_url=bot_api.url)
        with LiveServer(create_app(app_settings, dialogue)) as running:
            yield running
    engine.dispose()


def _authenticate(case) -> dict[str, str]:
    """Headers a genuine platform would send for this case."""
    if case.path == "/telegram/webhook":
        return {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    if case.path == "/sms/twilio" and isinstance(case.body, dict):
        form = dict(parse_qsl(urlencode(case.body, doseq=True), keep_blank_values=True))  # as the server reads it
        return {"X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC}/sms/twilio", form)}
    return {}


def test_no_endpoint_answers_with_a_server_error(server, caplog):
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/chat", "/api/start", "/sms/twilio", "/telegram/webhook",
                                              "/healthz", "/readyz", "/api/ui/{language}"}
    failures: list[str] = []
    for operation in operations:

        cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

        @given(case=cases)
        @settings(max_examples=EXAMPLES_PER_ENDPOINT, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def fuzz(case) -> None:
            response = case.call(base_url=server.url, headers=_authenticate(case), timeout=30)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.body!r:.300} -> {response.status_code}")

        with caplog.at_level(logging.WARNING):
            fuzz()
    assert failures == [], "\n".join(failures[:10])
    crashes = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or "update failed" in r.getMessage()]
    assert crashes == [], "a handler failed behind a 200: " + "; ".join(crashes[:5])
