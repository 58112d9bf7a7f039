"""Family-facing texts side by side, and the review of machine translations.

Texts live in the `translation` table with a status: `curated` (written by people),
`machine` (from the translation provider, cached by `translations.machine`), and
`reviewed` (a machine translation a reviewer approved, possibly corrected). Every
write goes through `resources_db.store.set_text`, which audits it; approving and
rejecting are audited too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.i18n import N_
from nlu.taxonomy import load_taxonomy
from resources_db.models import Translation, TranslationStatus
from resources_db.schema import TEXT_FIELDS, TextRecord
from resources_db.store import audit, set_text
from translations.machine import MESSAGE_ENTITY

#: The language shown beside every other one (the bot's first language).
REFERENCE_LANGUAGE = "fr"
#: How each status is shown to staff.
STATUS_LABELS = {"curated": N_("curated"), "machine": N_("machine translation"), "reviewed": N_("reviewed"),
                 "missing": N_("missing")}


class TextError(ValueError):
    """A text was refused (empty)."""


@dataclass(frozen=True)
class QueueItem:
    """A machine translation waiting for a reviewer, with what it was translated from."""

    id: int
    entity_type: str
    entity_id: str
    field: str
    language: str
    text: str
    source_language: str | None
    source_text: str | None
    updated_at: dt.datetime


def side_by_side(session: Session, service_id: str) -> dict[str, dict[str, Translation | None]]:
    """`{language: {field: row or None}}` for every curated language, plus any other language present."""
    rows = session.scalars(select(Translation).where(
        Translation.entity_type == "service", Translation.entity_id == service_id)).all()
    languages = list(load_taxonomy().languages) + sorted({r.language for r in rows} - set(load_taxonomy().languages))
    table: dict[str, dict[str, Translation | None]] = {lang: dict.fromkeys(TEXT_FIELDS) for lang in languages}
    for row in rows:
        if row.field in TEXT_FIELDS:
            table[row.language][row.field] = row
    return table


def checked_text(text: str) -> str:
    """The text as it will be stored, validated like an imported text."""
    try:
        # Browsers send line breaks in text areas as CRLF.
        return TextRecord(text=text.replace("\r\n", "\n")).text
    except ValidationError as exc:
        raise TextError("empty text") from exc


def write_texts(session: Session, service_id: str, language: str, texts: dict[str, str], actor: str) -> int:
    """Save texts staff wrote for one language (status curated); returns how many changed."""
    current = side_by_side(session, service_id).get(language, {})
    changed = 0
    for field in TEXT_FIELDS:
        typed = texts.get(field, "").replace("\r\n", "\n").strip()
        if not typed:
            continue
        row = current.get(field)
        # An untouched machine translation stays in the review queue: saving the form is not a review.
        if row is None or row.text != typed:
            set_text(session, "service", service_id, field, language, checked_text(typed),
                     TranslationStatus.curated, actor)
            changed += 1
    return changed


def machine_queue(session: Session, limit: int = 200) -> list[QueueItem]:
    """Machine translations not reviewed yet, oldest first, each with its source text."""
    rows = session.scalars(select(Translation).where(Translation.status == TranslationStatus.machine)
                           .order_by(Translation.updated_at, Translation.id).limit(limit)).all()
    return [_with_source(session, row) for row in rows]


def _with_source(session: Session, row: Translation) -> QueueItem:
    if row.entity_type == MESSAGE_ENTITY:
        # The bot stores the English (or other curated) source beside its machine translations.
        source = session.scalar(select(Translation).where(
            Translation.entity_type == row.entity_type, Translation.entity_id == row.entity_id,
            Translation.field == row.field, Translation.status != TranslationStatus.machine))
    else:
        source = session.scalar(select(Translation).where(
            Translation.entity_type == row.entity_type, Translation.entity_id == row.entity_id,
            Translation.field == row.field, Translation.language.in_([REFERENCE_LANGUAGE, "en"]),
            Translation.status != TranslationStatus.machine).order_by(Translation.language.desc()))
    return QueueItem(id=row.id, entity_type=row.entity_type, entity_id=row.entity_id, field=row.field,
                     language=row.language, text=row.text, source_language=source.language if source else None,
                     source_text=source.text if source else None, updated_at=row.updated_at)


def approve(session: Session, translation_id: int, text: str, actor: str) -> Translation | None:
    """Accept a machine translation, corrected as typed; it becomes `reviewed`. None if it is gone."""
    row = session.get(Translation, translation_id)
    if row is None or row.status != TranslationStatus.machine:
        return None
    set_text(session, row.entity_type, row.entity_id, row.field, row.language, checked_text(text),
             TranslationStatus.reviewed, actor)
    audit(session, actor, "approve", row.entity_type, row.entity_id, f"{row.field}:{row.language}",
          TranslationStatus.machine.value, TranslationStatus.reviewed.value)
    return row


def reject(session: Session, translation_id: int, actor: str) -> bool:
    """Throw a machine translation away (the bot falls back, or asks the provider again)."""
    row = session.get(Translation, translation_id)
    if row is None or row.status != TranslationStatus.machine:
        return False
    audit(session, actor, "reject", row.entity_type, row.entity_id, f"{row.field}:{row.language}", row.text, None)
    session.delete(row)
    return True
