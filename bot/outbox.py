"""What was already answered, and what is left to send, per channel.

Twilio retries a webhook it did not get an answer to in time; Telegram may deliver
an update twice. Both carry an id: the first answer is stored under it and returned
again, so a retry never becomes a second conversation turn.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from bot.records import PendingParts, ProcessedMessage
from resources_db.database import transaction


class Outbox:
    """Idempotent processing of platform messages, and continuation parts."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock = threading.Lock()

    def once(self, channel: str, message_id: str, produce: Callable[[], str]) -> str:
        """`produce()` the response for a message id the first time; the stored one after."""
        with self._lock:
            with transaction(self.engine) as session:
                done = session.get(ProcessedMessage, (channel, message_id))
                if done is not None:
                    return done.response
            response = produce()
            try:
                with transaction(self.engine) as session:
                    session.add(ProcessedMessage(channel=channel, message_id=message_id, response=response))
            except IntegrityError:  # another process answered it meanwhile: keep theirs
                with transaction(self.engine) as session:
                    return session.get(ProcessedMessage, (channel, message_id)).response
            return response

    def keep_parts(self, user_key: str, channel: str, language: str, parts: list[str]) -> None:
        """Remember the parts of a long answer not sent yet (replacing older ones)."""
        with transaction(self.engine) as session:
            row = session.get(PendingParts, (user_key, channel)) or PendingParts(user_key=user_key, channel=channel)
            row.language, row.parts = language, list(parts)
            session.add(row)

    def next_part(self, user_key: str, channel: str) -> tuple[str, int, str] | None:
        """The next unsent part, how many remain after it, and their language; None if none."""
        with transaction(self.engine) as session:
            row = session.get(PendingParts, (user_key, channel))
            if row is None or not row.parts:
                return None
            first, rest = row.parts[0], row.parts[1:]
            row.parts = rest
            return first, len(rest), row.language
