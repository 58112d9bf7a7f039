"""Tables for conversations: per-family state, turns, and requests for a person.

Families are known only by a salted hash of their channel id (`bot.identity`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from resources_db.models import Base


class FamilyStateRow(Base):
    __tablename__ = "family_state"

    user_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(10))
    #: True once the family chose a language explicitly; detection no longer switches it.
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    last_need: Mapped[str | None] = mapped_column(String(50))
    #: Pending question, offered options, paging offset, details given (age, neighbourhood).
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ConversationTurn(Base):
    """One message in or out; kept for handoffs and for learning, purged by age."""

    __tablename__ = "conversation_turn"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(10))
    intent: Mapped[str | None] = mapped_column(String(50))
    confidence: Mapped[float | None]
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    # For learning and the needs dashboard (incoming turns only): what the model read, in
    # which language's model (None when it read a machine translation, not the text itself),
    # the language answered in, and how many resources the answer gave.
    nlu_intent: Mapped[str | None] = mapped_column(String(50))
    nlu_language: Mapped[str | None] = mapped_column(String(10))
    answer_language: Mapped[str | None] = mapped_column(String(10))
    resources_shown: Mapped[int | None] = mapped_column(Integer)
    #: Set once staff reviewed this message in the admin (an example added, or dismissed).
    review_id: Mapped[int | None] = mapped_column(Integer, index=True)


class HandoffRequest(Base):
    """A family asked for a person; staff answer from the admin pages."""

    __tablename__ = "handoff_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="open")
    #: The conversation so far, as shown to staff: [{"direction", "text", "at"}].
    transcript: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProcessedMessage(Base):
    """A platform message already answered: retries get the same answer, not a second turn."""

    __tablename__ = "processed_message"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    response: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PendingParts(Base):
    """The rest of a long answer, sent when the family replies MORE (SMS)."""

    __tablename__ = "pending_parts"

    user_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    language: Mapped[str] = mapped_column(String(10))
    parts: Mapped[list] = mapped_column(JSON, default=list)
