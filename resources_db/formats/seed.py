"""The human-edited seed folder: `resources.yml` (facts) and `i18n/<lang>.yml` (texts).

Facts and texts are kept apart so a translator edits one language file without
touching phone numbers, and a fact is written once for every language.
"""

from __future__ import annotations

from pathlib import Path

from resources_db.formats.common import build_bundle
from resources_db.schema import TEXT_FIELDS, Bundle
from resources_db.validation import ContentError, LineIndex, Problem, line_locator, line_of, load_yaml

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
ALL_WEEK = "MO,TU,WE,TH,FR,SA,SU"


def read(folder: Path = SEED_DIR) -> Bundle:
    """Read and validate a seed folder into a Bundle."""
    facts_path = folder / "resources.yml"
    facts, lines = load_yaml(facts_path)
    if not isinstance(facts, dict):
        raise ContentError.single(facts_path, "line 1", "expected 'organizations:' and 'services:'")
    texts, problems = _read_texts(folder / "i18n")

    raw_services = [
        _service_fields(raw, texts) if isinstance(raw, dict) else raw
        for raw in _list(facts, "services")
    ]
    known = {r.get("id") for r in raw_services if isinstance(r, dict)}
    for language, entries in texts.items():
        for service_id in entries:
            if service_id not in known:
                problems.append(
                    Problem(str(folder / "i18n" / f"{language}.yml"), f"service {service_id!r}",
                            "no service with this id in resources.yml")
                )
    return build_bundle(
        facts_path,
        enumerate(_list(facts, "organizations")),
        enumerate(raw_services),
        line_locator(lines, "organizations"),
        line_locator(lines, "services"),
        problems,
    )


def _list(facts: dict, key: str) -> list:
    value = facts.get(key) or []
    return value if isinstance(value, list) else []


def _service_fields(raw: dict, texts: dict[str, dict[str, dict]]) -> dict:
    """Map the seed's friendly shorthand onto ServiceRecord fields."""
    record = dict(raw)
    if record.pop("open_24_7", False):
        record["schedules"] = [{"byday": ALL_WEEK, "opens_at": "00:00", "closes_at": "23:59"}]
    area = record.pop("service_area", None)
    if area:
        record["service_areas"] = [area]
    service_texts = {
        lang: {field: {"text": text} for field, text in entries[record.get("id")].items()}
        for lang, entries in texts.items()
        if record.get("id") in entries
    }
    record["texts"] = service_texts
    if not record.get("name"):
        record["name"] = _official_name(service_texts)
    return record


def _official_name(texts: dict[str, dict[str, dict]]) -> str:
    """Without an explicit `name`, the official name is the French one minus its gloss."""
    french = texts.get("fr", {}).get("name", {}).get("text", "")
    return french.split(" (")[0].strip()


def _read_texts(folder: Path) -> tuple[dict[str, dict[str, dict]], list[Problem]]:
    texts: dict[str, dict[str, dict]] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yml")):
        data, lines = load_yaml(path)
        language = path.stem
        if not isinstance(data, dict) or data.get("language") != language:
            problems.append(Problem(str(path), "line 1", f"must start with 'language: {language}'"))
            continue
        entries = data.get("services") or {}
        if not isinstance(entries, dict):
            problems.append(Problem(str(path), _line(lines, ("services",)), "'services' must map ids to texts"))
            continue
        texts[language] = {}
        for service_id, fields in entries.items():
            where = _line(lines, ("services", service_id))
            if not isinstance(fields, dict):
                problems.append(Problem(str(path), where, f"service {service_id!r}: expected {', '.join(TEXT_FIELDS)}"))
                continue
            for field, text in fields.items():
                where = _line(lines, ("services", service_id, field))
                if field not in TEXT_FIELDS:
                    problems.append(Problem(str(path), where, f"{service_id}: unknown field {field!r}, use {', '.join(TEXT_FIELDS)}"))
                elif not isinstance(text, str) or not text.strip():
                    problems.append(Problem(str(path), where, f"{service_id}.{field}: must be a non-empty text"))
            texts[language][service_id] = {f: t.strip() for f, t in fields.items() if f in TEXT_FIELDS and isinstance(t, str) and t.strip()}
    return texts, problems


def _line(lines: LineIndex, path: tuple[object, ...]) -> str:
    return f"line {line_of(lines, path)}"
