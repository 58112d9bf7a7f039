"""The web chat in a real headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import re
import shutil

import httpx
import pytest

from bot.server import create_app
from bot.settings import Settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def server(dialogue, live_server):
    with live_server(create_app(Settings(id_salt="test-salt"), dialogue)) as running:
        yield running


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        context = browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})
        yield context.new_page()
        browser.close()


def test_a_parent_types_a_question_and_reads_the_answer(server, page):
    page.goto(server.url)
    page.wait_for_selector("#log li.bot")
    page.get_by_label("Votre message").fill("j'ai besoin d'aide pour nourrir mes enfants")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#log li.bot').length >= 2")
    answer = page.locator("#log li.bot").last.inner_text()
    assert "Voici" in answer or "aide" in answer
    assert page.locator("#options button").count() >= 2


def test_switching_to_arabic_shows_right_to_left(server, page):
    page.goto(server.url)
    page.wait_for_selector("#log li.bot")
    page.select_option("#language", "ar")
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    page.wait_for_function("document.querySelectorAll('#log li.bot').length >= 2")
    assert page.evaluate("document.documentElement.lang") == "ar"
    page.wait_for_function("document.getElementById('message-label').textContent === 'رسالتك'")
    assert page.get_by_label("رسالتك").is_visible()
    assert re.search(r"[\u0600-\u06ff]", page.locator("#log li.bot").last.inner_text())


def test_option_buttons_work_with_the_keyboard(server, page):
    page.goto(server.url)
    page.wait_for_selector("#options button")
    first = page.locator("#options button").first
    label = first.inner_text()
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#log li.bot').length >= 2")
    assert page.locator("#log li.me").last.inner_text() == label


def test_api_chat_rejects_bad_input_with_4xx(server):
    assert httpx.post(f"{server.url}/api/chat", json={"text": "hi"}).status_code == 422
    assert httpx.post(f"{server.url}/api/chat", content=b"\xff\xfe", headers={"Content-Type": "application/json"}
                      ).status_code == 422
    too_long = {"text": "a" * 5000, "user_id": "web-abcdefgh"}
    assert httpx.post(f"{server.url}/api/chat", json=too_long).status_code == 422
    ok = httpx.post(f"{server.url}/api/chat", json={"text": "hello", "user_id": "web-abcdefgh"})
    assert ok.status_code == 200 and set(ok.json()) >= {"language", "intent", "reply", "options", "resources"}


def test_health_and_docs(server):
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{server.url}/readyz").json() == {"status": "ready"}
    assert "/api/chat" in httpx.get(f"{server.url}/openapi.json").json()["paths"]
