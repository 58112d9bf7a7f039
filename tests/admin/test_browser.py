"""Staff use the admin pages in a real headless Chromium; families' next answers change accordingly."""

from __future__ import annotations

import shutil

import pytest

from admin.auth import create_user
from bot.messages import IncomingMessage
from bot.server import create_app
from bot.settings import Settings
from resources_db.database import transaction
from resources_db.models import TranslationStatus
from resources_db.store import set_text

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FOOD_BANK = "banques-alimentaires-quebec-network"
EMAIL, PASSWORD = "lucia@school.example.org", "una frase larga y secreta"
FAMILY_ASKS = "necesito comida para mis hijos"


@pytest.fixture
def server(dialogue, seeded_engine, live_server):
    with transaction(seeded_engine) as session:
        create_user(session, EMAIL, PASSWORD, "reviewer", "test", language="en")
        # A machine translation waiting for review, as the provider would have left it.
        set_text(session, "service", FOOD_BANK, "how_to_get", "es", "Llamada el numero del banco de comida.",
                 TranslationStatus.machine, "machine-translation")
    with live_server(create_app(Settings(id_salt="test-salt"), dialogue)) as running:
        yield running


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        context = browser.new_context(locale="en-CA", viewport={"width": 1100, "height": 900})
        yield context.new_page()
        browser.close()


def _family_reads(dialogue, user: str) -> str:
    return dialogue.handle(IncomingMessage("web", user, FAMILY_ASKS)).text


def test_a_reviewer_edits_spanish_approves_a_translation_and_previews_the_sms(server, page, dialogue):
    page.goto(f"{server.url}/admin/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")

    # 1. Rewrite the Spanish description.
    page.get_by_role("link", name="Resources", exact=True).click()
    page.get_by_label("Search").fill("banques alimentaires")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Banques alimentaires du Québec").click()
    page.get_by_role("link", name="Texts in all languages").click()
    new_description = "Más de mil bancos de alimentos en Quebec dan comida gratis a las familias."
    page.locator("#t-es-description").fill(new_description)
    page.get_by_role("button", name="Save the es texts").click()
    page.get_by_text("Saved. The bot uses the new text").wait_for()
    assert new_description in _family_reads(dialogue, "family-1")

    # 2. Correct and approve the machine translation.
    page.get_by_role("link", name="Translations to review", exact=True).click()
    corrected = "Llame al 211 o visite el sitio web para encontrar el banco de alimentos más cercano."
    page.get_by_label("Machine translation (es)").fill(corrected)
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Approved: the translation is now marked as reviewed.").wait_for()
    assert page.get_by_text("Nothing to review.").is_visible()
    assert corrected in _family_reads(dialogue, "family-2")

    # 3. Preview the SMS a Spanish-speaking family receives now.
    page.get_by_role("navigation").get_by_role("link", name="Preview", exact=True).click()
    page.get_by_label("Need").select_option("food_aid")
    page.get_by_label("Family's language").select_option("es")
    page.get_by_label("sms").check()
    page.get_by_role("button", name="Show").click()
    summary = page.locator("#sms-summary").inner_text()
    assert "SMS message(s)" in summary and "segment(s) in all" in summary
    first_sms = page.locator(".bubble").first.inner_text()
    assert "Mas de mil bancos de alimentos" in first_sms  # SMS drops the accent to stay in GSM-7
    assert "Message 1:" in page.locator(".sms-count").first.inner_text()


def test_signing_out_in_the_browser_ends_the_session(server, page):
    page.goto(f"{server.url}/admin/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong email or password."
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["familybot_admin"]["httpOnly"] and cookies["familybot_admin"]["sameSite"] == "Strict"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/admin/login")
    page.goto(f"{server.url}/admin/resources")
    assert "/admin/login" in page.url
