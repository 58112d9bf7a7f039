"""Hostile text in every field staff can type: stored exactly as typed, never run as SQL or HTML."""

from __future__ import annotations

from sqlalchemy import func, select

from admin.records import StaffUser
from resources_db.database import transaction
from resources_db.models import Organization, Service, ServiceArea, Translation
from tests.admin.conftest import ENGLISH, csrf_token, sign_in
from tests.admin.forms import read_form

FOOD_BANK = "banques-alimentaires-quebec-network"
PAYLOAD = ("<script>alert('x')</script>\"'><img src=x onerror=alert(1)> "
           "'; DROP TABLE service; -- Robert'); DELETE FROM translation WHERE '1'='1")
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#34;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;"
TEXT_FIELDS = ["name", "source", "service_areas", "new_org_name"] + [
    f"text_{lang}_{field}" for lang in ("fr", "en") for field in ("name", "description", "how_to_get")]


def _assert_escaped(html: str) -> None:
    assert "<script>alert" not in html and "<img src=x" not in html
    assert ESCAPED in html


def test_resource_fields_keep_hostile_text_verbatim_and_pages_escape_it(client_as, seeded_engine):
    client = client_as("editor")
    with transaction(seeded_engine) as session:
        services_before = session.scalar(select(func.count()).select_from(Service))
        texts_before = session.scalar(select(func.count()).select_from(Translation))
    form = read_form(client.get("/admin/resources/new").text, "/admin/resources/new")
    form.update(dict.fromkeys(TEXT_FIELDS, PAYLOAD))
    form.update({"id": "hostile-test", "organization": "__new__", "new_org_id": "hostile-org",
                 "main_need": "food_aid", "priority": "1"})
    page = client.post("/admin/resources/new", data=form)
    assert page.status_code == 200 and page.url.path == "/admin/resources/hostile-test"
    _assert_escaped(page.text)
    with transaction(seeded_engine) as session:
        service = session.get(Service, "hostile-test")
        assert service.name == PAYLOAD and service.source == PAYLOAD
        assert session.get(Organization, "hostile-org").name == PAYLOAD
        assert session.scalar(select(ServiceArea.name).where(ServiceArea.service_id == "hostile-test")) == PAYLOAD
        texts = session.scalars(select(Translation.text).where(Translation.entity_id == "hostile-test")).all()
        assert texts == [PAYLOAD] * 6
        assert session.scalar(select(func.count()).select_from(Service)) == services_before + 1
        assert session.scalar(select(func.count()).select_from(Translation)) == texts_before + 6
    for path in ("/admin/resources?q=Robert", "/admin/resources/hostile-test/translations",
                 "/admin/preview?need=food_aid&language=fr&channel=web"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_escaped(response.text)


def test_hostile_language_codes_are_refused_clearly_and_nothing_is_stored(client_as, seeded_engine):
    """Language codes are codes, not free text: the form says so instead of storing them."""
    client = client_as("editor")
    form = read_form(client.get("/admin/resources/new").text, "/admin/resources/new")
    form.update({"id": "hostile-test", "organization": "__new__", "new_org_id": "hostile-org", "new_org_name": "Org",
                 "name": "Service", "source": "https://example.org", "main_need": "food_aid", "priority": "1",
                 "languages": PAYLOAD})
    form.update({f"text_{lang}_{field}": "texte" for lang in ("fr", "en") for field in ("name", "description", "how_to_get")})
    page = client.post("/admin/resources/new", data=form)
    assert page.url.path == "/admin/resources/new" and "languages" in page.text
    _assert_escaped(page.text)
    with transaction(seeded_engine) as session:
        assert session.get(Service, "hostile-test") is None


def test_translation_texts_and_search_keep_hostile_text(client_as, seeded_engine):
    client = client_as("editor")
    action = f"/admin/resources/{FOOD_BANK}/translations/es"
    form = read_form(client.get(f"/admin/resources/{FOOD_BANK}/translations").text, action)
    form["description"] = PAYLOAD
    page = client.post(action, data=form)
    _assert_escaped(page.text)
    with transaction(seeded_engine) as session:
        assert session.scalar(select(Translation.text).where(
            Translation.entity_id == FOOD_BANK, Translation.language == "es",
            Translation.field == "description")) == PAYLOAD
    search = client.get("/admin/resources", params={"q": PAYLOAD})
    _assert_escaped(search.text)
    assert FOOD_BANK in search.text  # found by its (hostile) Spanish text, not by SQL
    assert "Resources found: 0" in client.get("/admin/resources", params={"q": "' OR '1'='1"}).text


def test_account_fields_keep_hostile_text(client_as, app, seeded_engine):
    from fastapi.testclient import TestClient

    hostile_email = "<script>alert('x')</script>@evil.example.org"
    with TestClient(app, headers=ENGLISH) as anonymous:
        failed = sign_in(anonymous, hostile_email, PAYLOAD)
        assert failed.status_code == 401
        assert "<script>alert" not in failed.text and "&lt;script&gt;" in failed.text
    admin = client_as("admin")
    token = csrf_token(admin.get("/admin/users").text)
    page = admin.post("/admin/users", data={"email": hostile_email, "password": PAYLOAD, "role": "editor",
                                            "csrf_token": token})
    assert page.status_code == 200 and "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    with transaction(seeded_engine) as session:
        assert session.scalar(select(StaffUser.email).where(StaffUser.email == hostile_email)) == hostile_email
    with TestClient(app, headers=ENGLISH) as hostile:
        assert sign_in(hostile, hostile_email, PAYLOAD).url.path == "/admin/"
