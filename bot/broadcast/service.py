"""Staff write once; every opted-in family of the school reads it in its language.

1. `create`: the message in French or English; draft translations into the other
   curated languages come from the MachineTranslator (cached in the `translation`
   table, status `machine`) and wait for review. Without a provider, the drafts are
   missing and staff write them.
2. `review`: staff approve a draft or replace it; only reviewed texts are sent.
3. `send`: one `broadcast_delivery` row per recipient (families subscribed to the
   school's reminders), then each row is claimed (`pending` -> `sending`) before its
   message goes out and closed with the platform's answer. Running `send` again
   after a crash continues with the rows still `pending`; a row left `sending`
   (outcome unknown) is never sent again. Sending goes through OutboundSender:
   per-channel rate limit, retries, opt-out checked at sending time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine, select, update

from bot.broadcast.records import Broadcast, BroadcastDelivery, BroadcastText
from bot.calendar.records import CalendarSubscription, School
from bot.channels.outbound import OutboundSender
from bot.contacts import ContactAddress
from bot.dialogue import HOW_TO_STOP
from bot.records import FamilyStateRow
from nlu.taxonomy import load_taxonomy
from resources_db.database import transaction
from translations.catalog import N_, translator
from translations.machine import MachineTranslator

log = logging.getLogger(__name__)

BROADCAST_FROM = N_("Message from {school}:")
SOURCE_LANGUAGES = ("fr", "en")
#: Statuses a text may be sent in.
SENDABLE = frozenset({"source", "reviewed"})
#: Longest message staff may write (about 5 SMS segments in French).
MAX_LENGTH = 700


class BroadcastError(ValueError):
    """The broadcast cannot be created or sent as asked; the message says why."""


@dataclass
class DeliveryReport:
    """Counts per status, per channel; `unknown` are rows a crash left mid-send."""

    broadcast_id: int
    by_status: Counter = field(default_factory=Counter)
    by_channel: dict[str, Counter] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


class BroadcastService:
    """Creates, reviews and sends staff broadcasts."""

    def __init__(self, engine: Engine, sender: OutboundSender | None, machine: MachineTranslator | None):
        self.engine, self.sender, self.machine = engine, sender, machine

    def create(self, school_id: str, text: str, source_language: str, author: str) -> int:
        """Store the message and machine drafts in the other languages; return its id."""
        text = text.strip()
        if source_language not in SOURCE_LANGUAGES:
            raise BroadcastError(f"write the message in French or English (fr, en), not {source_language!r}")
        if not text:
            raise BroadcastError("the message is empty")
        if len(text) > MAX_LENGTH:
            raise BroadcastError(f"the message has {len(text)} characters; keep it under {MAX_LENGTH} (SMS cost)")
        with transaction(self.engine) as session:
            if session.get(School, school_id) is None:
                raise BroadcastError(f"no school {school_id!r}; see `familybot calendar list`")
            broadcast = Broadcast(school_id=school_id, source_language=source_language, text=text,
                                  status="draft", created_by=author, created_at=dt.datetime.now(dt.UTC))
            session.add(broadcast)
            session.flush()
            broadcast_id = broadcast.id
            session.add(BroadcastText(broadcast_id=broadcast_id, language=source_language, text=text,
                                      status="source"))
        drafts = {lang: self._draft(text, source_language, lang)
                  for lang in load_taxonomy().languages if lang != source_language}
        with transaction(self.engine) as session:
            for lang, draft in drafts.items():
                session.add(BroadcastText(broadcast_id=broadcast_id, language=lang, text=draft or "",
                                          status="machine" if draft else "missing"))
        return broadcast_id

    def _draft(self, text: str, source: str, target: str) -> str | None:
        if self.machine is None:
            return None
        return self.machine.translate(text, target=target, source=source)

    def texts(self, broadcast_id: int) -> dict[str, tuple[str, str]]:
        """language -> (text, status), for review."""
        with transaction(self.engine) as session:
            rows = session.scalars(select(BroadcastText).where(BroadcastText.broadcast_id == broadcast_id))
            return {r.language: (r.text, r.status) for r in rows}

    def review(self, broadcast_id: int, language: str, text: str | None = None) -> None:
        """Approve the draft in `language` as it is (`text=None`), or replace it by `text`."""
        with transaction(self.engine) as session:
            row = session.get(BroadcastText, (broadcast_id, language))
            if row is None:
                raise BroadcastError(f"broadcast {broadcast_id} has no {language!r} text")
            if row.status == "source":
                raise BroadcastError("the source text is what staff wrote: create a new broadcast to change it")
            new = (text if text is not None else row.text).strip()
            if not new:
                raise BroadcastError(f"there is no {language} draft to approve: write the text")
            row.text, row.status = new, "reviewed"

    def recipients(self, school_id: str) -> list[tuple[str, str, str, bool]]:
        """(user_key, channel, language, opted_out) of the families subscribed to the school, with an address.

        Opted-out families stay in the list so the report shows them skipped; the sender never writes to them.
        """
        with transaction(self.engine) as session:
            rows = session.execute(
                select(CalendarSubscription.user_key, ContactAddress.channel, FamilyStateRow.language,
                       FamilyStateRow.opted_out)
                .join(ContactAddress, (ContactAddress.user_key == CalendarSubscription.user_key)
                      & (ContactAddress.channel == CalendarSubscription.channel))
                .outerjoin(FamilyStateRow, FamilyStateRow.user_key == CalendarSubscription.user_key)
                .where(CalendarSubscription.school_id == school_id)
                .distinct()
            ).all()
        return [(key, channel, language or "fr", bool(out)) for key, channel, language, out in rows]

    def send(self, broadcast_id: int) -> DeliveryReport:
        """Send to every recipient not yet sent to; resumable, never twice to one family."""
        if self.sender is None:
            raise BroadcastError("no sender configured")
        with transaction(self.engine) as session:
            broadcast = session.get(Broadcast, broadcast_id)
            if broadcast is None:
                raise BroadcastError(f"no broadcast {broadcast_id}")
            school_id = broadcast.school_id
            school_name = session.get(School, school_id).name
        texts, recipients = self.check_ready(broadcast_id)
        self._plan(broadcast_id, recipients, texts)
        with transaction(self.engine) as session:
            session.get(Broadcast, broadcast_id).status = "sending"
        while (row := self._claim_next(broadcast_id)) is not None:
            delivery_id, user_key, channel, language = row
            result = self.sender.send(user_key, self._message(texts, language, school_name, channel), language, channel)
            with transaction(self.engine) as session:
                delivery = session.get(BroadcastDelivery, delivery_id)
                delivery.status, delivery.reason = result.status, result.reason
                delivery.message_ids, delivery.updated_at = list(result.message_ids), dt.datetime.now(dt.UTC)
        with transaction(self.engine) as session:
            session.get(Broadcast, broadcast_id).status = "done"
        return self.report(broadcast_id)

    def check_ready(self, broadcast_id: int) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str, bool]]]:
        """The texts and recipients; BroadcastError if a language some recipient reads is not reviewed."""
        with transaction(self.engine) as session:
            broadcast = session.get(Broadcast, broadcast_id)
            if broadcast is None:
                raise BroadcastError(f"no broadcast {broadcast_id}")
            school_id = broadcast.school_id
        texts, recipients = self.texts(broadcast_id), self.recipients(school_id)
        needed = {self._language_for(lang, texts) for _, _, lang, opted_out in recipients if not opted_out}
        unready = sorted(lang for lang in needed if texts.get(lang, ("", "missing"))[1] not in SENDABLE)
        if unready:
            raise BroadcastError(f"review the text in {', '.join(unready)} before sending "
                                 f"(`familybot broadcast review {broadcast_id} LANG`)")
        return texts, recipients

    @staticmethod
    def _language_for(language: str, texts: dict[str, tuple[str, str]]) -> str:
        """The family's language if the broadcast has it, else the source language."""
        if language in texts:
            return language
        return next(lang for lang, (_, status) in texts.items() if status == "source")

    def _plan(self, broadcast_id: int, recipients: list[tuple[str, str, str, bool]], texts) -> None:
        with transaction(self.engine) as session:
            planned = set(session.scalars(select(BroadcastDelivery.user_key)
                                          .where(BroadcastDelivery.broadcast_id == broadcast_id)))
            for user_key, channel, language, _opted_out in recipients:
                if user_key not in planned:
                    session.add(BroadcastDelivery(broadcast_id=broadcast_id, user_key=user_key, channel=channel,
                                                  language=self._language_for(language, texts), status="pending",
                                                  reason="", message_ids=[], updated_at=dt.datetime.now(dt.UTC)))

    def _claim_next(self, broadcast_id: int) -> tuple[int, str, str, str] | None:
        """Mark the next pending row `sending` (atomically, so two processes never take the same)."""
        while True:
            with transaction(self.engine) as session:
                row = session.execute(
                    select(BroadcastDelivery.id, BroadcastDelivery.user_key, BroadcastDelivery.channel,
                           BroadcastDelivery.language)
                    .where(BroadcastDelivery.broadcast_id == broadcast_id, BroadcastDelivery.status == "pending")
                    .order_by(BroadcastDelivery.id).limit(1)
                ).first()
                if row is None:
                    return None
                claimed = session.execute(
                    update(BroadcastDelivery).where(BroadcastDelivery.id == row.id,
                                                    BroadcastDelivery.status == "pending")
                    .values(status="sending", updated_at=dt.datetime.now(dt.UTC))
                ).rowcount
            if claimed:
                return tuple(row)

    @staticmethod
    def _message(texts, language: str, school: str, channel: str) -> str:
        _ = translator(language).gettext
        parts = [_(BROADCAST_FROM).format(school=school), texts[language][0]]
        if channel == "sms":
            parts.append(_(HOW_TO_STOP))
        return "\n\n".join(parts)

    def report(self, broadcast_id: int) -> DeliveryReport:
        """Delivery counts; rows still `sending` outside a run are reported as `unknown`."""
        report = DeliveryReport(broadcast_id)
        with transaction(self.engine) as session:
            rows = session.scalars(select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == broadcast_id))
            for row in rows:
                status = "unknown" if row.status == "sending" else row.status
                report.by_status[status] += 1
                report.by_channel.setdefault(row.channel, Counter())[status] += 1
                if row.status == "failed":
                    report.failures.append(f"{row.user_key[:8]}… ({row.channel}): {row.reason}")
        return report
