"""Replies staff write to a family who asked for a person.

Telegram and SMS replies are pushed through the channel; a web-chat family has no
address to push to, so its replies wait here until its page asks for them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Engine, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from resources_db.database import transaction
from resources_db.models import Base


class StaffReply(Base):
    """One reply from staff to a family, as the family receives it."""

    __tablename__ = "staff_reply"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(Integer, index=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    #: What staff wrote, and what the family receives (translated when needed).
    staff_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    sent_by: Mapped[str] = mapped_column(String(200))
    #: sent (pushed through the channel), waiting (web chat, until the page asks), delivered, failed.
    status: Mapped[str] = mapped_column(String(20))
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


def collect_waiting(engine: Engine, user_key: str) -> list[dict[str, str]]:
    """Hand over (once) the replies waiting for a web-chat family, oldest first."""
    now = dt.datetime.now(dt.UTC)
    with transaction(engine) as session:
        rows = session.scalars(
            select(StaffReply).where(StaffReply.user_key == user_key, StaffReply.status == "waiting")
            .order_by(StaffReply.id).with_for_update()
        ).all()
        for row in rows:
            row.status, row.delivered_at = "delivered", now
        return [{"text": row.text, "language": row.language} for row in rows]
