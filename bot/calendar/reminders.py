"""Evening-before reminders: each at most once per family and date, whatever restarts.

`familybot reminders send-due` (run every 15 minutes by cron or a systemd timer)
sends, for every family subscribed to a school, a reminder of each date of that
school starting tomorrow (local time), once the local reminder hour has come
(REMINDER_HOUR, 18:00 by default, computed in FAMILYBOT_TIMEZONE so that daylight
saving changes move nothing). A `reminder_delivery` row with a unique key is
written *before* the message goes out: a second run, another process, or a run
after a crash finds the key and does not send again. A crash between the claim
and the platform's answer leaves the row `sending` (outcome unknown): never resent,
because a reminder sent twice costs the family more than one missed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from bot.calendar.event_types import OTHER
from bot.calendar.records import CalendarEvent, CalendarSubscription, ReminderDelivery, School
from bot.calendar.wording import event_label, format_day
from bot.channels.outbound import Delivery, OutboundSender
from bot.dialogue import HOW_TO_STOP
from bot.records import FamilyStateRow
from bot.wording import Wording
from resources_db.database import transaction
from translations.catalog import N_, translator

log = logging.getLogger(__name__)

REMINDER = N_("Reminder for tomorrow, {date}: {event}. ({school})")


@dataclass
class ReminderRun:
    """What one `send_due` did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    already: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Due:
    user_key: str
    channel: str
    school_id: str
    school_name: str
    uid: str
    kind: str
    day: dt.date


def due_at(day: dt.date, timezone: str, hour: int) -> dt.datetime:
    """When the reminder for a date starting on `day` is due: `hour` local, the evening before (UTC)."""
    local = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(hour), tzinfo=ZoneInfo(timezone))
    return local.astimezone(dt.UTC)


class ReminderService:
    """Finds due reminders and sends each one once."""

    def __init__(self, engine: Engine, sender: OutboundSender, timezone: str = "America/Montreal",
                 hour: int = 18, clock: Callable[[], dt.datetime] | None = None):
        self.engine, self.sender, self.timezone, self.hour = engine, sender, timezone, hour
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def due(self, now: dt.datetime | None = None) -> list[_Due]:
        """Reminders whose time has come and whose date has not started yet."""
        now = now or self.clock()
        tomorrow = now.astimezone(ZoneInfo(self.timezone)).date() + dt.timedelta(days=1)
        if now < due_at(tomorrow, self.timezone, self.hour):
            return []
        with transaction(self.engine) as session:
            rows = session.execute(
                select(CalendarSubscription.user_key, CalendarSubscription.channel, School.id, School.name,
                       CalendarEvent.uid, CalendarEvent.kind, CalendarEvent.start_date)
                .join(School, School.id == CalendarSubscription.school_id)
                .join(CalendarEvent, CalendarEvent.school_id == School.id)
                .where(CalendarEvent.start_date == tomorrow, CalendarEvent.kind != OTHER)
                .order_by(CalendarSubscription.user_key, CalendarEvent.id)
            ).all()
        return [_Due(*row) for row in rows]

    def send_due(self, now: dt.datetime | None = None) -> ReminderRun:
        """Send every due reminder not sent before; safe to run as often as wished."""
        run = ReminderRun()
        for item in self.due(now):
            key = f"{item.user_key}:{item.school_id}:{item.uid}:{item.day.isoformat()}"
            if not self._claim(key, item):
                run.already += 1
                continue
            result = self.sender.send(item.user_key, self._text(item), self._language(item.user_key), item.channel)
            self._record(key, result)
            if result.sent:
                run.sent += 1
            elif result.status == "failed":
                run.failed += 1
                run.reasons.append(result.reason)
            else:
                run.skipped += 1
        return run

    def _claim(self, key: str, item: _Due) -> bool:
        try:
            with transaction(self.engine) as session:
                session.add(ReminderDelivery(key=key, user_key=item.user_key, school_id=item.school_id,
                                             event_uid=item.uid, event_date=item.day, status="sending",
                                             reason="", message_ids=[], created_at=dt.datetime.now(dt.UTC)))
            return True
        except IntegrityError:
            return False

    def _record(self, key: str, result: Delivery) -> None:
        with transaction(self.engine) as session:
            row = session.scalar(select(ReminderDelivery).where(ReminderDelivery.key == key))
            row.status, row.reason, row.message_ids = result.status, result.reason, list(result.message_ids)

    def _language(self, user_key: str) -> str:
        with transaction(self.engine) as session:
            row = session.get(FamilyStateRow, user_key)
            return (row.language if row and row.language else None) or "fr"

    def _text(self, item: _Due) -> str:
        wording = Wording(self._language(item.user_key))
        parts = [translator(lang).gettext(REMINDER).format(date=format_day(item.day, lang),
                                                           event=event_label(item.kind, lang),
                                                           school=item.school_name)
                 for lang in wording.text_languages]
        if item.channel == "sms":
            parts.append(wording.say(HOW_TO_STOP))
        return "\n\n".join(parts)
