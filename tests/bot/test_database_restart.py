"""PostgreSQL goes down under SMS traffic: Twilio gets 503 (and retries), nothing is
half-applied, and the server recovers by itself when the database is back."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bot.records import ConversationTurn, ProcessedMessage
from bot.server import create_app
from bot.settings import Settings
from resources_db.database import transaction
from tests.bot.channels.fake_telegram import FakeBotApi

TOKEN = "test-twilio-auth-token"
PUBLIC = "https://familybot.example.org"
QUESTIONS = ["necesito ayuda con comida para mis hijos", "mwen bezwen manje pou pitit mwen yo",
             "j'ai besoin d'un ordinateur pour mon fils", "STOP", "START"]
#: Bounds: the whole test takes well under a minute even when the machine is busy.
PHASE_TIMEOUT = 20
TELEGRAM_TOKEN = "123456:TEST-token"
PAYLOADS = Path(__file__).parent / "channels" / "payloads"


class SmsTraffic:
    """Families texting one after the other until stopped; every MessageSid is kept with its outcome."""

    def __init__(self, url: str, families: int = 4):
        self.url, self.families = url, families
        self.outcomes: list[tuple[str, dict, int]] = []  # (sid, form, status)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._family, args=(n,)) for n in range(families)]

    def post(self, form: dict) -> int:
        signature = RequestValidator(TOKEN).compute_signature(f"{PUBLIC}/sms/twilio", form)
        try:
            return httpx.post(f"{self.url}/sms/twilio", data=form, timeout=15,
                              headers={"X-Twilio-Signature": signature}).status_code
        except httpx.HTTPError:
            return 0

    def _family(self, number: int) -> None:
        turn = 0
        while not self._stop.is_set():
            form = {"From": f"+1514555{number:04d}", "To": "+15145550000", "Body": QUESTIONS[turn % len(QUESTIONS)],
                    "MessageSid": f"SM{uuid.uuid4().hex}", "NumMedia": "0"}
            self.outcomes.append((form["MessageSid"], form, self.post(form)))
            turn += 1
            time.sleep(0.01)

    def statuses_since(self, index: int) -> list[int]:
        return [status for _sid, _form, status in self.outcomes[index:]]

    def wait_for(self, status: int, since: int, minimum: int = 1) -> bool:
        deadline = time.monotonic() + PHASE_TIMEOUT
        while time.monotonic() < deadline:
            if self.statuses_since(since).count(status) >= minimum:
                return True
            time.sleep(0.05)
        return False

    def __enter__(self) -> SmsTraffic:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgres_restart_during_sms_traffic(dialogue, seeded_engine, live_server, postgres):
    settings = Settings(twilio_auth_token=TOKEN, public_base_url=PUBLIC, id_salt="test-salt")
    with live_server(create_app(settings, dialogue)) as server:
        with SmsTraffic(server.url) as traffic:
            assert traffic.wait_for(200, since=0, minimum=8), "traffic flows before the fault"
            before_stop = len(traffic.outcomes)
            postgres.stop()
            try:
                assert traffic.wait_for(503, since=before_stop, minimum=4), "database down: 503 for Twilio to retry"
            finally:
                postgres.start()
            back = len(traffic.outcomes)
            assert traffic.wait_for(200, since=back, minimum=8), "the server recovers without a restart"
        statuses = {status for _sid, _form, status in traffic.outcomes}
        assert statuses <= {200, 503}, f"only answers or 'try again': {statuses}"
        # Twilio retries what got a 503; each retry is processed once, like a first delivery.
        failed = [(sid, form) for sid, form, status in traffic.outcomes if status == 503]
        for _sid, form in failed:
            assert traffic.post(form) == 200
    answered = {sid for sid, _form, status in traffic.outcomes if status == 200} | {sid for sid, _form in failed}
    with transaction(seeded_engine) as session:
        stored = set(session.scalars(select(ProcessedMessage.message_id).where(ProcessedMessage.channel == "sms")))
        turns_in = session.scalar(select(func.count()).select_from(ConversationTurn)
                                  .where(ConversationTurn.direction == "in"))
    assert stored == answered, "every answered message is stored once; no failed one left a trace"
    assert turns_in == len(answered), "one conversation turn per message: none half-applied, none doubled"


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_telegram_update_during_an_outage_is_refused_then_answered_once(dialogue, live_server, postgres):
    """python-telegram-bot swallows handler errors; the webhook must still say 503 so Telegram redelivers."""
    telegram = FakeBotApi(TELEGRAM_TOKEN)
    with live_server(telegram.app) as bot_api:
        settings = Settings(telegram_token=TELEGRAM_TOKEN, telegram_webhook_secret="s3cret-token",
                            telegram_api_url=bot_api.url, id_salt="test-salt")
        with live_server(create_app(settings, dialogue)) as server:
            update = json.loads((PAYLOADS / "telegram_message_ar.json").read_text(encoding="utf-8"))

            def deliver() -> httpx.Response:
                return httpx.post(f"{server.url}/telegram/webhook", json=update, timeout=30,
                                  headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})

            postgres.stop()
            try:
                refused = deliver()
            finally:
                postgres.start()
            assert refused.status_code == 503 and refused.headers["Retry-After"]
            assert telegram.sent() == [], "nothing answered while the database was down"
            redelivered = None
            for _ in range(PHASE_TIMEOUT * 4):  # the pool reconnects on its own
                redelivered = deliver()
                if redelivered.status_code == 200:
                    break
                time.sleep(0.25)
            assert redelivered.status_code == 200
            assert deliver().status_code == 200, "a further copy of the same update is accepted..."
    assert len(telegram.sent()) == 1, "...and the family gets one answer, not two"
    assert any("\u0600" <= ch <= "\u06ff" for ch in telegram.sent()[0]["text"]), "answered in Arabic"
