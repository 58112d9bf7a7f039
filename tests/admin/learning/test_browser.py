"""End to end in a real headless Chromium: a message the bot did not understand, taught by staff.

A parent writes something the bot does not understand; an editor signs in, assigns
the right intent from the fallback list, retrains (French only, on the small NLU),
waits on the progress page, and the parent's next identical message gets the new answer.
"""

from __future__ import annotations

import pytest

from bot.server import create_app
from bot.settings import Settings
from bot.topics import NEED_LABELS
from tests.admin.conftest import PASSWORD
from tests.bot.channels.test_web import CHROMIUM, CHROMIUM_FLAGS
from translations.catalog import translator

pytestmark = pytest.mark.slow
SCOOTER = "je cherche une trottinette"


@pytest.fixture
def server(small_dialogue, small_nlu, live_server, staff):
    settings = Settings(id_salt="test-salt", nlu_eval_dir=small_nlu.eval_dir)
    with live_server(create_app(settings, small_dialogue)) as running:
        yield running


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def ask(chat, text: str) -> str:
    """Type a message in the web chat and return the bot's answer."""
    before = chat.locator("#log li.bot").count()
    chat.get_by_label("Votre message").fill(text)
    chat.keyboard.press("Enter")
    chat.wait_for_function(f"document.querySelectorAll('#log li.bot').length > {before}")
    return chat.locator("#log li.bot").last.inner_text()


def test_staff_teach_the_bot_a_message_it_did_not_understand(server, browser, staff):
    family = browser.new_context(locale="fr-CA").new_page()
    family.goto(server.url)
    family.wait_for_selector("#log li.bot")
    recreation = translator("fr").gettext(NEED_LABELS["recreation"])
    assert recreation not in ask(family, SCOOTER)

    admin = browser.new_context(locale="en-CA").new_page()
    admin.goto(f"{server.url}/admin/learning")
    admin.get_by_label("Email").fill(staff["editor"])
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url("**/admin/learning")

    item = admin.locator("li.unrecognized", has_text=SCOOTER)
    item.get_by_label("Means").select_option("recreation")
    item.get_by_role("button", name="Add to training").click()
    admin.wait_for_selector("text=Example added")
    assert admin.locator("li.unrecognized", has_text=SCOOTER).count() == 0

    assert admin.get_by_label("French", exact=True).is_checked()  # the language with a waiting example
    admin.get_by_role("button", name="Retrain now").click()
    admin.wait_for_url("**/admin/learning/jobs/*")
    assert admin.locator("#job-progress").count() == 1
    # The page reloads itself every 2 seconds until the job is over.
    admin.wait_for_selector("#job-stage[data-status='installed'], #job-stage[data-status='rejected'], "
                            "#job-stage[data-status='failed']", timeout=600_000)
    assert admin.locator("#job-stage").get_attribute("data-status") == "installed", admin.inner_text("main")
    assert "The new model is in use" in admin.inner_text("main")

    assert recreation in ask(family, SCOOTER)
