"""Tables of staff broadcasts: the message, its reviewed translations, one row per recipient."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from resources_db.models import Base


class Broadcast(Base):
    """A message staff wrote once (French or English) for the families of one school."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    source_language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    #: draft (translations under review), sending, done.
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BroadcastText(Base):
    """The broadcast in one language: the source, a machine draft, or a reviewed text."""

    __tablename__ = "broadcast_text"

    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcast.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(10), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    #: source, machine (draft to review), reviewed, missing (no draft could be made).
    status: Mapped[str] = mapped_column(String(20))


class BroadcastDelivery(Base):
    """One recipient of one broadcast; claimed before sending so a restart never sends twice."""

    __tablename__ = "broadcast_delivery"
    __table_args__ = (UniqueConstraint("broadcast_id", "user_key", name="uq_broadcast_delivery_recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcast.id", ondelete="CASCADE"), index=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    #: pending, sending (claimed; unknown outcome after a crash: not resent), sent, failed, skipped.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    message_ids: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
