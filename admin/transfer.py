"""Import and export resource files from the admin pages, exactly as `familybot db` does.

The uploaded file goes through `resources_db.formats.read_any` (the command line's
reader and validation) and `resources_db.store.apply_bundle` in one transaction: the
whole file is applied, or nothing. Problems keep the reader's location ("line 12",
"organization #3 service #2"); for line-based files the offending line is shown too.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from resources_db.database import transaction
from resources_db.formats import ExportFormat, read_any, write_any
from resources_db.store import ApplyReport, apply_bundle, read_bundle
from resources_db.validation import ContentError

#: Export formats, their file extension and media type.
FORMATS: dict[str, tuple[str, str]] = {
    "yaml": (".yml", "application/yaml"),
    "csv": (".csv", "text/csv"),
    "hsds-json": (".json", "application/json"),
}
ACCEPTED_SUFFIXES = (".yml", ".yaml", ".csv", ".json")
_LINE = re.compile(r"\bline (\d+)")


@dataclass(frozen=True)
class Problem:
    """One problem of an uploaded file, with the line it points at when there is one."""

    where: str
    reason: str
    source_line: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """What an import did: a report when applied, problems when refused (then nothing changed)."""

    report: ApplyReport | None
    problems: list[Problem]


def export(engine: Engine, fmt: ExportFormat) -> tuple[bytes, str, str]:
    """Everything in the database as a file: its bytes, a file name and a media type."""
    suffix, media_type = FORMATS[fmt]
    with transaction(engine) as session:
        bundle = read_bundle(session)
    with tempfile.TemporaryDirectory(prefix="familybot-export-") as folder:
        path = Path(folder) / f"resources{suffix}"
        write_any(bundle, path, fmt)
        data = path.read_bytes()
    return data, f"familybot-resources-{dt.date.today().isoformat()}{suffix}", media_type


def import_file(engine: Engine, filename: str, data: bytes, actor: str) -> ImportResult:
    """Validate and apply an uploaded file, all or nothing."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        return ImportResult(None, [Problem("file", "unknown format: use .yml, .yaml, .csv or .json")])
    with tempfile.TemporaryDirectory(prefix="familybot-import-") as folder:
        # The staff member's file name is not trusted as a path: only its extension is kept.
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            bundle = read_any(path)
        except ContentError as exc:
            return ImportResult(None, _problems(exc, data))
    with transaction(engine) as session:
        report = apply_bundle(session, bundle, actor)
    return ImportResult(report, [])


def _problems(error: ContentError, data: bytes) -> list[Problem]:
    lines = data.decode("utf-8", errors="replace").splitlines()
    problems = []
    for problem in error.problems:
        match = _LINE.search(problem.where)
        number = int(match.group(1)) if match else 0
        source = lines[number - 1][:300] if 0 < number <= len(lines) else None
        problems.append(Problem(problem.where, problem.reason, source))
    return problems
