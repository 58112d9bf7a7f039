"""Read resources the way the bot shows them: by need, in a language, for a child's age."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from resources_db.models import Service, ServiceNeed, Translation, TranslationStatus
from resources_db.schema import TEXT_FIELDS

#: Trusted texts first: what staff wrote or reviewed beats a machine translation.
STATUS_RANK = {TranslationStatus.curated: 0, TranslationStatus.reviewed: 0, TranslationStatus.machine: 1}


def services_for_need(session: Session, need: str, age: int | None = None) -> list[Service]:
    """Active services answering `need`, best first, fit for a child of `age`.

    Best: staff's priority, then services for which this is the main need.
    """
    rows = session.execute(
        select(Service, ServiceNeed.position)
        .join(ServiceNeed, ServiceNeed.service_id == Service.id)
        .where(ServiceNeed.need == need, Service.status == "active")
        .options(selectinload(Service.phones))
        .order_by(Service.priority, ServiceNeed.position, Service.id)
    ).all()
    return [service for service, _position in rows if fits_age(service.minimum_age, service.maximum_age, age)]


def fits_age(minimum: int | None, maximum: int | None, age: int | None) -> bool:
    """True when a service for ages `minimum`–`maximum` (either open) suits a child of `age` (None: any)."""
    return age is None or ((minimum is None or minimum <= age) and (maximum is None or age <= maximum))


def texts_for(session: Session, service_ids: list[str], languages: list[str]) -> dict[str, tuple[str, dict[str, str]]]:
    """For each service, the first language of `languages` that has all its texts.

    Returns `{service_id: (language, {field: text})}`; trusted texts win over machine ones.
    """
    rows = session.scalars(
        select(Translation).where(
            Translation.entity_type == "service",
            Translation.entity_id.in_(service_ids),
            Translation.language.in_(languages),
        )
    ).all()
    best: dict[tuple[str, str, str], Translation] = {}
    for row in rows:
        key = (row.entity_id, row.language, row.field)
        if key not in best or STATUS_RANK[row.status] < STATUS_RANK[best[key].status]:
            best[key] = row
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for service_id in service_ids:
        for language in languages:
            fields = {f: best[(service_id, language, f)].text for f in TEXT_FIELDS
                      if (service_id, language, f) in best}
            if len(fields) == len(TEXT_FIELDS):
                found[service_id] = (language, fields)
                break
    return found
