"""What was already answered, and what is left to send, per channel.

Twilio retries a webhook it did not get an answer to in time; Telegram may deliver
an update twice. Both carry an id. The answer is produced and stored under that id
in the same transaction, holding the family's lock, so a copy handled by another
thread or server process waits, then finds the stored answer: never a second turn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.records import PendingParts, ProcessedMessage
from resources_db.database import transaction
from resources_db.hot_statements import HotStatement
from resources_db.serial import serialized

# Run for every SMS and Telegram message.
_DONE, _PARTS = ProcessedMessage.__table__, PendingParts.__table__
_ANSWERED = HotStatement(select(_DONE.c.response).where(_DONE.c.channel == bindparam("channel"),
                                                        _DONE.c.message_id == bindparam("message_id")))
_RECORD_ANSWER = HotStatement(insert(_DONE))
_REPLACE_PARTS = HotStatement(update(_PARTS).where(_PARTS.c.user_key == bindparam("key"),
                                                   _PARTS.c.channel == bindparam("channel_")))
_KEEP_PARTS = HotStatement(insert(_PARTS))


class Processed(NamedTuple):
    """The answer to a platform message, and whether it was produced by this call."""

    response: str
    first: bool


class Outbox:
    """Idempotent processing of platform messages, and continuation parts."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def once(self, channel: str, message_id: str, user_key: str, produce: Callable[[], str]) -> Processed:
        """`produce()` the response for a message id the first time; the stored one after.

        `produce` runs inside the family's unit of work: everything it writes is
        committed together with the stored response, or not at all.
        """
        ids = {"channel": channel, "message_id": message_id}
        try:
            with serialized(self.engine, f"family:{user_key}") as session:
                connection = session.connection()
                done = _ANSWERED.run(connection, ids).scalar()
                if done is not None:
                    return Processed(done, first=False)
                response = produce()
                _RECORD_ANSWER.run(connection, {**ids, "response": response})
                return Processed(response, first=True)
        except IntegrityError:  # the same id under another family key: the first answer stands
            with transaction(self.engine) as session:
                return Processed(_ANSWERED.run(session.connection(), ids).scalar_one(), first=False)

    def keep_parts(self, user_key: str, channel: str, language: str, parts: list[str]) -> None:
        """Remember the parts of a long answer not sent yet (replacing older ones)."""
        values = {"language": language, "parts": list(parts)}
        with transaction(self.engine) as session:
            connection = session.connection()
            replaced = _REPLACE_PARTS.run(connection, {"key": user_key, "channel_": channel, **values})
            if replaced.rowcount == 0 and parts:
                _KEEP_PARTS.run(connection, {"user_key": user_key, "channel": channel, **values})

    def next_part(self, user_key: str, channel: str) -> tuple[str, int, str] | None:
        """The next unsent part, how many remain after it, and their language; None if none."""
        with transaction(self.engine) as session:
            row = session.get(PendingParts, (user_key, channel))
            if row is None or not row.parts:
                return None
            first, rest = row.parts[0], row.parts[1:]
            row.parts = rest
            return first, len(rest), row.language
