"""Open Referral HSDS 3 JSON: an array of organizations with their services nested.

Fields HSDS has are written under their HSDS names (the service's `description` and
`application_process` in English, for other HSDS tools). What HSDS lacks goes under
`x-familybot`: our needs, whether the service is free, `source`, `verified_on`, and the
family-facing texts in every language.
"""

from __future__ import annotations

import json
from pathlib import Path

from resources_db.formats.common import build_bundle
from resources_db.schema import Bundle, OrganizationRecord, ServiceRecord
from resources_db.validation import ContentError, Problem

EXTENSION = "x-familybot"
#: The language whose texts fill HSDS's own description fields.
HSDS_LANGUAGE = "en"


def write(bundle: Bundle, path: Path) -> None:
    """Write the bundle as HSDS 3 organizations, sorted by id."""
    services_by_org: dict[str, list[ServiceRecord]] = {}
    for service in sorted(bundle.services, key=lambda s: s.id):
        services_by_org.setdefault(service.organization, []).append(service)
    document = [
        _organization(org, services_by_org.get(org.id, []))
        for org in sorted(bundle.organizations, key=lambda o: o.id)
    ]
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _organization(org: OrganizationRecord, services: list[ServiceRecord]) -> dict:
    return {
        "id": org.id,
        "name": org.name,
        "description": "",
        "email": org.email,
        "website": org.url,
        "locations": [
            {
                "id": loc.id,
                "location_type": "physical",
                "name": loc.name,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
                "addresses": [
                    {
                        "address_1": loc.address.address_1,
                        "city": loc.address.city,
                        "state_province": loc.address.state_province,
                        "postal_code": loc.address.postal_code,
                        "country": loc.address.country,
                        "address_type": "physical",
                    }
                ]
                if loc.address
                else [],
            }
            for loc in org.locations
        ],
        "services": [_service(service) for service in services],
        EXTENSION: {"source": org.source, "verified_on": org.verified_on.isoformat()},
    }


def _service(service: ServiceRecord) -> dict:
    english = service.texts.get(HSDS_LANGUAGE, {})
    return {
        "id": service.id,
        "organization_id": service.organization,
        "name": service.name,
        "description": english["description"].text if "description" in english else "",
        "application_process": english["how_to_get"].text if "how_to_get" in english else None,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "minimum_age": service.min_age,
        "maximum_age": service.max_age,
        "phones": [
            {"number": p.number, "extension": p.extension, "type": p.type} for p in service.phones
        ],
        "schedules": [
            {"freq": "WEEKLY", "byday": s.byday, "opens_at": s.opens_at, "closes_at": s.closes_at}
            for s in service.schedules
        ],
        "service_areas": [{"name": name} for name in service.service_areas],
        "languages": [{"code": code} for code in service.languages],
        "service_at_locations": [{"location_id": loc} for loc in service.locations],
        EXTENSION: {
            "needs": service.needs,
            "free": service.free,
            "priority": service.priority,
            "source": service.source,
            "verified_on": service.verified_on.isoformat(),
            "texts": {
                lang: {field: text.model_dump() for field, text in sorted(fields.items())}
                for lang, fields in sorted(service.texts.items())
            },
        },
    }


def read(path: Path) -> Bundle:
    """Read HSDS JSON written by us or by another HSDS tool that adds `x-familybot`."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ContentError.single(path, f"byte {exc.start}", "the file is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ContentError.single(path, f"line {exc.lineno}", f"not valid JSON: {exc.msg}") from exc
    if not isinstance(document, list):
        raise ContentError.single(path, "top level", "expected a JSON array of organizations")
    organizations: list[tuple[object, object]] = []
    services: list[tuple[object, object]] = []
    problems: list[Problem] = []
    for index, org in enumerate(document):
        if not isinstance(org, dict):
            problems.append(Problem(str(path), f"organization #{index + 1}", "expected an object"))
            continue
        organizations.append((f"organization #{index + 1}", _org_record(org)))
        for service_index, service in enumerate(org.get("services") or []):
            key = f"organization #{index + 1} service #{service_index + 1}"
            services.append((key, _service_record(service, org.get("id"))
                             if isinstance(service, dict) else service))

    def at_record(key: object, loc: tuple[object, ...]) -> str:
        return f"{key}" + (f" field {'.'.join(map(str, loc))}" if loc else "")

    return build_bundle(path, organizations, services, at_record, at_record, problems)


def _org_record(org: dict) -> dict:
    extension = org.get(EXTENSION) or {}
    return {
        "id": org.get("id"),
        "name": org.get("name"),
        "url": org.get("website"),
        "email": org.get("email"),
        "source": extension.get("source") or org.get("website"),
        "verified_on": extension.get("verified_on"),
        "locations": [
            {
                "id": loc.get("id"),
                "name": loc.get("name"),
                "latitude": loc.get("latitude"),
                "longitude": loc.get("longitude"),
                "address": _address(loc.get("addresses") or []),
            }
            for loc in org.get("locations") or []
            if isinstance(loc, dict)
        ],
    }


def _address(addresses: list) -> dict | None:
    if not addresses or not isinstance(addresses[0], dict):
        return None
    first = addresses[0]
    keys = ("address_1", "city", "state_province", "postal_code", "country")
    return {key: first.get(key) for key in keys if first.get(key) is not None}


def _service_record(service: dict, organization_id: object) -> dict:
    extension = service.get(EXTENSION) or {}
    return {
        "id": service.get("id"),
        "organization": service.get("organization_id") or organization_id,
        "name": service.get("name"),
        "needs": extension.get("needs") or [],
        "url": service.get("url"),
        "email": service.get("email"),
        "status": service.get("status") or "active",
        "phones": [
            {k: p.get(k) for k in ("number", "type", "extension") if p.get(k) is not None}
            for p in service.get("phones") or []
            if isinstance(p, dict)
        ],
        "schedules": [
            {k: s.get(k) for k in ("byday", "opens_at", "closes_at")}
            for s in service.get("schedules") or []
            if isinstance(s, dict)
        ],
        "languages": [lang.get("code") for lang in service.get("languages") or [] if isinstance(lang, dict)],
        "min_age": service.get("minimum_age"),
        "max_age": service.get("maximum_age"),
        "free": extension.get("free"),
        "priority": extension.get("priority") or 50,
        "service_areas": [a.get("name") for a in service.get("service_areas") or [] if isinstance(a, dict)],
        "locations": [
            s.get("location_id") for s in service.get("service_at_locations") or [] if isinstance(s, dict)
        ],
        "source": extension.get("source") or service.get("url"),
        "verified_on": extension.get("verified_on"),
        "texts": extension.get("texts") or {},
    }
