"""Import and export in every format: round trips, idempotence, all-or-nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from resources_db import store
from resources_db.database import transaction
from resources_db.formats import read_any, write_any
from resources_db.models import AuditLog, Phone, Service, Translation
from resources_db.store import apply_bundle, read_bundle
from resources_db.validation import ContentError

MINI_SEED = Path(__file__).parent / "data" / "mini_seed"
SUFFIX = {"yaml": "yml", "csv": "csv", "hsds-json": "json"}


def load(engine, path: Path, actor: str = "test") -> store.ApplyReport:
    bundle = read_any(path)
    with transaction(engine) as session:
        return apply_bundle(session, bundle, actor)


def export(engine, path: Path, fmt: str) -> str:
    with transaction(engine) as session:
        write_any(read_bundle(session), path, fmt)
    return path.read_text(encoding="utf-8")


def count(engine, model) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("fmt", ["yaml", "csv", "hsds-json"])
def test_export_import_into_empty_database_gives_identical_export(engine, tmp_path, fmt):
    from resources_db.database import make_engine, upgrade

    load(engine, MINI_SEED)
    first = export(engine, tmp_path / f"first.{SUFFIX[fmt]}", fmt)
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(empty)
    load(empty, tmp_path / f"first.{SUFFIX[fmt]}")
    second = export(empty, tmp_path / f"second.{SUFFIX[fmt]}", fmt)
    assert first == second
    assert "1-800-668-6868" in first


def test_importing_the_same_file_twice_changes_nothing(engine):
    first = load(engine, MINI_SEED)
    audit_rows = count(engine, AuditLog)
    second = load(engine, MINI_SEED)
    assert first.created == 4 and first.texts_changed == 12
    assert not second.changed
    assert count(engine, AuditLog) == audit_rows


def test_an_edit_is_applied_and_audited_with_old_and_new_values(engine, tmp_path):
    load(engine, MINI_SEED)
    edited = tmp_path / "seed"
    shutil.copytree(MINI_SEED, edited)
    fr = edited / "i18n" / "fr.yml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("jour et nuit", "24 heures sur 24"), encoding="utf-8")
    report = load(engine, edited, actor="staff:marie")
    assert report.texts_changed == 1 and report.created == 0
    with transaction(engine) as session:
        entry = session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
        assert entry.actor == "staff:marie"
        assert entry.field == "description:fr"
        assert "jour et nuit" in entry.old_value and "24 heures sur 24" in entry.new_value


def test_an_import_that_fails_midway_leaves_the_database_unchanged(engine, monkeypatch, tmp_path):
    load(engine, MINI_SEED)
    before = export(engine, tmp_path / "before.yml", "yaml")
    changed = tmp_path / "seed"
    shutil.copytree(MINI_SEED, changed)
    facts = changed / "resources.yml"
    text = facts.read_text(encoding="utf-8").replace('"211"', '"2-1-1"')
    facts.write_text(text.replace("languages: [fr, en]", "languages: [fr, en, es]"), encoding="utf-8")
    en = changed / "i18n" / "en.yml"
    en.write_text(en.read_text(encoding="utf-8").replace("day and night", "at any hour"), encoding="utf-8")

    real_write = store._write_service
    calls = []

    def write_then_fail(session, record):
        calls.append(record.id)
        real_write(session, record)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_write_service", write_then_fail)
    with pytest.raises(RuntimeError):
        load(engine, changed)
    assert export(engine, tmp_path / "after.yml", "yaml") == before


def test_malformed_csv_row_is_reported_with_its_line_and_nothing_is_written(engine, tmp_path):
    load(engine, MINI_SEED)
    path = tmp_path / "export.csv"
    export(engine, path, "csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("food_aid;housing", "food_aid;free_money")
    lines.append("new-service,two-one-one,211 Grand Montréal,,,https://www.211qc.ca/,2026-11-23,,New,food_aid,,,active,voice:not a phone,,,,,,,,,https://www.211qc.ca/,2026-11-23")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    services_before = count(engine, Service)
    with pytest.raises(ContentError) as error:
        read_any(path)
    message = str(error.value)
    assert "export.csv: line 3" in message and "free_money" in message
    assert "line 4" in message and "not a phone" in message
    assert count(engine, Service) == services_before


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text("format: familybot-resources\nservices:\n  - id: x\n    needs: [food_aid\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_any(path)
    assert "broken.yml: line" in str(error.value) and "not valid YAML" in str(error.value)


def test_hsds_json_that_is_not_json_is_rejected_clearly(tmp_path):
    path = tmp_path / "data.json"
    path.write_text('[{"id": "x",', encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_any(path)
    assert "data.json: line 1: not valid JSON" in str(error.value)


def test_hsds_json_uses_hsds_names(engine, tmp_path):
    import json

    load(engine, MINI_SEED)
    export(engine, tmp_path / "hsds.json", "hsds-json")
    organizations = json.loads((tmp_path / "hsds.json").read_text(encoding="utf-8"))
    service = next(s for o in organizations for s in o["services"] if s["id"] == "kids-help-phone-line")
    assert service["description"].startswith("Free help for young people")
    assert {"number": "686868", "extension": None, "type": "text"} in service["phones"]
    assert service["schedules"][0]["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert service["x-familybot"]["needs"] == ["mental_health", "crisis"]
    assert service["x-familybot"]["texts"]["fr"]["name"]["status"] == "curated"


def test_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "resources.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(ContentError, match="unknown format"):
        read_any(path)


def test_phone_and_translation_rows_are_stored(engine):
    load(engine, MINI_SEED)
    assert count(engine, Phone) == 3
    assert count(engine, Translation) == 12
