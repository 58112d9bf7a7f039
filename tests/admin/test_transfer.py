"""Import and export from the page: the command line's formats, validation and all-or-nothing."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from resources_db.database import transaction
from resources_db.models import AuditLog, Phone, Translation
from tests.admin.conftest import bot_answer, csrf_token

FOOD_BANK = "banques-alimentaires-quebec-network"


def _import(client, filename: str, data: bytes):
    token = csrf_token(client.get("/admin/transfer").text)
    return client.post("/admin/transfer/import", data={"csrf_token": token},
                       files={"file": (filename, data, "application/octet-stream")})


@pytest.mark.parametrize(("fmt", "filename"), [("yaml", "r.yml"), ("csv", "r.csv"), ("hsds-json", "r.json")])
def test_an_export_imports_back_without_changing_anything(client_as, fmt, filename, seeded_engine):
    client = client_as("editor")
    exported = client.get("/admin/transfer/export", params={"format": fmt})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    assert FOOD_BANK.encode() in exported.content
    page = _import(client, filename, exported.content)
    assert page.status_code == 200 and "Nothing to change" in page.text


def _csv_rows(client) -> tuple[list[str], list[dict]]:
    text = client.get("/admin/transfer/export", params={"format": "csv"}).text
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames), list(reader)


def _csv_bytes(fieldnames: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_spreadsheet_edit_reaches_the_bot(client_as, admin_dialogue):
    client = client_as("editor")
    fieldnames, rows = _csv_rows(client)
    row = next(r for r in rows if r["service_id"] == FOOD_BANK)
    row["description:es"] = "Bancos de alimentos: comida gratis para su familia cada semana."
    page = _import(client, "resources.csv", _csv_bytes(fieldnames, rows))
    assert "0 created, 0 updated, 1 texts changed" in page.text
    assert "comida gratis para su familia cada semana" in bot_answer(admin_dialogue, "food_aid", "es")


def test_a_file_with_problems_changes_nothing_and_shows_each_problem_beside_its_record(client_as, seeded_engine):
    client = client_as("editor")
    fieldnames, rows = _csv_rows(client)
    with transaction(seeded_engine) as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditLog))
    rows[0]["description:es"] = "Este cambio válido no debe aplicarse."
    rows[1]["phones"] = "voice:call-me-maybe!"
    rows[3]["needs"] = "food_aid;free_money"
    page = _import(client, "resources.csv", _csv_bytes(fieldnames, rows))
    assert page.status_code == 400 and "Nothing was imported" in page.text
    assert "line 3" in page.text and "is not a phone number" in page.text
    assert "line 5" in page.text and "free_money" in page.text
    assert f"<code>{rows[1]['service_id']}," in page.text  # the offending row itself
    with transaction(seeded_engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditLog)) == audit_before
        assert session.scalar(select(func.count()).select_from(Translation)
                              .where(Translation.text == "Este cambio válido no debe aplicarse.")) == 0
        assert session.scalar(select(func.count()).select_from(Phone)
                              .where(Phone.number == "call-me-maybe!")) == 0


def test_malformed_files_get_a_clear_answer(client_as):
    client = client_as("editor")
    broken_yaml = _import(client, "resources.yml", b"format: familybot-resources\nservices: [\n  - id: x\n")
    assert broken_yaml.status_code == 400 and "not valid YAML" in broken_yaml.text
    not_utf8 = _import(client, "resources.csv", b"service_id,organization_id,needs\n\xff\xfe,x,y\n")
    assert not_utf8.status_code == 400 and "not UTF-8" in not_utf8.text
    wrong_kind = _import(client, "resources.xlsx", b"PK\x03\x04")
    assert wrong_kind.status_code == 400 and "unknown format" in wrong_kind.text
    bad_json = _import(client, "resources.json", b'{"not": "a list"}')
    assert bad_json.status_code == 400 and "expected a JSON array" in bad_json.text
