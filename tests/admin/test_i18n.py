"""The admin pages speak French and English: every message has its French translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import admin
from admin.i18n import gettext_for, pick_language

ADMIN_DIR = Path(admin.__file__).parent
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]


def test_every_message_of_the_pages_is_translated_into_french():
    used = {message for _file, _line, message, _comments, _context
            in extract_from_dir(ADMIN_DIR, METHODS, keywords={"N_": None, "_": None})}
    with (ADMIN_DIR / "locales" / "fr" / "LC_MESSAGES" / "admin.po").open("rb") as handle:
        french = {m.id: m.string for m in read_po(handle) if m.id}
    untranslated = sorted(m for m in used if not french.get(m))
    assert untranslated == [], "run the extraction in the README's admin section, then translate"


def test_french_is_the_default_and_english_is_the_source():
    assert gettext_for("fr")("Sign in") == "Se connecter"
    assert gettext_for("en")("Sign in") == "Sign in"
    assert gettext_for("xx")("Sign in") == "Se connecter"
    assert pick_language(None, "en-CA,en;q=0.9,fr;q=0.8") == "en"
    assert pick_language("es-MX") == "fr"
