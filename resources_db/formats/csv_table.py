"""A spreadsheet view: one row per service, its organization's facts repeated.

Lists are `;`-separated; phones are `type:number` (e.g. `text:686868`); schedules are
`MO,TU,WE:08:00-17:00`; organization locations are `id|name|address|city|postal code`.
Family-facing texts are columns `<field>:<lang>` with a `<field>:<lang>:status` beside.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from resources_db.formats.common import build_bundle
from resources_db.schema import TEXT_FIELDS, Bundle
from resources_db.validation import ContentError, Problem

FACT_COLUMNS = [
    "service_id", "organization_id", "organization_name", "organization_url",
    "organization_email", "organization_source", "organization_verified_on",
    "organization_locations", "service_name", "needs", "url", "email", "status", "phones",
    "schedules", "languages", "min_age", "max_age", "free", "priority", "service_areas", "locations",
    "source", "verified_on",
]
TEXT_COLUMN = re.compile(r"^(?P<field>[a-z_]+):(?P<lang>[a-z]{2,3}(-[A-Za-z]{2,4})?)(?P<status>:status)?$")
SCHEDULE = re.compile(r"^(?P<byday>[A-Z,]+):(?P<opens>\d\d:\d\d)-(?P<closes>\d\d:\d\d)$")


def write(bundle: Bundle, path: Path) -> None:
    """Write one row per service, sorted by id."""
    organizations = {o.id: o for o in bundle.organizations}
    languages = sorted({lang for s in bundle.services for lang in s.texts})
    text_columns = [
        column
        for lang in languages
        for field in TEXT_FIELDS
        for column in (f"{field}:{lang}", f"{field}:{lang}:status")
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FACT_COLUMNS + text_columns)
        writer.writeheader()
        for service in sorted(bundle.services, key=lambda s: s.id):
            org = organizations[service.organization]
            row = {
                "service_id": service.id,
                "organization_id": org.id,
                "organization_name": org.name,
                "organization_url": org.url or "",
                "organization_email": org.email or "",
                "organization_source": org.source,
                "organization_verified_on": org.verified_on.isoformat(),
                "organization_locations": ";".join(
                    "|".join([loc.id, loc.name or "", *(_address(loc))]) for loc in org.locations
                ),
                "service_name": service.name,
                "needs": ";".join(service.needs),
                "url": service.url or "",
                "email": service.email or "",
                "status": service.status,
                "phones": ";".join(f"{p.type}:{p.number}" for p in service.phones),
                "schedules": ";".join(
                    f"{s.byday}:{s.opens_at}-{s.closes_at}" for s in service.schedules
                ),
                "languages": ";".join(service.languages),
                "min_age": "" if service.min_age is None else service.min_age,
                "max_age": "" if service.max_age is None else service.max_age,
                "free": "" if service.free is None else str(service.free).lower(),
                "priority": service.priority,
                "service_areas": ";".join(service.service_areas),
                "locations": ";".join(service.locations),
                "source": service.source,
                "verified_on": service.verified_on.isoformat(),
            }
            for lang, fields in service.texts.items():
                for field, text in fields.items():
                    row[f"{field}:{lang}"] = text.text
                    row[f"{field}:{lang}:status"] = text.status
            writer.writerow(row)


def _address(location) -> list[str]:
    address = location.address
    return [address.address_1, address.city, address.postal_code or ""] if address else ["", "", ""]


def read(path: Path) -> Bundle:
    """Read the spreadsheet; errors name the row (line) and column."""
    try:
        text = path.read_bytes().decode("utf-8-sig")  # as written: a \r inside a cell stays a \r
    except UnicodeDecodeError as exc:
        raise ContentError.single(path, f"byte {exc.start}", "the file is not UTF-8 text") from exc
    # Not splitlines(): a quoted cell may hold line breaks, and \u2028 or \x1c are not row ends.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ("service_id", "organization_id", "needs") if c not in (reader.fieldnames or [])]
    if missing:
        raise ContentError.single(path, "line 1", f"missing column(s): {', '.join(missing)}")
    organizations: dict[str, tuple[int, dict]] = {}
    services: list[tuple[int, dict]] = []
    problems: list[Problem] = []
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                problems.append(Problem(str(path), f"line {line}", "more cells than header columns"))
                continue
            try:
                org, service = _row_records(row)
            except ValueError as exc:
                problems.append(Problem(str(path), f"line {line}", str(exc)))
                continue
            previous = organizations.get(org["id"])
            if previous and previous[1] != org:
                problems.append(Problem(str(path), f"line {line}",
                    f"organization {org['id']!r} differs from line {previous[0]}"))
            organizations.setdefault(org["id"], (line, org))
            services.append((line, service))
    except csv.Error as exc:
        raise ContentError.single(path, f"line {reader.line_num}", f"not valid CSV: {exc}") from exc

    def at_line(line: object, loc: tuple[object, ...]) -> str:
        column = f", column {loc[0]}" if loc else ""
        return f"line {line}{column}"

    return build_bundle(path, organizations.values(), services, at_line, at_line, problems)


def _split(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(";") if item.strip()]


def _row_records(row: dict[str, str]) -> tuple[dict, dict]:
    org = {
        "id": row.get("organization_id", ""),
        "name": row.get("organization_name", ""),
        "url": row.get("organization_url"),
        "email": row.get("organization_email"),
        "source": row.get("organization_source", ""),
        "verified_on": row.get("organization_verified_on", ""),
        "locations": [_location(item) for item in _split(row.get("organization_locations"))],
    }
    service = {
        "id": row.get("service_id", ""),
        "organization": row.get("organization_id", ""),
        "name": row.get("service_name", ""),
        "needs": _split(row.get("needs")),
        "url": row.get("url"),
        "email": row.get("email"),
        "status": row.get("status") or "active",
        "phones": [_phone(item) for item in _split(row.get("phones"))],
        "schedules": [_schedule(item) for item in _split(row.get("schedules"))],
        "languages": _split(row.get("languages")),
        "min_age": row.get("min_age"),
        "max_age": row.get("max_age"),
        "free": {"true": True, "false": False}.get((row.get("free") or "").strip().lower()),
        "priority": row.get("priority") or 50,
        "service_areas": _split(row.get("service_areas")),
        "locations": _split(row.get("locations")),
        "source": row.get("source", ""),
        "verified_on": row.get("verified_on", ""),
        "texts": _texts(row),
    }
    return org, service


def _texts(row: dict[str, str]) -> dict[str, dict[str, dict]]:
    texts: dict[str, dict[str, dict]] = {}
    for column, value in row.items():
        match = TEXT_COLUMN.match(column or "")
        if not match or match["status"] or not (value or "").strip():
            continue
        status = row.get(f"{column}:status") or "curated"
        texts.setdefault(match["lang"], {})[match["field"]] = {"text": value, "status": status}
    return texts


def _phone(item: str) -> dict:
    kind, _, number = item.partition(":")
    if not number:
        raise ValueError(f"phone {item!r} must look like voice:1-800-000-0000")
    return {"type": kind.strip(), "number": number.strip()}


def _schedule(item: str) -> dict:
    match = SCHEDULE.match(item)
    if not match:
        raise ValueError(f"schedule {item!r} must look like MO,TU:08:00-17:00")
    return {"byday": match["byday"], "opens_at": match["opens"], "closes_at": match["closes"]}


def _location(item: str) -> dict:
    parts = item.split("|")
    if len(parts) != 5:
        raise ValueError(f"location {item!r} must be id|name|address|city|postal code")
    location_id, name, address_1, city, postal_code = (p.strip() for p in parts)
    location: dict = {"id": location_id, "name": name or None}
    if address_1:
        location["address"] = {"address_1": address_1, "city": city, "postal_code": postal_code or None}
    return location
