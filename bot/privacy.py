"""Families' rights under Québec's Law 25: see their data, erase it, and keep logs only so long.

Per-family data is found generically: every table with a `user_key` column holds it, and
so does every row of another table that refers to such a row by foreign key (a staff note
on a handoff request, say). The tables are read from the live database's schema, so a
table added by a later migration is covered without a change here.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import decimal
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine, MetaData, Table, delete, func, not_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.identity import user_key
from resources_db.models import AuditLog

USER_KEY = "user_key"
EXPORT_FORMAT = "familybot-family-export/1"
#: Conversation logs, and the column saying when each row was written.
LOGS_BY_AGE = {"conversation_turn": "at", "handoff_request": "created_at", "processed_message": "at"}
#: How channels name their users; `identifier` below turns what a family gives into that.
CHANNELS = ("sms", "telegram", "web", "console")
BATCH = 500
DURATION = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


class PrivacyError(ValueError):
    """A request that cannot be carried out as given (bad identifier, bad duration)."""


def identifier(raw: str, channel: str | None) -> tuple[str, str]:
    """The (channel, id) a channel adapter would have hashed, from what the family gives.

    A phone number may be written as families write it (514 555-0123, +1 514…): SMS
    adapters see it in E.164 form (+15145550123), so it is normalised to that.
    """
    raw = raw.strip()
    compact = re.sub(r"[\s().-]", "", raw)
    if channel is None:
        if not compact.startswith("+"):
            raise PrivacyError("Say which channel this id is from: --channel sms, telegram or web "
                               "(a phone number starting with + is taken as SMS).")
        channel = "sms"
    if channel == "sms":
        if re.fullmatch(r"\+\d{8,15}", compact):
            return channel, compact
        if re.fullmatch(r"1?\d{10}", compact):  # North American number written without +1
            return channel, "+1" + compact[-10:]
        raise PrivacyError(f"{raw!r} is not a phone number: write it as +15145550123.")
    if channel == "telegram":
        chat_id = re.sub(r"\s", "", raw)  # group chat ids are negative: keep the minus
        if re.fullmatch(r"-?\d{1,20}", chat_id):
            return channel, chat_id
        raise PrivacyError(f"{raw!r} is not a Telegram chat id (digits, e.g. 555000111).")
    if channel in CHANNELS:
        if not raw:
            raise PrivacyError("The user id is empty.")
        return channel, raw
    raise PrivacyError(f"Unknown channel {channel!r}: use one of {', '.join(CHANNELS)}.")


def family_key(raw: str, channel: str | None, salt: str) -> tuple[str, str]:
    """(channel, user_key) for a raw identifier, hashed exactly as the bot hashes it."""
    channel, user_id = identifier(raw, channel)
    return channel, user_key(channel, user_id, salt)


def parse_duration(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """The moment `text` ago: 90d (days), 12w (weeks), 6m (calendar months) or 1y (years)."""
    match = DURATION.match(text or "")
    if not match or int(match[1]) <= 0:
        raise PrivacyError(f"{text!r} is not a duration: use a positive number and d, w, m or y, e.g. 90d, 12w, 6m.")
    amount, unit = int(match[1]), match[2].lower()
    now = now or dt.datetime.now(dt.UTC)
    if unit in "dw":
        return now - dt.timedelta(days=amount * (7 if unit == "w" else 1))
    months = amount * (12 if unit == "y" else 1)
    year, month = divmod(now.month - 1 - months, 12)
    year, month = now.year + year, month + 1
    if year < 1:
        raise PrivacyError(f"{text!r} reaches back before year 1.")
    return now.replace(year=year, month=month, day=min(now.day, calendar.monthrange(year, month)[1]))


def schema(engine: Engine) -> MetaData:
    """The live database's tables, as SQLAlchemy metadata."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    return metadata


def family_tables(metadata: MetaData) -> list[Table]:
    """Every table holding per-family rows directly (a `user_key` column)."""
    return [table for table in metadata.sorted_tables if USER_KEY in table.c]


def _with_dependents(metadata: MetaData, table: Table, condition: ColumnElement,
                     seen: frozenset[str] = frozenset()) -> list[tuple[Table, ColumnElement]]:
    """(table, condition) for the matching rows, preceded by every row referring to them."""
    found: list[tuple[Table, ColumnElement]] = []
    for child in metadata.sorted_tables:
        if child.name in seen or child is table:
            continue
        for fk in child.foreign_keys:
            if fk.column.table is table:
                child_condition = fk.parent.in_(select(fk.column).where(condition))
                found += _with_dependents(metadata, child, child_condition, seen | {table.name})
    return found + [(table, condition)]


def _family_rows(metadata: MetaData, key: str) -> list[tuple[Table, ColumnElement]]:
    pairs: list[tuple[Table, ColumnElement]] = []
    for table in family_tables(metadata):
        pairs += _with_dependents(metadata, table, table.c[USER_KEY] == key)
    return pairs


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"cannot export {type(value).__name__}")


@dataclass
class Receipt:
    """What a deletion or purge did: rows per table, and an id to quote (never the family's id)."""

    counts: dict[str, int] = field(default_factory=dict)
    receipt_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, table: str, count: int) -> None:
        if count:
            self.counts[table] = self.counts.get(table, 0) + count


def _audit(connection: Connection, actor: str, action: str, receipt: Receipt, detail: str) -> None:
    connection.execute(AuditLog.__table__.insert().values(
        at=dt.datetime.now(dt.UTC), actor=actor[:200], action=action, entity_type="family",
        entity_id=receipt.receipt_id, field=detail[:100], old_value=None,
        new_value=json.dumps(receipt.counts, sort_keys=True),
    ))


def export_family(engine: Engine, channel: str, key: str, actor: str) -> dict:
    """Every row the database holds about one family, as a JSON-ready document (audited)."""
    metadata = schema(engine)
    tables: dict[str, list[dict]] = {}
    receipt = Receipt()
    with engine.begin() as connection:
        for table, condition in _family_rows(metadata, key):
            rows = tables.setdefault(table.name, [])
            for row in connection.execute(select(table).where(condition)).mappings():
                if dict(row) not in rows:
                    rows.append(dict(row))
        for name, rows in tables.items():
            receipt.add(name, len(rows))
        _audit(connection, actor, "privacy-export", receipt, channel)
    document = {"format": EXPORT_FORMAT, "exported_at": dt.datetime.now(dt.UTC).isoformat(),
                "channel": channel, "user_key": key,
                "tables": {name: rows for name, rows in sorted(tables.items()) if rows}}
    return json.loads(json.dumps(document, default=_jsonable, ensure_ascii=False))


def delete_family(engine: Engine, channel: str, key: str, actor: str) -> Receipt:
    """Erase every row about one family in one transaction: all of it, or nothing (audited)."""
    metadata = schema(engine)
    receipt = Receipt()
    with engine.begin() as connection:
        for table, condition in _family_rows(metadata, key):
            receipt.add(table.name, connection.execute(delete(table).where(condition)).rowcount)
        _audit(connection, actor, "privacy-delete", receipt, channel)
    return receipt


def _log_rows(metadata: MetaData, cutoff: dt.datetime) -> Iterator[tuple[Table, ColumnElement]]:
    for name, column in LOGS_BY_AGE.items():
        if name in metadata.tables:
            table = metadata.tables[name]
            yield from _with_dependents(metadata, table, table.c[column] < cutoff)
    states = metadata.tables.get("family_state")
    parts = metadata.tables.get("pending_parts")
    if states is not None and parts is not None:
        active = select(states.c[USER_KEY]).where(states.c.updated_at >= cutoff)
        yield parts, not_(parts.c[USER_KEY].in_(active))


def _stale_memories(connection: Connection, states: Table, cutoff: dt.datetime) -> list[str]:
    """Keys of families quiet since `cutoff` whose conversation memory still holds something."""
    rows = connection.execute(select(states.c[USER_KEY], states.c.context).where(states.c.updated_at < cutoff))
    return [key for key, context in rows if isinstance(context, dict) and any(context.values())]


def purge_logs(engine: Engine, cutoff: dt.datetime, actor: str, dry_run: bool = False) -> Receipt:
    """Delete conversation logs written before `cutoff`; with `dry_run`, only count them.

    Families quiet since `cutoff` also lose what the bot remembered of the conversation
    (age, neighbourhood, options offered), but keep their language and their STOP.
    """
    metadata = schema(engine)
    receipt = Receipt()
    with engine.begin() as connection:
        for table, condition in _log_rows(metadata, cutoff):
            if dry_run:
                receipt.add(table.name, connection.scalar(select(func.count()).select_from(table).where(condition)))
            else:
                receipt.add(table.name, connection.execute(delete(table).where(condition)).rowcount)
        states = metadata.tables.get("family_state")
        if states is not None:
            forgotten = _stale_memories(connection, states, cutoff)
            receipt.add("family_state", len(forgotten))
            if not dry_run:
                for start in range(0, len(forgotten), BATCH):
                    connection.execute(update(states).where(states.c[USER_KEY].in_(forgotten[start:start + BATCH]))
                                       .values(context={}))
        if not dry_run:
            _audit(connection, actor, "privacy-purge", receipt, f"before {cutoff.isoformat()}")
    return receipt
