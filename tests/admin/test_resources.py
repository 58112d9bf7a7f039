"""Resource pages: staff find, edit, create, archive and verify what families are told."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from resources_db.database import transaction
from resources_db.models import AuditLog, Service, Translation
from tests.admin.conftest import bot_answer, csrf_token
from tests.admin.forms import read_form

FOOD_BANK = "banques-alimentaires-quebec-network"


def _edit(client, service_id: str, **changes):
    page = client.get(f"/admin/resources/{service_id}")
    form = read_form(page.text, f"/admin/resources/{service_id}")
    form.update(changes)
    return client.post(f"/admin/resources/{service_id}", data=form)


def _spanish_text(engine, service_id: str, field: str) -> Translation:
    with transaction(engine) as session:
        return session.scalar(select(Translation).where(
            Translation.entity_id == service_id, Translation.language == "es", Translation.field == field))


def test_the_list_searches_texts_in_every_language_and_filters_by_need(client_as, seeded_engine):
    client = client_as("editor")
    page = client.get("/admin/resources", params={"q": "alloprof"})
    assert "alloprof-homework-help" in page.text and FOOD_BANK not in page.text
    page = client.get("/admin/resources", params={"need": "food_aid"})
    assert FOOD_BANK in page.text and "alloprof-homework-help" not in page.text
    spanish_word = _spanish_text(seeded_engine, FOOD_BANK, "description").text.split()[-1].strip(".")
    assert FOOD_BANK in client.get("/admin/resources", params={"q": spanish_word}).text
    assert "<caption>Resources found: 0</caption>" in client.get("/admin/resources", params={"q": "%"}).text


def test_stale_and_missing_language_filters(client_as, seeded_engine):
    client = client_as("editor")
    with transaction(seeded_engine) as session:
        session.get(Service, FOOD_BANK).verified_on = dt.date.today() - dt.timedelta(days=200)
        session.execute(delete(Translation).where(Translation.entity_id == "alloprof-homework-help",
                                                  Translation.language == "vi", Translation.field == "how_to_get"))
    stale = client.get("/admin/resources", params={"stale": "yes"})
    assert FOOD_BANK in stale.text and "<caption>Resources found: 1</caption>" in stale.text and "stale" in stale.text
    home = client.get("/admin/")
    assert "<strong>1</strong> active resources not verified for 6 months or more" in home.text
    missing = client.get("/admin/resources", params={"missing": "vi"})
    assert "alloprof-homework-help" in missing.text and "<caption>Resources found: 1</caption>" in missing.text
    assert "missing: vi" in missing.text


def test_an_edit_reaches_the_next_answer_and_the_audit_log(client_as, admin_dialogue, seeded_engine):
    client = client_as("editor")
    new_text = "Banques alimentaires près de chez vous : appelez le 211 pour l'adresse la plus proche."
    response = _edit(client, FOOD_BANK, text_fr_description=new_text, priority="1")
    assert response.status_code == 200 and "Saved" in response.text
    assert new_text in bot_answer(admin_dialogue, "food_aid", "fr")
    with transaction(seeded_engine) as session:
        fields = {(a.actor, a.field) for a in session.scalars(select(AuditLog).where(AuditLog.entity_id == FOOD_BANK))}
    assert ("staff:editor@school.example.org", "description:fr") in fields
    assert ("staff:editor@school.example.org", "priority") in fields
    # The same form sent again changes nothing.
    assert "Nothing changed" in _edit(client, FOOD_BANK).text


def test_invalid_fields_are_refused_with_the_reason_beside_them(client_as, seeded_engine):
    client = client_as("editor")
    response = _edit(client, FOOD_BANK, phones="voice: call us maybe", min_age="12", max_age="5",
                     schedules="mondays all day", main_need="")
    assert response.status_code == 400
    assert "Not saved" in response.text
    assert 'id="schedules-error"' in response.text and "MO,TU,WE 08:30-17:00" in response.text
    response = _edit(client, FOOD_BANK, phones="voice: call us maybe", main_need="")
    assert 'id="phones-error"' in response.text and "is not a phone number" in response.text
    assert 'id="needs-error"' in response.text
    # What was typed is kept in the form, and nothing was written.
    assert "call us maybe" in response.text
    with transaction(seeded_engine) as session:
        assert [p.number for p in session.get(Service, FOOD_BANK).phones] != ["call us maybe"]


def test_archive_hides_a_resource_from_families_and_restore_brings_it_back(client_as, admin_dialogue):
    client = client_as("editor")
    name = "Banques alimentaires du Québec"
    assert name in bot_answer(admin_dialogue, "food_aid", "fr", user="a")
    token = csrf_token(client.get(f"/admin/resources/{FOOD_BANK}").text)
    assert "Archived" in client.post(f"/admin/resources/{FOOD_BANK}/archive", data={"csrf_token": token}).text
    assert name not in bot_answer(admin_dialogue, "food_aid", "fr", user="b")
    assert FOOD_BANK not in client.get("/admin/resources").text
    assert FOOD_BANK in client.get("/admin/resources", params={"status": "archived"}).text
    client.post(f"/admin/resources/{FOOD_BANK}/restore", data={"csrf_token": token})
    assert name in bot_answer(admin_dialogue, "food_aid", "fr", user="c")


def test_mark_verified_today(client_as, seeded_engine):
    with transaction(seeded_engine) as session:
        session.get(Service, FOOD_BANK).verified_on = dt.date(2020, 1, 1)
    client = client_as("editor")
    token = csrf_token(client.get(f"/admin/resources/{FOOD_BANK}").text)
    page = client.post(f"/admin/resources/{FOOD_BANK}/verify", data={"csrf_token": token})
    assert "Marked as verified today" in page.text
    with transaction(seeded_engine) as session:
        assert session.get(Service, FOOD_BANK).verified_on == dt.date.today()
        entry = session.scalar(select(AuditLog).where(AuditLog.entity_id == FOOD_BANK, AuditLog.field == "verified_on"))
    assert entry.old_value == "2020-01-01" and entry.actor == "staff:editor@school.example.org"


def test_a_new_resource_with_a_new_organization_is_answered_at_once(client_as, admin_dialogue):
    client = client_as("editor")
    form = read_form(client.get("/admin/resources/new").text, "/admin/resources/new")
    form.update({
        "id": "frigo-partage-villeray", "name": "Frigo partagé Villeray", "organization": "__new__",
        "new_org_id": "frigo-villeray", "new_org_name": "Frigo Villeray", "main_need": "food_aid",
        "phones": "voice: 514-555-0199", "schedules": "MO,TU,WE,TH,FR 9:00-17:00", "priority": "1",
        "source": "https://example.org/frigo", "free": "yes",
        "text_fr_name": "Frigo partagé Villeray", "text_fr_description": "Un frigo où prendre de la nourriture gratuite.",
        "text_fr_how_to_get": "Passez au 123 rue Exemple, du lundi au vendredi.",
    })
    response = client.post("/admin/resources/new", data=form)
    assert response.status_code == 200 and response.url.path == "/admin/resources/frigo-partage-villeray"
    assert "Un frigo où prendre de la nourriture gratuite." in bot_answer(admin_dialogue, "food_aid", "fr")
    again = client.post("/admin/resources/new", data=form)
    assert again.status_code == 400 and "already used" in again.text
