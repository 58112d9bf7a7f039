"""Per-family conversation state, persisted so that any server process can continue it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, bindparam, insert, select, update

from bot.contacts import ContactBook
from bot.records import ConversationTurn, FamilyStateRow, HandoffRequest
from resources_db.database import transaction
from resources_db.hot_statements import HotStatement
from resources_db.serial import serialized

#: Channels where staff replies are pushed (the web chat collects its replies itself).
HANDOFF_CHANNELS = frozenset({"telegram", "sms"})

# Every message loads and saves the family's state.
_STATE = FamilyStateRow.__table__
_LOAD_STATE = HotStatement(select(_STATE).where(_STATE.c.user_key == bindparam("key")))
_UPDATE_STATE = HotStatement(update(_STATE).where(_STATE.c.user_key == bindparam("key")))
_INSERT_STATE = HotStatement(insert(_STATE))
_INSERT_TURNS = HotStatement(insert(ConversationTurn.__table__))


@dataclass
class FamilyState:
    """What the bot remembers about one family (known only by a hashed key)."""

    user_key: str
    channel: str
    language: str | None = None
    language_chosen: bool = False
    last_need: str | None = None
    opted_out: bool = False
    #: Options offered in the last reply, in order: [[key, label], ...].
    offered: list[list[str]] = field(default_factory=list)
    #: How many resources of `last_need` were already shown.
    shown: int = 0
    #: Details the family gave: child_age, grade, neighbourhood.
    details: dict[str, str] = field(default_factory=dict)
    #: A yes/no question awaiting an answer, e.g. {"kind": "confirm_need", "need": "food_aid"}.
    pending: dict[str, str] = field(default_factory=dict)
    is_new: bool = True

    def context(self) -> dict:
        return {"offered": self.offered, "shown": self.shown, "details": self.details,
                "pending": self.pending}


class StateStore:
    """Loads and saves family state, and keeps the conversation log."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @contextmanager
    def exclusive(self, user_key: str) -> Iterator[None]:
        """Hold the family's lock: what happens inside is one transaction, never interleaved
        with another message from the same family, in any server process."""
        with serialized(self.engine, f"family:{user_key}"):
            yield

    def load(self, user_key: str, channel: str) -> FamilyState:
        """The family's state, or a fresh one for a first contact."""
        with transaction(self.engine) as session:
            row = _LOAD_STATE.run(session.connection(), {"key": user_key}).first()
        if row is None:
            return FamilyState(user_key=user_key, channel=channel)
        context = row.context or {}
        return FamilyState(
            user_key=user_key, channel=row.channel, language=row.language,
            language_chosen=row.language_chosen, last_need=row.last_need,
            opted_out=row.opted_out, offered=context.get("offered", []),
            shown=context.get("shown", 0), details=context.get("details", {}),
            pending=context.get("pending", {}), is_new=False,
        )

    def save(self, state: FamilyState, turns: list[dict]) -> None:
        """Persist the state and the turns of this exchange (`ConversationTurn` columns) together."""
        now = dt.datetime.now(dt.UTC)
        values = {"channel": state.channel, "language": state.language, "language_chosen": state.language_chosen,
                  "last_need": state.last_need, "opted_out": state.opted_out, "context": state.context(),
                  "updated_at": now}
        with transaction(self.engine) as session:
            connection = session.connection()
            # The family's lock is held (`exclusive`): nobody inserts this row between the two statements.
            if _UPDATE_STATE.run(connection, {"key": state.user_key, **values}).rowcount == 0:
                _INSERT_STATE.run(connection, {"user_key": state.user_key, "created_at": now, **values})
            if turns:  # one statement for all of them: every row needs the same columns
                columns = {column for turn in turns for column in turn}
                rows = [{"at": now, **dict.fromkeys(columns), **turn} for turn in turns]
                _INSERT_TURNS.run(connection, rows)

    def transcript(self, user_key: str, limit: int = 20) -> list[dict]:
        """The last messages of a conversation, oldest first."""
        with transaction(self.engine) as session:
            turns = session.scalars(
                select(ConversationTurn).where(ConversationTurn.user_key == user_key)
                .order_by(ConversationTurn.id.desc()).limit(limit)
            ).all()
            return [{"direction": t.direction, "text": t.text, "at": t.at.isoformat()} for t in reversed(turns)]

    def request_handoff(self, state: FamilyState, language: str, address: str | None = None) -> None:
        """Record that the family asks for a person, with the conversation so far.

        On Telegram and SMS, `address` (chat id, phone number) is kept for the staff reply
        only: asking for a person is asking to be written to.
        """
        transcript = self.transcript(state.user_key)
        if address and state.channel in HANDOFF_CHANNELS:
            ContactBook(self.engine).remember(state.user_key, state.channel, address, "handoff")
        with transaction(self.engine) as session:
            session.add(HandoffRequest(user_key=state.user_key, channel=state.channel, language=language,
                                       transcript=transcript, created_at=dt.datetime.now(dt.UTC)))
