"""Where to reach a family, kept only while the family wants to be reached.

The bot answers families inside the conversation they started; it only *writes
first* (a reminder, a staff reply, a school message) to families who asked for it.
For that it needs the raw address — a phone number or a Telegram chat id, which is
personal data. One row per (family, channel, purpose): the address is stored when
the family opts in to something ("reminders", "handoff", "broadcast") and deleted
when it withdraws the last purpose or sends STOP (`forget`).

Every row carries the family's `user_key` (bot.identity), so privacy export and
delete find it like any other per-family table.

Public API (stable, used by reminders, broadcasts and staff handoff replies):
`ContactBook.remember`, `.address`, `.purposes`, `.forget`, and the `Contact` value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import DateTime, Engine, Integer, String, UniqueConstraint, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from resources_db.database import transaction
from resources_db.models import Base

#: Why an address is kept; anything else is refused so that rows stay explainable.
PURPOSES = frozenset({"reminders", "broadcast", "handoff"})


class ContactAddress(Base):
    """A family's raw channel address, for one purpose it opted in to."""

    __tablename__ = "contact_address"
    __table_args__ = (UniqueConstraint("user_key", "channel", "purpose", name="uq_contact_address_purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    #: Phone number in E.164 (SMS) or chat id (Telegram). Personal data: never logged.
    address: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


@dataclass(frozen=True)
class Contact:
    """How to reach one family: its key, channel and raw address."""

    user_key: str
    channel: str
    address: str

    def __repr__(self) -> str:  # the address stays out of logs and tracebacks
        return f"Contact(user_key={self.user_key!r}, channel={self.channel!r}, address=<hidden>)"


class ContactBook:
    """Stores and forgets families' addresses, per purpose."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def remember(self, user_key: str, channel: str, address: str, purpose: str) -> None:
        """Keep `address` for `purpose` (idempotent; a newer address replaces the old one)."""
        if purpose not in PURPOSES:
            raise ValueError(f"unknown contact purpose {purpose!r}; use one of {sorted(PURPOSES)}")
        if not address.strip():
            raise ValueError("an empty address cannot be stored")
        with transaction(self.engine) as session:
            row = session.scalar(select(ContactAddress).where(
                ContactAddress.user_key == user_key, ContactAddress.channel == channel,
                ContactAddress.purpose == purpose))
            if row is None:
                session.add(ContactAddress(user_key=user_key, channel=channel, address=address.strip(),
                                           purpose=purpose, created_at=dt.datetime.now(dt.UTC)))
            else:
                row.address = address.strip()

    def address(self, user_key: str, channel: str | None = None) -> Contact | None:
        """The family's address (on `channel` if given), whatever purpose stored it; None if none."""
        query = select(ContactAddress).where(ContactAddress.user_key == user_key)
        if channel is not None:
            query = query.where(ContactAddress.channel == channel)
        with transaction(self.engine) as session:
            row = session.scalars(query.order_by(ContactAddress.created_at.desc(), ContactAddress.id.desc())).first()
            return None if row is None else Contact(row.user_key, row.channel, row.address)

    def purposes(self, user_key: str) -> set[str]:
        """The purposes the family currently opted in to."""
        with transaction(self.engine) as session:
            return set(session.scalars(select(ContactAddress.purpose).where(ContactAddress.user_key == user_key)))

    def forget(self, user_key: str, purpose: str | None = None) -> int:
        """Delete the family's address for `purpose`, or for every purpose (STOP); rows deleted."""
        query = delete(ContactAddress).where(ContactAddress.user_key == user_key)
        if purpose is not None:
            query = query.where(ContactAddress.purpose == purpose)
        with transaction(self.engine) as session:
            return session.execute(query).rowcount or 0
