"""Texts side by side in ten languages, and the machine-translation review queue."""

from __future__ import annotations

from sqlalchemy import select

from resources_db.database import transaction
from resources_db.models import AuditLog, Translation, TranslationStatus
from resources_db.store import set_text
from tests.admin.conftest import bot_answer, csrf_token
from tests.admin.forms import read_form
from translations.machine import MachineTranslator

FOOD_BANK = "banques-alimentaires-quebec-network"
MACHINE_SPANISH = "Red de bancos de alimentos del Quebec, traducción automática."


def _row(engine, language: str, field: str = "description", entity_id: str = FOOD_BANK) -> Translation | None:
    with transaction(engine) as session:
        return session.scalar(select(Translation).where(
            Translation.entity_id == entity_id, Translation.language == language, Translation.field == field))


def _machine_spanish(engine) -> int:
    with transaction(engine) as session:
        set_text(session, "service", FOOD_BANK, "description", "es", MACHINE_SPANISH,
                 TranslationStatus.machine, "machine-translation")
    return _row(engine, "es").id


def test_all_ten_languages_side_by_side_with_a_warning_for_a_missing_one(client_as, seeded_engine):
    with transaction(seeded_engine) as session:
        session.delete(session.get(Translation, _row(seeded_engine, "uk", "how_to_get").id))
    page = client_as("editor").get(f"/admin/resources/{FOOD_BANK}/translations")
    assert page.status_code == 200
    for language in ("fr", "en", "es", "ar", "zh", "ht", "fa", "pt", "uk", "vi"):
        assert f'id="lang-{language}"' in page.text
    assert "Missing texts in: uk." in page.text
    assert 'lang="ar" dir="rtl"' in page.text
    assert _row(seeded_engine, "es").text in page.text


def test_an_editor_rewrites_the_spanish_description_and_families_read_it(client_as, admin_dialogue, seeded_engine):
    client = client_as("editor")
    action = f"/admin/resources/{FOOD_BANK}/translations/es"
    form = read_form(client.get(f"/admin/resources/{FOOD_BANK}/translations").text, action)
    form["description"] = "Bancos de alimentos gratuitos en todo Quebec: llame al 211."
    assert "Saved" in client.post(action, data=form).text
    assert "Bancos de alimentos gratuitos en todo Quebec: llame al 211." in bot_answer(admin_dialogue, "food_aid", "es")
    row = _row(seeded_engine, "es")
    assert (row.status, row.updated_by) == (TranslationStatus.curated, "staff:editor@school.example.org")


def test_a_reviewer_corrects_and_approves_a_machine_translation(client_as, admin_dialogue, seeded_engine):
    translation_id = _machine_spanish(seeded_engine)
    assert MACHINE_SPANISH in bot_answer(admin_dialogue, "food_aid", "es", user="before")
    reviewer = client_as("reviewer")
    queue = reviewer.get("/admin/translations")
    assert MACHINE_SPANISH in queue.text
    assert _row(seeded_engine, "fr").text in queue.text  # the French source beside it
    form = read_form(queue.text, f"/admin/translations/{translation_id}/approve")
    form["text"] = "Red de bancos de alimentos de Quebec: comida gratis cerca de usted."
    page = reviewer.post(f"/admin/translations/{translation_id}/approve", data=form)
    assert "Approved" in page.text and MACHINE_SPANISH not in page.text
    assert "comida gratis cerca de usted" in bot_answer(admin_dialogue, "food_aid", "es", user="after")
    assert _row(seeded_engine, "es").status == TranslationStatus.reviewed
    with transaction(seeded_engine) as session:
        entry = session.scalar(select(AuditLog).where(AuditLog.action == "approve"))
    assert (entry.actor, entry.field) == ("staff:reviewer@school.example.org", "description:es")


def test_a_rejected_machine_translation_is_no_longer_shown(client_as, admin_dialogue, seeded_engine):
    translation_id = _machine_spanish(seeded_engine)
    reviewer = client_as("reviewer")
    token = csrf_token(reviewer.get("/admin/translations").text)
    page = reviewer.post(f"/admin/translations/{translation_id}/reject", data={"csrf_token": token})
    assert "Rejected" in page.text
    assert _row(seeded_engine, "es") is None
    answer = bot_answer(admin_dialogue, "food_aid", "es")
    assert MACHINE_SPANISH not in answer and _row(seeded_engine, "en").text in answer
    # The resource's page now warns that Spanish is missing.
    assert "Missing texts in: es." in reviewer.get(f"/admin/resources/{FOOD_BANK}/translations").text


def test_only_reviewers_approve(client_as, seeded_engine):
    translation_id = _machine_spanish(seeded_engine)
    editor = client_as("editor")
    assert editor.get("/admin/translations").status_code == 403
    token = csrf_token(editor.get("/admin/").text)
    response = editor.post(f"/admin/translations/{translation_id}/approve",
                           data={"csrf_token": token, "text": "aprobado por un editor"})
    assert response.status_code == 403
    assert _row(seeded_engine, "es").status == TranslationStatus.machine
    assert client_as("admin").get("/admin/translations").status_code == 200


class FakeProvider:
    def translate(self, text: str, source: str, target: str) -> str:
        return f"[{target}] {text}"


def test_machine_translated_bot_messages_are_reviewed_too(client_as, seeded_engine):
    machine = MachineTranslator(seeded_engine, FakeProvider(), timeout=2)
    assert machine.translate("Here is help for: Food.", target="de") == "[de] Here is help for: Food."
    reviewer = client_as("reviewer")
    queue = reviewer.get("/admin/translations")
    assert "[de] Here is help for: Food." in queue.text and "Source (en):" in queue.text
    with transaction(seeded_engine) as session:
        row = session.scalar(select(Translation).where(Translation.language == "de"))
    form = read_form(queue.text, f"/admin/translations/{row.id}/approve")
    form["text"] = "Hier ist Hilfe für: Essen."
    reviewer.post(f"/admin/translations/{row.id}/approve", data=form)
    # The bot's next German message uses the reviewed wording, without asking the provider.
    assert machine.translate("Here is help for: Food.", target="de") == "Hier ist Hilfe für: Essen."


def test_saving_a_language_leaves_its_untouched_machine_texts_for_review(client_as, seeded_engine):
    _machine_spanish(seeded_engine)
    client = client_as("editor")
    action = f"/admin/resources/{FOOD_BANK}/translations/es"
    form = read_form(client.get(f"/admin/resources/{FOOD_BANK}/translations").text, action)
    form["name"] = "Bancos de alimentos de Quebec (comida gratis)"
    form["description"] = form["description"].replace("\n", "\r\n")  # as browsers send text areas
    client.post(action, data=form)
    assert _row(seeded_engine, "es", "name").status == TranslationStatus.curated
    assert _row(seeded_engine, "es").status == TranslationStatus.machine
