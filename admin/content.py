"""Find resources for the staff list: search, filters, language coverage, staleness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from admin.i18n import N_
from admin.overview import stale_before
from bot.topics import NEED_LABELS
from nlu.taxonomy import load_taxonomy
from resources_db.models import Service, ServiceNeed, Translation, TranslationStatus
from resources_db.schema import TEXT_FIELDS
from translations.catalog import translator

#: Status filters of the list; archived resources are those the bot no longer shows.
STATUS_FILTERS = (N_("active"), N_("archived"), N_("all"))


@dataclass(frozen=True)
class Filters:
    """What the staff member asked the list for."""

    q: str = ""
    need: str = ""
    #: Only resources lacking a complete text in this language.
    missing: str = ""
    stale: bool = False
    status: str = "active"


@dataclass(frozen=True)
class Row:
    """One resource as the list shows it."""

    id: str
    name: str
    needs: list[str]
    status: str
    verified_on: dt.date
    stale: bool
    #: Curated languages with all family-facing texts.
    complete: list[str]
    #: Curated languages with a text still in machine translation.
    machine: list[str]

    @property
    def missing(self) -> list[str]:
        """Curated languages with at least one text missing."""
        return [lang for lang in load_taxonomy().languages if lang not in self.complete]


def need_choices(language: str) -> list[tuple[str, str]]:
    """Every need with its label in the staff member's language (the bot's own labels)."""
    _ = translator(language).gettext
    return [(need, _(NEED_LABELS.get(need, need))) for need in load_taxonomy().needs]


def find_services(session: Session, filters: Filters, today: dt.date | None = None) -> list[Row]:
    """Services matching `filters`, by name."""
    query = select(Service).options(selectinload(Service.needs)).order_by(Service.name, Service.id)
    if filters.status == "active":
        query = query.where(Service.status == "active")
    elif filters.status == "archived":
        query = query.where(Service.status != "active")
    if filters.need:
        query = query.where(Service.id.in_(select(ServiceNeed.service_id).where(ServiceNeed.need == filters.need)))
    if filters.stale:
        query = query.where(Service.verified_on < stale_before(today))
    if filters.q.strip():
        # Bound parameters: what staff type is never read as SQL, and % or _ only match themselves.
        pattern = "%" + filters.q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        in_texts = select(Translation.entity_id).where(
            Translation.entity_type == "service", Translation.text.ilike(pattern, escape="\\"))
        query = query.where(or_(Service.name.ilike(pattern, escape="\\"), Service.id.ilike(pattern, escape="\\"),
                                Service.organization_id.ilike(pattern, escape="\\"), Service.id.in_(in_texts)))
    services = session.scalars(query).all()
    coverage = _coverage(session, [s.id for s in services])
    limit = stale_before(today)
    rows = [
        Row(id=s.id, name=s.name, needs=[n.need for n in s.needs], status=s.status, verified_on=s.verified_on,
            stale=s.verified_on < limit, complete=coverage.get(s.id, ({}, set()))[0],
            machine=sorted(coverage.get(s.id, ({}, set()))[1]))
        for s in services
    ]
    if filters.missing:
        rows = [row for row in rows if filters.missing not in row.complete]
    return rows


def _coverage(session: Session, service_ids: list[str]) -> dict[str, tuple[list[str], set[str]]]:
    """Per service: curated languages with every text, and languages with a machine text."""
    fields: dict[tuple[str, str], set[str]] = {}
    machine: dict[str, set[str]] = {}
    rows = session.execute(
        select(Translation.entity_id, Translation.language, Translation.field, Translation.status)
        .where(Translation.entity_type == "service", Translation.entity_id.in_(service_ids))
    ).all()
    for service_id, language, field, status in rows:
        fields.setdefault((service_id, language), set()).add(field)
        if status == TranslationStatus.machine:
            machine.setdefault(service_id, set()).add(language)
    languages = load_taxonomy().languages
    return {
        service_id: ([lang for lang in languages if fields.get((service_id, lang), set()) >= set(TEXT_FIELDS)],
                     machine.get(service_id, set()))
        for service_id in service_ids
    }
