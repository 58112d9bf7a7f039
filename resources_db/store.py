"""Move content between the database and a `Bundle`.

`apply_bundle` only writes what differs, so importing the same content twice changes
nothing (and logs nothing); every write it makes is recorded in the audit log.
Imports add and update; they never delete (staff archive a service instead).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from resources_db.models import (
    Address,
    AuditLog,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceNeed,
    Translation,
    TranslationStatus,
)
from resources_db.schema import (
    AddressRecord,
    Bundle,
    LocationRecord,
    OrganizationRecord,
    PhoneRecord,
    ScheduleRecord,
    ServiceRecord,
    TextRecord,
)


@dataclass
class ApplyReport:
    """What an import changed."""

    created: int = 0
    updated: int = 0
    texts_changed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.texts_changed)


def read_bundle(session: Session) -> Bundle:
    """Everything in the database as a Bundle."""
    organizations = session.scalars(
        select(Organization).options(selectinload(Organization.locations).selectinload(Location.addresses))
    ).all()
    services = session.scalars(
        select(Service).options(
            selectinload(Service.needs),
            selectinload(Service.phones),
            selectinload(Service.schedules),
            selectinload(Service.service_areas),
            selectinload(Service.languages),
            selectinload(Service.service_at_locations),
        )
    ).all()
    texts: dict[str, dict[str, dict[str, TextRecord]]] = {}
    for row in session.scalars(select(Translation).where(Translation.entity_type == "service")):
        texts.setdefault(row.entity_id, {}).setdefault(row.language, {})[row.field] = TextRecord(
            text=row.text, status=row.status.value
        )
    return Bundle(
        organizations=[_org_record(org) for org in organizations],
        services=[_service_record(s, texts.get(s.id, {})) for s in services],
    )


def _org_record(org: Organization) -> OrganizationRecord:
    return OrganizationRecord(
        id=org.id,
        name=org.name,
        url=org.url,
        email=org.email,
        source=org.source,
        verified_on=org.verified_on,
        locations=[
            LocationRecord(
                id=loc.id,
                name=loc.name,
                latitude=loc.latitude,
                longitude=loc.longitude,
                address=AddressRecord(
                    address_1=loc.addresses[0].address_1,
                    city=loc.addresses[0].city,
                    state_province=loc.addresses[0].state_province,
                    postal_code=loc.addresses[0].postal_code,
                    country=loc.addresses[0].country,
                )
                if loc.addresses
                else None,
            )
            for loc in sorted(org.locations, key=lambda loc: loc.id)
        ],
    )


def _service_record(service: Service, texts: dict[str, dict[str, TextRecord]]) -> ServiceRecord:
    return ServiceRecord(
        id=service.id,
        organization=service.organization_id,
        name=service.name,
        needs=[n.need for n in service.needs],
        url=service.url,
        email=service.email,
        status=service.status,
        phones=[PhoneRecord(number=p.number, type=p.type, extension=p.extension) for p in service.phones],
        schedules=[
            ScheduleRecord(byday=s.byday, opens_at=s.opens_at, closes_at=s.closes_at)
            for s in sorted(service.schedules, key=lambda s: s.id)
        ],
        languages=[lang.code for lang in service.languages],
        min_age=service.minimum_age,
        max_age=service.maximum_age,
        free=service.free,
        priority=service.priority,
        service_areas=[a.name for a in sorted(service.service_areas, key=lambda a: a.id)],
        locations=sorted(sal.location_id for sal in service.service_at_locations),
        source=service.source,
        verified_on=service.verified_on,
        texts=texts,
    )


def apply_bundle(session: Session, bundle: Bundle, actor: str) -> ApplyReport:
    """Write `bundle` into the database, changing only what differs, with audit entries."""
    report = ApplyReport()
    current = read_bundle(session)
    current_orgs = {o.id: o for o in current.organizations}
    current_services = {s.id: s for s in current.services}
    for org in bundle.organizations:
        _apply_record(session, "organization", current_orgs.get(org.id), org, actor, report,
                      lambda: _write_organization(session, org))
    session.flush()
    for service in bundle.services:
        before = current_services.get(service.id)
        _apply_record(session, "service", _facts(before), _facts(service), actor, report,
                      lambda: _write_service(session, service))
        _apply_texts(session, service, before.texts if before else {}, actor, report)
    return report


def _facts(service: ServiceRecord | None) -> ServiceRecord | None:
    return service.model_copy(update={"texts": {}}) if service else None


def _apply_record(session, entity_type, before, after, actor, report, write) -> None:
    if before == after:
        return
    old = before.model_dump(mode="json") if before else {}
    new = after.model_dump(mode="json")
    write()
    if before is None:
        report.created += 1
        _audit(session, actor, "create", entity_type, after.id, None, None, _dump(new))
        return
    report.updated += 1
    for field in new:
        if old.get(field) != new[field]:
            _audit(session, actor, "update", entity_type, after.id, field,
                   _dump(old.get(field)), _dump(new[field]))


def _apply_texts(session: Session, service: ServiceRecord, before: dict, actor: str,
                 report: ApplyReport) -> None:
    for language, fields in service.texts.items():
        for field, text in fields.items():
            old = before.get(language, {}).get(field)
            if old == text:
                continue
            set_text(session, "service", service.id, field, language, text.text,
                     TranslationStatus(text.status), actor)
            report.texts_changed += 1


def set_text(session: Session, entity_type: str, entity_id: str, field: str, language: str,
             text: str, status: TranslationStatus, actor: str) -> None:
    """Create or replace one family-facing text, and audit the change."""
    row = session.scalar(
        select(Translation).where(
            Translation.entity_type == entity_type,
            Translation.entity_id == entity_id,
            Translation.field == field,
            Translation.language == language,
        )
    )
    old = row.text if row else None
    if row is None:
        row = Translation(entity_type=entity_type, entity_id=entity_id, field=field, language=language)
        session.add(row)
    row.text, row.status, row.updated_by = text, status, actor
    row.updated_at = dt.datetime.now(dt.UTC)
    _audit(session, actor, "translate", entity_type, entity_id, f"{field}:{language}", old, text)


def _write_organization(session: Session, record: OrganizationRecord) -> None:
    org = session.get(Organization, record.id) or Organization(id=record.id)
    org.name, org.url, org.email = record.name, record.url, record.email
    org.source, org.verified_on = record.source, record.verified_on
    org.locations = []
    session.add(org)
    session.flush()
    org.locations = [
        Location(
            id=loc.id, name=loc.name, latitude=loc.latitude, longitude=loc.longitude,
            addresses=[Address(**loc.address.model_dump())] if loc.address else [],
        )
        for loc in record.locations
    ]


def _write_service(session: Session, record: ServiceRecord) -> None:
    service = session.get(Service, record.id) or Service(id=record.id)
    service.organization_id, service.name = record.organization, record.name
    service.url, service.email, service.status = record.url, record.email, record.status
    service.minimum_age, service.maximum_age, service.free = record.min_age, record.max_age, record.free
    service.priority = record.priority
    service.source, service.verified_on = record.source, record.verified_on
    # Child rows are replaced whole: they have no identity of their own in the content.
    for collection in ("needs", "phones", "schedules", "service_areas", "languages", "service_at_locations"):
        getattr(service, collection).clear()
    session.add(service)
    session.flush()
    service.needs = [ServiceNeed(need=n, position=i) for i, n in enumerate(record.needs)]
    service.phones = [Phone(number=p.number, type=p.type, extension=p.extension, position=i)
                      for i, p in enumerate(record.phones)]
    service.schedules = [Schedule(byday=s.byday, opens_at=s.opens_at, closes_at=s.closes_at)
                         for s in record.schedules]
    service.service_areas = [ServiceArea(name=name) for name in record.service_areas]
    service.languages = [Language(code=code) for code in sorted(record.languages)]
    service.service_at_locations = [ServiceAtLocation(location_id=loc) for loc in record.locations]


def _audit(session: Session, actor: str, action: str, entity_type: str, entity_id: str,
           field: str | None, old: str | None, new: str | None) -> None:
    session.add(AuditLog(actor=actor, action=action, entity_type=entity_type, entity_id=entity_id,
                         field=field, old_value=old, new_value=new, at=dt.datetime.now(dt.UTC)))


def _dump(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


#: Record one change in the audit log (for modules that change other tables, such as the admin pages).
audit = _audit
