"""Messages the bot writes first: one text to one family, through its channel's API.

Replies to an incoming message travel back through the webhook (TwiML, Telegram
updates). Reminders, school messages and staff replies have no webhook to ride on,
so they call the platforms' REST APIs directly:

- Telegram Bot API `sendMessage` (`TELEGRAM_API_URL`, `TELEGRAM_BOT_TOKEN`);
- Twilio Messages API (`TWILIO_API_URL`, `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`,
  `TWILIO_FROM_NUMBER`).

Every call has a timeout. 429 and 5xx answers and network errors are retried with
exponential back-off (a 429's `retry_after` / `Retry-After` is honoured, capped);
other 4xx answers are final. A family that sent STOP is never written to, and the
opt-out is read from the database at sending time, not from a cached list.

Public API (stable): `OutboundSender.send(user_key, text, language)` -> `Delivery`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from sqlalchemy import Engine

from bot.channels.sms_segments import smart_encode, split_for_sms
from bot.channels.telegram import split_message
from bot.contacts import Contact, ContactBook
from bot.records import FamilyStateRow
from bot.settings import Settings
from resources_db.database import transaction

log = logging.getLogger(__name__)

#: Segments per SMS part: long texts become several SMS, each a readable whole.
SMS_MAX_SEGMENTS = 3
#: Twilio refuses to write to a number that replied STOP to it (error 21610).
TWILIO_UNSUBSCRIBED = 21610


@dataclass(frozen=True)
class Delivery:
    """The outcome of one `send`: `sent`, `failed` or `skipped` (opted out), with a reason."""

    status: str
    reason: str = ""
    #: Platform message ids (Telegram message_id, Twilio SM… sid), one per part sent.
    message_ids: tuple[str, ...] = ()

    @property
    def sent(self) -> bool:
        return self.status == "sent"


class _Final(Exception):
    """A platform answer that retrying cannot change (bad token, blocked, unknown chat)."""


class _Retryable(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason, self.wait = reason, wait


@dataclass
class RateLimiter:
    """At most `per_second` sends, spread evenly (Twilio long codes take ~1 SMS/s)."""

    per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> None:
        if self.per_second <= 0:
            return
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + 1.0 / self.per_second
        if start > now:
            self.sleep(start - now)


class OutboundSender:
    """Sends texts to families who gave us an address, never to those who opted out."""

    def __init__(self, settings: Settings, engine: Engine, client: httpx.Client | None = None,
                 attempts: int = 4, backoff: float = 1.0, max_wait: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings, self.engine = settings, engine
        self.contacts = ContactBook(engine)
        self.client = client or httpx.Client(timeout=httpx.Timeout(settings.outbound_timeout))
        self.attempts, self.backoff, self.max_wait, self.sleep = attempts, backoff, max_wait, sleep
        self.limits = {
            "telegram": RateLimiter(settings.telegram_rate, sleep=sleep),
            "sms": RateLimiter(settings.sms_rate, sleep=sleep),
        }

    def send(self, user_key: str, text: str, language: str, channel: str | None = None) -> Delivery:
        """Send `text` (already in `language`) to the family; `channel` picks one of its addresses."""
        if not text.strip():
            return Delivery("failed", "empty text")
        if self.opted_out(user_key):
            return Delivery("skipped", "opted out")
        contact = self.contacts.address(user_key, channel)
        if contact is None:
            return Delivery("failed", "no address on file")
        if contact.channel == "telegram":
            return self._deliver(contact, split_message(text), self._telegram)
        if contact.channel == "sms":
            parts = split_for_sms(smart_encode(text, language), SMS_MAX_SEGMENTS)
            return self._deliver(contact, parts, self._twilio)
        return Delivery("failed", f"channel {contact.channel!r} cannot be written to first")

    def opted_out(self, user_key: str) -> bool:
        """True when the family sent STOP (read fresh from the database)."""
        with transaction(self.engine) as session:
            row = session.get(FamilyStateRow, user_key)
            return bool(row and row.opted_out)

    def close(self) -> None:
        self.client.close()

    # -- delivery --------------------------------------------------------------------

    def _deliver(self, contact: Contact, parts: list[str],
                 post: Callable[[Contact, str], str]) -> Delivery:
        ids: list[str] = []
        for part in parts:
            try:
                ids.append(self._with_retries(contact, part, post))
            except _Final as exc:
                return self._failed(contact, str(exc), ids)
            except _Retryable as exc:
                return self._failed(contact, f"gave up after {self.attempts} attempts: {exc.reason}", ids)
        return Delivery("sent", "", tuple(ids))

    def _failed(self, contact: Contact, reason: str, ids: list[str]) -> Delivery:
        log.warning("Outbound %s message to %s failed: %s", contact.channel, contact.user_key[:8], reason)
        if ids:
            reason += f" ({len(ids)} part(s) sent before)"
        return Delivery("failed", reason, tuple(ids))

    def _with_retries(self, contact: Contact, text: str, post: Callable[[Contact, str], str]) -> str:
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            self.limits[contact.channel].wait()
            try:
                return post(contact, text)
            except _Retryable as exc:
                if attempt == self.attempts:
                    raise
                self.sleep(min(exc.wait if exc.wait is not None else delay, self.max_wait))
                delay *= 2
        raise AssertionError("unreachable")

    def _telegram(self, contact: Contact, text: str) -> str:
        if not self.settings.telegram_token:
            raise _Final("TELEGRAM_BOT_TOKEN is not set")
        url = f"{self.settings.telegram_api_url.rstrip('/')}/bot{self.settings.telegram_token}/sendMessage"
        response = self._post(url, json={"chat_id": contact.address, "text": text})
        body = _json(response)
        if response.status_code == 200 and body.get("ok"):
            return str(body["result"]["message_id"])
        description = str(body.get("description") or f"HTTP {response.status_code}")
        if response.status_code == 429:
            raise _Retryable(description, float((body.get("parameters") or {}).get("retry_after", 1)))
        if response.status_code >= 500:
            raise _Retryable(description)
        raise _Final(description)  # 400 chat not found, 403 blocked by the user, 401 bad token

    def _twilio(self, contact: Contact, text: str) -> str:
        settings = self.settings
        if not (settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from_number):
            raise _Final("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER must be set")
        url = f"{settings.twilio_api_url.rstrip('/')}/2010-04-01/Accounts/{settings.twilio_account_sid}/Messages.json"
        response = self._post(url, data={"To": contact.address, "From": settings.twilio_from_number, "Body": text},
                              auth=(settings.twilio_account_sid, settings.twilio_auth_token))
        body = _json(response)
        if response.status_code in (200, 201) and body.get("sid"):
            return str(body["sid"])
        reason = f"Twilio {body.get('code', response.status_code)}: {body.get('message', 'error')}"
        if response.status_code == 429:
            raise _Retryable(reason, _retry_after(response))
        if response.status_code >= 500:
            raise _Retryable(reason)
        if body.get("code") == TWILIO_UNSUBSCRIBED:
            reason = "recipient unsubscribed at the carrier (replied STOP)"
        raise _Final(reason)

    def _post(self, url: str, **kwargs) -> httpx.Response:
        try:
            return self.client.post(url, **kwargs)
        except httpx.TimeoutException as exc:
            raise _Retryable("timed out") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"network error ({type(exc).__name__})") from exc


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None
