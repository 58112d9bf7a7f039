"""Who may do what in the admin pages: sign-in, rate limiting, CSRF, roles, sessions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from admin.auth import ACCOUNT_LIMIT, CLIENT_LIMIT
from admin.records import StaffSession, StaffUser
from admin.sessions import COOKIE_NAME
from resources_db.database import transaction
from resources_db.models import AuditLog
from tests.admin.conftest import ENGLISH, PASSWORD, csrf_token, sign_in


def test_pages_need_a_sign_in(app):
    with TestClient(app, headers=ENGLISH) as client:
        response = client.get("/admin/users")
    assert response.url.path == "/admin/login"
    assert response.url.params["next"] == "/admin/users"
    assert "Email" in response.text or "Courriel" in response.text


def test_a_wrong_password_is_refused_without_a_session(app, staff):
    with TestClient(app, headers=ENGLISH) as client:
        response = sign_in(client, staff["editor"], "not the password")
        assert response.status_code == 401
        assert "Wrong email or password" in response.text
        assert COOKIE_NAME not in client.cookies
        assert client.get("/admin/").url.path == "/admin/login"


def test_an_unknown_email_gets_the_same_answer(app, staff):
    with TestClient(app, headers=ENGLISH) as client:
        response = sign_in(client, "nobody@school.example.org", PASSWORD)
    assert response.status_code == 401 and "Wrong email or password" in response.text


def test_the_right_password_signs_in_with_a_strict_httponly_cookie(app, staff):
    with TestClient(app, headers=ENGLISH) as client:
        response = sign_in(client, staff["editor"].upper())  # the email is not case-sensitive
        assert response.status_code == 200 and response.url.path == "/admin/"
        set_cookie = response.history[0].headers["set-cookie"]
    assert f"{COOKIE_NAME}=" in set_cookie
    assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie and "Path=/admin" in set_cookie
    assert "Secure" not in set_cookie  # plain http on loopback; see the next test for https


def test_cookies_are_secure_when_the_site_is_served_over_https(admin_dialogue, staff):
    from bot.server import create_app
    from bot.settings import Settings

    app = create_app(Settings(id_salt="test-salt", admin_cookie_secure=True), admin_dialogue)
    with TestClient(app, headers=ENGLISH, base_url="https://testserver") as client:
        response = sign_in(client, staff["editor"])
        assert response.url.path == "/admin/"
        assert "Secure" in response.history[0].headers["set-cookie"]


def test_repeated_failures_lock_the_account_even_with_the_right_password(app, staff):
    with TestClient(app, headers=ENGLISH) as client:
        for _ in range(ACCOUNT_LIMIT):
            assert sign_in(client, staff["editor"], "guess").status_code == 401
        response = sign_in(client, staff["editor"])
        assert response.status_code == 429
        assert "Too many failed attempts" in response.text
        # Other accounts are not locked by someone guessing this one.
        assert sign_in(client, staff["reviewer"]).url.path == "/admin/"


def test_a_client_guessing_many_accounts_is_stopped(app, staff):
    with TestClient(app, headers=ENGLISH) as client:
        for number in range(CLIENT_LIMIT):
            assert sign_in(client, f"guess{number}@school.example.org", "guess").status_code == 401
        assert sign_in(client, staff["admin"]).status_code == 429


def test_a_post_without_the_csrf_token_is_refused(client_as, seeded_engine):
    client = client_as("admin")
    response = client.post("/admin/users", data={"email": "new@school.example.org", "password": PASSWORD,
                                                 "role": "editor"})
    assert response.status_code == 403
    response = client.post("/admin/users", data={"email": "new@school.example.org", "password": PASSWORD,
                                                 "role": "editor", "csrf_token": "forged"})
    assert response.status_code == 403
    with transaction(seeded_engine) as session:
        assert session.scalar(select(StaffUser).where(StaffUser.email == "new@school.example.org")) is None
    # Still signed in: a forged sign-out does nothing either.
    assert client.post("/admin/logout").status_code == 403
    assert client.get("/admin/").url.path == "/admin/"


def test_the_login_form_itself_needs_its_token(app, staff):
    with TestClient(app, headers=ENGLISH) as client:
        response = client.post("/admin/login", data={"email": staff["editor"], "password": PASSWORD})
    assert response.status_code == 403


def test_an_editor_cannot_open_or_use_the_admin_pages(client_as, seeded_engine):
    editor = client_as("editor")
    assert editor.get("/admin/users").status_code == 403
    token = csrf_token(editor.get("/admin/").text)
    response = editor.post("/admin/users", data={"email": "sneaky@school.example.org", "password": PASSWORD,
                                                 "role": "admin", "csrf_token": token})
    assert response.status_code == 403
    assert client_as("reviewer").get("/admin/users").status_code == 403
    with transaction(seeded_engine) as session:
        assert session.scalar(select(StaffUser).where(StaffUser.email == "sneaky@school.example.org")) is None


def test_the_session_cookie_is_worthless_after_sign_out(client_as, app):
    client = client_as("editor")
    stolen = client.cookies[COOKIE_NAME]
    token = csrf_token(client.get("/admin/").text)
    assert client.post("/admin/logout", data={"csrf_token": token}).url.path == "/admin/login"
    with TestClient(app, headers=ENGLISH, cookies={COOKIE_NAME: stolen}) as replay:
        assert replay.get("/admin/").url.path == "/admin/login"


def test_an_admin_manages_accounts_and_every_change_is_audited(client_as, app, seeded_engine):
    admin = client_as("admin")
    token = csrf_token(admin.get("/admin/users").text)
    response = admin.post("/admin/users", data={"email": "Marie@School.example.org", "password": PASSWORD,
                                                "role": "editor", "language": "fr", "csrf_token": token})
    assert response.status_code == 200 and "Account created" in response.text
    assert "marie@school.example.org" in response.text
    with transaction(seeded_engine) as session:
        marie = session.scalar(select(StaffUser).where(StaffUser.email == "marie@school.example.org"))
        assert marie.password_hash.startswith("$argon2id$") and PASSWORD not in marie.password_hash
    with TestClient(app, headers=ENGLISH) as marie_client:
        assert sign_in(marie_client, "marie@school.example.org").url.path == "/admin/"
        # Promoted: the next page already knows it.
        admin.post(f"/admin/users/{marie.id}/role", data={"role": "admin", "csrf_token": token})
        assert marie_client.get("/admin/users").status_code == 200
        # Deactivated: signed out everywhere at once, and cannot sign in again.
        admin.post(f"/admin/users/{marie.id}/active", data={"active": "no", "csrf_token": token})
        assert marie_client.get("/admin/").url.path == "/admin/login"
        assert sign_in(marie_client, "marie@school.example.org").status_code == 401
    with transaction(seeded_engine) as session:
        assert session.scalar(select(func.count()).select_from(StaffSession)
                              .where(StaffSession.user_id == marie.id)) == 0
        entries = session.scalars(select(AuditLog).where(AuditLog.entity_type == "staff_user",
                                                         AuditLog.entity_id == "marie@school.example.org")).all()
    assert {(e.action, e.field, e.new_value) for e in entries} >= {
        ("create", "role", "editor"), ("update", "role", "admin"), ("update", "active", "False")}
    assert all(e.actor == "staff:admin@school.example.org" for e in entries if e.action != "login")


def test_the_last_admin_cannot_lock_everyone_out(client_as, seeded_engine):
    admin = client_as("admin")
    token = csrf_token(admin.get("/admin/users").text)
    with transaction(seeded_engine) as session:
        me = session.scalar(select(StaffUser).where(StaffUser.email == "admin@school.example.org"))
    response = admin.post(f"/admin/users/{me.id}/role", data={"role": "editor", "csrf_token": token})
    assert response.status_code == 400 and "at least one active admin" in response.text
    assert admin.get("/admin/users").status_code == 200


def test_after_sign_in_only_admin_pages_are_destinations(app, staff):
    with TestClient(app, headers=ENGLISH) as client:
        token = csrf_token(client.get("/admin/login").text)
        response = client.post("/admin/login", data={"email": staff["editor"], "password": PASSWORD,
                                                     "csrf_token": token, "next": "https://evil.example/"},
                               follow_redirects=False)
    assert response.headers["location"] == "/admin/"


def test_pages_switch_between_french_and_english(client_as):
    client = client_as("editor")
    token = csrf_token(client.get("/admin/").text)
    page = client.post("/admin/language", data={"language": "fr", "next": "/admin/", "csrf_token": token})
    assert '<html lang="fr">' in page.text and "Accueil" in page.text
    page = client.post("/admin/language", data={"language": "en", "next": "/admin/", "csrf_token": token})
    assert '<html lang="en">' in page.text and "Home" in page.text


def test_pages_forbid_scripts_and_framing(client_as):
    response = client_as("editor").get("/admin/")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_an_admin_sets_a_new_password_for_someone_who_forgot_theirs(client_as, app, staff, seeded_engine):
    editor = client_as("editor")
    admin = client_as("admin")
    token = csrf_token(admin.get("/admin/users").text)
    with transaction(seeded_engine) as session:
        editor_id = session.scalar(select(StaffUser.id).where(StaffUser.email == staff["editor"]))
    too_short = admin.post(f"/admin/users/{editor_id}/password", data={"password": "short", "csrf_token": token})
    assert too_short.status_code == 400 and "at least 10 characters" in too_short.text
    assert admin.post(f"/admin/users/{editor_id}/password",
                      data={"password": "a brand new passphrase", "csrf_token": token}).status_code == 200
    assert editor.get("/admin/").url.path == "/admin/login"  # signed out everywhere
    with TestClient(app, headers=ENGLISH) as client:
        assert sign_in(client, staff["editor"]).status_code == 401
        assert sign_in(client, staff["editor"], "a brand new passphrase").url.path == "/admin/"
    with transaction(seeded_engine) as session:
        entry = session.scalar(select(AuditLog).where(AuditLog.field == "password"))
    assert entry.actor == "staff:admin@school.example.org" and entry.new_value is None
