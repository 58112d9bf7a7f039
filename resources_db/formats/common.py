"""Validation shared by every reader: raw records in, a consistent Bundle out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from resources_db.schema import Bundle, OrganizationRecord, ServiceRecord
from resources_db.validation import ContentError, Problem, validate_records

Locate = Callable[[object, tuple[object, ...]], str]


def build_bundle(
    file: str | Path,
    organizations: Iterable[tuple[object, object]],
    services: Iterable[tuple[object, object]],
    locate_organization: Locate,
    locate_service: Locate,
    problems: list[Problem] | None = None,
) -> Bundle:
    """Validate every record, then the whole; raise one ContentError listing all problems."""
    orgs, org_problems = validate_records(OrganizationRecord, organizations, locate_organization, file)
    servs, service_problems = validate_records(ServiceRecord, services, locate_service, file)
    all_problems = (problems or []) + org_problems + service_problems
    if all_problems:
        raise ContentError(all_problems)
    try:
        return Bundle(organizations=orgs, services=servs)
    except ValueError as exc:
        raise ContentError.single(file, "file", _first_line(exc)) from exc


def _first_line(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in errors())
    return str(exc)
