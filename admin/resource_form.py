"""The resource form: its fields to and from a `ServiceRecord`, validated like an import.

Staff type lists one item per line (phones, opening hours, areas) or separated by
commas (languages, locations). The form is turned into the same raw record an import
file gives, and validated by the same pydantic models (`resources_db.schema`), so a
resource saved from the page obeys exactly the rules of the command line. Saving goes
through `resources_db.store.apply_bundle`: only differences are written, each audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from pydantic import ValidationError
from sqlalchemy.orm import Session

from admin.i18n import N_
from resources_db.schema import TEXT_FIELDS, Bundle, OrganizationRecord, ServiceRecord, TextRecord
from resources_db.store import ApplyReport, apply_bundle, read_bundle

#: Languages whose texts are on the resource form; all ten are on the translations page.
FORM_LANGUAGES = ("fr", "en")
NEW_ORGANIZATION = "__new__"
#: The family-facing texts, as staff call them.
FIELD_LABELS = {"name": N_("Name shown to families"), "description": N_("What it is"),
                "how_to_get": N_("How to get it")}
PHONE_LINE = re.compile(r"^(?:(?P<type>[a-z]+)\s*:\s*)?(?P<number>.+?)(?:\s+(?:ext\.?|poste)\s*(?P<ext>\S+))?$",
                        re.IGNORECASE)
SCHEDULE_LINE = re.compile(r"^(?P<byday>[A-Za-z,]+)\s+(?P<opens>\d{1,2}:\d\d)\s*-\s*(?P<closes>\d{1,2}:\d\d)$")
ID_TAKEN = N_("This id is already used by another resource.")
GENERAL = "form"


class FormError(Exception):
    """The form was refused; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def to_form(record: ServiceRecord) -> dict[str, str]:
    """The form's values for an existing resource."""
    values = {
        "id": record.id, "organization": record.organization, "name": record.name,
        "main_need": record.needs[0], "other_needs": record.needs[1:], "url": record.url or "",
        "email": record.email or "", "status": record.status,
        "phones": "\n".join(f"{p.type}: {p.number}" + (f" ext {p.extension}" if p.extension else "")
                            for p in record.phones),
        "schedules": "\n".join(f"{s.byday} {s.opens_at}-{s.closes_at}" for s in record.schedules),
        "languages": ", ".join(record.languages),
        "min_age": "" if record.min_age is None else str(record.min_age),
        "max_age": "" if record.max_age is None else str(record.max_age),
        "free": {True: "yes", False: "no", None: ""}[record.free], "priority": str(record.priority),
        "service_areas": "\n".join(record.service_areas), "locations": ", ".join(record.locations),
        "source": record.source, "verified_on": record.verified_on.isoformat(),
    }
    for language in FORM_LANGUAGES:
        for field in TEXT_FIELDS:
            text = record.texts.get(language, {}).get(field)
            values[f"text_{language}_{field}"] = text.text if text else ""
    return values


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace("\r", "").split("\n") if line.strip()]


def _items(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,;\s]+", value) if item.strip()]


def _phones(value: str) -> list[dict]:
    phones = []
    for line in _lines(value):
        match = PHONE_LINE.match(line)
        phones.append({"type": (match["type"] or "voice").lower(), "number": match["number"].strip(),
                       "extension": match["ext"]})
    return phones


def _schedules(value: str, errors: dict[str, str]) -> list[dict]:
    schedules = []
    for line in _lines(value):
        match = SCHEDULE_LINE.match(line)
        if not match:
            errors["schedules"] = f"{line!r}: write days and hours like MO,TU,WE 08:30-17:00"
            continue
        schedules.append({"byday": match["byday"].upper(), "opens_at": match["opens"].zfill(5),
                          "closes_at": match["closes"].zfill(5)})
    return schedules


def _texts(form: Mapping[str, str], before: dict[str, dict[str, TextRecord]]) -> dict:
    """The texts in every language; a French or English text changed on the form becomes curated."""
    texts = {lang: {field: text.model_dump() for field, text in fields.items()} for lang, fields in before.items()}
    for language in FORM_LANGUAGES:
        for field in TEXT_FIELDS:
            # Browsers send line breaks in text areas as CRLF.
            typed = form.get(f"text_{language}_{field}", "").replace("\r\n", "\n").strip()
            old = before.get(language, {}).get(field)
            if typed and (old is None or old.text != typed):
                texts.setdefault(language, {})[field] = {"text": typed, "status": "curated"}
    return texts


def from_form(form: Mapping[str, object], before: ServiceRecord | None) -> tuple[dict, dict | None]:
    """The raw service record (and a new organization, if asked for) the form describes."""
    text = {key: value if isinstance(value, str) else "" for key, value in form.items()}
    errors: dict[str, str] = {}
    other_needs = [n for n in form.get("other_needs", []) if isinstance(n, str)] if isinstance(
        form.get("other_needs"), list) else []
    main_need = text.get("main_need", "")
    raw = {
        "id": before.id if before else text.get("id", "").strip(),
        "organization": text.get("organization", ""),
        "name": text.get("name", ""),
        "needs": [main_need, *[n for n in other_needs if n != main_need]] if main_need else other_needs,
        "url": text.get("url"), "email": text.get("email"),
        "status": text.get("status") or "active",
        "phones": _phones(text.get("phones", "")),
        "schedules": _schedules(text.get("schedules", ""), errors),
        "languages": _items(text.get("languages", "")),
        "min_age": text.get("min_age"), "max_age": text.get("max_age"),
        "free": {"yes": True, "no": False}.get(text.get("free", "")),
        "priority": text.get("priority") or 50,
        "service_areas": _lines(text.get("service_areas", "")),
        "locations": _items(text.get("locations", "")),
        "source": text.get("source", ""), "verified_on": text.get("verified_on", ""),
        "texts": _texts(text, before.texts if before else {}),
    }
    organization = None
    if raw["organization"] == NEW_ORGANIZATION:
        raw["organization"] = text.get("new_org_id", "").strip()
        organization = {"id": raw["organization"], "name": text.get("new_org_name", ""),
                        "url": text.get("new_org_url"), "source": raw["source"], "verified_on": raw["verified_on"]}
    if errors:
        raise FormError(errors)
    return raw, organization


def _errors(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = error["loc"]
        field = f"{prefix}{loc[0]}" if loc else GENERAL
        detail = ".".join(str(part) for part in loc[1:])
        message = str(error["msg"]).removeprefix("Value error, ")
        errors.setdefault(field, f"{detail}: {message}" if detail else message)
    return errors


def save(session: Session, form: Mapping[str, object], actor: str, service_id: str | None = None
         ) -> tuple[ServiceRecord, ApplyReport]:
    """Validate the form like an import and apply it; raises FormError with per-field messages."""
    current = read_bundle(session)
    services = {s.id: s for s in current.services}
    organizations = {o.id: o for o in current.organizations}
    before = services.get(service_id) if service_id else None
    raw, new_org = from_form(form, before)
    if before is None and raw["id"] in services:
        raise FormError({"id": ID_TAKEN})
    errors: dict[str, str] = {}
    try:
        record = ServiceRecord.model_validate(raw)
    except ValidationError as exc:
        errors.update(_errors(exc))
    org = None
    if new_org is not None:
        try:
            org = OrganizationRecord.model_validate(new_org)
        except ValidationError as exc:
            errors.update(_errors(exc, prefix="new_org_"))
    if errors:
        raise FormError(errors)
    org = org or organizations.get(record.organization)
    try:
        bundle = Bundle(organizations=[org] if org else [], services=[record])
    except ValueError as exc:
        raise FormError({"organization" if org is None else "locations": _bundle_message(exc)}) from exc
    return record, apply_bundle(session, bundle, actor)


def _bundle_message(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in errors())
    return str(exc)


def change(session: Session, service_id: str, actor: str, **changes: object) -> ServiceRecord | None:
    """Apply a few field changes (status, verified_on) to one resource, audited; None if unknown."""
    current = read_bundle(session)
    record = next((s for s in current.services if s.id == service_id), None)
    if record is None:
        return None
    updated = ServiceRecord.model_validate({**record.model_dump(), **changes})
    org = next(o for o in current.organizations if o.id == record.organization)
    apply_bundle(session, Bundle(organizations=[org], services=[updated]), actor)
    return updated


def mark_verified(session: Session, service_id: str, actor: str, today: dt.date | None = None) -> ServiceRecord | None:
    """Record that staff checked the resource's facts today."""
    return change(session, service_id, actor, verified_on=today or dt.date.today())
